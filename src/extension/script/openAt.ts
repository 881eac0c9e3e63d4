import * as vscode from 'vscode';

/** Opens a file at a 1-based line (where a script raised, or what a message is about). */
export async function openAt(path: string, line: number): Promise<void> {
	const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
	const pos = new vscode.Position(Math.max(0, Math.min(line - 1, doc.lineCount - 1)), 0);
	await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: false });
}
