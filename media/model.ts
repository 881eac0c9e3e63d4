/**
 * What the panel shows, rebuilt only from the host's message stream. No DOM here, so the replay rules can be
 * unit-tested: every message may arrive twice (a replay racing a live post) and must leave the same state.
 */
import { seedStats, type SeedRun, type SeedStats } from '../src/core/stats';
import { settingsLine } from '../src/extension/exportText';
import { runSeeds, type EvalPoint, type RunInfo, type RunSummary, type SamplerId, type ToWebview } from '../src/shared/protocol';

/** One (sampler, seed) run. */
export interface SamplerTrack {
	sampler: SamplerId;
	seed: number;
	/** Sorted by iteration, one point per iteration. */
	evals: EvalPoint[];
	/** Raw per-iteration loss; null where the host sent a non-finite value (JSON turns NaN into null). */
	losses: (number | null)[];
	/** Losses known without gaps from iteration 0. */
	lossCount: number;
	/** Lowest iteration rewritten since the charts last read `losses` (Infinity when nothing changed). */
	lossDirtyFrom: number;
	summary?: RunSummary;
	failure?: string;
}

export type RunState = 'idle' | 'running' | 'cancelling' | 'done' | 'cancelled' | 'failed';

export interface PanelModel {
	run?: RunInfo;
	/** The run's seeds (one for a history saved before seeds existed). */
	seeds: number[];
	/** By `trackKey(sampler, seed)`, seed-major in the order the host runs them. */
	tracks: Map<string, SamplerTrack>;
	state: RunState;
	seconds?: number;
	/** The last `error` message, cleared by the next run. */
	error?: string;
}

/** What a message touched, so the view redraws only that. */
export interface Changes {
	header: boolean;
	status: boolean;
	table: boolean;
	accuracy: boolean;
	loss: boolean;
	/** A new run: the charts drop their datasets. */
	reset: boolean;
}

export const noChanges = (): Changes => ({ header: false, status: false, table: false, accuracy: false, loss: false, reset: false });

export function emptyModel(): PanelModel {
	return { seeds: [], tracks: new Map(), state: 'idle' };
}

export const trackKey = (sampler: SamplerId, seed: number) => `${sampler}@${seed}`;

function newTrack(sampler: SamplerId, seed: number): SamplerTrack {
	return { sampler, seed, evals: [], losses: [], lossCount: 0, lossDirtyFrom: Infinity };
}

/** One sampler's runs, one per seed. */
export function tracksOf(model: PanelModel, sampler: SamplerId): SamplerTrack[] {
	return [...model.tracks.values()].filter((t) => t.sampler === sampler);
}

