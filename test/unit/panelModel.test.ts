import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { apply, describeRun, emptyModel, epochsPerIter, modelStats, noChanges, progress, seedRuns, type PanelModel } from '../../media/model';
import type { RunInfo, ToWebview } from '../../src/shared/protocol';
import { ENGLISH } from '../../src/shared/strings/l10n';
import { panelStrings } from '../../src/shared/strings/panel';

const EN = panelStrings(ENGLISH);

const run = (id: number): RunInfo => ({
	id,
	settings: { iters: 1200, batchSize: 100, lr: 0.1, hidden: 50, seed: 0 },
	samplers: ['replacement', 'epoch-shuffle'],
	seeds: [0],
	dataset: 'MNIST (bundled)',
	datasetOrigin: 'bundled',
	lossStride: 1,
	startedAt: '2025-01-01T00:00:00.000Z',
});

/** A short run as the host sends it: losses in chunks, an eval each epoch (600 iterations), then summaries. */
function stream(id: number): ToWebview[] {
	const out: ToWebview[] = [{ type: 'runStarted', run: run(id) }];
	for (const sampler of ['replacement', 'epoch-shuffle'] as const) {
		for (let from = 0; from < 1200; from += 50) {
			if (from % 600 === 0) out.push({ type: 'eval', runId: id, sampler, seed: 0, point: { iter: from, epoch: from / 600, trainAcc: 0.1 + from / 2000, testAcc: 0.1 + from / 2100 } });
			out.push({ type: 'loss', runId: id, sampler, seed: 0, fromIter: from, losses: Array.from({ length: 50 }, (_, i) => 2.3 - (from + i) / 1000) });
		}
	}
	out.push({
		type: 'runDone',
		runId: id,
		seed: 0,
		summary: { sampler: 'replacement', seed: 0, kernel: 'js', finalTrainAcc: 0.4, finalTestAcc: 0.39, bestTestAcc: 0.39, seconds: 1, meanCoverage: 0.63, duplicateBatches: 9, maxDraws: 5, finalLoss: 1.1 },
	});
	out.push({ type: 'runFailed', runId: id, sampler: 'epoch-shuffle', seed: 0, reason: 'out of memory' });
	out.push({ type: 'finished', runId: id, state: 'done', seconds: 2 });
	return out;
}

