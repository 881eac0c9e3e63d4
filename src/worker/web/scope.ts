/**
 * A dedicated worker's global scope, typed for its messages (the project's TypeScript has no DOM or WebWorker lib: the
 * same sources also build for Node).
 */
export interface WorkerScope<In, Out> {
	postMessage(m: Out, transfer?: ArrayBuffer[]): void;
	onmessage: ((e: { data: In }) => void) | null;
}

export function workerScope<In, Out>(): WorkerScope<In, Out> {
	return globalThis as unknown as WorkerScope<In, Out>;
}
