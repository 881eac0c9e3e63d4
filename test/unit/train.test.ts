import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { referenceKernel, type KernelFactory } from '../../src/core/kernel';
import { BOOK_DEFAULTS, type TrainSettings } from '../../src/core/settings';
import { meanCoverage, trainRun } from '../../src/core/train';
import { loadMnistFolder } from '../support/nodeData';
import type { Params } from '../../src/core/twoLayerNet';
import { syntheticDataset } from '../support/synthetic';

const data = syntheticDataset(600, 200, 6, 1);
const small: TrainSettings = { iters: 130, batchSize: 10, lr: 0.5, hidden: 8, seed: 7 };

describe('training loop', () => {
	it('is deterministic: the same seed gives the same losses and accuracies bit for bit', () => {
		const a = trainRun({ settings: small, data, sampler: 'replacement' });
		const b = trainRun({ settings: small, data, sampler: 'replacement' });
		assert.deepEqual(Array.from(a.losses), Array.from(b.losses));
		assert.deepEqual(a.evals, b.evals);
		const c = trainRun({ settings: { ...small, seed: 8 }, data, sampler: 'replacement' });
		assert.notDeepEqual(Array.from(a.losses), Array.from(c.losses));
	});

	it('starts every sampler of a comparison from the same initial weights', () => {
		const inits: Params[] = [];
		const spy: KernelFactory = (d, init, hidden) => {
			inits.push(init);
			return referenceKernel(d, init, hidden);
		};
		for (const sampler of ['replacement', 'epoch-shuffle', 'sequential'] as const) trainRun({ settings: small, data, sampler, kernel: spy });
		assert.equal(inits.length, 3);
		assert.deepEqual(Array.from(inits[1].W1), Array.from(inits[0].W1));
		assert.deepEqual(Array.from(inits[2].W2), Array.from(inits[0].W2));
	});

	it('evaluates at i % iter_per_epoch == 0 and records the loss after every update', () => {
		const r = trainRun({ settings: small, data, sampler: 'epoch-shuffle' });
		assert.deepEqual(r.evals.map((e) => e.iter), [0, 60, 120]);
		assert.deepEqual(r.evals.map((e) => e.epoch), [0, 1, 2]);
		assert.equal(r.losses.length, 130);
		const mean = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / a.length;
		const late = trainRun({ settings: { ...small, lr: 2 }, data, sampler: 'epoch-shuffle' });
		assert.ok(mean(late.losses.subarray(120)) < 0.5 * mean(late.losses.subarray(0, 10)), 'loss should fall on a learnable set');
	});

	it('records per-epoch sampler statistics', () => {
		const shuffled = trainRun({ settings: small, data, sampler: 'epoch-shuffle' });
		assert.equal(shuffled.epochStats.length, 3);
		assert.deepEqual(shuffled.epochStats.map((s) => [s.batches, s.partial]), [[60, false], [60, false], [10, true]]);
		for (const s of shuffled.epochStats.slice(0, 2)) assert.deepEqual([s.coverage, s.duplicateBatches, s.maxDraws], [1, 0, 1]);
		const repl = trainRun({ settings: { ...small, iters: 600 }, data, sampler: 'replacement' });
		// 60 batches of 10 from 600: expected distinct fraction 1 − (1 − 1/600)^600 ≈ 0.632
		assert.ok(Math.abs(meanCoverage(repl.epochStats) - 0.632) < 0.03, `coverage ${meanCoverage(repl.epochStats)}`);
		assert.ok(repl.epochStats.some((s) => s.maxDraws >= 3));
	});

	it('reports divergence instead of training on a collapsed network', () => {
		const r = trainRun({ settings: { ...small, lr: 1e6 }, data, sampler: 'replacement' });
		assert.ok(r.diverged, 'expected divergence at lr 1e6');
		assert.equal(r.losses.length, r.diverged.iter + 1);
		assert.ok(r.diverged.iter < 130);
		const fine = trainRun({ settings: { ...small, lr: 2 }, data, sampler: 'replacement' });
		assert.equal(fine.diverged, undefined);
	});

	it('reports a NaN loss as divergence at that iteration', () => {
		let calls = 0;
		const nan: KernelFactory = (d, init, hidden) => {
			const k = referenceKernel(d, init, hidden);
			const step = (idx: Int32Array, len: number, lr: number) => {
				k.step(idx, len, lr);
				return calls++ === 5 ? NaN : 2.3;
			};
			return { name: 'nan-at-5', step, accuracy: (w) => k.accuracy(w), params: () => k.params() };
		};
		const r = trainRun({ settings: small, data, sampler: 'replacement', kernel: nan });
		assert.deepEqual(r.diverged?.iter, 5);
	});

	it('stops when asked, marking the run cancelled', () => {
		const r = trainRun({ settings: small, data, sampler: 'replacement', observer: { shouldStop: (i) => i === 25 } });
		assert.equal(r.cancelled, true);
		assert.equal(r.losses.length, 25);
	});

	const bundled = join(__dirname, '..', '..', 'data', 'mnist');
	it('learns the real bundled MNIST: 600 iterations reach ≥ 0.85 test accuracy', { skip: existsSync(bundled) ? false : 'run the build first' }, async () => {
		const mnist = await loadMnistFolder(bundled);
		// 601 iterations so the book's i % 600 == 0 check evaluates after the 600th update; lr 0.5 as one epoch at 0.1 reaches ~0.79
		const r = trainRun({ settings: { ...BOOK_DEFAULTS, iters: 601, lr: 0.5 }, data: mnist, sampler: 'epoch-shuffle' });
		const last = r.evals[r.evals.length - 1];
		assert.equal(last.iter, 600);
		assert.ok(last.testAcc >= 0.85, `test accuracy ${last.testAcc}`);
		assert.ok(last.trainAcc >= 0.85, `train accuracy ${last.trainAcc}`);
	});
});
