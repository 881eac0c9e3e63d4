import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { NumpyRandom, logCorrectlyRounded } from '../../src/core/rng';
import fixtureJson from '../fixtures/numpy-rng.json';

// Fixtures come from NumPy's legacy RandomState (scripts/numpy/gen_rng_fixtures.py); every draw must match bit for bit.
// The one exception is listed in the fixture: where glibc's log() misrounded, NumpyRandom (correctly rounded log)
// must equal the generator's correctly rounded replay instead, again bit for bit.

/** [flat index, NumPy value, value with a correctly rounded log] */
type Misround = [number, number, number];
type MisroundKey = 'randn20' | 'randnSplit' | 'randnBefore' | 'randnAfter' | 'W1' | 'W2';
const fixtures = fixtureJson as typeof fixtureJson & { seeds: { logMisrounds: Record<MisroundKey, Misround[]> }[] };

function bits(x: number): string {
	const v = new DataView(new ArrayBuffer(8));
	v.setFloat64(0, x);
	return v.getBigUint64(0).toString(16).padStart(16, '0');
}

/** Object.is per element, so -0 and an ulp off both fail; the message names the first differing index. */
function assertSame(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
	assert.equal(actual.length, expected.length, `${what}: length`);
	for (let i = 0; i < expected.length; i++) {
		if (!Object.is(actual[i], expected[i])) {
			assert.fail(`${what}[${i}]: got ${actual[i]} (0x${bits(actual[i])}), NumPy ${expected[i]} (0x${bits(expected[i])})`);
		}
	}
}

/**
 * Checks our value at each listed index against the correctly rounded replay, then puts NumPy's value there,
 * so the caller can compare the whole array with NumPy.
 */
function patchMisrounds(actual: Float64Array | number[], list: readonly Misround[], what: string): void {
	for (const [i, numpyValue, crValue] of list) {
		assertSame([actual[i]], [crValue], `${what}[${i}] (where libm's log misrounded)`);
		actual[i] = numpyValue;
	}
}

function choice(rng: NumpyRandom, n: number, size: number): Int32Array {
	const out = new Int32Array(size);
	rng.choice(n, size, out);
	return out;
}

function randnRun(rng: NumpyRandom, n: number): Float64Array {
	return rng.randnArray(n);
}

function seqSum(a: Float64Array): number {
	let s = 0;
	for (let i = 0; i < a.length; i++) s += a[i];
	return s;
}

function sha256(a: Float64Array): string {
	// Node's typed arrays are little-endian on every platform it ships for, matching NumPy's '<f8'.
	return createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
}