/** Applies one host message in place; messages for another run than the current one are ignored. */
export function apply(model: PanelModel, m: ToWebview, changes: Changes = noChanges()): Changes {
	switch (m.type) {
		case 'runStarted': {
			if (model.run?.id === m.run.id) return changes;
			model.run = m.run;
			model.seeds = runSeeds(m.run);
			model.tracks = new Map(model.seeds.flatMap((seed) => m.run.samplers.map((s) => [trackKey(s, seed), newTrack(s, seed)] as const)));
			model.state = 'running';
			model.seconds = undefined;
			model.error = undefined;
			for (const k of Object.keys(changes) as (keyof Changes)[]) changes[k] = true;
			return changes;
		}
		case 'eval': {
			const t = trackFor(model, m.runId, m.sampler, m.seed);
			if (!t || !validPoint(m.point)) return changes;
			insertEval(t.evals, m.point);
			changes.accuracy = changes.table = changes.status = true;
			return changes;
		}
		case 'loss': {
			const t = trackFor(model, m.runId, m.sampler, m.seed);
			if (!t || !Number.isInteger(m.fromIter) || m.fromIter < 0 || !Array.isArray(m.losses)) return changes;
			for (let i = 0; i < m.losses.length; i++) {
				const v = m.losses[i];
				t.losses[m.fromIter + i] = typeof v === 'number' && Number.isFinite(v) ? v : null;
			}
			if (m.losses.length > 0) t.lossDirtyFrom = Math.min(t.lossDirtyFrom, m.fromIter);
			while (t.lossCount < t.losses.length && t.losses[t.lossCount] !== undefined) t.lossCount++;
			changes.loss = changes.status = true;
			return changes;
		}
		case 'runDone': {
			const t = trackFor(model, m.runId, m.summary.sampler, m.seed ?? m.summary.seed);
			if (!t) return changes;
			t.summary = m.summary;
			changes.table = changes.status = true;
			return changes;
		}
		case 'runFailed': {
			const t = trackFor(model, m.runId, m.sampler, m.seed);
			if (!t) return changes;
			t.failure = m.reason;
			changes.table = changes.status = true;
			return changes;
		}
		case 'finished': {
			if (model.run?.id !== m.runId) return changes;
			model.state = m.state;
			model.seconds = m.seconds;
			changes.status = changes.table = true;
			return changes;
		}
		case 'error':
			model.error = m.message;
			changes.status = true;
			return changes;
		case 'batch':
			if (!Array.isArray(m.messages)) return changes;
			for (const inner of m.messages) {
				// A batch holds run messages only; anything else in it (a nested batch included) is ignored.
				if (typeof inner === 'object' && inner !== null && typeof inner.type === 'string' && (inner.type as string) !== 'batch') apply(model, inner, changes);
			}
			return changes;
		case 'form':
		case 'snapshot':
		case 'chartImage':
			return changes;
	}
}

/** A message without a seed comes from a history saved before seeds existed, which had one. */
function trackFor(model: PanelModel, runId: number, sampler: SamplerId, seed: number | undefined): SamplerTrack | undefined {
	if (model.run?.id !== runId) return undefined;
	return model.tracks.get(trackKey(sampler, seed ?? model.seeds[0]));
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

/** Share of all runs' iterations seen so far, 0..1 (losses arrive per iteration, evals per epoch). */
export function progress(model: PanelModel): number {
	const iters = model.run?.settings.iters ?? 0;
	if (!iters || model.tracks.size === 0) return 0;
	let done = 0;
	for (const t of model.tracks.values()) {
		const lastEval = t.evals.length ? t.evals[t.evals.length - 1].iter + 1 : 0;
		done += t.summary || t.failure ? iters : Math.min(iters, Math.max(t.lossCount, lastEval));
	}
	return done / (iters * model.tracks.size);
}

/** Fraction of an epoch per iteration, once an eval past iteration 0 tells us (the page does not know train_size). */
export function epochsPerIter(model: PanelModel): number | undefined {
	for (const t of model.tracks.values()) {
		for (const p of t.evals) if (p.iter > 0 && p.epoch > 0) return p.epoch / p.iter;
	}
	return undefined;
}

/** The line above the table: the network, the settings and where the data came from (the Markdown export's settings line). */
export function describeRun(run: RunInfo): string {
	return settingsLine(run);
}

/**
 * The runs that have ended, as the statistics take them: a run still training is neither in the numbers nor
 * reported as left out; one without a result after the run ended was cancelled.
 */
export function seedRuns(model: PanelModel): SeedRun[] {
	const ended = model.state !== 'running' && model.state !== 'cancelling' && model.state !== 'idle';
	const out: SeedRun[] = [];
	for (const t of model.tracks.values()) {
		if (t.summary || t.failure !== undefined) out.push({ sampler: t.sampler, seed: t.seed, summary: t.summary, failure: t.failure });
		else if (ended) out.push({ sampler: t.sampler, seed: t.seed, cancelled: true });
	}
	return out;
}

/** Mean ± std per sampler and the paired differences, from stats.ts as the CLI and the export compute them. */
export function modelStats(model: PanelModel): SeedStats | undefined {
	return model.run ? seedStats(seedRuns(model), model.run.samplers, model.seeds) : undefined;
}
