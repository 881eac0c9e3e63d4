import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DatasetError } from '../../src/core/errors';
import { MAX_IDX_BYTES } from '../../src/core/idx';
import { loadMnistFolder, missingMnistFiles, parseIdx, peekMnistFolder, readIdxFile } from '../support/nodeData';
import { needInstalled } from '../support/python';
import { idxBytes, syntheticDataset, writeMnistFolder } from '../support/synthetic';

const tmp = () => mkdtempSync(join(tmpdir(), 'mbl-idx-'));

/** Asserts a DatasetError that names `file` and whose message matches `problem`. */
async function rejects(fn: () => unknown, file: string, problem: RegExp): Promise<void> {
	await assert.rejects(async () => fn(), (e: unknown) => {
		assert.ok(e instanceof DatasetError, `expected DatasetError, got ${String(e)}`);
		assert.ok(e.message.includes(file), `message should name ${file}: ${e.message}`);
		assert.match(e.message, problem);
		return true;
	});
}

describe('idx reader', () => {
	const images = idxBytes(0x803, [3, 2, 2], Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]));

	it('reads raw and gzip files to the same dims and pixels', async () => {
		const raw = await parseIdx('a', images);
		const gz = await parseIdx('a.gz', gzipSync(images));
		assert.deepEqual(raw.dims, [3, 2, 2]);
		assert.deepEqual(Array.from(gz.data), Array.from(raw.data));
		assert.equal(raw.data[11], 255);
	});

	it('rejects a truncated payload, naming the file and the sizes', async () => {
		await rejects(() => parseIdx('imgs', images.subarray(0, images.length - 1)), 'imgs', /truncated.*28 bytes.*27/);
	});
	it('rejects a truncated header', () => rejects(() => parseIdx('imgs', images.subarray(0, 6)), 'imgs', /truncated/));
	it('rejects a wrong magic number', async () => {
		const bad = Uint8Array.from(images);
		bad[2] = 0x0c;
		await rejects(() => parseIdx('imgs', bad), 'imgs', /wrong magic number 0x00000c03/);
	});
	it('rejects labels where images are expected', () => rejects(() => parseIdx('imgs', idxBytes(0x801, [2], Uint8Array.of(1, 2)), 0x803), 'imgs', /should hold images/));
	it('rejects a file longer than its header says', () => rejects(() => parseIdx('imgs', Buffer.concat([images, Buffer.from([0])])), 'imgs', /1 bytes more/));
	it('rejects a header claiming 10^9 images before allocating', async () => {
		await rejects(() => parseIdx('huge', idxBytes(0x803, [1_000_000_000, 28, 28], new Uint8Array(16))), 'huge', /absurd header/);
	});
	it('rejects absurd image sides', () => rejects(() => parseIdx('wide', idxBytes(0x803, [1, 1, 100000], new Uint8Array(8))), 'wide', /absurd dimension 100000/));
	it('bounds gzip decompression by the size the header implies (a gzip bomb)', async () => {
		const header = idxBytes(0x803, [1, 28, 28], new Uint8Array(0));
		const bomb = gzipSync(Buffer.concat([header, Buffer.alloc(64 * 1024 * 1024)]));
		assert.ok(bomb.length < 200_000);
		await rejects(() => parseIdx('bomb.gz', bomb), 'bomb.gz', /decompresses to more than the 800 bytes/);
	});
	it('rejects a .gz file that is not gzip', () => rejects(() => parseIdx('x.gz', images), 'x.gz', /named \.gz but is not gzip/));
	it('rejects a truncated gzip stream', async () => {
		const gz = gzipSync(Buffer.concat([images, Buffer.alloc(5000, 7)]).subarray(0, 16 + 12));
		await rejects(() => parseIdx('t.gz', gz.subarray(0, gz.length - 10)), 't.gz', /truncated|not valid gzip/);
	});
	it('names a missing file', () => rejects(() => readIdxFile('/nonexistent/train-images-idx3-ubyte'), '/nonexistent/train-images-idx3-ubyte', /does not exist/));
	it('keeps its own cap well below memory', () => assert.ok(MAX_IDX_BYTES <= 512 * 1024 * 1024));
});

