import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { loadMnistFolder } from '../core/dataset';
import { pickKernel } from '../core/fastKernel';
import { summarize } from '../core/summary';
import { trainRun } from '../core/train';
import type { WorkerJob, WorkerMessage } from '../shared/protocol';
import { FAULT_ITER, misbehave } from './misbehave';

/** Runs one sampler's training off the extension host thread and streams what happens. */
function main(port: NonNullable<typeof parentPort>, job: WorkerJob): void {
	const post = (m: WorkerMessage) => port.postMessage(m);
	const { runKey } = job;
	const cancel = new Int32Array(job.cancel);
	try {
		const t0 = performance.now();
		const data = loadMnistFolder(job.dataDir);
		// The wasm SIMD kernel where WebAssembly SIMD works, else the readable reference; both are reported.
		const kernel = pickKernel('auto');
		post({ type: 'loaded', runKey, seconds: (performance.now() - t0) / 1000, trainCount: data.train.count, testCount: data.test.count, source: data.source, kernel: kernel.name, fallbackReason: kernel.fallbackReason });
		let pending: number[] = [];
		let from = 0;
		let flushedAt = performance.now();
		const flush = () => {
			flushedAt = performance.now();
			if (pending.length === 0) return;
			post({ type: 'loss', runKey, fromIter: from, losses: pending });
			from += pending.length;
			pending = [];
		};
		const result = trainRun({
			settings: job.settings,
			data,
			sampler: job.sampler,
			kernel: kernel.factory,
			observer: {
				onLoss: (i, loss) => {
					pending.push(loss);
					if (performance.now() - flushedAt >= job.lossEveryMs) flush();
					if (job.fault && i === FAULT_ITER) {
						flush();
						misbehave(job.fault, cancel);
					}
				},
				onEval: (point) => {
					flush();
					post({ type: 'eval', runKey, point });
				},
				onEpoch: (stats) => post({ type: 'epoch', runKey, stats }),
				shouldStop: () => Atomics.load(cancel, 0) !== 0,
			},
		});
		flush();
		post({ type: 'done', runKey, summary: summarize(result), cancelled: result.cancelled === true });
	} catch (e) {
		post({ type: 'failed', runKey, reason: e instanceof Error ? e.message : String(e) });
	}
}

/**
 * Lower this thread's priority (Linux: a thread id is a valid target of setpriority), so the editor and the extension
 * host stay responsive while every core trains. Elsewhere this quietly does nothing.
 */
function yieldToTheEditor(): void {
	try {
		const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
		if (Number.isInteger(tid)) setPriority(tid, 19);
	} catch {
		// no /proc or no permission: train at normal priority
	}
}

if (!parentPort) throw new Error('trainWorker.js must run in a worker thread');
yieldToTheEditor();
main(parentPort, workerData as WorkerJob);
