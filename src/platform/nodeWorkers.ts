/** Workers in Node: worker_threads, for the CLI and VS Code's Node extension host. */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RunProblem } from '../core/reasons';
import { canShareMemory } from '../core/sharedDataset';
import { workerEnded, workerStarted, type HostWorker, type WorkerHost, type WorkerLimits } from '../runner/pool';

class NodeWorker<In, Out> implements HostWorker<In, Out> {
	deathReason?: RunProblem;
	private handler: (m: Out) => void = () => undefined;
	private deathHandler: (reason: RunProblem) => void = () => undefined;
	private errorReason?: RunProblem;
	private readonly exited: Promise<void>;

	constructor(
		private readonly worker: Worker,
		readonly limits?: WorkerLimits,
	) {
		workerStarted();
		let resolveExit!: () => void;
		this.exited = new Promise<void>((r) => (resolveExit = r));
		worker.on('message', (m: Out) => this.handler(m));
		worker.on('error', (e: Error & { code?: string }) => {
			this.errorReason ??= e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { code: 'worker.oom' } : { code: 'worker.crashed', detail: e.message };
		});
		worker.on('exit', (code) => {
			workerEnded();
			this.deathReason = this.errorReason ?? { code: 'worker.exited', exitCode: code };
			this.deathHandler(this.deathReason);
			resolveExit();
		});
	}

	post(m: In, transfer?: ArrayBuffer[]): void {
		if (this.deathReason === undefined) this.worker.postMessage(m, transfer);
	}
	onMessage(handler: (m: Out) => void): void {
		this.handler = handler;
	}
	onDeath(handler: (reason: RunProblem) => void): void {
		this.deathHandler = handler;
		if (this.deathReason !== undefined) handler(this.deathReason);
	}
	terminate(): Promise<void> {
		if (this.deathReason === undefined) void this.worker.terminate();
		return this.exited;
	}
}

/** Workers from the bundles at these paths (dist/trainWorker.js and dist/gradWorker.js). */
export function nodeWorkers(paths: { train: string; grad?: string }, lanes = availableParallelism()): WorkerHost {
	return {
		lanes,
		sharedMemory: canShareMemory,
		train: (limits) => new NodeWorker(new Worker(paths.train, limits ? { resourceLimits: limits } : {}), limits),
		grad: () => {
			if (!paths.grad) throw new Error('no gradient worker was given');
			return new NodeWorker(new Worker(paths.grad));
		},
	};
}
