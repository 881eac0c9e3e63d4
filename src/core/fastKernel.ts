import type { Dataset } from './dataset';
import { referenceKernel, type KernelFactory, type TrainKernel } from './kernel';
import type { Params } from './twoLayerNet';
import { encodeShared, loadImages, useImages } from './wasmImages';
import { Heap, instantiate, isWasmMemory, kernelModule, sharesMemory, type KernelExports, type WasmMemory, type WasmModule, type WasmOptions } from './wasmRuntime';

/**
 * The wasm SIMD128 kernel (dist/kernel.wasm, built from src/wasm by scripts/build-wasm.mjs) behind the TrainKernel
 * interface, and the automatic choice between it and the readable reference.
 */

export { Heap, WASM_FILE, WASM_PRIVATE_FILE, instantiate, kernelModule, wasmSimdSupported, type WasmModule, type WasmOptions, type WasmSource } from './wasmRuntime';
export { loadImages } from './wasmImages';

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
	/** The wasm module, when the wasm kernel was chosen (to encode a dataset once for several workers). */
	module?: WasmModule;
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

/** One training step, phase by phase: gather → forward → backward → update → loss (the forward pass after the update). */
export interface StepPhases {
	gather(indices: Int32Array, len: number): void;
	forward(len: number): void;
	backward(len: number, lr: number): void;
	update(len: number, lr: number): void;
	loss(len: number): number;
}

/**
 * The SIMD128 peak of this core in GFLOP/s: a loop of independent f32x4 multiply-adds (src/wasm/peak.ts), the best of a
 * few tries of about `ms` milliseconds each, by the wall clock and by this process's CPU time (which a busy machine
 * does not stretch).
 */
export function measureSimdPeak(module: WasmModule, ms = 100, tries = 5): { wall: number; cpu: number } {
	const ex = instantiate(module);
	let trips = 1 << 16;
	for (let t0 = performance.now(); (ex.simdPeak(trips), performance.now() - t0 < ms / 4); t0 = performance.now()) trips *= 2;
	const best = { wall: 0, cpu: 0 };
	for (let t = 0; t < tries; t++) {
		const c0 = process.cpuUsage();
		const t0 = performance.now();
		ex.simdPeak(trips);
		const wall = performance.now() - t0;
		const c = process.cpuUsage(c0);
		best.wall = Math.max(best.wall, (96 * trips) / wall / 1e6);
		best.cpu = Math.max(best.cpu, (96 * trips) / ((c.user + c.system) / 1000) / 1e6);
	}
	return best;
}

/** The instance a worker trains on for each shared memory: run after run reuses it (and its tensors). */
const sharedInstances = new WeakMap<object, { ex: KernelExports & { memory: WasmMemory }; heap: Heap; owner?: WasmKernel }>();

/**
 * The book's network in float32 wasm SIMD; a step allocates nothing. The images are read where the dataset has them
 * encoded in a shared memory (one copy for all workers), else copied into this kernel's own memory once.
 */
class WasmKernel implements TrainKernel {
	readonly name = WASM_KERNEL_NAME;
	private readonly heap: Heap;
	private readonly ex: KernelExports & { memory: WasmMemory };
	private readonly hp: number;
	private readonly slot?: { owner?: WasmKernel };
	private batchCap = 0;
	private idxAt = 0;

