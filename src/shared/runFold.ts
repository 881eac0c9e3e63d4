/**
 * The one fold of a run's message stream into results, used by the panel (media/model.ts) and the export
 * (src/extension/exportText.ts). Pure: no DOM, no vscode. Every message may arrive twice (a replay racing a live post)
 * and must leave the same state; messages of another run than the current one are ignored.
 */
import { seedStats, type SeedRun, type SeedStats } from '../core/stats';
import type { EvalPoint, RunInfo, RunMessage, RunSummary, SamplerId } from './protocol';

/** The key of one (sampler, seed) run: the worker pool's `runKey`, the panel's and the export's track key. */
export const runKey = (sampler: SamplerId, seed: number): string => `${sampler}@${seed}`;

/** One (sampler, seed) run. */
export interface RunTrack {
	sampler: SamplerId;
	seed: number;
	/** Sorted by iteration, one point per iteration. */
	evals: EvalPoint[];
	/**
	 * Loss points: `losses[k]` is the mean loss of iterations k·lossStride … (k+1)·lossStride − 1 (RunInfo.lossStride, 1 at
	 * the book's settings); null where it was not finite (JSON turns NaN into null), undefined where none came yet.
	 */
	losses: (number | null)[];
	/** Loss points known without gaps from iteration 0. */
	lossCount: number;
	/** Lowest point rewritten since a reader last set this back to Infinity (the charts smooth incrementally). */
	lossDirtyFrom: number;
	summary?: RunSummary;
	failure?: string;
}

/** `cancelling` is never in the stream: a viewer sets it between asking to cancel and hearing `finished`. */
export type RunState = 'idle' | 'running' | 'cancelling' | 'done' | 'cancelled' | 'failed';

export interface RunFold {
	run?: RunInfo;
	seeds: number[];
	/** By `runKey(sampler, seed)`, seed-major in the order the host runs them. */
	tracks: Map<string, RunTrack>;
	state: RunState;
	seconds?: number;
	/** The last `error` message, cleared by the next run. */
	error?: string;
}

/** What one message touched: nothing, a whole new run, or one kind of data. */
export type Touched = 'none' | 'run' | 'eval' | 'loss' | 'result' | 'finished' | 'error';

export function emptyFold(): RunFold {
	return { seeds: [], tracks: new Map(), state: 'idle' };
}

function newTrack(sampler: SamplerId, seed: number): RunTrack {
	return { sampler, seed, evals: [], losses: [], lossCount: 0, lossDirtyFrom: Infinity };
}

/** Applies one run message in place. */
export function foldMessage(fold: RunFold, m: RunMessage): Touched {
	switch (m.type) {
		case 'runStarted': {
			if (fold.run?.id === m.run.id || !Array.isArray(m.run.seeds) || !Number.isInteger(m.run.lossStride) || m.run.lossStride < 1) return 'none';
			fold.run = m.run;
			fold.seeds = m.run.seeds;
			fold.tracks = new Map(fold.seeds.flatMap((seed) => m.run.samplers.map((s) => [runKey(s, seed), newTrack(s, seed)] as const)));
			fold.state = 'running';
			fold.seconds = undefined;
			fold.error = undefined;
			return 'run';
		}
		case 'eval': {
			const t = trackOf(fold, m.runId, m.sampler, m.seed);
			if (!t || !validPoint(m.point)) return 'none';
			insertEval(t.evals, m.point);
			return 'eval';
		}
		case 'loss': {
			const t = trackOf(fold, m.runId, m.sampler, m.seed);
			const stride = fold.run!.lossStride;
			if (!t || !Number.isInteger(m.fromIter) || m.fromIter < 0 || m.fromIter % stride !== 0 || !Array.isArray(m.losses)) return 'none';
			const from = m.fromIter / stride;
			for (let i = 0; i < m.losses.length; i++) {
				const v = m.losses[i];
				t.losses[from + i] = typeof v === 'number' && Number.isFinite(v) ? v : null;
			}
			if (m.losses.length > 0) t.lossDirtyFrom = Math.min(t.lossDirtyFrom, from);
			while (t.lossCount < t.losses.length && t.losses[t.lossCount] !== undefined) t.lossCount++;
			return 'loss';
		}
		case 'runDone': {
			const t = trackOf(fold, m.runId, m.summary?.sampler, m.seed);
			if (!t) return 'none';
			t.summary = m.summary;
			return 'result';
		}
		case 'runFailed': {
			const t = trackOf(fold, m.runId, m.sampler, m.seed);
			if (!t) return 'none';
			t.failure = m.reason;
			return 'result';
		}
		case 'finished':
			if (fold.run?.id !== m.runId) return 'none';
			fold.state = m.state;
			fold.seconds = m.seconds;
			return 'finished';
		case 'error':
			fold.error = m.message;
			return 'error';
		default:
			return 'none';
	}
}

