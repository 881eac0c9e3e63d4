/**
 * The one fold of a run's message stream into results, used by the panel (media/model.ts) and the export
 * (src/extension/exportText.ts). Pure: no DOM, no vscode. Every message may arrive twice (a replay racing a live post)
 * and must leave the same state; messages of another run than the current one are ignored.
 */
import { seedStats, type SeedRun, type SeedStats } from '../core/stats';
import type { EvalPoint, RunInfo, RunMessage, RunSummary, SamplerId, ScriptResult, TrackSource } from './protocol';

/** The key of one (sampler, seed) run: the worker pool's `runKey`, the panel's and the export's track key. */
export const runKey = (sampler: SamplerId, seed: number): string => `${sampler}@${seed}`;

/** The key of a track: the reference's is `runKey`; your script's run of the same sampler and seed is `script:` + it. */
export const trackKey = (sampler: SamplerId, seed: number, source: TrackSource = 'reference'): string => (source === 'script' ? `script:${runKey(sampler, seed)}` : runKey(sampler, seed));

/** One (sampler, seed) run. */
export interface RunTrack {
	sampler: SamplerId;
	seed: number;
	/** The reference (the built-in TwoLayerNet), or your own script. */
	source: TrackSource;
	/** A script run's verdict, once it and its reference run have ended. */
	script?: ScriptResult;
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
	/** By `trackKey(sampler, seed, source)`, seed-major in the order the host runs them; a script's tracks after the reference's. */
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

function newTrack(sampler: SamplerId, seed: number, source: TrackSource): RunTrack {
	return { sampler, seed, source, evals: [], losses: [], lossCount: 0, lossDirtyFrom: Infinity };
}

/** Applies one run message in place. */
export function foldMessage(fold: RunFold, m: RunMessage): Touched {
	switch (m.type) {
		case 'runStarted': {
			if (fold.run?.id === m.run.id || !Array.isArray(m.run.seeds) || !Number.isInteger(m.run.lossStride) || m.run.lossStride < 1) return 'none';
			fold.run = m.run;
			fold.seeds = m.run.seeds;
			const sources: TrackSource[] = m.run.script ? ['reference', 'script'] : ['reference'];
			fold.tracks = new Map(sources.flatMap((source) => fold.seeds.flatMap((seed) => m.run.samplers.map((s) => [trackKey(s, seed, source), newTrack(s, seed, source)] as const))));
			fold.state = 'running';
			fold.seconds = undefined;
			fold.error = undefined;
			return 'run';
		}
		case 'eval': {
			const t = trackOf(fold, m.runId, m.sampler, m.seed, m.source);
			if (!t || !validPoint(m.point)) return 'none';
			// A script may compute one accuracy only; JSON brought the other back as null.
			const acc = (v: unknown) => (typeof v === 'number' ? v : NaN);
			insertEval(t.evals, { ...m.point, trainAcc: acc(m.point.trainAcc), testAcc: acc(m.point.testAcc) });
			return 'eval';
		}
		case 'loss': {
			const t = trackOf(fold, m.runId, m.sampler, m.seed, m.source);
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
			const t = trackOf(fold, m.runId, m.summary?.sampler, m.seed, m.source);
			if (!t) return 'none';
			t.summary = m.summary;
			return 'result';
		}
		case 'runFailed': {
			const t = trackOf(fold, m.runId, m.sampler, m.seed, m.source);
			if (!t) return 'none';
			t.failure = m.reason;
			return 'result';
		}
		case 'scriptResult': {
			const t = trackOf(fold, m.runId, m.sampler, m.seed, 'script');
			if (!t || typeof m.result !== 'object' || m.result === null || typeof m.result.check !== 'object') return 'none';
			t.script = m.result;
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

function trackOf(fold: RunFold, runId: number, sampler: SamplerId | undefined, seed: number, source?: TrackSource): RunTrack | undefined {
	if (fold.run?.id !== runId || sampler === undefined) return undefined;
	return fold.tracks.get(trackKey(sampler, seed, source === 'script' ? 'script' : 'reference'));
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

/** One sampler's runs, one per seed (the reference's; `source: 'script'` for your script's). */
export function tracksOf(fold: RunFold, sampler: SamplerId, source: TrackSource = 'reference'): RunTrack[] {
	return [...fold.tracks.values()].filter((t) => t.sampler === sampler && t.source === source);
}

/** Your script's runs, seed-major (none unless the run compares a script). */
export function scriptTracks(fold: RunFold): RunTrack[] {
	return [...fold.tracks.values()].filter((t) => t.source === 'script');
}

/**
 * The runs that have ended, as the statistics take them: a run still training is neither in the numbers nor
 * reported as left out; one without a result after the run ended was cancelled.
 */
export function seedRuns(fold: RunFold, source: TrackSource = 'reference'): SeedRun[] {
	const out: SeedRun[] = [];
	for (const t of fold.tracks.values()) {
		if (t.source !== source) continue;
		const state = trackState(fold, t);
		if (state === 'running') continue;
		out.push({ sampler: t.sampler, seed: t.seed, summary: t.summary, failure: t.failure, ...(state === 'cancelled' ? { cancelled: true } : {}) });
	}
	return out;
}

/** Mean ± std per sampler and the paired differences, from stats.ts as the CLI computes them (your script's runs with `source`). */
export function foldStats(fold: RunFold, source: TrackSource = 'reference'): SeedStats | undefined {
	return fold.run ? seedStats(seedRuns(fold, source), fold.run.samplers, fold.seeds) : undefined;
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
