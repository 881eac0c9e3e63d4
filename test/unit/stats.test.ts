import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { SamplerId } from '../../src/core/samplers';
import {
	aggregate,
	allPairs,
	ciContainsZero,
	consecutiveSeeds,
	formatInterval,
	formatSigned,
	mean,
	pairedComparison,
	sampleStd,
	tQuantile,
	tTwoSidedCdf,
	verdict,
	type SeedRun,
} from '../../src/core/stats';
import type { RunSummary } from '../../src/core/summary';
import scipy from '../fixtures/scipy-stats.json';

// What SciPy gives (scripts/numpy/gen_stats_fixtures.py writes the file; test/unit/fixtures.test.ts checks it is fresh).
// SciPy versions differ by up to 4e-10 relative in t.ppf (see the script), hence 1e-9.
const SCIPY_REL = 1e-9;
type Paired = (typeof scipy.paired)[keyof typeof scipy.paired];
const scipyPaired = (name: keyof typeof scipy.paired): Paired => scipy.paired[name];

const close = (got: number, want: number, rel: number, what = '') => assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${what} got ${got}, want ${want}`);

function run(sampler: SamplerId, seed: number, finalTestAcc: number, extra: Partial<RunSummary> = {}): SeedRun {
	const summary: RunSummary = {
		sampler,
		seed,
		kernel: 'reference',
		finalTrainAcc: finalTestAcc + 0.01,
		finalTestAcc,
		bestTestAcc: finalTestAcc,
		seconds: 1,
		meanCoverage: 1,
		duplicateBatches: 0,
		maxDraws: 1,
		finalLoss: 0.3,
		...extra,
	};
	return { sampler, seed, summary };
}

/** Runs where epoch-shuffle − replacement equals `diffs[i]` at seed i. */
function pairRuns(diffs: number[], base = 0.9): SeedRun[] {
	return diffs.flatMap((d, seed) => [run('replacement', seed, base), run('epoch-shuffle', seed, base + d)]);
}

/** The interval's endpoints as printed in a verdict ("−" is a real minus sign). */
function printedInterval(text: string): [number, number] {
	const m = /\(([−+]?[\d.]+), ([−+]?[\d.]+)\)/.exec(text);
	assert.ok(m, `no interval in "${text}"`);
	const num = (s: string) => Number(s.replace('−', '-'));
	return [num(m[1]), num(m[2])];
}

describe('Student t quantile', () => {
	it(`the fixture was made by SciPy (${scipy.scipy}) and covers the table the CI uses`, () => {
		assert.equal(scipy.generator, 'scripts/numpy/gen_stats_fixtures.py');
		assert.deepEqual(
			scipy.tQuantile.filter((q) => q.p === 0.975).map((q) => q.df),
			[1, 2, 3, 4, 5, 9, 30, 99, 1000],
		);
	});

	// t_{0.975, df} and a few other levels and the lower tail, against scipy.stats.t.ppf.
	for (const { p, df, t } of scipy.tQuantile) it(`t(${p}, ${df}) = ${t}`, () => close(tQuantile(p, df), t, SCIPY_REL));

	it('the median', () => {
		assert.equal(tQuantile(0.5, 6), 0);
	});

	it('its two-sided CDF matches SciPy\'s', () => {
		for (const { t, df, p } of scipy.tTwoSidedCdf) close(tTwoSidedCdf(t, df), p, SCIPY_REL, `P(|T| ≤ ${t}), df ${df}`);
	});

	it('inverts its CDF, and the CDF has the known closed forms for df 1 and 2', () => {
		for (const df of [3, 4, 7, 12, 50]) close(tTwoSidedCdf(tQuantile(0.975, df), df), 0.95, 1e-12, `df ${df}`);
		close(tTwoSidedCdf(1, 1), 0.5, 1e-14, 'Cauchy: P(|T| ≤ 1) = 1/2');
		close(tTwoSidedCdf(2, 2), 2 / Math.sqrt(6), 1e-14, 'df 2: t/√(2+t²)');
	});

	it('refuses what it cannot compute', () => {
		assert.throws(() => tQuantile(0.975, 0), RangeError);
		assert.throws(() => tQuantile(0.975, 2.5), RangeError);
		assert.throws(() => tQuantile(1, 5), RangeError);
		assert.throws(() => tQuantile(0, 5), RangeError);
	});
});

describe('mean and sample std', () => {
	it('by hand', () => {
		assert.equal(mean([2, 4, 4, 4, 5, 5, 7, 9]), 5);
		// Σ(x−5)² = 32, n − 1 = 7
		close(sampleStd([2, 4, 4, 4, 5, 5, 7, 9]), Math.sqrt(32 / 7), 1e-15);
		assert.equal(sampleStd([1, 1, 1]), 0);
	});
	it('undefined where they are undefined', () => {
		assert.ok(Number.isNaN(mean([])));
		assert.ok(Number.isNaN(sampleStd([3])));
	});
});

describe('paired comparison', () => {
	it('a CI that contains 0, by hand', () => {
		// diffs 0.001, 0.003, 0.002: mean 0.002; sd = √((1e-6 + 1e-6 + 0)/2) = 0.001; half = t(0.975, 2)·0.001/√3
		const p = pairedComparison(pairRuns([0.001, 0.003, 0.002]), 'epoch-shuffle', 'replacement');
		assert.equal(p.n, 3);
		assert.deepEqual(p.seeds, [0, 1, 2]);
		close(p.meanDiff, 0.002, 1e-9, 'mean');
		close(p.sdDiff!, 0.001, 1e-9, 'sd');
		const ref = scipyPaired('contains zero (diffs 0.001, 0.003, 0.002)');
		close(p.ci!.low, ref.low, SCIPY_REL, 'low'); // −0.000484
		close(p.ci!.high, ref.high, SCIPY_REL, 'high'); // +0.004484
		assert.equal(p.ci!.df, ref.df);
		assert.ok(ciContainsZero(p.ci!));
		assert.equal(p.verdict.en, 'No detectable difference at N = 3: the 95% CI of the difference (−0.0005, +0.0045) contains 0.');
		assert.equal(p.verdict.ja, 'N = 3 では差は検出できません。差の95%信頼区間 (−0.0005, +0.0045) は 0 を含みます。');
	});

	it('a CI that excludes 0, by hand', () => {
		// diffs 2,4,3,5,1 (×1e-3): mean 0.003; Σ dev² = 10e-6, sd = √(2.5e-6) = 0.0015811; half = 2.7764451·0.0015811/√5 = 0.0019633
		const p = pairedComparison(pairRuns([0.002, 0.004, 0.003, 0.005, 0.001]), 'epoch-shuffle', 'replacement');
		close(p.sdDiff!, Math.sqrt(2.5e-6), 1e-9, 'sd');
		const ref = scipyPaired('excludes zero (diffs 2, 4, 3, 5, 1 e-3)');
		close(p.ci!.low, ref.low, SCIPY_REL, 'low'); // 0.0010367
		close(p.ci!.high, ref.high, SCIPY_REL, 'high'); // 0.0049633
		assert.equal(p.verdict.en, 'epoch-shuffle scores higher than replacement at N = 5: the 95% CI of the difference (+0.0010, +0.0050) excludes 0.');
		assert.equal(p.verdict.ja, 'N = 5 では epoch-shuffle のほうが replacement より最終テスト精度が高くなっています。差の95%信頼区間 (+0.0010, +0.0050) は 0 を含みません。');
		const q = pairedComparison(pairRuns([0.002, 0.004, 0.003, 0.005, 0.001]), 'replacement', 'epoch-shuffle');
		close(q.ci!.high, -ref.low, SCIPY_REL, 'swapped high');
		assert.match(q.verdict.en, /^replacement scores lower than epoch-shuffle at N = 5: .* \(−0\.0050, −0\.0010\) excludes 0\.$/);
		assert.match(q.verdict.ja, /replacement のほうが epoch-shuffle より最終テスト精度が低く/);
	});

	it('matches scipy on a realistic example', () => {
		// scipy: d = b − a; mean ± t.ppf(0.975, 4)·d.std(ddof=1)/√5 → (−0.000184879134, +0.001504879134)
		const ref = scipyPaired('five seeds, realistic accuracies');
		const runs = ref.a.flatMap((x, i) => [run('replacement', i, x), run('epoch-shuffle', i, ref.b[i])]);
		const p = pairedComparison(runs, 'epoch-shuffle', 'replacement');
		close(p.meanDiff, ref.meanDiff, 1e-12, 'mean');
		close(p.sdDiff!, ref.sdDiff, 1e-12, 'sd');
		close(p.ci!.low, ref.low, SCIPY_REL, 'low');
		close(p.ci!.high, ref.high, SCIPY_REL, 'high');
		assert.equal(p.verdict.en, 'No detectable difference at N = 5: the 95% CI of the difference (−0.0002, +0.0015) contains 0.');
	});

	it('pairs by seed, and leaves out failed, cancelled and diverged runs', () => {
		const given: SeedRun[] = [
			...pairRuns([0.001, 0.002, 0.003, 0.004]),
			{ sampler: 'replacement', seed: 9, failure: 'boom' },
			run('epoch-shuffle', 9, 0.5),
			run('replacement', 10, 0.9),
			run('epoch-shuffle', 10, 0.1, { diverged: { iter: 3, loss: NaN } }),
			{ ...run('replacement', 11, 0.9), cancelled: true },
			run('epoch-shuffle', 11, 0.9),
		];
		const runs = given.reverse();
		const p = pairedComparison(runs, 'epoch-shuffle', 'replacement');
		assert.deepEqual([...p.seeds].sort(), [0, 1, 2, 3]);
		assert.equal(p.n, 4);
		close(p.meanDiff, 0.0025, 1e-9);
		const [rep] = aggregate(runs, ['replacement']);
		assert.deepEqual([...rep.seeds].sort((x, y) => x - y), [0, 1, 2, 3, 10]);
		assert.deepEqual(
			rep.excluded.map((e) => `${e.seed}:${e.reason}`).sort(),
			['11:cancelled', '9:failed'],
		);
	});

	it('with one seed: no CI, and the verdict says so', () => {
		const p = pairedComparison(pairRuns([0.004]), 'epoch-shuffle', 'replacement');
		assert.equal(p.n, 1);
		assert.equal(p.ci, null);
		assert.equal(p.sdDiff, null);
		assert.match(p.verdict.en, /No confidence interval at N = 1/);
		assert.match(p.verdict.ja, /N = 1 では信頼区間を計算できません/);
		const none = pairedComparison([], 'epoch-shuffle', 'replacement');
		assert.equal(none.n, 0);
		assert.match(none.verdict.en, /nothing to compare/);
	});

	it('the verdict agrees with the interval in both directions and both languages', () => {
		const cases = [
			[0.001, 0.003, 0.002],
			[-0.001, -0.003, -0.002],
			[0.002, 0.004, 0.003, 0.005, 0.001],
			[-0.002, -0.004, -0.003, -0.005, -0.001],
			[0.00001, 0.00002, 0.000015],
			[0.0001, -0.0001, 0.0002, -0.0002],
			[0, 0, 0],
			[0.002, 0.002],
		];
		for (const diffs of cases) {
			const p = pairedComparison(pairRuns(diffs), 'epoch-shuffle', 'replacement');
			const contains = ciContainsZero(p.ci!);
			assert.equal(p.ci!.low <= p.meanDiff && p.meanDiff <= p.ci!.high, true);
			for (const lang of ['en', 'ja'] as const) {
				const text = verdict(p, lang);
				assert.equal(text, p.verdict[lang]);
				const [lo, hi] = printedInterval(text);
				// What is printed sits on the same side of 0 as the interval itself.
				assert.equal(lo <= 0 && hi >= 0, contains, `${diffs}: ${text}`);
				if (lang === 'en') {
					assert.equal(text.includes('contains 0'), contains, text);
					assert.equal(text.includes('excludes 0'), !contains, text);
					if (!contains) assert.ok(text.includes(p.ci!.low > 0 ? 'scores higher' : 'scores lower'), text);
				} else {
					assert.equal(text.includes('0 を含みます'), contains, text);
					assert.equal(text.includes('0 を含みません'), !contains, text);
					if (!contains) assert.ok(text.includes(p.ci!.low > 0 ? '高く' : '低く'), text);
				}
			}
		}
	});

	it('all pairs: later minus earlier in the samplers\' canonical order', () => {
		const runs = [0, 1].flatMap((seed) => [run('sequential', seed, 0.8 + seed * 0.01), run('epoch-shuffle', seed, 0.91), run('replacement', seed, 0.9)]);
		const pairs = allPairs(runs, ['sequential', 'epoch-shuffle', 'replacement']);
		assert.deepEqual(
			pairs.map((p) => `${p.a} − ${p.b}`),
			['epoch-shuffle − replacement', 'sequential − replacement', 'sequential − epoch-shuffle'],
		);
		close(pairs[0].meanDiff, 0.01, 1e-9);
	});
});

describe('aggregates and formatting', () => {
	it('mean ± std of every metric per sampler', () => {
		const runs = [run('replacement', 0, 0.9, { seconds: 2, maxDraws: 3 }), run('replacement', 1, 0.92, { seconds: 4, maxDraws: 5 })];
		const [agg] = aggregate(runs, ['replacement']);
		close(agg.metrics.finalTestAcc.mean, 0.91, 1e-12);
		close(agg.metrics.finalTestAcc.std!, Math.sqrt(0.0002), 1e-9);
		assert.deepEqual(agg.metrics.seconds, { mean: 3, std: Math.SQRT2, n: 2 });
		assert.deepEqual(agg.metrics.maxDraws, { mean: 4, std: Math.SQRT2, n: 2 });
		const [one] = aggregate(runs.slice(0, 1), ['replacement']);
		assert.equal(one.metrics.seconds.std, null);
	});

	it('signs and intervals', () => {
		assert.equal(formatSigned(0.00123, 4), '+0.0012');
		assert.equal(formatSigned(-0.00123, 4), '−0.0012');
		assert.equal(formatSigned(0, 4), '0.0000');
		// Tiny endpoints get more decimals rather than printing as 0.
		assert.equal(formatInterval(0.00001, 0.00002), '(+0.00001, +0.00002)');
		assert.equal(formatInterval(-0.0011, 0.0009), '(−0.0011, +0.0009)');
	});

	it('consecutive seeds', () => {
		assert.deepEqual(consecutiveSeeds(7, 3), [7, 8, 9]);
	});
});
