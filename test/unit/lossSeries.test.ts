/**
 * The host's one copy of the losses is bounded: a point per `lossStride` iterations, at most LOSS_POINTS_PER_RUN per run
 * and LOSS_POINTS_TOTAL per comparison; the book's settings keep every iteration. The history holds one message per run.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { apply, emptyModel, lossIterations, progress } from '../../media/model';
import { resultsFromHistory, toCsv, toJson } from '../../src/extension/exportText';
import { RunHistory } from '../../src/extension/history';
import { LOSS_POINTS_PER_RUN, LOSS_POINTS_TOTAL, LossDownsampler, lossStride, type LossPoints } from '../../src/shared/lossSeries';
import type { RunInfo, RunMessage, SamplerId } from '../../src/shared/protocol';
import { LIMITS } from '../../src/core/settings';
import { SEED_COUNT_LIMITS } from '../../src/core/stats';
import { SAMPLER_IDS } from '../../src/core/samplers';

const flat = (points: LossPoints[], stride: number) => {
	const out: (number | null)[] = [];
	for (const p of points) p.losses.forEach((v, i) => (out[p.fromIter / stride + i] = v));
	return out;
};

describe('lossStride', () => {
	it('keeps every iteration at the book settings, for up to 100 runs', () => {
		assert.equal(lossStride(10_000, 2 * 5), 1);
		assert.equal(lossStride(10_000, 100), 1);
		assert.equal(lossStride(10_000, 101), 2);
	});

	it('caps the points per run and per comparison, up to the settings’ limits', () => {
		const maxRuns = SAMPLER_IDS.length * SEED_COUNT_LIMITS.max;
		for (const iters of [1, 9_999, 10_001, 123_457, LIMITS.iters.max]) {
			for (const runs of [1, 2, 10, 77, maxRuns]) {
				const stride = lossStride(iters, runs);
				const perRun = Math.ceil(iters / stride);
				assert.ok(perRun <= LOSS_POINTS_PER_RUN, `${iters} × ${runs}: ${perRun} points per run`);
				assert.ok(perRun * runs <= LOSS_POINTS_TOTAL, `${iters} × ${runs}: ${perRun * runs} points in all`);
			}
		}
		assert.equal(lossStride(LIMITS.iters.max, maxRuns), 301, 'the limits: 3,323 points per run, 996,900 in all');
	});
});

describe('LossDownsampler', () => {
	it('passes every loss through unchanged at stride 1, a non-finite one as null', () => {
		const d = new LossDownsampler(1, 6);
		const points = [...d.add(0, [2.3, 2.2]), ...d.add(2, [NaN, 2.0, Infinity]), ...d.add(5, [1.9])];
		assert.deepEqual(flat(points, 1), [2.3, 2.2, null, 2.0, null, 1.9]);
		assert.deepEqual(d.flush(), []);
	});

	it('averages each stride, however the chunks fall, and ends with the short last point', () => {
		const losses = [3, 3, 6, 1, 2, 3, 9, 9, 9, 4];
		for (const cut of [[10], [1, 9], [2, 2, 2, 2, 2], [5, 5], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]]) {
			const d = new LossDownsampler(3, 10);
			const points: LossPoints[] = [];
			let at = 0;
			for (const n of cut) {
				points.push(...d.add(at, losses.slice(at, at + n)));
				at += n;
			}
			assert.deepEqual(flat(points, 3), [4, 2, 9, 4], `chunks ${cut}`);
			for (const p of points) assert.equal(p.fromIter % 3, 0);
		}
	});

	it('makes a point with a non-finite loss null, and flushes a run that stopped mid-point', () => {
		const d = new LossDownsampler(4, 100);
		assert.deepEqual(flat(d.add(0, [1, 2, NaN, 3, 5, 7]), 4), [null]);
		assert.deepEqual(d.flush(), [{ fromIter: 4, losses: [6] }]);
	});
});

const info = (iters: number, stride: number, samplers: SamplerId[], seeds: number[]): RunInfo => ({
	id: 1,
	settings: { iters, batchSize: 100, lr: 0.1, hidden: 50, seed: seeds[0] },
	samplers,
	seeds,
	dataset: 'MNIST (bundled)',
	datasetOrigin: 'bundled',
	startedAt: '2025-06-01T09:59:00.000Z',
	lossStride: stride,
});

describe('the host keeps one bounded copy', () => {
	it('a long comparison: the history holds at most the cap, one loss message per run', () => {
		// 20 runs of the largest iteration count, as the workers send them (a chunk per 250 ms, here 1,000 iterations).
		const iters = LIMITS.iters.max;
		const samplers: SamplerId[] = ['replacement', 'epoch-shuffle'];
		const seeds = Array.from({ length: 10 }, (_, i) => i);
		const stride = lossStride(iters, samplers.length * seeds.length);
		const history = new RunHistory();
		history.reset({ type: 'runStarted', run: info(iters, stride, samplers, seeds) });
		const downs = new Map(seeds.flatMap((seed) => samplers.map((s) => [`${s}@${seed}`, new LossDownsampler(stride, iters)] as const)));
		const chunk = new Array<number>(1000);
		for (let from = 0; from < iters; from += chunk.length) {
			for (const seed of seeds) {
				for (const sampler of samplers) {
					for (let i = 0; i < chunk.length; i++) chunk[i] = 2.3 / (1 + (from + i) / 1000);
					for (const p of downs.get(`${sampler}@${seed}`)!.add(from, chunk)) history.push({ type: 'loss', runId: 1, sampler, seed, ...p });
				}
			}
		}
		const lossMessages = history.all().filter((m): m is Extract<RunMessage, { type: 'loss' }> => m.type === 'loss');
		assert.equal(lossMessages.length, samplers.length * seeds.length, 'one message per run');
		const values = lossMessages.reduce((a, m) => a + m.losses.length, 0);
		assert.equal(values, samplers.length * seeds.length * Math.ceil(iters / stride));
		assert.ok(values <= LOSS_POINTS_TOTAL && lossMessages.every((m) => m.losses.length <= LOSS_POINTS_PER_RUN), `${values} values`);
		// Each point is the mean of its stride: the first one of iterations 0 … stride − 1.
		let sum = 0;
		for (let i = 0; i < stride; i++) sum += 2.3 / (1 + i / 1000);
		assert.ok(Math.abs(lossMessages[0].losses[0]! - sum / stride) < 1e-12);

		// The panel and the export read it as iterations.
		const model = emptyModel();
		apply(model, { type: 'batch', messages: [...history.all()] });
		const t = model.tracks.get('replacement@0')!;
		assert.equal(t.lossCount, Math.ceil(iters / stride));
		assert.equal(lossIterations(model, t), iters);
		assert.equal(progress(model), 1);
		const r = resultsFromHistory(history.all())!;
		const json = JSON.parse(toJson(r, { extension: { name: 'x', version: '1' }, exportedAt: 'now' })) as { formatVersion: number; run: { lossStride: number }; runs: { losses: unknown[] }[] };
		assert.equal(json.formatVersion, 2);
		assert.equal(json.run.lossStride, stride);
		assert.equal(json.runs[0].losses.length, Math.ceil(iters / stride));
	});

	it('the CSV has a row per loss point and per evaluation, and says what a point is', () => {
		const run = info(10, 4, ['replacement'], [0]);
		const msgs: RunMessage[] = [
			{ type: 'runStarted', run },
			{ type: 'loss', runId: 1, sampler: 'replacement', seed: 0, fromIter: 0, losses: [2, 1.5, 1] },
			{ type: 'eval', runId: 1, sampler: 'replacement', seed: 0, point: { iter: 5, epoch: 1, trainAcc: 0.5, testAcc: 0.4 } },
			{ type: 'finished', runId: 1, state: 'done', seconds: 1 },
		];
		const csv = toCsv(resultsFromHistory(msgs)!, { extension: { name: 'x', version: '1' }, exportedAt: 'now' });
		assert.match(csv, /^# loss is the mean over the 4 iterations from its row's iteration/m);
		const rows = csv.split('\n').filter((l) => l.startsWith('replacement,'));
		// sampler,seed,iteration,epoch,loss,train_acc,test_acc
		assert.deepEqual(rows, ['replacement,0,0,0,2,,', 'replacement,0,4,0.8,1.5,,', 'replacement,0,5,1,,0.5,0.4', 'replacement,0,8,1.6,1,,']);
	});

	it('the history copies a loss message instead of growing the one the panel may still have queued', () => {
		const history = new RunHistory();
		history.reset({ type: 'runStarted', run: info(10, 1, ['replacement'], [0]) });
		const first: RunMessage = { type: 'loss', runId: 1, sampler: 'replacement', seed: 0, fromIter: 0, losses: [1, 2] };
		history.push(first);
		history.push({ type: 'loss', runId: 1, sampler: 'replacement', seed: 0, fromIter: 2, losses: [3] });
		assert.deepEqual(first.losses, [1, 2]);
		assert.deepEqual(history.all().filter((m) => m.type === 'loss').map((m) => (m as { losses: number[] }).losses), [[1, 2, 3]]);
	});
});