describe('NumpyRandom vs NumPy legacy np.random.seed', () => {
	it(`fixtures were made by NumPy (${fixtures.numpy}) for ${fixtures.seeds.length} seeds`, () => {
		assert.ok(fixtures.seeds.length >= 6);
	});

	for (const f of fixtures.seeds) {
		describe(`seed ${f.seed}`, () => {
			const tag = (what: string) => `seed ${f.seed} ${what}`;
			const mis = f.logMisrounds;

			it('randn(20)', () => {
				const got = randnRun(new NumpyRandom(f.seed), 20);
				patchMisrounds(got, mis.randn20, tag('randn20'));
				assertSame(got, f.randn20, tag('randn20'));
			});

			it('randn split into odd counts and scalar calls keeps the cached gaussian', () => {
				const rng = new NumpyRandom(f.seed);
				const got: number[] = [];
				for (const n of f.randnSplit.counts) got.push(...(n === 1 ? [rng.randn()] : randnRun(rng, n)));
				patchMisrounds(got, mis.randnSplit, tag('randnSplit'));
				assertSame(got, f.randnSplit.values, tag('randnSplit'));
				// The same stream as one long call, since the cache lives in the state.
				assertSame(got.slice(0, 20), f.randn20, tag('randnSplit vs randn20'));
			});

			it('randn(3), choice(10, 4), randn(2)', () => {
				const rng = new NumpyRandom(f.seed);
				const g = f.randnChoiceRandn;
				const before = randnRun(rng, 3);
				assertSame(choice(rng, 10, 4), g.choice10x4, tag('choice10x4'));
				const after = randnRun(rng, 2);
				patchMisrounds(before, mis.randnBefore, tag('randnBefore'));
				patchMisrounds(after, mis.randnAfter, tag('randnAfter'));
				assertSame(before, g.randnBefore, tag('randnBefore'));
				assertSame(after, g.randnAfter, tag('randnAfter'));
			});

			it('three choice(60000, 100) batches', () => {
				const rng = new NumpyRandom(f.seed);
				f.choice60000x100.forEach((batch, k) => assertSame(choice(rng, 60000, 100), batch, tag(`choice60000x100 batch ${k}`)));
			});

			it('shuffle(arange(600))', () => {
				const idx = Int32Array.from({ length: 600 }, (_, i) => i);
				new NumpyRandom(f.seed).shuffle(idx);
				assertSame(idx, f.shuffle600, tag('shuffle600'));
			});

			it('permutation(10)', () => {
				const idx = Int32Array.from({ length: 10 }, (_, i) => i);
				new NumpyRandom(f.seed).shuffle(idx);
				assertSame(idx, f.permutation10, tag('permutation10'));
			});

			it('choice(7, 5), a range that is not a power of two', () => {
				assertSame(choice(new NumpyRandom(f.seed), 7, 5), f.choice7x5, tag('choice7x5'));
			});

			it("the book's init order: W1, W2, then the first batch", () => {
				const rng = new NumpyRandom(f.seed);
				const b = f.bookInit;
				const W1 = rng.randnArray(b.W1.shape[0] * b.W1.shape[1], 0.01);
				const W2 = rng.randnArray(b.W2.shape[0] * b.W2.shape[1], 0.01);
				const batch = choice(rng, 60000, 100);
				patchMisrounds(W1, mis.W1, tag('W1'));
				patchMisrounds(W2, mis.W2, tag('W2'));
				assertSame(
					b.W1.picks.map((i) => W1[i]),
					b.W1.values,
					tag('W1 picks'),
				);
				assertSame(
					b.W2.picks.map((i) => W2[i]),
					b.W2.values,
					tag('W2 picks'),
				);
				assertSame([seqSum(W1), seqSum(W2)], [b.W1.seqSum, b.W2.seqSum], tag('W1/W2 sums'));
				assert.equal(sha256(W1), b.W1.sha256, tag('W1 sha256 over all elements'));
				assert.equal(sha256(W2), b.W2.sha256, tag('W2 sha256 over all elements'));
				assertSame(batch, b.choice60000x100, tag('first batch after init'));
			});
		});
	}

	it('logCorrectlyRounded: exact cases, range ends, and a value where Math.log is an ulp off', () => {
		assertSame([logCorrectlyRounded(1), logCorrectlyRounded(2), logCorrectlyRounded(0.5)], [0, Math.LN2, -Math.LN2], 'log 1, 2, 1/2');
		assertSame([logCorrectlyRounded(0), logCorrectlyRounded(-1), logCorrectlyRounded(Infinity)], [-Infinity, NaN, Infinity], 'specials');
		// Correctly rounded values from mpmath at 200 bits.
		assertSame([logCorrectlyRounded(5e-324), logCorrectlyRounded(Number.MAX_VALUE)], [-744.4400719213812, 709.782712893384], 'extremes');
		// r2 from seed 4294967295's 9th gaussian pair: Math.log gives ...8b8e, glibc and the true value ...8b8f.
		const r2 = 0.9192211260876393;
		assertSame([logCorrectlyRounded(r2)], [-0.08422856958763546], 'seed 4294967295 r2');
	});

	it('clone continues the same stream, cached gaussian included', () => {
		const a = new NumpyRandom(0);
		a.randn();
		const b = a.clone();
		assertSame(randnRun(b, 19), fixtures.seeds[0].randn20.slice(1), 'clone randn');
	});
});
