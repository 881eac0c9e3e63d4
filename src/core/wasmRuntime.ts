/**
 * Loading the kernel (built from src/wasm by scripts/build-wasm.mjs): the SIMD probe, the compiled module, its memory,
 * and typed views that follow the memory when it grows. Two builds: dist/kernel.wasm imports a shared memory (the workers
 * of a comparison train on one encoded copy of the images); dist/kernel-private.wasm imports a memory of its own, for
 * platforms without shared memory (a browser page that is not cross-origin isolated). The bytes come from the host
 * (WasmSource): from a file in Node (src/platform/nodeKernel.ts), from the extension host in a browser worker.
 */

// tsconfig's lib (ES2022) has no WebAssembly types (they live in lib.dom); these are the few members used here.
export type WasmModule = object;
/** A WebAssembly.Memory; shared, so it can be posted to other workers. */
export interface WasmMemory {
	readonly buffer: ArrayBufferLike;
	grow(pages: number): number;
}
interface WasmApi {
	validate(bytes: Uint8Array): boolean;
	Module: new (bytes: Uint8Array) => WasmModule;
	Instance: new (module: WasmModule, imports: object) => { exports: object };
	Memory: new (desc: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
declare const WebAssembly: WasmApi;

export const WASM_FILE = 'kernel.wasm';
/** The build whose memory is not shared. */
export const WASM_PRIVATE_FILE = 'kernel-private.wasm';
/** Must equal ABI in src/wasm/kernel.ts. */
const WASM_ABI = 2;
/** wasm32's whole range, in 64 KiB pages: a shared memory reserves it as address space up front (not as RAM). */
const MAX_PAGES = 65536;

export interface KernelExports {
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
	phaseGather(n: number): void;
	phaseForward(n: number): void;
	phaseBackward(n: number, lr: number): void;
	phaseUpdate(n: number, lr: number): void;
	phaseLoss(n: number, delta: number): number;
	countCorrect(which: number): number;
	simdPeak(trips: number): number;
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

/** kernel.wasm's bytes, read when the kernel is first needed. */
export interface WasmSource {
	/** Names it in messages, and keys the compiled module. */
	name: string;
	/** Whether this build imports a shared memory (kernel.wasm) or one of its own (kernel-private.wasm). */
	shared: boolean;
	/** The bytes; throws an Error saying why there are none (missing, unreadable). */
	read(): Uint8Array;
}

/** Which memory each compiled module imports. */
const sharedModules = new WeakMap<WasmModule, boolean>();

/** Whether this module's instances take a shared memory (and so can train on images encoded once for every worker). */
export function sharesMemory(module: WasmModule): boolean {
	return sharedModules.get(module) ?? true;
}

/** A new memory for an instance of `module`: shared or its own, as the build imports it. Throws where the platform has no shared wasm memory. */
export function newMemory(module: WasmModule): WasmMemory {
	return new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: sharesMemory(module) });
}

export function isWasmMemory(m: unknown): m is WasmMemory {
	return typeof m === 'object' && m !== null && 'buffer' in m && typeof (m as WasmMemory).grow === 'function';
}

/** An instance on `memory` (a new one of its own by default). Shared with gradientCheck.ts, which runs the probe. */
export function instantiate(module: WasmModule, memory: WasmMemory = newMemory(module)): KernelExports & { memory: WasmMemory } {
	const ex = new WebAssembly.Instance(module, { env: { memory } }).exports as KernelExports;
	return { ...ex, memory };
}

export interface WasmOptions {
	/** Without it, only the reference kernel runs (the fallback reason says so). */
	wasm?: WasmSource;
}

const modules = new Map<string, WasmModule>();

/** Compiles the kernel once per process (each kernel then gets its own instance); throws saying why it cannot. */
export function kernelModule(opts: WasmOptions = {}): WasmModule {
	if (!wasmSimdSupported()) throw new Error('this runtime has no WebAssembly SIMD128');
	const source = opts.wasm;
	if (!source) throw new Error(`no ${WASM_FILE} was given`);
	let module = modules.get(source.name);
	if (!module) {
		module = new WebAssembly.Module(source.read());
		sharedModules.set(module, source.shared);
		let memory: WasmMemory;
		try {
			memory = newMemory(module);
		} catch (e) {
			throw new Error(`this runtime has no shared WebAssembly memory (${(e as Error).message})`);
		}
		const abi = instantiate(module, memory).abiVersion();
		if (abi !== WASM_ABI) throw new Error(`${source.name} has kernel ABI ${abi} but this build expects ${WASM_ABI}; rebuild it`);
		modules.set(source.name, module);
	}
	return module;
}

/** Memory views that follow the wasm memory when it grows (growing replaces the buffer, here or in another worker). */
export class Heap {
	private buffer: ArrayBufferLike | undefined;
	private u8v: Uint8Array = new Uint8Array(0);
	private u32v: Uint32Array = new Uint32Array(0);
	private i32v: Int32Array = new Int32Array(0);
	private f32v: Float32Array = new Float32Array(0);
	private f64v: Float64Array = new Float64Array(0);

	constructor(readonly ex: KernelExports & { memory: WasmMemory }) {}

	private sync(): void {
		const b = this.ex.memory.buffer;
		if (b === this.buffer && b.byteLength === this.u8v.length) return;
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
