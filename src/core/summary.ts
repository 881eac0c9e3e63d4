import { meanCoverage, type RunResult } from './train';
import type { RunSummary } from './types';

export type { RunSummary };

export function summarize(run: RunResult): RunSummary {
	const last = run.evals[run.evals.length - 1];
	return {
		sampler: run.sampler,
		seed: run.seed,
		kernel: run.kernel,
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
