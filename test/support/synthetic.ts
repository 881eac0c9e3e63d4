import { gzipSync } from 'node:zlib';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dataset, ImageSet } from '../../src/core/dataset';
import { NumpyRandom } from '../../src/core/rng';

/** Big-endian idx bytes for the given dims and payload. */
export function idxBytes(magic: number, dims: number[], payload: Uint8Array): Uint8Array {
	const head = Buffer.alloc(4 + 4 * dims.length);
	head.writeUInt32BE(magic, 0);
	dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
	return Buffer.concat([head, payload]);
}

/** A learnable toy set: each class lights up its own block of pixels, plus noise. */
export function syntheticSet(count: number, side: number, seed: number): ImageSet {
	const rng = new NumpyRandom(seed);
	const size = side * side;
	const pixels = new Uint8Array(count * size);
	const labels = new Uint8Array(count);
	const block = Math.max(1, Math.floor(size / 10));
	for (let i = 0; i < count; i++) {
		const c = rng.interval(9);
		labels[i] = c;
		for (let p = 0; p < size; p++) {
			const on = p >= c * block && p < (c + 1) * block;
			pixels[i * size + p] = on ? 200 + rng.interval(55) : rng.interval(9) < 2 ? rng.interval(80) : 0;
		}
	}
	return { count, size, pixels, labels };
}

export function syntheticDataset(train = 600, test = 200, side = 6, seed = 1): Dataset {
	return { source: 'synthetic', rows: side, cols: side, classes: 10, train: syntheticSet(train, side, seed), test: syntheticSet(test, side, seed + 1) };
}

/** Writes a dataset as the book's four idx files (gzipped unless `raw`) into a new temp folder. */
export function writeMnistFolder(data: Dataset, raw = false): string {
	const dir = mkdtempSync(join(tmpdir(), 'mbl-idx-'));
	const put = (name: string, bytes: Uint8Array) => writeFileSync(join(dir, raw ? name : `${name}.gz`), raw ? bytes : gzipSync(bytes));
	put('train-images-idx3-ubyte', idxBytes(0x803, [data.train.count, data.rows, data.cols], data.train.pixels));
	put('train-labels-idx1-ubyte', idxBytes(0x801, [data.train.count], data.train.labels));
	put('t10k-images-idx3-ubyte', idxBytes(0x803, [data.test.count, data.rows, data.cols], data.test.pixels));
	put('t10k-labels-idx1-ubyte', idxBytes(0x801, [data.test.count], data.test.labels));
	return dir;
}
