/**
 * What the panel shows, rebuilt only from the host's message stream by the shared fold (src/shared/runFold.ts), plus
 * what the view needs to redraw only what changed. No DOM here, so the replay rules are unit-tested.
 */
import type { RunInfo, ToWebview } from '../src/shared/protocol';
import { emptyFold, epochsPerIter as epochsPerIterOf, foldMessage, foldStats, lossIterations, type RunFold, type RunTrack, type Touched } from '../src/shared/runFold';
import { settingsLine } from '../src/shared/settingsText';
import type { PanelStrings } from '../src/shared/strings/panel';

export { lossIterations, runKey, scriptTracks, seedRuns, trackKey, tracksOf, type RunState } from '../src/shared/runFold';

/** One (sampler, seed) run. */
export type SamplerTrack = RunTrack;

export type PanelModel = RunFold;

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

export const emptyModel = emptyFold;

function mark(changes: Changes, touched: Touched): void {
	switch (touched) {
		case 'run':
			for (const k of Object.keys(changes) as (keyof Changes)[]) changes[k] = true;
			return;
		case 'eval':
			changes.accuracy = changes.table = changes.status = true;
			return;
		case 'loss':
			changes.loss = changes.status = true;
			return;
		case 'result':
		case 'finished':
			changes.table = changes.status = true;
			return;
		case 'error':
			changes.status = true;
			return;
		case 'none':
			return;
	}
}

/** Applies one host message in place; a batch is its messages in order. Messages that are not run messages change nothing. */
export function apply(model: PanelModel, m: ToWebview, changes: Changes = noChanges()): Changes {
	switch (m.type) {
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
		default:
			mark(changes, foldMessage(model, m));
			return changes;
	}
}

/** Share of all runs' iterations seen so far, 0..1 (losses arrive per iteration, evals per epoch). */
export function progress(model: PanelModel): number {
	const iters = model.run?.settings.iters ?? 0;
	if (!iters || model.tracks.size === 0) return 0;
	let done = 0;
	for (const t of model.tracks.values()) {
		const lastEval = t.evals.length ? t.evals[t.evals.length - 1].iter + 1 : 0;
		done += t.summary || t.failure ? iters : Math.min(iters, Math.max(lossIterations(model, t), lastEval));
	}
	return done / (iters * model.tracks.size);
}

/** Fraction of an epoch per iteration, once an eval past iteration 0 tells us (the page does not know train_size). */
export function epochsPerIter(model: PanelModel): number | undefined {
	for (const t of model.tracks.values()) {
		const v = epochsPerIterOf(t.evals);
		if (v !== undefined) return v;
	}
	return undefined;
}

/** The line above the table: the network, the settings and where the data came from (the Markdown export's settings line). */
export function describeRun(run: RunInfo, S: PanelStrings['run']): string {
	return settingsLine(run, S);
}

/** Mean ± std per sampler and the paired differences, from stats.ts as the CLI and the export compute them. */
export const modelStats = foldStats;
