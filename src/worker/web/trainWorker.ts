/**
 * The browser's entry of a comparison lane (dist/web/trainWorker.js): a Web Worker started from a blob URL by
 * src/extension/webWorkers.ts. It has no files: the host sends kernel.wasm and the dataset.
 */
import type { FromTrainWorker, ToTrainWorker } from '../../shared/protocol';
import { trainLane } from '../trainLane';
import { workerScope } from './scope';

const scope = workerScope<ToTrainWorker, FromTrainWorker>();
const handle = trainLane({ post: (m) => scope.postMessage(m) });
scope.onmessage = (e) => handle(e.data);
