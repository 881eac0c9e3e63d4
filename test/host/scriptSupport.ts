/** What the in-host tests of "Compare samplers on this script" share: the runner's state, the processes, the command. */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ScriptSummary } from '../../src/extension/script/scriptReport';
import { queryDom } from './browser';
import { until, within } from './util';

export interface ScriptState {
	running: boolean;
	liveProcesses: number;
	last?: ScriptSummary;
}
export const state = () => vscode.commands.executeCommand<ScriptState>('minibatchLab._scriptState');
export const SHIM_MARKER = "Minibatch Lab: runs a learner's training script";
export const LIMIT_MS = 240_000;

/**
 * Processes whose command line holds `marker` and whose working directory is under `folder` (Linux: /proc). The folder
 * keeps other test runs on the same machine out: the shim runs in the script's folder, and its children inherit it.
 */
export function processesWith(marker: string, folder: string): number[] {
	const found: number[] = [];
	const under = realpathSync(folder);
	for (const p of readdirSync('/proc')) {
		if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
		try {
			if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker) && readlinkSync(`/proc/${p}/cwd`).startsWith(under)) found.push(Number(p));
		} catch {
			// Gone meanwhile.
		}
	}
	return found;
}

export async function open(path: string): Promise<vscode.TextEditor> {
	return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(path)), { preview: false });
}

/** Runs the command on a file with the panel form's options (iterations override, seeds, samplers). */
export async function compare(path: string, options: Record<string, unknown> = {}): Promise<ScriptSummary> {
	const s = await within('the script comparison to end', vscode.commands.executeCommand<ScriptSummary | undefined>('minibatchLab.compareScript', vscode.Uri.file(path), options), LIMIT_MS);
	assert.ok(s, 'the command returned no results');
	return s;
}

/** The palette, as a user opens it with the script in the active editor: Ctrl+Shift+P, the title, Enter (a click here). */
export async function fromPalette(path: string): Promise<ScriptSummary> {
	await open(path);
	const before = (await state()).last;
	await vscode.commands.executeCommand('workbench.action.quickOpen', '>Minibatch Lab: Compare samplers on this script');
	await queryDom({ selector: '.quick-input-list .monaco-list-row:has-text("Minibatch Lab: Compare samplers on this script")', op: 'click', timeoutMs: 20_000 });
	return until('the palette run to end', async () => {
		const s = await state();
		return !s.running && s.last && s.last !== before && s.last.path === path ? s.last : undefined;
	}, LIMIT_MS, 500);
}
