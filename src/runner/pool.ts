/**
 * How the runner starts workers, whatever the host: the one interface behind Node's worker_threads
 * (src/platform/nodeWorkers.ts) and the browser's Web Workers started from blob URLs (src/extension/webWorkers.ts).
 * Also the live-worker count the fault tests read.
 */
import { ReasonError } from '../core/errors';
import type { RunProblem } from '../core/reasons';
import type { FromTrainWorker, GradWorkerMessage, ToGradWorker, ToTrainWorker } from '../shared/protocol';

/** Workers alive in this process; the fault tests check it returns to zero. */
let live = 0;
export function liveWorkers(): number {
	return live;
}

/** The most workers alive at once since the last call, which starts the count again from those alive now. */
let peak = 0;
export function takePeakLiveWorkers(): number {
	const p = peak;
	peak = live;
	return p;
}

/** Every implementation calls these: when a worker starts, and once when it has exited. */
export function workerStarted(): void {
	peak = Math.max(peak, ++live);
}
export function workerEnded(): void {
	live--;
}

/** Heap limits (Node's resourceLimits): the fault tests' out-of-memory worker. A browser cannot set them. */
export interface WorkerLimits {
	maxOldGenerationSizeMb?: number;
	maxYoungGenerationSizeMb?: number;
}

/** A worker as the runner sees it: messages both ways, one death notice, and terminate. */
export interface HostWorker<In, Out> {
	/** The heap limits it was started with (undefined: the default), so a lane knows whether a job fits it. */
	readonly limits?: WorkerLimits;
	/** Set once the worker has died; the reason says why (cancelled workers die too). */
	readonly deathReason?: RunProblem;
	/** `transfer` hands those buffers over instead of copying them (they are unusable here afterwards). */
	post(m: In, transfer?: ArrayBuffer[]): void;
	/** Where its messages go now; a lane points this at the job it is running. */
	onMessage(handler: (m: Out) => void): void;
	/** Called when it dies, with the reason (at once if it already has); no message arrives after that. */
	onDeath(handler: (reason: RunProblem) => void): void;
	/** Terminates it; resolves when it has exited (at once if it already has). */
	terminate(): Promise<void>;
}

export type TrainWorker = HostWorker<ToTrainWorker, FromTrainWorker>;
export type GradWorker = HostWorker<ToGradWorker, GradWorkerMessage>;

/** The platform cannot start workers here (their scripts could not be read, or Worker is missing); the message says why. */
export class WorkerStartError extends ReasonError {
	constructor(reason: RunProblem) {
		super(reason);
		this.name = 'WorkerStartError';
	}
}

/** What a host gives the runner to start workers with. Starting one throws when the platform cannot. */
export interface WorkerHost {
	/** How many runs go at once unless asked otherwise: the cores, or fewer where each worker needs its own dataset. */
	readonly lanes: number;
	/**
	 * Whether workers share memory (SharedArrayBuffer): a dataset posted to several is then one copy, and a cancel flag
	 * reaches a busy worker. Without it (a browser page that is not cross-origin isolated) each worker gets its own copy,
	 * and cancelling terminates.
	 */
	readonly sharedMemory: boolean;
	train(limits?: WorkerLimits): TrainWorker;
	grad(): GradWorker;
}
