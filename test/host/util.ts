/** Helpers shared by the in-host tests: settings, the panel's snapshot and the live-worker count, and polling. */
import * as vscode from 'vscode';
import type { PanelSnapshot } from '../../src/shared/protocol';
import { testEnv } from './env';

export const SECTION = 'minibatchLab';
export const EXTENSION_ID = 'minibatch-lab.minibatch-lab';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function setSettings(values: Record<string, unknown>): Promise<void> {
	const c = vscode.workspace.getConfiguration(SECTION);
	for (const [k, v] of Object.entries(values)) await c.update(k, v, vscode.ConfigurationTarget.Global);
}

export const snapshot = () => vscode.commands.executeCommand<PanelSnapshot | undefined>('minibatchLab._snapshot');
export const liveWorkers = () => vscode.commands.executeCommand<number>('minibatchLab._liveWorkers');
/** The most workers alive at once since the previous call (the first call counts from activation). */
export const peakWorkers = () => vscode.commands.executeCommand<number>('minibatchLab._peakWorkers');

/**
 * Waits for a command's promise (a run that ends, a panel that answers) at most `timeoutMs`, then fails naming what it
 * waited for. Mocha's own timeout would only say that the test took too long.
 */
export async function within<T>(what: string, p: Thenable<T>, timeoutMs: number): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const limit = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
	});
	try {
		return await Promise.race([Promise.resolve(p), limit]);
	} finally {
		clearTimeout(timer);
	}
}

/** How long a short comparison (601 iterations on the bundled MNIST) may take on 2 busy cores. */
export const RUN_LIMIT_MS = 150_000;

/** Runs the comparison command and waits for its run to end (its workers have exited by then), at most `timeoutMs`. */
export const runComparison = (timeoutMs = RUN_LIMIT_MS) => within('the comparison command to end', vscode.commands.executeCommand('minibatchLab.runComparison'), timeoutMs);

/** Polls `fn` until it returns something truthy; errors count as "not yet". */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20000, everyMs = 100): Promise<T> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn().catch(() => undefined);
		if (v) return v;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await sleep(everyMs);
	}
}

// ---- hovers ----

/** The position of the n-th occurrence of `needle` (plus `delta` characters into it). */
export function positionOf(doc: vscode.TextDocument, needle: string, nth = 0, delta = 1): vscode.Position {
	let at = -1;
	for (let k = 0; k <= nth; k++) at = doc.getText().indexOf(needle, at + 1);
	if (at < 0) throw new Error(`"${needle}" #${nth} not in ${doc.uri.path}`);
	return doc.positionAt(at + delta);
}

/** Every hover's Markdown at `pos`, as the editor would ask for it (all providers), joined; '' when there is none. */
export async function hoverText(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
	const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos)) ?? [];
	return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

/** A new untitled Jupyter notebook with one Python code cell holding `source`; returns the cell's document. */
export async function openPythonCell(source: string): Promise<vscode.TextDocument> {
	const cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, source, 'python');
	const nb = await vscode.workspace.openNotebookDocument('jupyter-notebook', new vscode.NotebookData([cell]));
	return nb.cellAt(0).document;
}

// ---- files the tests write ----

/**
 * A fresh folder for files a test writes (exports), inside the runner's scratch folder: MINIBATCH_LAB_TEST_SCRATCH is its
 * URI as this host names it (file:// in Node, vscode-remote:// in the browser, whose files are the server's).
 */
export async function scratchFolder(name: string): Promise<vscode.Uri> {
	const root = testEnv('MINIBATCH_LAB_TEST_SCRATCH');
	if (!root) throw new Error('MINIBATCH_LAB_TEST_SCRATCH is not set: run through scripts/host/run-host-tests.mjs or run-electron-tests.mjs');
	const dir = vscode.Uri.joinPath(vscode.Uri.parse(root, true), `${name}-${Date.now().toString(36)}`);
	await vscode.workspace.fs.createDirectory(dir);
	return dir;
}

export const readBytes = (uri: vscode.Uri) => vscode.workspace.fs.readFile(uri);
export const readText = async (uri: vscode.Uri) => new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
/** How the extension names a saved file in its messages and return values. */
export const shownPath = (uri: vscode.Uri) => (uri.scheme === 'file' ? uri.fsPath : uri.toString(true));
