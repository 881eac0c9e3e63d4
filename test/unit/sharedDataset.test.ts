import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DatasetError } from '../../src/core/errors';
import { checkFitsInMemory, decodedBytes, shareDataset } from '../../src/core/sharedDataset';
import { io, loadMnistFolder, peekMnistFolder } from '../support/nodeData';
import * as dataset from '../../src/core/dataset';
import { syntheticDataset, writeMnistFolder } from '../support/synthetic';

describe('the dataset a comparison shares', () => {
	const data = syntheticDataset(40, 12, 5, 3);

	for (const raw of [false, true]) {
		it(`decodes ${raw ? 'raw' : 'gzip'} idx files straight into shared memory, with the same bytes`, async () => {
			const dir = writeMnistFolder(data, raw);
			const shared = await dataset.loadMnistFolder(io, dir, { shared: true });
			for (const set of ['train', 'test'] as const) {
				for (const arr of ['pixels', 'labels'] as const) {
					assert.ok(shared[set][arr].buffer instanceof SharedArrayBuffer, `${set}.${arr} is shared`);
					assert.deepEqual(Array.from(shared[set][arr]), Array.from(data[set][arr]), `${set}.${arr}`);
				}
			}
			assert.ok(!((await loadMnistFolder(dir)).train.pixels.buffer instanceof SharedArrayBuffer), 'not shared unless asked');
		});
	}

	it('shares a dataset decoded the ordinary way, and leaves shared arrays as they are', () => {
		const shared = shareDataset(data);
		assert.ok(shared.train.pixels.buffer instanceof SharedArrayBuffer);
		assert.deepEqual(Array.from(shared.test.labels), Array.from(data.test.labels));
		const again = shareDataset(shared);
		assert.equal(again.train.pixels, shared.train.pixels, 'no second copy');
	});

	it('refuses to decode, naming the folder and the sizes, when the images would not fit in free memory', async () => {
		const dir = writeMnistFolder(data);
		const head = await peekMnistFolder(dir);
		assert.equal(decodedBytes(head), (40 + 12) * (25 + 1));
		assert.doesNotThrow(() => checkFitsInMemory(dir, head, 2 * decodedBytes(head)));
		assert.throws(
			() => checkFitsInMemory(dir, head, 2 * decodedBytes(head) - 1),
			(e: unknown) => e instanceof DatasetError && e.file === dir && /needs about 1 MB of memory to decode \(40 \+ 12 images of 5×5\), but only 1 MB are free/.test(e.message),
		);
		// MNIST's real size: 70,000 images of 28×28 need about 105 MB with the transient copy.
		assert.throws(() => checkFitsInMemory(dir, { trainCount: 60_000, testCount: 10_000, rows: 28, cols: 28 }, 50 * 2 ** 20), /needs about 105 MB .* but only 50 MB are free/);
	});
});
