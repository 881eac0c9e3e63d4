/**
 * Every message between the extension host, the training workers and the webview, as discriminated unions.
 * Pure types plus small guards: imported by the host (node), the worker (node) and the webview (browser).
 */
import type { Reason } from '../core/reasons';
import type { SamplerId } from '../core/samplers';
import type { ReferenceCheck, ScriptError, ScriptSettings, SettingMismatch } from '../core/scriptCheck';
import type { TrainSettings } from '../core/settings';
import type { Dataset, EpochStats, EvalPoint, RunSummary, SharedDataset } from '../core/types';

export type { EpochStats, EvalPoint, Reason, ReferenceCheck, RunSummary, SamplerId, ScriptError, ScriptSettings, SettingMismatch, SharedDataset, TrainSettings };

//#region host → train worker
// A comparison runs one worker per lane (core); each trains several runs one after another. The first worker decodes
// the dataset into shared memory and hands it back; the others receive that one copy.
export interface WorkerJob {
	runKey: string;
	settings: TrainSettings;
	sampler: SamplerId;
	/**
	 * Int32Array view target: a non-zero first element asks the worker to stop. Absent where workers share no memory (a
	 * browser's): cancelling then terminates the worker.
	 */
	cancel?: SharedArrayBuffer;
	/**
	 * Batch the per-iteration losses into one message per this many milliseconds (and before each evaluation): every
	 * message is relayed through the editor's UI to the panel, so the rate, not the iteration count, is what costs.
	 */
	lossEveryMs: number;
	/** Tests only: misbehave mid-run (src/shared/faults.ts). */
	fault?: 'throw' | 'oom' | 'kill';
	/** Evaluate after exactly these iterations instead of every epoch (see trainRun's `evalAt`). */
	evalAt?: number[];
}

export type ToTrainWorker =
	/**
	 * Decode the four idx files in this folder (or take `data`, already decoded into shared memory), encode the images for
	 * the wasm kernel once, and answer `shared` (or `loadFailed`).
	 */
	| { type: 'load'; dataDir: string; data?: SharedDataset }
	/** The dataset another worker decoded (its arrays are SharedArrayBuffers, so nothing is copied). */
	| { type: 'share'; data: SharedDataset }
	/** Train one run on the dataset this worker has; answers with WorkerMessages ending in `done` or `failed`. */
	| { type: 'run'; job: WorkerJob }
	/** The kernel, for a worker that has no files to read it from (a browser's); before anything else. */
	| { type: 'kernel'; wasm: Uint8Array; shared: boolean };
//#endregion

//#region worker → host
export type WorkerMessage =
	| { type: 'loaded'; runKey: string; seconds: number; trainCount: number; testCount: number; source: string; kernel: string; fallbackReason?: string }
	| { type: 'eval'; runKey: string; point: EvalPoint }
	| { type: 'loss'; runKey: string; fromIter: number; losses: number[] }
	| { type: 'epoch'; runKey: string; stats: EpochStats }
	| { type: 'done'; runKey: string; summary: RunSummary; cancelled: boolean }
	/** `reason` in English; `cause` the same as data (src/core/reasons.ts), for the extension to translate. */
	| { type: 'failed'; runKey: string; reason: string; cause?: Reason };

/** What a train worker answers: a run's messages, or the dataset it decoded for the others. */
export type FromTrainWorker = WorkerMessage | { type: 'shared'; data: SharedDataset; seconds: number } | { type: 'loadFailed'; reason: string; cause?: Reason };
//#endregion

/** What the panel shows above the table: the settings and where the data came from. */
export interface RunInfo {
	id: number;
	/** `settings.seed` is the first seed. */
	settings: TrainSettings;
	samplers: SamplerId[];
	/** Every sampler trains once per seed. */
	seeds: number[];
	dataset: string;
	/** 'setting' | 'workspace' | 'bundled' */
	datasetOrigin: DatasetOrigin;
	startedAt: string;
	/**
	 * Iterations per loss point (src/shared/lossSeries.ts): the host keeps and sends the mean loss of every `lossStride`
	 * iterations, at most 10,000 points per run and 1,000,000 per comparison; 1 (every iteration) at the book's settings.
	 */
	lossStride: number;
	/**
	 * Set when the run compares your own script with the reference: then every (sampler, seed) has two tracks, the
	 * reference's (messages without `source`) and the script's (`source: 'script'`).
	 */
	script?: ScriptInfo;
}

/** Your own script's side of a run: the file, the Python that ran it, and the settings read from it. */
export interface ScriptInfo {
	/** The file's name, and its full path (the log and the export name it; the page shows the name). */
	file: string;
	path: string;
	python: { executable: string; version: string; numpy: string };
	settings: ScriptSettings;
	/** Where each setting came from: the script, the user (it hides it), or the iterations override. */
	origin: Record<keyof ScriptSettings, 'script' | 'given' | 'override'>;
}

/** How a script run compares with the reference run of the same sampler and seed, once both have ended. */
export interface ScriptResult {
	check: ReferenceCheck;
	/** Without Python's traceback (the log has it). */
	error: ScriptError | null;
	mismatches: SettingMismatch[];
}

