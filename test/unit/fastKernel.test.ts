import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Dataset } from '../../src/core/dataset';
import {
	WASM_KERNEL_NAME,
	asWasmKernel,
	pickKernel,
	wasmSimdSupported,
} from '../../src/core/fastKernel';
import { gradientCheck, numericalGradient, type NumericalGradientResult } from '../../src/core/gradientCheck';
import { formBatch, referenceKernel, type TrainKernel } from '../../src/core/kernel';
import { createSampler, type SamplerId } from '../../src/core/samplers';
import { seededStart, trainRun } from '../../src/core/train';
import { PARAM_NAMES, TwoLayerNet, cloneParams, type Params } from '../../src/core/twoLayerNet';
import { loadMnistFolder } from '../support/nodeData';
import { findKernelWasm, nodeWasm } from '../../src/platform/nodeKernel';
import { syntheticDataset } from '../support/synthetic';

const mnistDir = join(__dirname, '..', '..', 'data', 'mnist');
const wasmPath = findKernelWasm(__dirname);
const needWasm = 'dist/kernel.wasm is missing: build it with node scripts/build.mjs';

function wasmFactory() {
	assert.ok(wasmPath, needWasm);
	return pickKernel('wasm', { wasm: nodeWasm(wasmPath) }).factory;
}

function maxParamDiff(a: Params, b: Params): number {
	let m = 0;
	for (const k of PARAM_NAMES) {
		assert.equal(a[k].length, b[k].length, `${k} length`);
		for (let i = 0; i < a[k].length; i++) m = Math.max(m, Math.abs(a[k][i] - b[k][i]));
	}
	return m;
}

/** Trains both kernels on the same batches from the same seed; returns the largest loss difference along the way. */
function lockstep(data: Dataset, hidden: number, sampler: SamplerId, batch: number, steps: number, lr: number, seed: number) {
	const { rng, init } = seededStart(seed, data.train.size, hidden, data.classes);
	const fast = wasmFactory()(data, init, hidden);
	const ref = referenceKernel(data, init, hidden);
	const draw = createSampler(sampler, data.train.count, batch, rng);
	const idx = new Int32Array(batch);
	let maxLoss = 0;
	let shortBatches = 0;
	for (let i = 0; i < steps; i++) {
		const len = draw.next(idx);
		if (len < batch) shortBatches++;
		const a = fast.step(idx, len, lr);
		const b = ref.step(idx, len, lr);
		assert.ok(Number.isFinite(a), `fast loss at step ${i} is ${a}`);
		maxLoss = Math.max(maxLoss, Math.abs(a - b));
	}
	return { fast, ref, maxLoss, shortBatches };
}

function assertAccuracies(fast: TrainKernel, ref: TrainKernel, tol: number): void {
	for (const which of ['train', 'test'] as const) {
		const a = fast.accuracy(which);
		const b = ref.accuracy(which);
		assert.ok(Math.abs(a - b) <= tol, `${which} accuracy: fast ${a}, reference ${b}`);
	}
}