function summary(sampler: 'replacement' | 'epoch-shuffle', seed: number) {
	return { sampler, seed, kernel: 'js', finalTrainAcc: 0.4, finalTestAcc: 0.39, bestTestAcc: 0.39, seconds: 1, meanCoverage: 0.63, duplicateBatches: 9, maxDraws: 5, finalLoss: 1.1 };
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
		const rep = m.tracks.get('replacement@0')!;
		assert.equal(rep.evals.length, 2);
		assert.equal(rep.lossCount, 1200);
		assert.equal(rep.summary?.duplicateBatches, 9);
		assert.equal(m.tracks.get('epoch-shuffle@0')!.failure, 'out of memory');
		assert.equal(progress(m), 1);
		assert.equal(epochsPerIter(m), 1 / 600);
	});

	it('a batch, however the stream is cut into batches, gives the same state as the messages one by one', () => {
		const msgs = stream(1);
		const one = plain(replay(msgs));
		for (const size of [1, 2, 7, msgs.length]) {
			const batches: ToWebview[] = [];
			for (let i = 0; i < msgs.length; i += size) batches.push({ type: 'batch', messages: msgs.slice(i, i + size) as never });
			assert.deepEqual(plain(replay(batches)), one, `batches of ${size}`);
		}
	});

	it('ignores what does not belong in a batch: nested batches, non-objects, a missing list', () => {
		const bad = [{ type: 'batch', messages: stream(1) }, null, 42, 'loss', { type: 7 }] as unknown as never[];
		const m = replay([{ type: 'batch', messages: bad }, { type: 'batch' } as unknown as ToWebview]);
		assert.equal(m.run, undefined);
		assert.equal(m.tracks.size, 0);
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
		assert.deepEqual([...m.tracks.keys()], ['sequential@0']);
		assert.equal(m.state, 'running');
		const late = apply(m, { type: 'eval', runId: 1, sampler: 'replacement', seed: 0, point: { iter: 0, epoch: 0, trainAcc: 1, testAcc: 1 } }, noChanges());
		assert.deepEqual(late, noChanges());
		apply(m, { type: 'finished', runId: 1, state: 'failed', seconds: 9 });
		assert.equal(m.state, 'running');
	});

	it('keeps the same state when the same runStarted comes again', () => {
		const m = replay(stream(1));
		assert.deepEqual(apply(m, { type: 'runStarted', run: run(1) }, noChanges()), noChanges());
		assert.equal(m.tracks.get('replacement@0')!.lossCount, 1200);
	});

	it('reports progress while running and tolerates NaN losses sent as null', () => {
		const m = replay(stream(1).slice(0, 14));
		assert.ok(progress(m) > 0 && progress(m) < 1);
		apply(m, { type: 'loss', runId: 1, sampler: 'epoch-shuffle', seed: 0, fromIter: 0, losses: [null as unknown as number, 2] });
		const t = m.tracks.get('epoch-shuffle@0')!;
		assert.equal(t.losses[0], null);
		assert.equal(t.lossCount, 2);
		assert.equal(t.lossDirtyFrom, 0);
	});

	it('states the settings and the dataset', () => {
		assert.equal(describeRun(run(1), EN.run), 'TwoLayerNet 784-50-10 · 1200 iterations · batch 100 · lr 0.1 · seed 0 · MNIST (bundled)');
	});

	it('keeps one track per (sampler, seed) and computes the paired statistics from the summaries', () => {
		const info: RunInfo = { ...run(5), settings: { ...run(5).settings, seed: 3 }, seeds: [3, 4, 5] };
		const m = emptyModel();
		apply(m, { type: 'runStarted', run: info });
		assert.deepEqual([...m.tracks.keys()], ['replacement@3', 'epoch-shuffle@3', 'replacement@4', 'epoch-shuffle@4', 'replacement@5', 'epoch-shuffle@5']);
		const acc: Record<string, number> = { 'replacement@3': 0.9, 'epoch-shuffle@3': 0.91, 'replacement@4': 0.92, 'epoch-shuffle@4': 0.925, 'replacement@5': 0.93 };
		for (const [key, a] of Object.entries(acc)) {
			const [sampler, seed] = key.split('@') as ['replacement' | 'epoch-shuffle', string];
			apply(m, { type: 'eval', runId: 5, sampler, seed: Number(seed), point: { iter: 600, epoch: 1, trainAcc: a, testAcc: a } });
			apply(m, { type: 'runDone', runId: 5, seed: Number(seed), summary: { ...summary(sampler, Number(seed)), finalTestAcc: a } });
		}
		assert.equal(m.tracks.get('epoch-shuffle@4')!.evals[0].testAcc, 0.925);
		// Still running: the unfinished epoch-shuffle@5 is neither counted nor reported as left out.
		assert.equal(seedRuns(m).length, 5);
		let stats = modelStats(m)!;
		assert.deepEqual(stats.samplers.map((a) => a.seeds), [[3, 4, 5], [3, 4]]);
		assert.deepEqual(stats.samplers[1].excluded, []);
		assert.equal(stats.pairs[0].n, 2);
		apply(m, { type: 'finished', runId: 5, state: 'cancelled', seconds: 3 });
		stats = modelStats(m)!;
		assert.deepEqual(stats.samplers[1].excluded, [{ seed: 5, reason: 'cancelled' }]);
		assert.equal(progress(m) < 1, true);
		assert.equal(describeRun(info, EN.run), 'TwoLayerNet 784-50-10 · 1200 iterations · batch 100 · lr 0.1 · seeds 3–5 · MNIST (bundled)');
	});
});
