/**
 * One lane of a comparison, whatever the host: trains the runs the host sends, one after another, off the editor's
 * thread, on the one decoded dataset the comparison shares between its workers (or a copy of it where workers share no
 * memory). The Node entry (trainWorker.ts) and the browser's (web/trainWorker.ts) only wire it to their message port.
 */
import type { Dataset } from '../core/dataset';
import { ReasonError, reasonOf } from '../core/errors';
import { reasonText } from '../core/reasons';
import { pickKernel, withEncodedImages, type KernelChoice, type WasmSource } from '../core/fastKernel';
import { shareDataset } from '../core/sharedDataset';
import { summarize } from '../core/summary';
import { trainRun } from '../core/train';
import type { SharedDataset } from '../core/types';
import type { FromTrainWorker, ToTrainWorker, WorkerJob } from '../shared/protocol';
import { FAULT_ITER, misbehave } from './misbehave';

export type Post = (m: FromTrainWorker) => void;

export interface LaneHost {
	post: Post;
	/** Decodes a dataset folder into shared memory (refusing one that would not fit); a browser's worker has no files. */
	load?(dataDir: string): Promise<SharedDataset>;
	/** kernel.wasm here (Node: the file next to the bundle); undefined until the host sends it (a browser's worker). */
	wasm?: WasmSource;
}

/** The lane's message handler. */
export function trainLane(host: LaneHost): (m: ToTrainWorker) => void {
	const { post } = host;
	let data: Dataset | undefined;
	/** Seconds this worker spent decoding and encoding the dataset; reported with its first run, 0 when another worker did. */
	let loadSeconds = 0;
	let kernel: KernelChoice | undefined;
	let wasm = host.wasm;

	/** The dataset: decoded here, or `given` by the host; its images encoded once for the wasm kernel where memory is shared. */
	const load = async (dataDir: string, given?: SharedDataset) => {
		try {
			if (!given && !host.load) throw new Error('this worker cannot read files; the host sends the dataset');
			const t0 = performance.now();
			kernel ??= pickKernel('auto', { wasm });
			// Encoded once here for the wasm kernel, in a shared memory that the other workers then train on (where there is one).
			data = withEncodedImages(shareDataset(given ?? (await host.load!(dataDir))), kernel);
			loadSeconds = (performance.now() - t0) / 1000;
			post({ type: 'shared', data, seconds: loadSeconds });
		} catch (e) {
			const cause = reasonOf(e);
			post({ type: 'loadFailed', reason: reasonText(cause), cause });
		}
	};

	const run = (job: WorkerJob) => {
		const { runKey } = job;
		// Without shared memory there is no flag: the host terminates the worker to cancel.
		const cancel = new Int32Array(job.cancel ?? new ArrayBuffer(4));
		try {
			if (!data) throw new ReasonError({ code: 'worker.noData' });
			// The wasm SIMD kernel where WebAssembly SIMD works, else the readable reference; both are reported.
			kernel ??= pickKernel('auto', { wasm });
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
			const cause = reasonOf(e);
			post({ type: 'failed', runKey, reason: reasonText(cause), cause });
		}
	};

	return (m) => {
		switch (m.type) {
			case 'load':
				void load(m.dataDir, m.data);
				break;
			case 'share':
				data = m.data;
				break;
			case 'run':
				run(m.job);
				break;
			case 'kernel': {
				const bytes = m.wasm;
				wasm = { name: 'the kernel from the host', shared: m.shared, read: () => bytes };
				break;
			}
		}
	};
}
