/**
 * The browser's entry of the gradient check (dist/web/gradWorker.js): a Web Worker started from a blob URL by
 * src/extension/webWorkers.ts. It has no files: the host sends kernel.wasm, then the job with its dataset.
 */
import type { WasmSource } from '../../core/fastKernel';
import type { GradWorkerMessage, ToGradWorker } from '../../shared/protocol';
import { runGradientCheck } from '../gradCheck';
import { workerScope } from './scope';

const scope = workerScope<ToGradWorker, GradWorkerMessage>();
let wasm: WasmSource | undefined;
scope.onmessage = (e) => {
	const m = e.data;
	if (m.type === 'kernel') wasm = { name: 'the kernel from the host', shared: m.shared, read: () => m.wasm };
	else runGradientCheck(m.job, m.data, wasm, (out) => scope.postMessage(out));
};
