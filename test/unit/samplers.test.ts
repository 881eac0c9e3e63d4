import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { NumpyRandom } from '../../src/core/rng';
import { createSampler } from '../../src/core/samplers';

describe('samplers', () => {
	it('epoch-shuffle draws every index exactly once per epoch, with a short last slice', () => {
		const n = 1000;
		const s = createSampler('epoch-shuffle', n, 300, new NumpyRandom(5));
		const out = new Int32Array(300);
		for (let epoch = 0; epoch < 3; epoch++) {
			const seen = new Uint8Array(n);
			const lens: number[] = [];
			for (let b = 0; b < 4; b++) {
				const len = s.next(out);
				lens.push(len);
				for (let r = 0; r < len; r++) seen[out[r]]++;
			}
			assert.deepEqual(lens, [300, 300, 300, 100]);
			assert.ok(seen.every((c) => c === 1), `epoch ${epoch}: some index not drawn exactly once`);
		}
	});

	it('epoch-shuffle reshuffles: two epochs differ in order', () => {
		const s = createSampler('epoch-shuffle', 100, 100, new NumpyRandom(0));
		const a = new Int32Array(100);
		const b = new Int32Array(100);
		s.next(a);
		s.next(b);
		assert.notDeepEqual(Array.from(a), Array.from(b));
	});

	it('replacement is uniform by a chi-square test at a fixed seed', () => {
		const n = 50;
		const batches = 200;
		const s = createSampler('replacement', n, 50, new NumpyRandom(0));
		const out = new Int32Array(50);
		const counts = new Float64Array(n);
		for (let b = 0; b < batches; b++) {
			assert.equal(s.next(out), 50);
			for (const k of out) counts[k]++;
		}
		const expected = (50 * batches) / n;
		const chi2 = counts.reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
		// 49 degrees of freedom: the 0.999 quantile is 85.35, the 0.001 quantile 23.98
		assert.ok(chi2 < 85.35 && chi2 > 23.98, `chi-square ${chi2}`);
	});

	it('replacement repeats indices inside batches, as np.random.choice does', () => {
		const s = createSampler('replacement', 60000, 100, new NumpyRandom(1));
		const out = new Int32Array(100);
		let dupBatches = 0;
		for (let b = 0; b < 600; b++) {
			s.next(out);
			if (new Set(out).size < 100) dupBatches++;
		}
		// expected 1 − Π(1 − k/60000) ≈ 7.9% of 600 ≈ 47
		assert.ok(dupBatches > 25 && dupBatches < 75, `${dupBatches} batches with a duplicate`);
	});

	it('sequential walks 0..n−1 in order and wraps', () => {
		const s = createSampler('sequential', 5, 2, new NumpyRandom(0));
		const out = new Int32Array(2);
		const got: number[][] = [];
		for (let b = 0; b < 4; b++) got.push(Array.from(out.subarray(0, s.next(out))));
		assert.deepEqual(got, [[0, 1], [2, 3], [4], [0, 1]]);
	});
});
