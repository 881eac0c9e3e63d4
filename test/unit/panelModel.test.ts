import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { apply, describeRun, emptyModel, epochsPerIter, noChanges, progress, type PanelModel } from '../../media/model';
import type { RunInfo, ToWebview } from '../../src/shared/protocol';

const run = (id: number): RunInfo => ({
	id,
	settings: { iters: 1200, batchSize: 100, lr: 0.1, hidden: 50, seed: 0 },
	samplers: ['replacement', 'epoch-shuffle'],
	dataset: 'MNIST (bundled)',
	datasetOrigin: 'bundled',
	startedAt: '2025-01-01T00:00:00.000Z',
});

/** A short run as the host sends it: losses in chunks, an eval each epoch (600 iterations), then summaries. */
function stream(id: number): ToWebview[] {
	const out: ToWebview[] = [{ type: 'runStarted', run: run(id) }];
	for (const sampler of ['replacement', 'epoch-shuffle'] as const) {
		for (let from = 0; from < 1200; from += 50) {
			if (from % 600 === 0) out.push({ type: 'eval', runId: id, sampler, point: { iter: from, epoch: from / 600, trainAcc: 0.1 + from / 2000, testAcc: 0.1 + from / 2100 } });
			out.push({ type: 'loss', runId: id, sampler, fromIter: from, losses: Array.from({ length: 50 }, (_, i) => 2.3 - (from + i) / 1000) });
		}
	}
	out.push({
		type: 'runDone',
		runId: id,
		summary: { sampler: 'replacement', seed: 0, kernel: 'js', finalTrainAcc: 0.4, finalTestAcc: 0.39, bestTestAcc: 0.39, seconds: 1, meanCoverage: 0.63, duplicateBatches: 9, maxDraws: 5, finalLoss: 1.1 },
	});
	out.push({ type: 'runFailed', runId: id, sampler: 'epoch-shuffle', reason: 'out of memory' });
	out.push({ type: 'finished', runId: id, state: 'done', seconds: 2 });
	return out;
}

function replay(msgs: ToWebview[], model: PanelModel = emptyModel()): PanelModel {
	for (const m of msgs) apply(model, m, noChanges());
	return model;
}

/** The model without the charts' bookkeeping field, for comparisons. */
function plain(m: PanelModel) {
	return { ...m, tracks: [...m.tracks.values()].map(({ lossDirtyFrom: _, ...t }) => t) };
}

describe('panel model', () => {
	it('rebuilds a run from the stream', () => {
		const m = replay(stream(1));
		assert.equal(m.state, 'done');
		const rep = m.tracks.get('replacement')!;
		assert.equal(rep.evals.length, 2);
		assert.equal(rep.lossCount, 1200);
		assert.equal(rep.summary?.duplicateBatches, 9);
		assert.equal(m.tracks.get('epoch-shuffle')!.failure, 'out of memory');
		assert.equal(progress(m), 1);
		assert.equal(epochsPerIter(m), 1 / 600);
	});

	it('is idempotent: every message applied twice gives the same state', () => {
		const once = replay(stream(1));
		const twice = replay(stream(1).flatMap((msg) => [msg, msg]));
		const again = replay(stream(1), replay(stream(1)));
		assert.deepEqual(plain(twice), plain(once));
		assert.deepEqual(plain(again), plain(once));
	});

	it('a new run id clears the previous run; messages of another run are ignored', () => {
		const m = replay(stream(1));
		const c = apply(m, { type: 'runStarted', run: { ...run(2), samplers: ['sequential'] } });
		assert.ok(c.reset && c.table && c.header);
		assert.deepEqual([...m.tracks.keys()], ['sequential']);
		assert.equal(m.state, 'running');
		const late = apply(m, { type: 'eval', runId: 1, sampler: 'replacement', point: { iter: 0, epoch: 0, trainAcc: 1, testAcc: 1 } }, noChanges());
		assert.deepEqual(late, noChanges());
		apply(m, { type: 'finished', runId: 1, state: 'failed', seconds: 9 });
		assert.equal(m.state, 'running');
	});

	it('keeps the same state when the same runStarted comes again', () => {
		const m = replay(stream(1));
		assert.deepEqual(apply(m, { type: 'runStarted', run: run(1) }, noChanges()), noChanges());
		assert.equal(m.tracks.get('replacement')!.lossCount, 1200);
	});

	it('reports progress while running and tolerates NaN losses sent as null', () => {
		const m = replay(stream(1).slice(0, 14));
		assert.ok(progress(m) > 0 && progress(m) < 1);
		apply(m, { type: 'loss', runId: 1, sampler: 'epoch-shuffle', fromIter: 0, losses: [null as unknown as number, 2] });
		const t = m.tracks.get('epoch-shuffle')!;
		assert.equal(t.losses[0], null);
		assert.equal(t.lossCount, 2);
		assert.equal(t.lossDirtyFrom, 0);
	});

	it('states the settings and the dataset', () => {
		assert.equal(describeRun(run(1)), 'TwoLayerNet 784-50-10 · 1200 iterations · batch 100 · lr 0.1 · seed 0 · MNIST (bundled)');
	});
});
