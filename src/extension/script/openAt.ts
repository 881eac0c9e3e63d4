import * as vscode from 'vscode';
import type { RunMessage, SamplerId } from '../../shared/protocol';

/** Opens a file at a 1-based line (where a script raised, or what a message is about). */
export async function openAt(path: string, line: number): Promise<void> {
	const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
	const pos = new vscode.Position(Math.max(0, Math.min(line - 1, doc.lineCount - 1)), 0);
	await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: false });
}

/** The panel's link to where a script run raised: the place comes from the host's own history, never from the page. */
export async function openScriptError(history: readonly RunMessage[], sampler: SamplerId, seed: number): Promise<void> {
	const start = history[0];
	if (start?.type !== 'runStarted') return;
	const m = history.find((x): x is Extract<RunMessage, { type: 'scriptResult' }> => x.type === 'scriptResult' && x.runId === start.run.id && x.sampler === sampler && x.seed === seed);
	const e = m?.result.error;
	if (e && e.file && e.line !== null) await openAt(e.file, e.line);
}
