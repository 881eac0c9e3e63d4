/** The Node entry of a comparison lane (dist/trainWorker.js): worker_threads, files, and a lower thread priority. */
import { readlinkSync } from 'node:fs';
import { freemem, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { loadMnistFolder, peekMnistFolder } from '../core/dataset';
import { checkFitsInMemory } from '../core/sharedDataset';
import { nodeIo } from '../platform/node';
import { nodeWasm } from '../platform/nodeKernel';
import type { FromTrainWorker, ToTrainWorker } from '../shared/protocol';
import { trainLane } from './trainLane';

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
yieldToTheEditor();
const handle = trainLane({
	post: (m: FromTrainWorker) => port.postMessage(m),
	load: async (dataDir) => {
		checkFitsInMemory(dataDir, await peekMnistFolder(nodeIo, dataDir), freemem());
		return loadMnistFolder(nodeIo, dataDir, { shared: true });
	},
	wasm: nodeWasm(),
});
port.on('message', (m: ToTrainWorker) => handle(m));