/** The whole stream at once (the export, a test). */
export function foldAll(messages: readonly RunMessage[]): RunFold {
	const fold = emptyFold();
	for (const m of messages) foldMessage(fold, m);
	return fold;
}

function trackOf(fold: RunFold, runId: number, sampler: SamplerId | undefined, seed: number): RunTrack | undefined {
	if (fold.run?.id !== runId || sampler === undefined) return undefined;
	return fold.tracks.get(runKey(sampler, seed));
}

function validPoint(p: EvalPoint): boolean {
	return typeof p === 'object' && p !== null && Number.isFinite(p.iter) && Number.isFinite(p.epoch);
}

/** Keeps evals sorted and unique by iteration; a repeated point replaces the old one. */
function insertEval(evals: EvalPoint[], p: EvalPoint): void {
	let i = evals.length;
	while (i > 0 && evals[i - 1].iter > p.iter) i--;
	if (i > 0 && evals[i - 1].iter === p.iter) evals[i - 1] = p;
	else evals.splice(i, 0, p);
}

/** Whether the whole comparison has ended (so a run without a result was cancelled). */
export function hasEnded(fold: RunFold): boolean {
	return fold.state === 'done' || fold.state === 'cancelled' || fold.state === 'failed';
}

/** One run's state: a failure wins over a summary that came before it; no result after the end means cancelled. */
export function trackState(fold: RunFold, t: RunTrack): 'running' | 'done' | 'failed' | 'cancelled' {
	if (t.failure !== undefined) return 'failed';
	if (t.summary) return 'done';
	return hasEnded(fold) ? 'cancelled' : 'running';
}

/** One sampler's runs, one per seed. */
export function tracksOf(fold: RunFold, sampler: SamplerId): RunTrack[] {
	return [...fold.tracks.values()].filter((t) => t.sampler === sampler);
}

/**
 * The runs that have ended, as the statistics take them: a run still training is neither in the numbers nor
 * reported as left out; one without a result after the run ended was cancelled.
 */
export function seedRuns(fold: RunFold): SeedRun[] {
	const out: SeedRun[] = [];
	for (const t of fold.tracks.values()) {
		const state = trackState(fold, t);
		if (state === 'running') continue;
		out.push({ sampler: t.sampler, seed: t.seed, summary: t.summary, failure: t.failure, ...(state === 'cancelled' ? { cancelled: true } : {}) });
	}
	return out;
}

/** Mean ± std per sampler and the paired differences, from stats.ts as the CLI computes them. */
export function foldStats(fold: RunFold): SeedStats | undefined {
	return fold.run ? seedStats(seedRuns(fold), fold.run.samplers, fold.seeds) : undefined;
}

/** Iterations whose loss is known without gaps from iteration 0 (the points times the stride, at most the run's length). */
export function lossIterations(fold: RunFold, t: RunTrack): number {
	return fold.run ? Math.min(fold.run.settings.iters, t.lossCount * fold.run.lossStride) : 0;
}

/** Fraction of an epoch per iteration, once an eval past iteration 0 tells (the stream does not carry train_size). */
export function epochsPerIter(evals: readonly EvalPoint[]): number | undefined {
	const p = evals.find((e) => e.iter > 0 && e.epoch > 0);
	return p ? p.epoch / p.iter : undefined;
}