describe('wasm SIMD kernel', () => {
	it('is picked automatically where WebAssembly SIMD is available, and names itself', () => {
		assert.ok(wasmSimdSupported(), 'Node 20 has WebAssembly SIMD128');
		assert.ok(wasmPath, needWasm);
		const auto = pickKernel('auto', { wasm: nodeWasm(wasmPath) });
		assert.equal(auto.name, WASM_KERNEL_NAME);
		assert.equal(auto.fallbackReason, undefined);
		assert.equal(pickKernel('reference', {}).name, 'reference');
		const data = syntheticDataset(60, 20, 4, 3);
		const r = trainRun({ settings: { iters: 12, batchSize: 10, lr: 0.1, hidden: 5, seed: 1 }, data, sampler: 'replacement', kernel: auto.factory });
		assert.equal(r.kernel, WASM_KERNEL_NAME);
	});

	it('falls back to the reference, saying why, when kernel.wasm cannot be found; "wasm" then throws', () => {
		const missing = join(__dirname, 'no-such-dir', 'kernel.wasm');
		const c = pickKernel('auto', { wasm: nodeWasm(missing) });
		assert.equal(c.name, 'reference');
		assert.equal(c.factory, referenceKernel);
		assert.match(c.fallbackReason ?? '', /no-such-dir.*does not exist/);
		assert.throws(() => pickKernel('wasm', { wasm: nodeWasm(missing) }), /wasm kernel cannot run/);
		assert.equal(findKernelWasm('/'), undefined);
	});

	it('matches the reference on a small synthetic set with odd sizes (hidden 7, 25 pixels, a short last batch)', () => {
		// 25 pixels: one 16-byte block plus a scalar tail; hidden 7: a padded last vector in float32 and float64.
		const data = syntheticDataset(100, 37, 5, 11);
		const { fast, ref, maxLoss, shortBatches } = lockstep(data, 7, 'epoch-shuffle', 13, 240, 1, 3);
		assert.ok(shortBatches >= 20, `expected short batches (100 % 13 = 9), got ${shortBatches}`);
		assert.ok(maxLoss <= 1e-5, `largest loss difference ${maxLoss}`);
		const d = maxParamDiff(fast.params(), ref.params());
		assert.ok(d <= 1e-5, `largest weight difference ${d}`);
		assertAccuracies(fast, ref, 1 / 37 + 1e-12);
		assert.ok(fast.accuracy('train') > 0.5, `the toy set is learnable (train accuracy ${fast.accuracy('train')})`);
	});

	it('handles hidden sizes that need several register tiles or a single lane', () => {
		const data = syntheticDataset(64, 16, 6, 5);
		for (const hidden of [1, 4, 64, 70]) {
			const { fast, ref, maxLoss } = lockstep(data, hidden, 'replacement', 16, 25, 0.3, hidden);
			assert.ok(maxLoss <= 1e-5, `hidden ${hidden}: largest loss difference ${maxLoss}`);
			const d = maxParamDiff(fast.params(), ref.params());
			assert.ok(d <= 1e-5, `hidden ${hidden}: largest weight difference ${d}`);
		}
	});

	it('refuses batch indices outside the training set', () => {
		const data = syntheticDataset(20, 5, 4, 1);
		const { init } = seededStart(0, data.train.size, 3, data.classes);
		const k = wasmFactory()(data, init, 3);
		assert.throws(() => k.step(Int32Array.from([0, 20]), 2, 0.1), RangeError);
		assert.throws(() => k.step(Int32Array.from([0, -1]), 2, 0.1), RangeError);
	});

	it(
		'agrees with the reference after 1,000 book steps on MNIST: weights within 1e-4, accuracies within 0.001',
		{ skip: existsSync(mnistDir) ? false : `no MNIST at ${mnistDir} (node scripts/build.mjs copies it)`, timeout: 300_000 },
		async () => {
			const data = await loadMnistFolder(mnistDir);
			const { fast, ref, maxLoss } = lockstep(data, 50, 'replacement', 100, 1000, 0.1, 0);
			assert.ok(maxLoss <= 1e-4, `largest loss difference ${maxLoss}`);
			const d = maxParamDiff(fast.params(), ref.params());
			assert.ok(d <= 1e-4, `largest weight difference ${d}`);
			assertAccuracies(fast, ref, 0.001);
			const bytes = asWasmKernel(fast)?.memoryBytes() ?? 0;
			assert.ok(bytes < 64e6, `the kernel holds MNIST in ${bytes} bytes of wasm memory`);
		},
	);
});

