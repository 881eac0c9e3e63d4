/**
 * The host's one copy of the losses is capped (src/shared/lossSeries.ts): a run longer than 10,000 iterations keeps the
 * mean of every `lossStride` iterations, in the panel and in the exports, and the loss chart still draws the whole run.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { LOSS_POINTS_PER_RUN } from '../../src/shared/lossSeries';
import { liveWorkers, runComparison, setSettings, snapshot, until } from './util';

/** Batch 1 on all 60,000 images: 20,001 cheap iterations and a single evaluation before the last one. */
const LONG = { iterations: 20_001, batchSize: 1, hiddenSize: 8, learningRate: 0.05, trainSize: 0, seed: 0, seedCount: 1, samplers: ['replacement'], datasetPath: '' };

describe('a run longer than the loss cap', function () {
	this.timeout(180_000);
	const dir = mkdtempSync(join(tmpdir(), 'mbl-long-'));

	before(async () => {
		await vscode.extensions.getExtension('minibatch-lab.minibatch-lab')!.activate();
		await setSettings(LONG);
	});

	after(async () => {
		await setSettings(Object.fromEntries(Object.keys(LONG).map((k) => [k, undefined])));
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		rmSync(dir, { recursive: true, force: true });
	});

	it('keeps a point per 3 iterations, in the export and the chart', async () => {
		await runComparison();
		const snap = await until('a finished run', async () => {
			const s = await snapshot();
			return s && /^Done/.test(s.status) ? s : undefined;
		}, 60_000);
		const loss = snap.charts.find((c) => c.id === 'loss');
		assert.ok(loss && loss.drawn && loss.points > 100, `loss chart ${JSON.stringify(loss)}`);
		const file = join(dir, 'long.json');
		await vscode.commands.executeCommand('minibatchLab.saveResultsJson', { uri: vscode.Uri.file(file) });
		const doc = JSON.parse(readFileSync(file, 'utf8')) as { run: { lossStride: number }; runs: { losses: (number | null)[] }[] };
		const stride = Math.ceil(LONG.iterations / LOSS_POINTS_PER_RUN);
		assert.equal(stride, 3);
		assert.equal(doc.run.lossStride, stride);
		assert.equal(doc.runs[0].losses.length, Math.ceil(LONG.iterations / stride), 'one point per 3 iterations, the last one short');
		assert.ok(doc.runs[0].losses.every((v) => typeof v === 'number' && v > 0), 'every point is a mean loss');
		assert.equal(await liveWorkers(), 0);
	});
});
