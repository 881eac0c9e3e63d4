import { SAMPLER_LABELS } from '../core/samplers';
import { formatInterval, formatSigned, type MeanStd, type PairedComparison, type SamplerAggregate } from '../core/stats';
import type { RunSummary } from '../core/summary';

const HEAD = ['sampler', 'final train', 'final test', 'best test', 'seconds', 'coverage/epoch', 'dup. batches', 'max draws'];

/** A plain-text table with right-aligned numbers. */
export function formatTable(rows: RunSummary[]): string {
	const cells = rows.map((s) => {
		const label = SAMPLER_LABELS[s.sampler];
		if (s.diverged) return [label, `diverged at iteration ${s.diverged.iter}`, '', '', s.seconds.toFixed(1), '', '', ''];
		return [
			label,
			s.finalTrainAcc.toFixed(4),
			s.finalTestAcc.toFixed(4),
			s.bestTestAcc.toFixed(4),
			s.seconds.toFixed(1),
			`${(s.meanCoverage * 100).toFixed(1)}%`,
			String(s.duplicateBatches),
			String(s.maxDraws),
		];
	});
	const widths = HEAD.map((h, c) => Math.max(h.length, ...cells.map((r) => r[c].length)));
	const line = (row: string[]) => row.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ');
	return [line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

const SEED_HEAD = ['sampler', 'N', ...HEAD.slice(1)];

/** "mean ± std" with the same decimals for both; just the mean when there is no spread to show (N = 1). */
function pm(m: MeanStd, digits: number, scale = 1, unit = ''): string {
	const f = (x: number) => `${(x * scale).toFixed(digits)}${unit}`;
	return m.std === null ? f(m.mean) : `${f(m.mean)} ± ${f(m.std)}`;
}

/** Mean ± sample std over seeds, one row per sampler, with the runs left out listed below. */
export function formatSeedTable(aggs: SamplerAggregate[]): string {
	const cells = aggs.map((a) => {
		const label = SAMPLER_LABELS[a.sampler];
		const m = a.metrics;
		if (a.seeds.length === 0) return [label, '0', 'no run finished', '', '', '', '', '', ''];
		return [
			label,
			String(a.seeds.length),
			pm(m.finalTrainAcc, 4),
			pm(m.finalTestAcc, 4),
			pm(m.bestTestAcc, 4),
			pm(m.seconds, 1),
			pm(m.meanCoverage, 1, 100, '%'),
			pm(m.duplicateBatches, 1),
			pm(m.maxDraws, 1),
		];
	});
	const widths = SEED_HEAD.map((h, c) => Math.max(h.length, ...cells.map((r) => r[c].length)));
	const line = (row: string[]) => row.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ');
	const notes = aggs.flatMap((a) => a.excluded.map((e) => `${SAMPLER_LABELS[a.sampler]}: seed ${e.seed} ${e.reason}, left out of the statistics`));
	return [line(SEED_HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line), ...(notes.length ? ['', ...notes] : [])].join('\n');
}

/** The paired differences in final test accuracy, each with its t interval and the English verdict. */
export function formatPairs(pairs: PairedComparison[], level: number): string {
	const pct = `${+(level * 100).toFixed(1)}%`;
	const lines = [`Paired difference in final test accuracy (same seed, same initial weights; ${pct} CI = mean ± t·sd/√N):`];
	for (const p of pairs) {
		const parts = [`mean ${formatSigned(p.meanDiff, 4)}`];
		if (p.sdDiff !== null) parts.push(`sd ${p.sdDiff.toFixed(4)}`);
		parts.push(`N = ${p.n}`);
		if (p.ci) parts.push(`${pct} CI ${formatInterval(p.ci.low, p.ci.high)}`, `t(${+((1 + p.ci.level) / 2).toFixed(4)}, ${p.ci.df}) = ${p.ci.t.toFixed(3)}`);
		lines.push(`  ${p.a} − ${p.b}: ${p.n > 0 ? parts.join(', ') : 'no seed with both runs finished'}`, `    ${p.verdict.en}`);
	}
	return lines.join('\n');
}
