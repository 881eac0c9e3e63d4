/** minibatchLab.parallelRuns: how many workers train at once, counted while they run. */
import * as assert from 'node:assert/strict';
import { cpus } from 'node:os';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { liveWorkers, peakWorkers, runComparison, setSettings, snapshot, until } from './util';

/** Runs the command to the end; returns the most workers the pool had alive at once (its own count, not a sample). */
async function runPeak(): Promise<number> {
	assert.equal(await liveWorkers(), 0);
	await peakWorkers(); // starts the count again from the workers alive now
	await runComparison();
	const snap = await until('a finished table', async () => {
		const s = await snapshot();
		return s && /^Done/.test(s.status) && s.tableRows.length === 2 ? s : undefined;
	});
	assert.ok(snap.tableRows.every((r) => r.length > 2), 'both samplers report');
	assert.equal(await liveWorkers(), 0);
	return peakWorkers();
}

describe('parallel runs setting', function () {
	this.timeout(180_000);

	before(async () => {
		// About a second per run with the wasm kernel, so runs that may overlap do.
		await setSettings({ iterations: 2000, batchSize: 100, trainSize: 0, seed: 0, seedCount: 1, samplers: ['replacement', 'epoch-shuffle'], datasetPath: '' });
	});

	after(async () => {
		await setSettings({ iterations: undefined, batchSize: undefined, trainSize: undefined, seed: undefined, seedCount: undefined, samplers: undefined, parallelRuns: undefined });
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	it('1 trains one run at a time, and both still report', async () => {
		await setSettings({ parallelRuns: 1 });
		assert.equal(await runPeak(), 1);
	});

	it('0 trains one run per core', async function () {
		if (cpus().length < 2) this.skip();
		await setSettings({ parallelRuns: 0 });
		assert.equal(await runPeak(), 2);
	});
});