/** Which of a (sampler, seed)'s two tracks a message is about; absent: the reference's. */
export type TrackSource = 'reference' | 'script';

export type DatasetOrigin = 'setting' | 'workspace' | 'bundled';

/** When "Run again" runs your script again: its name, and the form's fields that do not apply (they come from the script). */
export interface FormScript {
	file: string;
}

/** The panel's settings form: what "Run again" sends back. */
export interface FormValues {
	iters: number;
	batchSize: number;
	lr: number;
	hidden: number;
	seed: number;
	/** Consecutive seeds from `seed`. */
	seedCount: number;
	samplers: SamplerId[];
	/** Empty means: discover as the command does. */
	dataset: string;
}

//#region host → webview
/** What a run tells the panel, in order; the host keeps these as the run's history. */
export type RunMessage =
	| { type: 'runStarted'; run: RunInfo }
	/** A script's evaluation may lack one accuracy: NaN (null once through JSON). */
	| { type: 'eval'; runId: number; sampler: SamplerId; seed: number; point: EvalPoint; source?: 'script' }
	/** Loss points from iteration `fromIter` (a multiple of the run's `lossStride`), one per `lossStride` iterations. */
	| { type: 'loss'; runId: number; sampler: SamplerId; seed: number; fromIter: number; losses: (number | null)[]; source?: 'script' }
	| { type: 'runDone'; runId: number; seed: number; summary: RunSummary; source?: 'script' }
	/** `reason` in English (the exports use it); the host shows `cause` in the display language. */
	| { type: 'runFailed'; runId: number; sampler: SamplerId; seed: number; reason: string; cause?: Reason; source?: 'script' }
	/** A script run against its reference run, once both have ended. */
	| { type: 'scriptResult'; runId: number; sampler: SamplerId; seed: number; result: ScriptResult }
	| { type: 'finished'; runId: number; state: 'done' | 'cancelled' | 'failed'; seconds: number }
	| { type: 'error'; message: string };

export type ToWebview =
	/** The form's values; its ranges the page imports from the core (src/core/settings.ts LIMITS), as the host checks them. */
	| { type: 'form'; values: FormValues; script?: FormScript }
	| RunMessage
	/**
	 * Several run messages in one post: the live stream coalesced to a few posts a second, or a whole replay. Each post
	 * is relayed through the editor's UI thread, so fewer, larger posts keep the editor responsive while workers train.
	 */
	| { type: 'batch'; messages: RunMessage[] }
	/** Test hook: answer with a `snapshot` of what the DOM shows. */
	| { type: 'snapshot'; requestId: number }
	/** Answer with a `chartImage` of the accuracy chart as drawn now. */
	| { type: 'chartImage'; requestId: number };
//#endregion

/** What the export buttons and commands produce. */
export type ExportFormat = 'markdown' | 'csv' | 'json' | 'png';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['markdown', 'csv', 'json', 'png'];

/** What the webview reports about itself for the in-host tests: read from its DOM, not from its state. */
export interface PanelSnapshot {
	requestId: number;
	tableHead: string[];
	tableRows: string[][];
	/** One per sampler pair under the table: the numbers line, the verdict shown, and the one in the other language. */
	pairs: { title: string; numbers: string; verdict: string; verdictLang: string; other: string }[];
	header: string;
	/** `texts`: the axis titles and the legend's entries, the words drawn on the canvas. */
	charts: { id: string; datasets: number; points: number; drawn: boolean; texts: string[] }[];
	status: string;
	theme: string;
	/** The "Show each seed" checkbox: whether it is offered and whether it is on. */
	seedLines: { shown: boolean; checked: boolean };
	exportEnabled: boolean;
	/** Under the table when the run compares your script: one entry per script run, as shown. */
	scriptVerdicts: { who: string; verdict: string; hint: string; error: string; link: string }[];
}

//#region webview → host
export type FromWebview =
	| { type: 'ready' }
	| { type: 'runAgain'; values: FormValues }
	| { type: 'cancel' }
	| { type: 'snapshot'; snapshot: PanelSnapshot }
	/** An export button: the host runs the matching command. */
	| { type: 'export'; format: ExportFormat }
	/** `dataUrl` is `data:image/png;base64,…`; empty when the page has no chart to give. */
	| { type: 'chartImage'; requestId: number; dataUrl: string }
	/** "Run again" with input the form's own check refused: nothing runs; the host logs the field messages shown. */
	| { type: 'formRefused'; problems: string[] }
	/** The link to where a script run raised: the host looks the place up in its own results for that run. */
	| { type: 'openScriptError'; sampler: SamplerId; seed: number };
//#endregion

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** Bounds for what the page may send: a forged message must not carry megabytes into the log or an error message. */
export const WEBVIEW_LIMITS = { samplers: 8, samplerChars: 64, datasetChars: 4096, problems: 16, problemChars: 500 } as const;
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/**
 * Checks a message from the webview against the protocol; anything else is dropped by the caller (and logged). Only
 * the fields of the matched type are kept, and every value is checked for its type and size: the page is not trusted.
 * Ranges are the settings' business (requestFromForm), which names the field and its range.
 */
