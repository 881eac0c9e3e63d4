/** The Node entry of the gradient check (dist/gradWorker.js): worker_threads, and kernel.wasm from the file beside it. */
import { parentPort } from 'node:worker_threads';
import { nodeWasm } from '../platform/nodeKernel';
import type { GradWorkerMessage, ToGradWorker } from '../shared/protocol';
import { runGradientCheck } from './gradCheck';

if (!parentPort) throw new Error('gradWorker.js must run in a worker thread');
const port = parentPort;
port.on('message', (m: ToGradWorker) => {
	if (m.type === 'start') runGradientCheck(m.job, m.data, nodeWasm(), (out: GradWorkerMessage) => port.postMessage(out));
});
