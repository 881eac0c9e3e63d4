import { readlinkSync } from 'node:fs';
import { freemem, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { loadMnistFolder, peekMnistFolder } from '../core/dataset';
import { pickKernel, withEncodedImages, type KernelChoice } from '../core/fastKernel';
import { checkFitsInMemory, shareDataset } from '../core/sharedDataset';
import { nodeIo } from '../platform/node';
import { summarize } from '../core/summary';
import { trainRun } from '../core/train';
import type { SharedDataset } from '../core/types';
import type { FromTrainWorker, ToTrainWorker, WorkerJob } from '../shared/protocol';
import { FAULT_ITER, misbehave } from './misbehave';

/**
 * One lane of a comparison: trains the runs the host sends, one after another, off the extension host thread, on the
 * one decoded dataset the comparison shares between its workers.
 */
type Post = (m: FromTrainWorker) => void;

let data: SharedDataset | undefined;
/** Seconds this worker spent decoding and encoding the dataset; reported with its first run, 0 when another worker did. */
let loadSeconds = 0;
let kernel: KernelChoice | undefined;

async function load(post: Post, dataDir: string, given?: SharedDataset): Promise<void> {
	try {
		const t0 = performance.now();
		if (!given) checkFitsInMemory(dataDir, await peekMnistFolder(nodeIo, dataDir), freemem());
		kernel ??= pickKernel('auto');
		// Encoded once here for the wasm kernel, in a shared memory that the other workers then train on.
		data = withEncodedImages(shareDataset(given ?? (await loadMnistFolder(nodeIo, dataDir, { shared: true }))), kernel);
		loadSeconds = (performance.now() - t0) / 1000;
		post({ type: 'shared', data, seconds: loadSeconds });
	} catch (e) {
		post({ type: 'loadFailed', reason: e instanceof Error ? e.message : String(e) });
	}
}

function run(post: Post, job: WorkerJob): void {
	const { runKey } = job;
	const cancel = new Int32Array(job.cancel);
	try {
		if (!data) throw new Error('the worker has no dataset (the host sent a run before the data)');
		// The wasm SIMD kernel where WebAssembly SIMD works, else the readable reference; both are reported.
		kernel ??= pickKernel('auto');
		post({ type: 'loaded', runKey, seconds: loadSeconds, trainCount: data.train.count, testCount: data.test.count, source: data.source, kernel: kernel.name, fallbackReason: kernel.fallbackReason });
		loadSeconds = 0;
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
			...(job.evalAt ? { evalAt: job.evalAt } : {}),
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
const port = parentPort;
const post: Post = (m) => port.postMessage(m);
yieldToTheEditor();
port.on('message', (m: ToTrainWorker) => {
	switch (m.type) {
		case 'load':
			void load(post, m.dataDir, m.data);
			break;
		case 'share':
			data = m.data;
			break;
		case 'run':
			run(post, m.job);
			break;
	}
});