export function parseFromWebview(v: unknown): FromWebview | undefined {
	if (!isObj(v) || typeof v.type !== 'string') return undefined;
	switch (v.type) {
		case 'ready':
		case 'cancel':
			return { type: v.type };
		case 'runAgain': {
			const f = v.values;
			if (!isObj(f)) return undefined;
			const { iters, batchSize, lr, hidden, seed, seedCount, samplers, dataset } = f;
			if (!isNum(iters) || !isNum(batchSize) || !isNum(lr) || !isNum(hidden) || !isNum(seed) || !isNum(seedCount)) return undefined;
			if (!Array.isArray(samplers) || samplers.length > WEBVIEW_LIMITS.samplers || !samplers.every((s) => isText(s, WEBVIEW_LIMITS.samplerChars))) return undefined;
			if (!isText(dataset, WEBVIEW_LIMITS.datasetChars)) return undefined;
			return { type: 'runAgain', values: { iters, batchSize, lr, hidden, seed, seedCount, samplers: [...samplers] as SamplerId[], dataset } };
		}
		case 'export':
			return typeof v.format === 'string' && (EXPORT_FORMATS as readonly string[]).includes(v.format) ? { type: 'export', format: v.format as ExportFormat } : undefined;
		case 'chartImage':
			return isNum(v.requestId) && typeof v.dataUrl === 'string' ? { type: 'chartImage', requestId: v.requestId, dataUrl: v.dataUrl } : undefined;
		case 'snapshot': {
			const s = v.snapshot;
			if (!isObj(s) || !isNum(s.requestId) || !Array.isArray(s.tableRows) || !Array.isArray(s.charts)) return undefined;
			return { type: 'snapshot', snapshot: s as unknown as PanelSnapshot };
		}
		case 'openScriptError':
			return isText(v.sampler, WEBVIEW_LIMITS.samplerChars) && isNum(v.seed) ? { type: 'openScriptError', sampler: v.sampler as SamplerId, seed: v.seed } : undefined;
		case 'formRefused': {
			const p = v.problems;
			if (!Array.isArray(p) || p.length === 0 || p.length > WEBVIEW_LIMITS.problems || !p.every((x) => isText(x, WEBVIEW_LIMITS.problemChars))) return undefined;
			return { type: 'formRefused', problems: [...p] };
		}
		default:
			return undefined;
	}
}

//#region gradient check: host ↔ gradWorker
export type GradParamName = 'W1' | 'b1' | 'W2' | 'b2';

/** What the gradient check computes, on the dataset that comes with it. */
export interface GradJob {
	seed: number;
	hidden: number;
	batchSize: number;
	mode: 'partial' | 'full';
	/** Time only about this many randomly chosen parameters and extrapolate; undefined: all of them. */
	subset?: number;
	/** The numerical gradient's loss takes the exact log(y), not the book's log(y + 1e-7) (which backprop ignores). */
	exactLog: boolean;
	/**
	 * Int32Array view target: a non-zero first element asks the worker to stop, and it reports what it finished. Absent
	 * where workers share no memory (a browser's): cancelling then terminates the worker.
	 */
	cancel?: SharedArrayBuffer;
}

export type ToGradWorker =
	/** The kernel, for a worker that has no files to read it from (a browser's); before `start`. */
	| { type: 'kernel'; wasm: Uint8Array; shared: boolean }
	/** Check once, on this dataset, and answer with progress and then `done` or `failed`. */
	| { type: 'start'; job: GradJob; data: Dataset };

/** What the gradient panel shows; NaN entries in avgAbsDiff are tensors the subset did not reach. */
export interface GradReport {
	seed: number;
	hidden: number;
	batchSize: number;
	mode: 'partial' | 'full';
	engine: string;
	parameters: number;
	/** Parameters whose numerical gradient was computed. */
	checked: number;
	/** Measured seconds for `checked` parameters. */
	measuredSeconds: number;
	/** Seconds for all parameters: measured, or extrapolated when `estimate`. */
	numericalSeconds: number;
	estimate: boolean;
	backpropSeconds: number;
	ratio: number;
	lossEvaluations: number;
	/** Whether the numerical gradient took the exact log (GradJob.exactLog). */
	exactLog: boolean;
	maxRelErr: number;
	/** ‖numerical − backprop‖ / (‖numerical‖ + ‖backprop‖) over the checked parameters. */
	normRelErr: number;
	avgAbsDiff: Record<GradParamName, number>;
	/** Largest relative error per tensor, as gradientCheck defines it (NaN where nothing was checked). */
	maxRelErrBy: Record<GradParamName, number>;
	/** Norm-relative error per tensor (NaN where nothing was checked). */
	normRelErrBy: Record<GradParamName, number>;
}

export type GradWorkerMessage =
	| { type: 'progress'; done: number; total: number }
	| { type: 'done'; report: GradReport; cancelled: boolean }
	| { type: 'failed'; reason: string; cause?: Reason };
//#endregion
