/**
 * Workers in a browser: VS Code's web worker extension host starts Web Workers. A web extension served by a VS Code
 * server cannot start one from its own script URL ("Creating workers from remote extensions is currently not supported",
 * microsoft/vscode#168942), so the worker bundles and kernel.wasm are read through workspace.fs, once, and each worker
 * starts from a blob URL of its bundle's text. Workers there share no memory (the page is not cross-origin isolated):
 * each gets its own copy of the dataset, and stopping one terminates it.
 */
import * as vscode from 'vscode';
import type { RunProblem } from '../core/reasons';
import { canShareMemory } from '../core/sharedDataset';
import { WASM_FILE, WASM_PRIVATE_FILE } from '../core/wasmRuntime';
import { WorkerStartError, workerEnded, workerStarted, type HostWorker, type WorkerHost } from '../runner/pool';

/** Each lane holds its own copy of the dataset (about 55 MB for MNIST), so a browser gets at most this many. */
const MAX_LANES = 4;

/** The few Web Worker members used here (the project's TypeScript has no DOM lib: the same sources build for Node). */
interface WebWorkerObject {
	postMessage(m: unknown, transfer: ArrayBuffer[]): void;
	terminate(): void;
	onmessage: ((e: { data: unknown }) => void) | null;
	onerror: ((e: { message?: string; preventDefault(): void }) => void) | null;
	onmessageerror: (() => void) | null;
}
type WorkerConstructor = new (url: string, options?: { name?: string }) => WebWorkerObject;
const browser = globalThis as unknown as { Worker?: WorkerConstructor; navigator?: { hardwareConcurrency?: number } };

class WebWorker<In, Out> implements HostWorker<In, Out> {
	deathReason?: RunProblem;
	private readonly worker: WebWorkerObject;
	private handler: (m: Out) => void = () => undefined;
	private deathHandler: (reason: RunProblem) => void = () => undefined;

	constructor(Worker: WorkerConstructor, url: string, name: string, wasm: { bytes: Uint8Array; shared: boolean }) {
		this.worker = new Worker(url, { name });
		workerStarted();
		this.worker.onmessage = (e) => this.handler(e.data as Out);
		this.worker.onerror = (e) => {
			e.preventDefault();
			this.die({ code: 'worker.crashed', detail: e.message ?? 'an unknown error' });
		};
		this.worker.onmessageerror = () => this.die({ code: 'worker.badMessage' });
		// A copy for each worker: it is small (about 30 KB), and the host keeps its own for the next one.
		this.worker.postMessage({ type: 'kernel', wasm: wasm.bytes, shared: wasm.shared }, []);
	}

	post(m: In, transfer?: ArrayBuffer[]): void {
		if (this.deathReason === undefined) this.worker.postMessage(m, transfer ?? []);
	}
	onMessage(handler: (m: Out) => void): void {
		this.handler = handler;
	}
	onDeath(handler: (reason: RunProblem) => void): void {
		this.deathHandler = handler;
		if (this.deathReason !== undefined) handler(this.deathReason);
	}
	/** A Web Worker ends at once when terminated, and says nothing: this is its death notice. */
	terminate(): Promise<void> {
		this.die({ code: 'worker.stopped' });
		return Promise.resolve();
	}
	private die(reason: RunProblem): void {
		if (this.deathReason !== undefined) return;
		this.deathReason = reason;
		this.worker.terminate();
		workerEnded();
		this.deathHandler(reason);
	}
}

async function start(extensionUri: vscode.Uri): Promise<WorkerHost> {
	const Worker = browser.Worker;
	if (!Worker) throw new WorkerStartError({ code: 'worker.unsupported' });
	const read = async (...path: string[]) => {
		try {
			return await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, ...path));
		} catch (e) {
			throw new WorkerStartError({ code: 'worker.unreadable', file: path.join('/'), detail: e instanceof Error ? e.message : String(e) });
		}
	};
	// The kernel build whose memory the platform can give it: shared where workers share memory, its own otherwise.
	const shared = canShareMemory;
	const [train, grad, kernel] = await Promise.all([
		read('dist', 'web', 'trainWorker.js'),
		read('dist', 'web', 'gradWorker.js'),
		read('dist', shared ? WASM_FILE : WASM_PRIVATE_FILE),
	]);
	const wasm = { bytes: kernel, shared };
	const url = (script: Uint8Array) => URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
	const trainUrl = url(train);
	const gradUrl = url(grad);
	return {
		lanes: Math.max(1, Math.min(browser.navigator?.hardwareConcurrency ?? 2, MAX_LANES)),
		sharedMemory: canShareMemory,
		train: () => new WebWorker(Worker, trainUrl, 'Minibatch Lab training', wasm),
		grad: () => new WebWorker(Worker, gradUrl, 'Minibatch Lab gradient check', wasm),
	};
}

/** The workers, read the first time a command needs them (not at activation), then reused. */
export function webWorkers(extensionUri: vscode.Uri): () => Promise<WorkerHost> {
	let ready: Promise<WorkerHost> | undefined;
	return () =>
		(ready ??= start(extensionUri).catch((e: unknown) => {
			ready = undefined; // a later command tries again
			throw e;
		}));
}
