/** Helpers shared by the in-host tests: settings, the panel's snapshot and the live-worker count, and polling. */
import * as vscode from 'vscode';
import type { PanelSnapshot } from '../../src/shared/protocol';

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
