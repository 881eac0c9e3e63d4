import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Dataset, ImageSet } from './dataset';
import { referenceKernel, type KernelFactory, type TrainKernel } from './kernel';
import type { Params } from './twoLayerNet';

/**
 * The wasm SIMD128 kernel (dist/kernel.wasm, built from src/wasm by scripts/build-wasm.mjs) behind the TrainKernel
 * interface, the automatic choice between it and the readable reference, and a fast float64 numerical gradient.
 */

// tsconfig's lib (ES2022) has no WebAssembly types (they live in lib.dom); these are the few members used here.
export type WasmModule = object;
interface WasmApi {
	validate(bytes: Uint8Array): boolean;
	Module: new (bytes: Uint8Array) => WasmModule;
	Instance: new (module: WasmModule, imports: object) => { exports: object };
}
declare const WebAssembly: WasmApi;

export const WASM_FILE = 'kernel.wasm';
/** Must equal ABI in src/wasm/kernel.ts. */
const WASM_ABI = 1;
/** The `+ 1e-7` inside the book's cross_entropy_error. */
export const LOSS_DELTA = 1e-7;

export type KernelPreference = 'auto' | 'reference' | 'wasm';
export const KERNEL_PREFERENCES: readonly KernelPreference[] = ['auto', 'reference', 'wasm'];
export const WASM_KERNEL_NAME = 'wasm-simd128';

export interface KernelChoice {
	/** What will run: the kernel's `name` ('wasm-simd128' or 'reference'), for the log and --json. */
	name: string;
	factory: KernelFactory;
	/** Why the reference runs although 'auto' asked for speed (SIMD missing, kernel.wasm missing or stale). */
	fallbackReason?: string;
}

export interface WasmOptions {
	/** Where kernel.wasm is; by default it is looked up next to the running bundle (see findKernelWasm). */
	wasmPath?: string;
}

interface KernelExports {
	memory: { readonly buffer: ArrayBuffer };
	abiVersion(): number;
	alloc(bytes: number): number;
	setData(which: number, rowStart: number, entries: number, labels: number, count: number): void;
	countNonzero(pix: number, bytes: number): number;
	encodeRows(pix: number, rows: number, size: number, rowStart: number, firstRow: number, entries: number, at: number): number;
	netInit(d: number, h: number, o: number): void;
	ensureBatch(b: number): void;
	ptr(which: number): number;
	batchLoss(n: number, delta: number): number;
	step(n: number, lr: number, delta: number): number;
	countCorrect(which: number): number;
	probeInit(d: number, h: number, o: number, n: number): void;
	probePtr(which: number): number;
	probeLoss(delta: number, base: number): number;
	probeNumericalGradient(which: number, from: number, to: number, h: number, delta: number, partial: number, out: number): void;
}

