/**
 * Every message between the extension host, the training workers and the webview, as discriminated unions.
 * Pure types plus small guards: imported by the host (node), the worker (node) and the webview (browser).
 */
import type { SamplerId } from '../core/samplers';
import type { TrainSettings } from '../core/settings';
import type { EpochStats, EvalPoint, RunSummary } from '../core/types';

export type { EpochStats, EvalPoint, RunSummary, SamplerId, TrainSettings };

//#region host → worker (as workerData; the worker needs nothing else)
export interface WorkerJob {
	runKey: string;
	settings: TrainSettings;
	sampler: SamplerId;
	/** A folder with the four idx files. */
	dataDir: string;
	/** Int32Array view target: a non-zero first element asks the worker to stop. */
	cancel: SharedArrayBuffer;
	/** Send at most one loss message per this many iterations. */
	lossEvery: number;
}
//#endregion

//#region worker → host
export type WorkerMessage =
	| { type: 'loaded'; runKey: string; seconds: number; trainCount: number; testCount: number; source: string }
	| { type: 'eval'; runKey: string; point: EvalPoint }
	| { type: 'loss'; runKey: string; fromIter: number; losses: number[] }
	| { type: 'epoch'; runKey: string; stats: EpochStats }
	| { type: 'done'; runKey: string; summary: RunSummary; cancelled: boolean }
	| { type: 'failed'; runKey: string; reason: string };
//#endregion

/** What the panel shows above the table: the settings and where the data came from. */
export interface RunInfo {
	id: number;
	settings: TrainSettings;
	samplers: SamplerId[];
	dataset: string;
	/** 'setting' | 'workspace' | 'bundled' */
	datasetOrigin: DatasetOrigin;
	startedAt: string;
}

export type DatasetOrigin = 'setting' | 'workspace' | 'bundled';

/** The panel's settings form: what "Run again" sends back. */
export interface FormValues {
	iters: number;
	batchSize: number;
	lr: number;
	hidden: number;
	seed: number;
	samplers: SamplerId[];
	/** Empty means: discover as the command does. */
	dataset: string;
}

//#region host → webview
export type ToWebview =
	| { type: 'form'; values: FormValues; limits: Record<string, { min: number; max: number; integer: boolean }> }
	| { type: 'runStarted'; run: RunInfo }
	| { type: 'eval'; runId: number; sampler: SamplerId; point: EvalPoint }
	| { type: 'loss'; runId: number; sampler: SamplerId; fromIter: number; losses: number[] }
	| { type: 'runDone'; runId: number; summary: RunSummary }
	| { type: 'runFailed'; runId: number; sampler: SamplerId; reason: string }
	| { type: 'finished'; runId: number; state: 'done' | 'cancelled' | 'failed'; seconds: number }
	| { type: 'error'; message: string }
	/** Test hook: answer with a `snapshot` of what the DOM shows. */
	| { type: 'snapshot'; requestId: number };
//#endregion

/** What the webview reports about itself for the in-host tests: read from its DOM, not from its state. */
export interface PanelSnapshot {
	requestId: number;
	tableRows: string[][];
	header: string;
	charts: { id: string; datasets: number; points: number; drawn: boolean }[];
	status: string;
	theme: string;
}

//#region webview → host
export type FromWebview =
	| { type: 'ready' }
	| { type: 'runAgain'; values: FormValues }
	| { type: 'cancel' }
	| { type: 'snapshot'; snapshot: PanelSnapshot };
//#endregion

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Checks a message from the webview against the protocol; anything else is dropped by the caller (and logged). */
export function parseFromWebview(v: unknown): FromWebview | undefined {
	if (!isObj(v) || typeof v.type !== 'string') return undefined;
	switch (v.type) {
		case 'ready':
		case 'cancel':
			return { type: v.type };
		case 'runAgain': {
			const f = v.values;
			if (!isObj(f)) return undefined;
			const { iters, batchSize, lr, hidden, seed, samplers, dataset } = f;
			if (![iters, batchSize, lr, hidden, seed].every((x) => typeof x === 'number')) return undefined;
			if (!Array.isArray(samplers) || !samplers.every((s) => typeof s === 'string') || typeof dataset !== 'string') return undefined;
			return { type: 'runAgain', values: { iters, batchSize, lr, hidden, seed, samplers, dataset } as FormValues };
		}
		case 'snapshot': {
			const s = v.snapshot;
			if (!isObj(s) || !isNum(s.requestId) || !Array.isArray(s.tableRows) || !Array.isArray(s.charts)) return undefined;
			return { type: 'snapshot', snapshot: s as unknown as PanelSnapshot };
		}
		default:
			return undefined;
	}
}
