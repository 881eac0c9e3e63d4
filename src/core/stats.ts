/**
 * Statistics over several seeds: mean ± std per sampler, and the paired difference between samplers in final
 * test accuracy with a Student-t confidence interval. Pure functions, shared by the CLI and the panel.
 */
import { SAMPLER_IDS, type SamplerId } from './samplers';
import type { RunSummary } from './types';

/** `--seeds` / the seed-count setting: how many consecutive seeds a comparison may run. */
export const SEED_COUNT_LIMITS = { min: 1, max: 100 } as const;
/** The extension's number of seeds when nothing is set (package.json's minibatchLab.seedCount); the CLI runs one. */
export const DEFAULT_SEED_COUNT = 5;

export function mean(xs: readonly number[]): number {
	if (xs.length === 0) return NaN;
	let s = 0;
	for (const x of xs) s += x;
	return s / xs.length;
}

/** Sample standard deviation (divides by n − 1); NaN below two values, where it is undefined. */
export function sampleStd(xs: readonly number[]): number {
	if (xs.length < 2) return NaN;
	const m = mean(xs);
	let ss = 0;
	for (const x of xs) ss += (x - m) ** 2;
	return Math.sqrt(ss / (xs.length - 1));
}

/**
 * A(t|ν) = P(|T| ≤ t) for Student's t with integer ν ≥ 1, t ≥ 0, by the exact finite series of
 * Abramowitz & Stegun (1964), 26.7.3 (ν odd) and 26.7.4 (ν even), with θ = arctan(t/√ν).
 */
export function tTwoSidedCdf(t: number, df: number): number {
	checkDf(df);
	if (t <= 0) return 0;
	if (t === Infinity) return 1;
	const theta = Math.atan(t / Math.sqrt(df));
	const sin = Math.sin(theta);
	const cos2 = df / (df + t * t);
	if (df % 2 === 1) {
		if (df === 1) return (2 / Math.PI) * theta;
		// cosθ + (2/3)cos³θ + (2·4)/(1·3·5)… up to cos^(ν−2)θ
		let term = Math.sqrt(cos2);
		let sum = term;
		for (let k = 1; 2 * k + 1 <= df - 2; k++) {
			term *= (cos2 * (2 * k)) / (2 * k + 1);
			sum += term;
		}
		return Math.min(1, (2 / Math.PI) * (theta + sin * sum));
	}
	// 1 + (1/2)cos²θ + (1·3)/(2·4)cos⁴θ + … up to cos^(ν−2)θ
	let term = 1;
	let sum = 1;
	for (let k = 1; 2 * k <= df - 2; k++) {
		term *= (cos2 * (2 * k - 1)) / (2 * k);
		sum += term;
	}
	return Math.min(1, sin * sum);
}

