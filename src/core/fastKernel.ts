import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Dataset, ImageSet } from './dataset';
import { numericalGradient as referenceNumericalGradient } from './gradient';
import { formBatch, referenceKernel, type KernelFactory, type TrainKernel } from './kernel';
import { createSampler } from './samplers';
import { seededStart } from './train';
import { PARAM_NAMES, TwoLayerNet, cloneParams, type ParamName, type Params } from './twoLayerNet';

/**
 * The wasm SIMD128 kernel (dist/kernel.wasm, built from src/wasm by scripts/build-wasm.mjs) behind the TrainKernel
 * interface, the automatic choice between it and the readable reference, and a fast float64 numerical gradient.
 */

// tsconfig's lib (ES2022) has no WebAssembly types (they live in lib.dom); these are the few members used here.
type WasmModule = object;
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
const LOSS_DELTA = 1e-7;

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
function kernelModule(opts: WasmOptions = {}): WasmModule {
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

function instantiate(module: WasmModule): KernelExports {
	return new WebAssembly.Instance(module, {}).exports as KernelExports;
}

/** Memory views that follow the wasm memory when it grows (growing detaches the old ArrayBuffer). */
class Heap {
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
function loadImages(heap: Heap, which: number, set: ImageSet, rows?: ArrayLike<number>, rowCount = rows ? rows.length : set.count): void {
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
function writeParams(view: Float32Array | Float64Array, at: (which: number) => number, bytes: number, p: Params, d: number, h: number, o: number, hp: number): void {
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

// ---- the book's numerical gradient, fast --------------------------------------------------------------------------

/**
 * What numpy_reference.py --gradcheck checks: after np.random.seed(seed), the network's initial weights and the first
 * np.random.choice(train_size, batch_size) batch of the training set.
 */
export function gradientCheckStart(data: Dataset, seed: number, hidden: number, batchSize: number): { batch: GradientBatch; params: Params } {
	const { rng, init } = seededStart(seed, data.train.size, hidden, data.classes);
	const indices = new Int32Array(batchSize);
	const len = createSampler('replacement', data.train.count, batchSize, rng).next(indices);
	return { batch: { set: data.train, indices, len }, params: init };
}

/** One minibatch: rows `indices[0..len)` of `set`, repeats allowed. */
export interface GradientBatch {
	set: ImageSet;
	indices: ArrayLike<number>;
	len?: number;
}

export interface NumericalGradientOptions {
	/** The book's h = 1e-4. */
	h?: number;
	/** The 1e-7 inside the log (0: the exact log that backprop differentiates). */
	delta?: number;
	/** Called after every `progressEvery` parameters (and at the end) with how many of `total` are done. */
	onProgress?: (done: number, total: number) => void;
	progressEvery?: number;
	/** Polled with each progress call; returning true stops early (the result says cancelled, the rest stays 0). */
	shouldStop?: () => boolean;
	/**
	 * 'partial' (default) recomputes only what the nudged parameter can move (for W1[p, j]: hidden unit j of the images
	 * whose pixel p is nonzero) and reuses the rest of the unperturbed pass; every loss value is still bit for bit what a
	 * full forward pass gives. 'full' runs the whole forward pass twice per parameter, as the book's code does.
	 */
	mode?: 'partial' | 'full';
	/** 'reference' runs the readable TypeScript (minutes); 'auto' uses wasm where it loads. */
	prefer?: KernelPreference;
	wasmPath?: string;
}

export interface NumericalGradientResult {
	grad: Params;
	/** Parameters done (all of them unless cancelled), in the book's order W1, b1, W2, b2. */
	done: number;
	total: number;
	cancelled: boolean;
	seconds: number;
	/** 'wasm-simd128-f64' or 'reference'. */
	engine: string;
	/** Loss evaluations: two per parameter done. */
	lossEvaluations: number;
}

function paramsShape(p: Params): { d: number; h: number; o: number } {
	const h = p.b1.length;
	const o = p.b2.length;
	return { d: p.W1.length / h, h, o };
}

function zeroParams(p: Params): Params {
	return { W1: new Float64Array(p.W1.length), b1: new Float64Array(p.b1.length), W2: new Float64Array(p.W2.length), b2: new Float64Array(p.b2.length) };
}

/** Batch rows scaled to floats, as the reference network takes them. */
function batchFloats(batch: GradientBatch, len: number): { x: Float64Array; t: Uint8Array } {
	const t = new Uint8Array(len);
	for (let r = 0; r < len; r++) t[r] = batch.set.labels[batch.indices[r]];
	return { x: formBatch(batch.set, batch.indices, len), t };
}

/**
 * The book's `numerical_gradient` over every parameter (central difference, h = 1e-4, each element restored) of the loss
 * on one batch, at `params` (not modified). Float64 throughout, as NumPy; synchronous, with progress and cancel.
 */
export function numericalGradient(batch: GradientBatch, params: Params, opts: NumericalGradientOptions = {}): NumericalGradientResult {
	const started = performance.now();
	const { d, h: hidden, o } = paramsShape(params);
	const len = batch.len ?? batch.indices.length;
	const hStep = opts.h ?? 1e-4;
	const delta = opts.delta ?? LOSS_DELTA;
	const every = Math.max(1, opts.progressEvery ?? 250);
	const total = params.W1.length + params.b1.length + params.W2.length + params.b2.length;
	if (batch.set.size !== d) throw new Error(`images have ${batch.set.size} pixels but W1 has ${d} rows`);
	if (!(len >= 1 && len <= batch.indices.length)) throw new RangeError(`batch length ${len} is outside 1..${batch.indices.length}`);
	for (let r = 0; r < len; r++) {
		const k = batch.indices[r];
		if (!(Number.isInteger(k) && k >= 0 && k < batch.set.count)) throw new RangeError(`batch index ${k} is outside the ${batch.set.count} images`);
	}
	const grad = zeroParams(params);
	let done = 0;
	let cancelled = false;
	let engine = 'reference';
	let evaluations = 0;

	let module: WasmModule | undefined;
	if (opts.prefer !== 'reference') {
		try {
			module = kernelModule(opts);
		} catch (e) {
			if (opts.prefer === 'wasm') throw e;
		}
	}

	if (module) {
		engine = `${WASM_KERNEL_NAME}-f64`;
		const ex = instantiate(module);
		const heap = new Heap(ex);
		loadImages(heap, 0, batch.set, batch.indices, len);
		ex.probeInit(d, hidden, o, len);
		const hq = Math.ceil(hidden / 2) * 2;
		writeParams(heap.f64, (w) => ex.probePtr(w), 8, params, d, hidden, o, hq);
		const partial = opts.mode !== 'full';
		ex.probeLoss(delta, 1);
		const out = ex.alloc(Math.max(params.W1.length, params.W2.length, hidden, o) * 8);
		outer: for (const [which, name] of PARAM_NAMES.entries()) {
			const size = params[name].length;
			for (let from = 0; from < size; from += every) {
				const to = Math.min(size, from + every);
				ex.probeNumericalGradient(which, from, to, hStep, delta, partial ? 1 : 0, out);
				done += to - from;
				evaluations += 2 * (to - from);
				opts.onProgress?.(done, total);
				if (opts.shouldStop?.()) {
					grad[name].set(heap.f64.subarray(out >> 3, (out >> 3) + to));
					cancelled = true;
					break outer;
				}
			}
			grad[name].set(heap.f64.subarray(out >> 3, (out >> 3) + size));
		}
	} else {
		const { x, t } = batchFloats(batch, len);
		const net = new TwoLayerNet(d, hidden, o, cloneParams(params), delta);
		const f = () => {
			evaluations++;
			return net.loss(x, t, len);
		};
		for (const name of PARAM_NAMES) {
			const before = done;
			const g = referenceNumericalGradient(f, net.params[name], hStep, (k) => {
				if (k % every !== 0 && k !== net.params[name].length) return true;
				opts.onProgress?.(before + k, total);
				if (opts.shouldStop?.()) {
					cancelled = true;
					done = before + k;
					return false;
				}
				return true;
			});
			grad[name].set(g);
			if (cancelled) break;
			done = before + g.length;
		}
	}
	return { grad, done, total, cancelled, seconds: (performance.now() - started) / 1000, engine, lossEvaluations: evaluations };
}

export interface GradientCheckResult {
	numerical: NumericalGradientResult;
	backprop: Params;
	backpropSeconds: number;
	/** Largest |numerical − backprop| / max(|numerical|, |backprop|) over elements where that max exceeds 1e-6. */
	maxRelErr: number;
	/** Mean |numerical − backprop| per tensor, as the book's gradient_check.py prints. */
	avgAbsDiff: Record<ParamName, number>;
}

/**
 * The book's gradient check: numerical gradient against backprop (the reference TwoLayerNet.gradient, float64) on one
 * batch. With a cancelled numerical gradient only the finished elements are compared.
 */
export function gradientCheck(batch: GradientBatch, params: Params, opts: NumericalGradientOptions = {}): GradientCheckResult {
	const { d, h, o } = paramsShape(params);
	const len = batch.len ?? batch.indices.length;
	const { x, t } = batchFloats(batch, len);
	const net = new TwoLayerNet(d, h, o, cloneParams(params));
	// Median of a few runs, so the first (unoptimised) call does not stand for backprop's cost.
	const times: number[] = [];
	let backprop = net.gradient(x, t, len);
	for (let i = 0; i < 5; i++) {
		const t0 = performance.now();
		backprop = net.gradient(x, t, len);
		times.push((performance.now() - t0) / 1000);
	}
	const backpropSeconds = times.sort((a, b) => a - b)[2];
	const numerical = numericalGradient(batch, params, opts);
	let maxRelErr = 0;
	let left = numerical.done;
	const avgAbsDiff = {} as Record<ParamName, number>;
	for (const name of PARAM_NAMES) {
		const a = numerical.grad[name];
		const b = backprop[name];
		const n = Math.min(a.length, Math.max(0, left));
		left -= a.length;
		let sum = 0;
		for (let i = 0; i < n; i++) {
			const diff = Math.abs(a[i] - b[i]);
			sum += diff;
			const big = Math.max(Math.abs(a[i]), Math.abs(b[i]));
			if (big > 1e-6) maxRelErr = Math.max(maxRelErr, diff / big);
		}
		avgAbsDiff[name] = n > 0 ? sum / n : NaN;
	}
	return { numerical, backprop, backpropSeconds, maxRelErr, avgAbsDiff };
}
