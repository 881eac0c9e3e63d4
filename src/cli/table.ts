import { SAMPLER_LABELS } from '../core/samplers';
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