/** Student's t density for integer ν; Γ((ν+1)/2)/Γ(ν/2) by its two-step recurrence, which cannot overflow. */
export function tPdf(t: number, df: number): number {
	checkDf(df);
	let ratio = df % 2 === 1 ? 1 / Math.sqrt(Math.PI) : Math.sqrt(Math.PI) / 2;
	for (let v = df % 2 === 1 ? 1 : 2; v < df; v += 2) ratio *= (v + 1) / v;
	return (ratio / Math.sqrt(df * Math.PI)) * Math.exp((-(df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * The p-quantile of Student's t with integer ν ≥ 1 degrees of freedom (t_{0.975, ν} for a two-sided 95% CI).
 * ν = 1 and 2 have closed forms (the Cauchy tangent; t = (2p−1)/√(2p(1−p))). Otherwise Newton's method on the exact
 * CDF above, started at 0: A(t|ν) is increasing and concave on t > 0, so every Newton step stays left of the root and
 * the iterates rise monotonically to it (no bracketing or starting approximation needed); it converges to ~1e-15.
 */
export function tQuantile(p: number, df: number): number {
	checkDf(df);
	if (!(p > 0 && p < 1)) throw new RangeError(`tQuantile: p must be in (0, 1); got ${p}`);
	if (p < 0.5) return -tQuantile(1 - p, df);
	if (p === 0.5) return 0;
	if (df === 1) return Math.tan(Math.PI * (p - 0.5));
	if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
	const target = 2 * p - 1;
	let t = 0;
	for (let i = 0; i < 200; i++) {
		const step = (target - tTwoSidedCdf(t, df)) / (2 * tPdf(t, df));
		if (!(step > 0)) break;
		t += step;
		if (step <= 1e-15 * t) break;
	}
	return t;
}

function checkDf(df: number): void {
	if (!Number.isInteger(df) || df < 1) throw new RangeError(`Student t: degrees of freedom must be a whole number ≥ 1; got ${df}`);
}

//#region per-sampler aggregates

/** The RunSummary fields aggregated over seeds, in the table's column order. */
export const METRICS = ['finalTrainAcc', 'finalTestAcc', 'bestTestAcc', 'seconds', 'meanCoverage', 'duplicateBatches', 'maxDraws'] as const;
export type Metric = (typeof METRICS)[number];

/** `std` is null when n < 2 (a single value has no sample spread). */
export interface MeanStd {
	mean: number;
	std: number | null;
	n: number;
}

export interface SamplerAggregate {
	sampler: SamplerId;
	/** Seeds whose run finished (not failed, cancelled or diverged) and so enter the numbers. */
	seeds: number[];
	/** Seeds left out, with why. */
	excluded: { seed: number; reason: 'failed' | 'cancelled' | 'diverged' }[];
	metrics: Record<Metric, MeanStd>;
}

/** What stats needs from one run: its summary, or why there is none. */
export interface SeedRun {
	sampler: SamplerId;
	seed: number;
	summary?: RunSummary;
	failure?: string;
	cancelled?: boolean;
}

/** A run counts when it trained to the end: a diverged run's "final" accuracy is from before it blew up. */
function usable(r: SeedRun): r is SeedRun & { summary: RunSummary } {
	return r.summary !== undefined && !r.failure && !r.cancelled && !r.summary.diverged && Number.isFinite(r.summary.finalTestAcc);
}

function whyExcluded(r: SeedRun): 'failed' | 'cancelled' | 'diverged' {
	return r.cancelled ? 'cancelled' : r.summary?.diverged ? 'diverged' : 'failed';
}

export function meanStd(xs: readonly number[]): MeanStd {
	const sd = sampleStd(xs);
	return { mean: mean(xs), std: Number.isNaN(sd) ? null : sd, n: xs.length };
}

export function aggregate(runs: readonly SeedRun[], samplers: readonly SamplerId[]): SamplerAggregate[] {
	return samplers.map((sampler) => {
		const mine = runs.filter((r) => r.sampler === sampler);
		const ok = mine.filter(usable);
		const metrics = Object.fromEntries(METRICS.map((k) => [k, meanStd(ok.map((r) => r.summary[k]))])) as Record<Metric, MeanStd>;
		return { sampler, seeds: ok.map((r) => r.seed), excluded: mine.filter((r) => !usable(r)).map((r) => ({ seed: r.seed, reason: whyExcluded(r) })), metrics };
	});
}

//#endregion

//#region paired differences

export interface ConfidenceInterval {
	level: number;
	low: number;
	high: number;
	/** The t quantile used: t_{(1+level)/2, n−1}. */
	t: number;
	df: number;
}

/** `a − b` in final test accuracy, paired by seed (same initial weights). */
export interface PairedComparison {
	a: SamplerId;
	b: SamplerId;
	metric: 'finalTestAcc';
	/** Seeds where both runs finished. */
	seeds: number[];
	diffs: number[];
	n: number;
	meanDiff: number;
	/** Sample std of the differences; null when n < 2. */
	sdDiff: number | null;
	/** mean ± t·sd/√n; null when n < 2. */
	ci: ConfidenceInterval | null;
	verdict: { en: string; ja: string };
}

/** Pairs the runs of `a` and `b` by seed and puts a t-interval on the mean of a − b. */
export function pairedComparison(runs: readonly SeedRun[], a: SamplerId, b: SamplerId, level = 0.95): PairedComparison {
	if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1); got ${level}`);
	const bySeed = new Map<number, number>();
	for (const r of runs) if (r.sampler === b && usable(r)) bySeed.set(r.seed, r.summary.finalTestAcc);
	const seeds: number[] = [];
	const diffs: number[] = [];
	for (const r of runs) {
		if (r.sampler !== a || !usable(r) || !bySeed.has(r.seed) || seeds.includes(r.seed)) continue;
		seeds.push(r.seed);
		diffs.push(r.summary.finalTestAcc - bySeed.get(r.seed)!);
	}
	const n = diffs.length;
	const m = mean(diffs);
	const sd = sampleStd(diffs);
	let ci: ConfidenceInterval | null = null;
	if (n >= 2) {
		const t = tQuantile((1 + level) / 2, n - 1);
		const half = (t * sd) / Math.sqrt(n);
		ci = { level, low: m - half, high: m + half, t, df: n - 1 };
	}
	const pair = { a, b, metric: 'finalTestAcc' as const, seeds, diffs, n, meanDiff: m, sdDiff: Number.isNaN(sd) ? null : sd, ci };
	return { ...pair, verdict: { en: verdict(pair, 'en'), ja: verdict(pair, 'ja') } };
}

/**
 * Every pair of the given samplers, later − earlier in SAMPLER_IDS order (so epoch-shuffle − replacement:
 * the book's sampler is the baseline), whatever order the user listed them in.
 */
export function allPairs(runs: readonly SeedRun[], samplers: readonly SamplerId[], level = 0.95): PairedComparison[] {
	const ordered = SAMPLER_IDS.filter((s) => samplers.includes(s));
	const out: PairedComparison[] = [];
	for (let j = 0; j < ordered.length; j++) for (let i = 0; i < j; i++) out.push(pairedComparison(runs, ordered[j], ordered[i], level));
	return out;
}

export type VerdictInput = Pick<PairedComparison, 'a' | 'b' | 'n' | 'meanDiff' | 'ci'>;

/** Whether the interval contains 0 (closed, so an endpoint at exactly 0 counts as containing it). */
export function ciContainsZero(ci: Pick<ConfidenceInterval, 'low' | 'high'>): boolean {
	return ci.low <= 0 && ci.high >= 0;
}

/** A signed number with a real minus sign; 0 gets no sign. */
export function formatSigned(x: number, digits: number): string {
	const s = Math.abs(x).toFixed(digits);
	if (x === 0 || Number.isNaN(x)) return s;
	return `${x > 0 ? '+' : '−'}${s}`;
}

/**
 * Formats both endpoints with enough decimals (4 to 8) that a non-zero endpoint does not print as 0,
 * so the printed interval shows the same side of 0 that the verdict states.
 */
export function formatInterval(low: number, high: number, minDigits = 4): string {
	let d = minDigits;
	const hides = (x: number, digits: number) => x !== 0 && Number(Math.abs(x).toFixed(digits)) === 0;
	while (d < 8 && (hides(low, d) || hides(high, d))) d++;
	return `(${formatSigned(low, d)}, ${formatSigned(high, d)})`;
}

/** The verdict in plain words, derived only from the interval so it cannot disagree with it. */
export function verdict(pair: VerdictInput, lang: 'en' | 'ja'): string {
	const { a, b, n } = pair;
	if (n === 0) return lang === 'en' ? `No seed where both ${a} and ${b} finished: nothing to compare.` : `${a} と ${b} の両方が完了したシードがないため、比較できません。`;
	if (!pair.ci)
		return lang === 'en'
			? `No confidence interval at N = ${n}: one seed cannot tell a difference from noise; run two or more seeds.`
			: `N = ${n} では信頼区間を計算できません。1つのシードでは差とノイズを区別できないため、2つ以上のシードで実行してください。`;
	const level = `${+(pair.ci.level * 100).toFixed(1)}%`;
	const interval = formatInterval(pair.ci.low, pair.ci.high);
	if (ciContainsZero(pair.ci))
		return lang === 'en'
			? `No detectable difference at N = ${n}: the ${level} CI of the difference ${interval} contains 0.`
			: `N = ${n} では差は検出できません。差の${level}信頼区間 ${interval} は 0 を含みます。`;
	const higher = pair.ci.low > 0;
	return lang === 'en'
		? `${a} scores ${higher ? 'higher' : 'lower'} than ${b} at N = ${n}: the ${level} CI of the difference ${interval} excludes 0.`
		: `N = ${n} では ${a} のほうが ${b} より最終テスト精度が${higher ? '高く' : '低く'}なっています。差の${level}信頼区間 ${interval} は 0 を含みません。`;
}

//#endregion

/** Everything `--json` and the panel show about a multi-seed comparison. */
export interface SeedStats {
	seeds: number[];
	level: number;
	samplers: SamplerAggregate[];
	pairs: PairedComparison[];
}

export function seedStats(runs: readonly SeedRun[], samplers: readonly SamplerId[], seeds: readonly number[], level = 0.95): SeedStats {
	return { seeds: [...seeds], level, samplers: aggregate(runs, samplers), pairs: allPairs(runs, samplers, level) };
}

/** Consecutive seeds seed, seed+1, …, seed+count−1, as `--seeds` uses them. */
export function consecutiveSeeds(first: number, count: number): number[] {
	return Array.from({ length: count }, (_, i) => first + i);
}
