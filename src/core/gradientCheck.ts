/** The book's numerical gradient and gradient check, on the wasm kernel where it loads (the reference otherwise). */
import type { Dataset, ImageSet } from './dataset';
import { Heap, LOSS_DELTA, WASM_KERNEL_NAME, instantiate, kernelModule, loadImages, writeParams, type KernelPreference, type WasmModule, type WasmSource } from './fastKernel';
import { numericalGradient as referenceNumericalGradient } from './gradient';
import { formBatch } from './kernel';
import { createSampler } from './samplers';
import { seededStart } from './train';
import { PARAM_NAMES, TwoLayerNet, cloneParams, type ParamName, type Params } from './twoLayerNet';

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

interface NumericalGradientSettings {
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
}

/**
 * 'reference' runs the readable TypeScript (minutes); otherwise the wasm kernel runs where it loads, from the bytes the
 * host gives (WasmSource, in wasmRuntime.ts). `wasm` must be named even when there is none, so that no caller falls back
 * to the slow reference by forgetting it.
 */
export type NumericalGradientOptions = NumericalGradientSettings &
	({ prefer: 'reference'; wasm?: WasmSource } | { prefer?: Exclude<KernelPreference, 'reference'>; wasm: WasmSource | undefined });

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
export function numericalGradient(batch: GradientBatch, params: Params, opts: NumericalGradientOptions): NumericalGradientResult {
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

/** How far the numerical gradient is from backprop, over the elements both have (the first `done`, in the book's order). */
export interface GradientDifference {
	/** Largest |numerical − backprop| / max(|numerical|, |backprop|) over elements where that max exceeds 1e-6. */
	maxRelErr: number;
	maxRelErrBy: Record<ParamName, number>;
	/**
	 * ‖numerical − backprop‖ / (‖numerical‖ + ‖backprop‖), Euclidean norms over the elements compared: one number for the
	 * whole gradient, which tiny elements (where rounding dominates the largest relative error) cannot inflate.
	 */
	normRelErr: number;
	normRelErrBy: Record<ParamName, number>;
	/** Mean |numerical − backprop| per tensor, as the book's gradient_check.py prints. NaN where nothing was compared. */
	avgAbsDiff: Record<ParamName, number>;
}

/** Compares the first `done` elements (W1, b1, W2, b2 in that order) of two gradients; the rest count as not checked. */
export function gradientDifference(numerical: Params, backprop: Params, done: number): GradientDifference {
	const out: GradientDifference = { maxRelErr: 0, maxRelErrBy: {} as Record<ParamName, number>, normRelErr: NaN, normRelErrBy: {} as Record<ParamName, number>, avgAbsDiff: {} as Record<ParamName, number> };
	const norm = (sq: { d: number; a: number; b: number }) => (sq.a + sq.b > 0 ? Math.sqrt(sq.d) / (Math.sqrt(sq.a) + Math.sqrt(sq.b)) : sq.d > 0 ? Infinity : 0);
	const all = { d: 0, a: 0, b: 0 };
	let left = done;
	for (const name of PARAM_NAMES) {
		const a = numerical[name];
		const b = backprop[name];
		const n = Math.min(a.length, Math.max(0, left));
		left -= a.length;
		const sq = { d: 0, a: 0, b: 0 };
		let sum = 0;
		let worst = n > 0 ? 0 : NaN;
		for (let i = 0; i < n; i++) {
			const diff = Math.abs(a[i] - b[i]);
			sum += diff;
			sq.d += diff * diff;
			sq.a += a[i] * a[i];
			sq.b += b[i] * b[i];
			const big = Math.max(Math.abs(a[i]), Math.abs(b[i]));
			if (big > 1e-6) worst = Math.max(worst, diff / big);
		}
		out.avgAbsDiff[name] = n > 0 ? sum / n : NaN;
		out.maxRelErrBy[name] = worst;
		out.normRelErrBy[name] = n > 0 ? norm(sq) : NaN;
		if (n > 0) out.maxRelErr = Math.max(out.maxRelErr, worst);
		all.d += sq.d;
		all.a += sq.a;
		all.b += sq.b;
	}
	if (done > 0) out.normRelErr = norm(all);
	return out;
}

export interface GradientCheckResult extends GradientDifference {
	numerical: NumericalGradientResult;
	backprop: Params;
	backpropSeconds: number;
	/** The constant inside the numerical gradient's log: the book's 1e-7, or 0 for the exact log backprop differentiates. */
	delta: number;
}

/**
 * The book's gradient check: numerical gradient against backprop (the reference TwoLayerNet.gradient, float64) on one
 * batch. With a cancelled numerical gradient only the finished elements are compared. Backprop's (y − t)/B is the
 * derivative of the exact log, so `delta: 0` removes the one difference between the two that is not rounding.
 */
export function gradientCheck(batch: GradientBatch, params: Params, opts: NumericalGradientOptions): GradientCheckResult {
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
	return { numerical, backprop, backpropSeconds, delta: opts.delta ?? LOSS_DELTA, ...gradientDifference(numerical.grad, backprop, numerical.done) };
}