// (module (func (result v128) (v128.const i32x4 0 0 0 0))): validates only where wasm SIMD128 is on.
const SIMD_PROBE = new Uint8Array([
	0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

export function wasmSimdSupported(): boolean {
	try {
		return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
	} catch {
		return false;
	}
}

/**
 * kernel.wasm beside the running bundle (dist/*.js), or in a dist/ folder up to three levels above it (the unit tests run
 * from dist/test/unit, the benchmark from bench/out). Returns the first that exists.
 */
export function findKernelWasm(from: string = __dirname): string | undefined {
	let dir = from;
	for (let up = 0; up <= 3; up++) {
		for (const p of [join(dir, WASM_FILE), join(dir, 'dist', WASM_FILE)]) if (existsSync(p)) return p;
		const parent = dirname(dir);
		if (parent === dir) break;
		dir = parent;
	}
	return undefined;
}

const modules = new Map<string, WasmModule>();

/** Compiles kernel.wasm once per process (each kernel then gets its own instance and memory); throws saying why not. */
export function kernelModule(opts: WasmOptions = {}): WasmModule {
	if (!wasmSimdSupported()) throw new Error('this runtime has no WebAssembly SIMD128');
	const path = opts.wasmPath ?? findKernelWasm();
	if (!path) throw new Error(`${WASM_FILE} was not found next to ${__dirname} (run node scripts/build.mjs)`);
	let module = modules.get(path);
	if (!module) {
		if (!existsSync(path)) throw new Error(`${path} does not exist (run node scripts/build.mjs)`);
		module = new WebAssembly.Module(readFileSync(path));
		const abi = (instantiate(module).abiVersion as () => number)();
		if (abi !== WASM_ABI) throw new Error(`${path} has kernel ABI ${abi} but this build expects ${WASM_ABI}; rebuild it`);
		modules.set(path, module);
	}
	return module;
}

/** Shared with gradientCheck.ts, which runs the numerical gradient on the same module. */
export function instantiate(module: WasmModule): KernelExports {
	return new WebAssembly.Instance(module, {}).exports as KernelExports;
}

/** Memory views that follow the wasm memory when it grows (growing detaches the old ArrayBuffer). */
export class Heap {
	private buffer: ArrayBuffer | undefined;
	private u8v = new Uint8Array(0);
	private u32v = new Uint32Array(0);
	private i32v = new Int32Array(0);
	private f32v = new Float32Array(0);
	private f64v = new Float64Array(0);

	constructor(readonly ex: KernelExports) {}

	private sync(): void {
		const b = this.ex.memory.buffer;
		if (b === this.buffer) return;
		this.buffer = b;
		this.u8v = new Uint8Array(b);
		this.u32v = new Uint32Array(b);
		this.i32v = new Int32Array(b);
		this.f32v = new Float32Array(b);
		this.f64v = new Float64Array(b);
	}
	get u8(): Uint8Array {
		this.sync();
		return this.u8v;
	}
	get u32(): Uint32Array {
		this.sync();
		return this.u32v;
	}
	get i32(): Int32Array {
		this.sync();
		return this.i32v;
	}
	get f32(): Float32Array {
		this.sync();
		return this.f32v;
	}
	get f64(): Float64Array {
		this.sync();
		return this.f64v;
	}
}

const STAGE_ROWS = 1024;

/**
 * Copies images into wasm memory as lists of nonzero pixels (set 0 or 1), `rows` picking which images and in what order
 * (all of them by default). Two passes through a small staging area, so the uint8 pixels never exist twice in wasm.
 */
export function loadImages(heap: Heap, which: number, set: ImageSet, rows?: ArrayLike<number>, rowCount = rows ? rows.length : set.count): void {
	const { ex } = heap;
	const size = set.size;
	if (size > 1 << 24) throw new Error(`images of ${size} pixels are too large for the wasm kernel (pixel indices are 24-bit)`);
	const stageRows = Math.max(1, Math.min(STAGE_ROWS, rowCount));
	const stage = ex.alloc(stageRows * size);
	const fill = (start: number, n: number) => {
		const u8 = heap.u8;
		if (!rows) u8.set(set.pixels.subarray(start * size, (start + n) * size), stage);
		else for (let r = 0; r < n; r++) u8.set(set.pixels.subarray(rows[start + r] * size, (rows[start + r] + 1) * size), stage + r * size);
	};
	let nnz = 0;
	for (let start = 0; start < rowCount; start += stageRows) {
		const n = Math.min(stageRows, rowCount - start);
		fill(start, n);
		nnz += ex.countNonzero(stage, n * size);
	}
	const rowStart = ex.alloc((rowCount + 1) * 4);
	const entries = ex.alloc(Math.max(1, nnz) * 4);
	const labels = ex.alloc(Math.max(1, rowCount));
	let at = 0;
	for (let start = 0; start < rowCount; start += stageRows) {
		const n = Math.min(stageRows, rowCount - start);
		fill(start, n);
		at = ex.encodeRows(stage, n, size, rowStart, start, entries, at);
	}
	heap.u32[(rowStart >> 2) + rowCount] = at;
	const u8 = heap.u8;
	if (!rows) u8.set(set.labels.subarray(0, rowCount), labels);
	else for (let r = 0; r < rowCount; r++) u8[labels + r] = set.labels[rows[r]];
	ex.setData(which, rowStart, entries, labels, rowCount);
}

/** Writes float64 params into padded float32 or float64 wasm tensors: W1 (D×Hp), b1, W2ᵀ (O×Hp), b2. */
export function writeParams(view: Float32Array | Float64Array, at: (which: number) => number, bytes: number, p: Params, d: number, h: number, o: number, hp: number): void {
	const w1 = at(0) / bytes;
	for (let i = 0; i < d; i++) for (let j = 0; j < h; j++) view[w1 + i * hp + j] = p.W1[i * h + j];
	view.set(p.b1, at(1) / bytes);
	const w2 = at(2) / bytes;
	for (let j = 0; j < h; j++) for (let k = 0; k < o; k++) view[w2 + k * hp + j] = p.W2[j * o + k];
	view.set(p.b2, at(3) / bytes);
}

function readParams(view: Float32Array | Float64Array, at: (which: number) => number, bytes: number, d: number, h: number, o: number, hp: number): Params {
	const W1 = new Float64Array(d * h);
	const W2 = new Float64Array(h * o);
	const w1 = at(0) / bytes;
	for (let i = 0; i < d; i++) for (let j = 0; j < h; j++) W1[i * h + j] = view[w1 + i * hp + j];
	const w2 = at(2) / bytes;
	for (let j = 0; j < h; j++) for (let k = 0; k < o; k++) W2[j * o + k] = view[w2 + k * hp + j];
	const b1 = Float64Array.from(view.subarray(at(1) / bytes, at(1) / bytes + h));
	const b2 = Float64Array.from(view.subarray(at(3) / bytes, at(3) / bytes + o));
	return { W1, b1, W2, b2 };
}

/** The book's network in float32 wasm SIMD: the dataset is copied in once, and a step allocates nothing. */
class WasmKernel implements TrainKernel {
	readonly name = WASM_KERNEL_NAME;
	private readonly heap: Heap;
	private readonly ex: KernelExports;
	private readonly hp: number;
	private batchCap = 0;
	private idxAt = 0;

	constructor(
		module: WasmModule,
		private readonly data: Dataset,
		init: Params,
		private readonly hidden: number,
	) {
		this.ex = instantiate(module);
		this.heap = new Heap(this.ex);
		const d = data.train.size;
		if (data.test.size !== d) throw new Error(`train images have ${d} pixels but test images have ${data.test.size}`);
		if (init.W1.length !== d * hidden || init.b1.length !== hidden || init.W2.length !== hidden * data.classes || init.b2.length !== data.classes) {
			throw new Error('initial parameters do not match the dataset and hidden size');
		}
		this.hp = Math.ceil(hidden / 4) * 4;
		this.ex.netInit(d, hidden, data.classes);
		const ptr = (w: number) => this.ex.ptr(w);
		writeParams(this.heap.f32, ptr, 4, init, d, hidden, data.classes, this.hp);
		loadImages(this.heap, 0, data.train);
		loadImages(this.heap, 1, data.test);
	}

	/** Copies the batch's indices into wasm (checked: wasm would read another image's bytes, not fail). */
	private setBatch(indices: Int32Array, len: number): void {
		if (!(len >= 1 && len <= indices.length)) throw new RangeError(`batch length ${len} is outside 1..${indices.length}`);
		if (len > this.batchCap) {
			this.ex.ensureBatch(len);
			this.batchCap = len;
			this.idxAt = this.ex.ptr(4) >> 2;
		}
		const count = this.data.train.count;
		const i32 = this.heap.i32;
		for (let r = 0; r < len; r++) {
			const k = indices[r];
			if (!(k >= 0 && k < count)) throw new RangeError(`batch index ${k} is outside the ${count} training images`);
			i32[this.idxAt + r] = k;
		}
	}

	step(indices: Int32Array, len: number, lr: number): number {
		this.setBatch(indices, len);
		return this.ex.step(len, lr, LOSS_DELTA);
	}

	/** The loss of a batch at the current weights, without updating them. */
	loss(indices: Int32Array, len: number): number {
		this.setBatch(indices, len);
		return this.ex.batchLoss(len, LOSS_DELTA);
	}

	accuracy(which: 'train' | 'test'): number {
		const set = which === 'train' ? this.data.train : this.data.test;
		return this.ex.countCorrect(which === 'train' ? 0 : 1) / set.count;
	}

	params(): Params {
		return readParams(this.heap.f32, (w) => this.ex.ptr(w), 4, this.data.train.size, this.hidden, this.data.classes, this.hp);
	}

	/** Bytes of wasm memory this kernel holds (the dataset's nonzero pixels, the weights, scratch). */
	memoryBytes(): number {
		return this.ex.memory.buffer.byteLength;
	}
}

/** The wasm SIMD kernel; throws if SIMD or kernel.wasm is missing (pickKernel falls back instead). */
export function wasmKernelFactory(opts: WasmOptions = {}): KernelFactory {
	const module = kernelModule(opts);
	return (data, init, hidden) => new WasmKernel(module, data, init, hidden);
}

/** Exposes the wasm kernel's extras (loss without update, memory size) when `k` is one. */
export function asWasmKernel(k: TrainKernel): WasmKernel | undefined {
	return k instanceof WasmKernel ? k : undefined;
}

/**
 * The kernel to train with. 'auto' takes the wasm SIMD kernel where it can load and the reference otherwise (saying why
 * in fallbackReason); 'wasm' throws if it cannot load; 'reference' is the readable float64 TypeScript.
 */
export function pickKernel(prefer: KernelPreference = 'auto', opts: WasmOptions = {}): KernelChoice {
	if (prefer === 'reference') return { name: 'reference', factory: referenceKernel };
	try {
		return { name: WASM_KERNEL_NAME, factory: wasmKernelFactory(opts) };
	} catch (e) {
		const reason = e instanceof Error ? e.message : String(e);
		if (prefer === 'wasm') throw new Error(`the wasm kernel cannot run: ${reason}`);
		return { name: 'reference', factory: referenceKernel, fallbackReason: reason };
	}
}

/** pickKernel('auto'). */
export function chooseKernel(opts: WasmOptions = {}): KernelChoice {
	return pickKernel('auto', opts);
}