	constructor(
		module: WasmModule,
		private readonly data: Dataset,
		init: Params,
		private readonly hidden: number,
	) {
		const d = data.train.size;
		if (data.test.size !== d) throw new Error(`train images have ${d} pixels but test images have ${data.test.size}`);
		if (init.W1.length !== d * hidden || init.b1.length !== hidden || init.W2.length !== hidden * data.classes || init.b2.length !== data.classes) {
			throw new Error('initial parameters do not match the dataset and hidden size');
		}
		const enc = data.encoded;
		if (enc && isWasmMemory(enc.memory)) {
			let slot = sharedInstances.get(enc.memory);
			if (!slot) {
				const ex = instantiate(module, enc.memory);
				slot = { ex, heap: new Heap(ex) };
				sharedInstances.set(enc.memory, slot);
			}
			// The newest kernel on this instance owns it; an older one (its run is over) refuses to go on.
			slot.owner = this;
			this.slot = slot;
			this.ex = slot.ex;
			this.heap = slot.heap;
		} else {
			this.ex = instantiate(module);
			this.heap = new Heap(this.ex);
		}
		this.hp = Math.ceil(hidden / 4) * 4;
		this.ex.netInit(d, hidden, data.classes);
		const ptr = (w: number) => this.ex.ptr(w);
		writeParams(this.heap.f32, ptr, 4, init, d, hidden, data.classes, this.hp);
		if (enc && this.slot) {
			useImages(this.ex, 0, enc.train, data.train.count);
			useImages(this.ex, 1, enc.test, data.test.count);
		} else {
			loadImages(this.heap, 0, data.train);
			loadImages(this.heap, 1, data.test);
		}
	}

	private own(): void {
		if (this.slot && this.slot.owner !== this) throw new Error('this kernel\'s instance now trains another run');
	}

	/** Copies the batch's indices into wasm (checked: wasm would read another image's bytes, not fail). */
	private setBatch(indices: Int32Array, len: number): void {
		this.own();
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
		this.own();
		const set = which === 'train' ? this.data.train : this.data.test;
		return this.ex.countCorrect(which === 'train' ? 0 : 1) / set.count;
	}

	params(): Params {
		this.own();
		return readParams(this.heap.f32, (w) => this.ex.ptr(w), 4, this.data.train.size, this.hidden, this.data.classes, this.hp);
	}

	/** The step's phases one call each, for the benchmark's time split; `step` runs the same sequence in one call. */
	phases(): StepPhases {
		const ex = this.ex;
		return {
			gather: (indices, len) => {
				this.setBatch(indices, len);
				ex.phaseGather(len);
			},
			forward: (len) => ex.phaseForward(len),
			backward: (len, lr) => ex.phaseBackward(len, lr),
			update: (len, lr) => ex.phaseUpdate(len, lr),
			loss: (len) => ex.phaseLoss(len, LOSS_DELTA),
		};
	}

	/** Bytes of the wasm memory this kernel uses (the dataset's nonzero pixels, the weights, scratch; shared or its own). */
	memoryBytes(): number {
		return this.ex.memory.buffer.byteLength;
	}
}

/** The wasm SIMD kernel; throws if SIMD or kernel.wasm is missing (pickKernel falls back instead). */
export function wasmKernelFactory(opts: WasmOptions): KernelFactory {
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
export function pickKernel(prefer: KernelPreference, opts: WasmOptions): KernelChoice {
	if (prefer === 'reference') return { name: 'reference', factory: referenceKernel };
	try {
		const module = kernelModule(opts);
		return { name: WASM_KERNEL_NAME, factory: (data, init, hidden) => new WasmKernel(module, data, init, hidden), module };
	} catch (e) {
		const reason = e instanceof Error ? e.message : String(e);
		if (prefer === 'wasm') throw new Error(`the wasm kernel cannot run: ${reason}`);
		return { name: 'reference', factory: referenceKernel, fallbackReason: reason };
	}
}

/** pickKernel('auto'). */
export function chooseKernel(opts: WasmOptions): KernelChoice {
	return pickKernel('auto', opts);
}

/**
 * The dataset with its images also encoded once into a shared memory, for the workers of a comparison (the first one
 * encodes, the others train on that copy). Unchanged where the wasm kernel is not the choice, or its build has no shared
 * memory (a browser's): each worker then encodes its own copy.
 */
export function withEncodedImages(data: Dataset, choice: KernelChoice): Dataset {
	if (!choice.module || data.encoded || !sharesMemory(choice.module)) return data;
	return { ...data, encoded: encodeShared(choice.module, data.train, data.test) };
}