describe('MNIST folders', () => {
	const data = syntheticDataset(50, 20, 4);

	it('loads the four .gz files of a book-style dataset/ folder', async () => {
		const dir = writeMnistFolder(data);
		const loaded = await loadMnistFolder(dir);
		assert.equal(loaded.train.count, 50);
		assert.equal(loaded.test.count, 20);
		assert.equal(loaded.train.size, 16);
		assert.deepEqual(Array.from(loaded.train.labels), Array.from(data.train.labels));
		rmSync(dir, { recursive: true });
	});

	it('loads raw files as well', async () => {
		const dir = writeMnistFolder(data, true);
		assert.deepEqual(Array.from((await loadMnistFolder(dir)).test.pixels), Array.from(data.test.pixels));
		rmSync(dir, { recursive: true });
	});

	it('names the missing file of an incomplete folder', async () => {
		const dir = writeMnistFolder(data);
		rmSync(join(dir, 't10k-labels-idx1-ubyte.gz'));
		await rejects(() => loadMnistFolder(dir), dir, /missing t10k-labels-idx1-ubyte/);
	});

	it('explains that mnist.pkl alone is not enough and where the .gz files come from', async () => {
		const dir = tmp();
		writeFileSync(join(dir, 'mnist.pkl'), 'not really a pickle');
		await rejects(() => loadMnistFolder(dir), dir, /mnist\.pkl.*idx \.gz files.*dataset\/mnist\.py downloads/);
	});

	it('rejects labels out of range, naming the labels file', async () => {
		const bad = syntheticDataset(50, 20, 4);
		bad.train.labels[7] = 10;
		const dir = writeMnistFolder(bad);
		await rejects(() => loadMnistFolder(dir), 'train-labels-idx1-ubyte.gz', /label 10 at index 7/);
	});

	it('rejects image and label counts that differ', async () => {
		const dir = writeMnistFolder(data);
		writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(idxBytes(0x801, [49], data.train.labels.subarray(0, 49))));
		await rejects(() => loadMnistFolder(dir), 'train-labels-idx1-ubyte.gz', /49 labels.*50 images/);
	});

	it('a file that is a loop of symbolic links is a link that cannot be resolved, not a missing file', async () => {
		const dir = writeMnistFolder(data);
		const file = join(dir, 'train-images-idx3-ubyte');
		rmSync(`${file}.gz`);
		symlinkSync('loop-b', file);
		symlinkSync('train-images-idx3-ubyte', join(dir, 'loop-b'));
		for (const call of [() => loadMnistFolder(dir), () => peekMnistFolder(dir)]) {
			await rejects(call, file, /: is a symbolic link that cannot be resolved \(a loop of symbolic links\)$/);
		}
		assert.deepEqual(await missingMnistFiles(dir), ['train-images-idx3-ubyte (a symbolic link that cannot be resolved)']);
		await assert.rejects(() => readIdxFile(file), /is a symbolic link that cannot be resolved \(a loop of symbolic links\)/);
		rmSync(dir, { recursive: true });
	});

	it('a dangling symbolic link says where it points', async () => {
		const dir = writeMnistFolder(data);
		const file = join(dir, 't10k-labels-idx1-ubyte.gz');
		rmSync(file);
		symlinkSync('/nowhere/t10k-labels-idx1-ubyte.gz', file);
		await rejects(() => loadMnistFolder(dir), file, /is a symbolic link that cannot be resolved \(it points to \/nowhere\/t10k-labels-idx1-ubyte\.gz, which does not exist\)$/);
		rmSync(dir, { recursive: true });
	});

	it('with both X and X.gz it reads X, and says so; a broken link beside a readable spelling is passed over, and said', async () => {
		const dir = writeMnistFolder(data);
		// The raw file holds fewer images than the .gz, so the count shows which one was read.
		const fewer = syntheticDataset(30, 20, 4);
		writeFileSync(join(dir, 'train-images-idx3-ubyte'), idxBytes(0x803, [30, 4, 4], fewer.train.pixels));
		writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idxBytes(0x801, [30], fewer.train.labels));
		symlinkSync('t10k-images-idx3-ubyte', join(dir, 't10k-images-idx3-ubyte'));
		const head = await peekMnistFolder(dir);
		assert.equal(head.trainCount, 30);
		assert.equal((await loadMnistFolder(dir)).train.count, 30);
		assert.deepEqual(head.notes, [
			`${dir} holds both train-images-idx3-ubyte and train-images-idx3-ubyte.gz; reading train-images-idx3-ubyte`,
			`${dir} holds both train-labels-idx1-ubyte and train-labels-idx1-ubyte.gz; reading train-labels-idx1-ubyte`,
			`${join(dir, 't10k-images-idx3-ubyte')} is a symbolic link that cannot be resolved (a loop of symbolic links); reading t10k-images-idx3-ubyte.gz`,
		]);
		assert.deepEqual((await peekMnistFolder(writeMnistFolder(data))).notes, [], 'one spelling each: nothing to say');
		rmSync(dir, { recursive: true });
	});

	it('rejects a path that is not a folder', () => rejects(() => loadMnistFolder('/nonexistent-mnist'), '/nonexistent-mnist', /does not exist/));

	const fashion = '/usr/share/datasets/fashion-mnist';
	const fashionInstalled = needInstalled(fashion, 'dataset-fashion-mnist');
	it('reads Fashion-MNIST through the same reader', fashionInstalled.options, async () => {
		fashionInstalled.require();
		const f = await loadMnistFolder(fashion);
		assert.equal(f.train.count, 60000);
		assert.equal(f.test.count, 10000);
		assert.equal(f.rows, 28);
	});
});
