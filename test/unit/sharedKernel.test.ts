import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { asWasmKernel, measureSimdPeak, pickKernel, WASM_PRIVATE_FILE, withEncodedImages } from '../../src/core/fastKernel';
import { findKernelWasm, nodeWasm } from '../../src/platform/nodeKernel';
import { shareDataset } from '../../src/core/sharedDataset';
import { seededStart, trainRun } from '../../src/core/train';
import { syntheticDataset } from '../support/synthetic';

const wasmPath = findKernelWasm(__dirname);
const settings = { iters: 150, batchSize: 12, lr: 1, hidden: 9, seed: 4 };

describe('the wasm kernel on images encoded once in shared memory', () => {
	const choice = pickKernel('wasm', { wasm: nodeWasm(wasmPath) });
	const data = syntheticDataset(300, 90, 6, 9);
	const shared = withEncodedImages(shareDataset(data), choice);

	it('encodes into a shared WebAssembly memory, which posting shares', () => {
		assert.ok(shared.encoded, 'encoded');
		const buffer = (shared.encoded.memory as { buffer: ArrayBufferLike }).buffer;
		assert.ok(buffer instanceof SharedArrayBuffer);
		assert.equal(shared.encoded.train.count, 300);
		assert.equal(shared.encoded.test.count, 90);
		assert.equal(withEncodedImages(shared, choice), shared, 'encoded once');
		assert.equal(withEncodedImages(data, pickKernel('reference', {})), data, 'nothing to encode for the reference kernel');
	});

	for (const sampler of ['replacement', 'epoch-shuffle'] as const) {
		for (const trainSize of [undefined, 170]) {
			it(`trains bit for bit as a kernel with its own copy (${sampler}, train size ${trainSize ?? 'all'})`, () => {
				const s = { ...settings, trainSize };
				const own = trainRun({ settings: s, data, sampler, kernel: choice.factory });
				const onShared = trainRun({ settings: s, data: shared, sampler, kernel: choice.factory });
				assert.deepEqual(Array.from(onShared.losses), Array.from(own.losses));
				assert.deepEqual(onShared.evals, own.evals);
			});
		}
	}

	it('reuses one instance run after run without growing the memory, and an older kernel on it refuses to go on', () => {
		const memory = shared.encoded?.memory as { buffer: ArrayBufferLike };
		trainRun({ settings, data: shared, sampler: 'replacement', kernel: choice.factory });
		const size = memory.buffer.byteLength;
		for (let i = 0; i < 5; i++) trainRun({ settings: { ...settings, seed: i }, data: shared, sampler: 'sequential', kernel: choice.factory });
		assert.equal(memory.buffer.byteLength, size, 'no new tensors per run');
		const { init } = seededStart(1, data.train.size, settings.hidden, data.classes);
		const first = choice.factory(shared, init, settings.hidden);
		const second = choice.factory(shared, init, settings.hidden);
		const idx = Int32Array.from({ length: 12 }, (_, i) => i);
		assert.ok(Number.isFinite(second.step(idx, 12, 0.1)));
		assert.throws(() => first.step(idx, 12, 0.1), /now trains another run/);
		assert.ok(asWasmKernel(second));
	});

	it('measures a SIMD peak', () => {
		assert.ok(choice.module);
		const peak = measureSimdPeak(choice.module, 20, 2);
		assert.ok(peak.wall > 0.5 && peak.cpu > 0.5, JSON.stringify(peak));
	});
});

describe('the wasm kernel with a memory of its own (kernel-private.wasm, for a browser without shared memory)', () => {
	const privatePath = findKernelWasm(__dirname, WASM_PRIVATE_FILE);
	const data = syntheticDataset(300, 90, 6, 9);

	it('is built beside kernel.wasm, and nothing is encoded in shared memory for it', () => {
		assert.ok(privatePath, `no ${WASM_PRIVATE_FILE}: run node scripts/build.mjs`);
		const choice = pickKernel('wasm', { wasm: nodeWasm(privatePath) });
		assert.equal(withEncodedImages(data, choice), data, 'each worker encodes its own copy');
	});

	for (const sampler of ['replacement', 'epoch-shuffle'] as const) {
		it(`trains bit for bit as the shared build does (${sampler})`, () => {
			const shared = pickKernel('wasm', { wasm: nodeWasm(findKernelWasm(__dirname)) });
			const own = pickKernel('wasm', { wasm: nodeWasm(privatePath) });
			const a = trainRun({ settings, data, sampler, kernel: shared.factory });
			const b = trainRun({ settings, data, sampler, kernel: own.factory });
			assert.deepEqual(Array.from(b.losses), Array.from(a.losses));
			assert.deepEqual(b.evals, a.evals);
		});
	}
});
