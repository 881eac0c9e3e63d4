import { SAMPLER_LABELS } from '../core/samplers';
import { meanCoverage, type RunResult } from '../core/train';

/** One row of the sampler-comparison table, as plain numbers (shared by the terminal table and --json). */
export interface RunSummary {
	sampler: string;
	finalTrainAcc: number;
	finalTestAcc: number;
	bestTestAcc: number;
	seconds: number;
	meanCoverage: number;
	duplicateBatches: number;
	maxDraws: number;
	finalLoss: number;
	diverged?: { iter: number };
}

export function summarize(run: RunResult): RunSummary {
	const last = run.evals[run.evals.length - 1];
	return {
		sampler: run.sampler,
		finalTrainAcc: last?.trainAcc ?? NaN,
		finalTestAcc: last?.testAcc ?? NaN,
		bestTestAcc: run.evals.reduce((m, e) => Math.max(m, e.testAcc), -Infinity),
		seconds: run.seconds,
		meanCoverage: meanCoverage(run.epochStats),
		duplicateBatches: run.epochStats.reduce((a, s) => a + s.duplicateBatches, 0),
		maxDraws: run.epochStats.reduce((a, s) => Math.max(a, s.maxDraws), 0),
		finalLoss: run.losses.length ? run.losses[run.losses.length - 1] : NaN,
		...(run.diverged ? { diverged: run.diverged } : {}),
	};
}

const HEAD = ['sampler', 'final train', 'final test', 'best test', 'seconds', 'coverage/epoch', 'dup. batches', 'max draws'];

/** A plain-text table with right-aligned numbers. */
export function formatTable(runs: RunResult[]): string {
	const rows = runs.map((r) => {
		const s = summarize(r);
		if (s.diverged) return [SAMPLER_LABELS[r.sampler], `diverged at iteration ${s.diverged.iter}`, '', '', s.seconds.toFixed(1), '', '', ''];
		return [
			SAMPLER_LABELS[r.sampler],
			s.finalTrainAcc.toFixed(4),
			s.finalTestAcc.toFixed(4),
			s.bestTestAcc.toFixed(4),
			s.seconds.toFixed(1),
			`${(s.meanCoverage * 100).toFixed(1)}%`,
			String(s.duplicateBatches),
			String(s.maxDraws),
		];
	});
	const widths = HEAD.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
	const line = (cells: string[]) => cells.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ');
	return [line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