describe('numerical gradient (float64 wasm)', () => {
	const data = syntheticDataset(50, 10, 5, 7);
	const hidden = 7;
	const { rng, init } = seededStart(2, data.train.size, hidden, data.classes);
	const idx = new Int32Array(12);
	createSampler('replacement', data.train.count, 12, rng).next(idx);
	const batch = { set: data.train, indices: idx };

	function referenceGrad(delta = 1e-7): Params {
		const x = formBatch(data.train, idx, idx.length);
		const t = Uint8Array.from(idx, (k) => data.train.labels[k]);
		return new TwoLayerNet(data.train.size, hidden, data.classes, cloneParams(init), delta).numericalGradient(x, t, idx.length);
	}

	function assertClose(a: NumericalGradientResult, b: Params, tol: number): void {
		assert.ok(maxParamDiff(a.grad, b) <= tol, `largest difference ${maxParamDiff(a.grad, b)}`);
	}

	it('equals the reference numerical_gradient (h = 1e-4, the 1e-7 in the log) and leaves the parameters alone', () => {
		const before = cloneParams(init);
		const r = numericalGradient(batch, init, { wasm: nodeWasm(wasmPath) });
		assert.equal(r.engine, `${WASM_KERNEL_NAME}-f64`);
		assert.equal(r.done, r.total);
		assert.equal(r.total, 25 * 7 + 7 + 7 * 10 + 10);
		assert.equal(r.cancelled, false);
		assertClose(r, referenceGrad(), 1e-9);
		assert.equal(maxParamDiff(init, before), 0);
	});

	it('gives bit for bit the same values recomputing only what a parameter moves as recomputing the whole batch', () => {
		const partial = numericalGradient(batch, init, { wasm: nodeWasm(wasmPath), mode: 'partial' });
		const full = numericalGradient(batch, init, { wasm: nodeWasm(wasmPath), mode: 'full' });
		for (const k of PARAM_NAMES) assert.deepEqual(Array.from(partial.grad[k]), Array.from(full.grad[k]), k);
		assert.ok(partial.grad.W1.some((g) => g !== 0) && partial.grad.W2.some((g) => g !== 0));
	});

	it('agrees with backprop to the accuracy the book reports, tighter with the exact log', () => {
		const book = gradientCheck(batch, init, { wasm: nodeWasm(wasmPath) });
		const exact = gradientCheck(batch, init, { wasm: nodeWasm(wasmPath), delta: 0 });
		assert.ok(book.maxRelErr < 1e-2, `book maxRelErr ${book.maxRelErr}`);
		assert.ok(exact.maxRelErr < 1e-4, `exact-log maxRelErr ${exact.maxRelErr}`);
		assert.ok(exact.maxRelErr <= book.maxRelErr);
		for (const k of PARAM_NAMES) assert.ok(exact.avgAbsDiff[k] < 1e-8, `${k} ${exact.avgAbsDiff[k]}`);
	});

	it('reports progress and stops when asked', () => {
		const seen: number[] = [];
		let polls = 0;
		const r = numericalGradient(batch, init, { wasm: nodeWasm(wasmPath), progressEvery: 20, onProgress: (done) => seen.push(done), shouldStop: () => ++polls >= 3 });
		assert.equal(r.cancelled, true);
		assert.deepEqual(seen, [20, 40, 60]);
		assert.equal(r.done, 60);
		const full = referenceGrad();
		for (let i = 0; i < 60; i++) assert.ok(Math.abs(r.grad.W1[i] - full.W1[i]) < 1e-9);
		assert.ok(r.grad.W1.subarray(60).every((g) => g === 0));
		const all: number[] = [];
		numericalGradient(batch, init, { wasm: nodeWasm(wasmPath), progressEvery: 100, onProgress: (d, t) => all.push(d / t) });
		assert.equal(all.at(-1), 1);
		assert.ok(all.every((v, i) => i === 0 || v > all[i - 1]));
	});

	it('falls back to the readable reference with the same results', () => {
		const r = numericalGradient(batch, init, { prefer: 'reference' });
		assert.equal(r.engine, 'reference');
		assertClose(r, referenceGrad(), 0);
		let polls = 0;
		const c = numericalGradient(batch, init, { prefer: 'reference', progressEvery: 50, shouldStop: () => ++polls >= 2 });
		assert.equal(c.cancelled, true);
		assert.equal(c.done, 100);
	});
});
