import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { FromTrainWorker, ToTrainWorker } from '../shared/protocol';

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

/** What a comparison needs from a worker: messages both ways, one death notice, and terminate. */
export interface PoolWorker {
	/** The heap limits it was started with (undefined: the default), so a lane knows whether a job fits it. */
	readonly limits?: ResourceLimits;
	/** Set once the worker has died; the reason says why (cancelled workers die too). */
	readonly deathReason?: string;
	/** The dataset has been sent to it (or it decoded it). */
	hasData: boolean;
	post(m: ToTrainWorker): void;
	/** Where its messages go now; a lane points this at the job it is running. */
	onMessage(handler: (m: FromTrainWorker) => void): void;
	/** Called when it dies, with the reason (at once if it already has); no message arrives after that. */
	onDeath(handler: (reason: string) => void): void;
	/** Terminates it; resolves when it has exited (at once if it already has). */
	terminate(): Promise<void>;
}

class NodeTrainWorker implements PoolWorker {
	hasData = false;
	deathReason?: string;
	private handler: (m: FromTrainWorker) => void = () => undefined;
	private deathHandler: (reason: string) => void = () => undefined;
	private errorReason?: string;
	private readonly exited: Promise<void>;

	constructor(
		private readonly worker: Worker,
		readonly limits?: ResourceLimits,
	) {
		let resolveExit!: () => void;
		this.exited = new Promise<void>((r) => (resolveExit = r));
		worker.on('message', (m: FromTrainWorker) => this.handler(m));
		worker.on('error', (e: Error & { code?: string }) => {
			this.errorReason ??= e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'the worker ran out of memory' : `the worker crashed: ${e.message}`;
		});
		worker.on('exit', (code) => {
			live--;
			this.deathReason = this.errorReason ?? `the worker stopped unexpectedly (exit code ${code})`;
			this.deathHandler(this.deathReason);
			resolveExit();
		});
	}

	post(m: ToTrainWorker): void {
		if (this.deathReason === undefined) this.worker.postMessage(m);
	}
	onMessage(handler: (m: FromTrainWorker) => void): void {
		this.handler = handler;
	}
	onDeath(handler: (reason: string) => void): void {
		this.deathHandler = handler;
		if (this.deathReason !== undefined) handler(this.deathReason);
	}
	terminate(): Promise<void> {
		if (this.deathReason === undefined) void this.worker.terminate();
		return this.exited;
	}
}

/**
 * The one place that creates training workers (worker_threads here). Throws when the platform cannot start one.
 * `limits` caps its heap (the fault tests' out-of-memory worker).
 */
export function spawnTrainWorker(workerPath: string, limits?: ResourceLimits): PoolWorker {
	const worker = new Worker(workerPath, limits ? { resourceLimits: limits } : {});
	peak = Math.max(peak, ++live);
	return new NodeTrainWorker(worker, limits);
}

/** Counts a worker started outside the pool (the gradient check's) in liveWorkers and the peak, until it exits. */
export function countWorker(worker: Worker): void {
	peak = Math.max(peak, ++live);
	worker.once('exit', () => live--);
}
