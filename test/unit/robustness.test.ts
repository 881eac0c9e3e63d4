import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { MNIST_FILES } from '../../src/core/dataset';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdxHeader } from '../../src/core/idx';
import { loadMnistFolder, missingMnistFiles, parseIdx, peekIdxDims, peekMnistFolder, readIdxFile } from '../support/nodeData';
import { type ChildCall, childRejects, FILES, folderWith, freshDir, IMAGE_FILES, IMAGES, IMAGES_GZ, inChildAll, LABELS, LABELS_GZ, rejects, root, scratch, tried, withHeader, writeMnistFolder } from '../support/badData';
import { idxBytes, syntheticDataset } from '../support/synthetic';

// Bad data: every input must be refused with a DatasetError naming the file (or folder) and the problem. The counts per
// kind are printed at the end; bad settings are in badSettings.test.ts.

describe('bad idx data', () => {
	it('truncated files: the header, the payload, and gzip cut mid-stream', async () => {
		for (let n = 0; n < 16; n++) await rejects('truncated', () => parseIdx('imgs', IMAGES.subarray(0, n)), 'imgs', /^is truncated/);
		for (let n = 0; n < 8; n++) await rejects('truncated', () => parseIdx('lbls', LABELS.subarray(0, n)), 'lbls', /^is truncated/);
		for (const n of [16, 17, 400, IMAGES.length - 1]) {
			await rejects('truncated', () => parseIdx('imgs', IMAGES.subarray(0, n)), 'imgs', new RegExp(`^is truncated: the header \\(8 × 28 × 28\\) needs 6,288 bytes, the data has ${n.toLocaleString('en-US')}`));
		}
		await rejects('truncated', () => parseIdx('lbls', LABELS.subarray(0, 15)), 'lbls', /^is truncated: the header \(8\) needs 16 bytes, the data has 15/);
		// Cut in the gzip header, in the deflate data, and in the 8-byte trailer.
		for (const n of [2, 5, 10, 12, 20, 40, 1000, IMAGES_GZ.length >> 1, IMAGES_GZ.length - 8, IMAGES_GZ.length - 1]) {
			await rejects('truncated', () => parseIdx('imgs.gz', IMAGES_GZ.subarray(0, n)), 'imgs.gz', /^is (a )?truncated/);
		}
		await rejects('truncated', () => parseIdx('lbls.gz', LABELS_GZ.subarray(0, LABELS_GZ.length - 3)), 'lbls.gz', /^is a truncated gzip stream/);
	});

	it('truncated files on disk: the reader, the peek and the folder name the file', async () => {
		for (const raw of [true, false]) {
			const { dir, path } = folderWith(raw, MNIST_FILES.trainImages, raw ? IMAGES.subarray(0, 1000) : IMAGES_GZ.subarray(0, 200));
			await rejects('truncated', () => readIdxFile(path), path, /truncated/);
			await rejects('truncated', () => loadMnistFolder(dir), path, /truncated/);
			// Only the header is read: a truncated header is caught, a truncated payload only by a full load.
			const { dir: d2, path: p2 } = folderWith(raw, MNIST_FILES.testImages, raw ? IMAGES.subarray(0, 10) : IMAGES_GZ.subarray(0, 11));
			await rejects('truncated', () => peekIdxDims(p2), p2, /truncated/);
			await rejects('truncated', () => peekMnistFolder(d2), p2, /truncated/);
			await rejects('truncated', () => loadMnistFolder(d2), p2, /truncated/);
		}
	});

	it('wrong magic numbers, raw and gzip, in memory and in a folder', async () => {
		const bad = [0x00000000, 0x00000804, 0x00000800, 0x00000c03, 0x00000903, 0x03080000, 0x12340803, 0x504b0304, 0x3c68746d];
		for (const magic of bad) {
			const b = withHeader(IMAGES, 0, magic);
			const hex = magic.toString(16).padStart(8, '0');
			await rejects('wrong magic', () => parseIdx('imgs', b), 'imgs', new RegExp(`^has the wrong magic number 0x${hex}; an MNIST idx file starts with 0x00000803`));
			await rejects('wrong magic', () => parseIdx('imgs.gz', gzipSync(b)), 'imgs.gz', new RegExp(`wrong magic number 0x${hex}`));
			await rejects('wrong magic', () => parseIdxHeader('imgs', b), 'imgs', /wrong magic number/);
		}
		// Valid idx, but the other kind.
		await rejects('wrong magic', () => parseIdx('lbls', IMAGES, IDX_LABELS_MAGIC), 'lbls', /^has magic number 0x00000803 but should hold labels/);
		await rejects('wrong magic', () => parseIdx('imgs.gz', LABELS_GZ, IDX_IMAGES_MAGIC), 'imgs.gz', /^has magic number 0x00000801 but should hold images/);
		await rejects('wrong magic', () => parseIdx('2d', idxBytes(0x802, [2, 2], new Uint8Array(4)), IDX_IMAGES_MAGIC), '2d', /should hold images/);
		for (const raw of [true, false]) {
			// Images and labels swapped, as a mislabelled download would be.
			const { dir, path } = folderWith(raw, MNIST_FILES.trainLabels, raw ? IMAGES : IMAGES_GZ);
			await rejects('wrong magic', () => loadMnistFolder(dir), path, /should hold labels/);
			const { dir: d2, path: p2 } = folderWith(raw, MNIST_FILES.testImages, raw ? withHeader(IMAGES, 0, 0x03080000) : gzipSync(withHeader(IMAGES, 0, 0x03080000)));
			await rejects('wrong magic', () => peekMnistFolder(d2), p2, /wrong magic number 0x03080000/);
			await rejects('wrong magic', () => peekIdxDims(p2), p2, /wrong magic number/);
			await rejects('wrong magic', () => loadMnistFolder(d2), p2, /wrong magic number/);
		}
	});

	it('header counts and dimensions that do not match the file size', async () => {
		const cases: { field: number; value: number; problem: RegExp }[] = [
			{ field: 1, value: 9, problem: /^is truncated: the header \(9 × 28 × 28\) needs 7,072 bytes, the data has 6,288/ },
			{ field: 1, value: 7, problem: /^has 784 bytes more than its header \(7 × 28 × 28\) describes/ },
			{ field: 2, value: 29, problem: /^is truncated: the header \(8 × 29 × 28\)/ },
			{ field: 3, value: 27, problem: /^has 224 bytes more than its header \(8 × 28 × 27\)/ },
			{ field: 1, value: 60000, problem: /^is truncated: the header \(60000 × 28 × 28\) needs 47,040,016 bytes/ },
		];
		for (const { field, value, problem } of cases) {
			const b = withHeader(IMAGES, field, value);
			await rejects('size mismatch', () => parseIdx('imgs', b), 'imgs', problem);
		}
		// gzip: too short is "truncated"; too long stops the inflate at the size the header implies.
		await rejects('size mismatch', () => parseIdx('imgs.gz', gzipSync(withHeader(IMAGES, 1, 9))), 'imgs.gz', /^is truncated: the header \(9 × 28 × 28\)/);
		await rejects('size mismatch', () => parseIdx('imgs.gz', gzipSync(withHeader(IMAGES, 1, 7))), 'imgs.gz', /^decompresses to more than the 5,504 bytes its header implies/);
		await rejects('size mismatch', () => parseIdx('lbls.gz', gzipSync(withHeader(LABELS, 1, 9))), 'lbls.gz', /^is truncated: the header \(9\)/);
		await rejects('size mismatch', () => parseIdx('lbls.gz', gzipSync(Buffer.concat([LABELS, Buffer.of(1)]))), 'lbls.gz', /^decompresses to more than the 16 bytes/);
		await rejects('size mismatch', () => parseIdx('lbls', Buffer.concat([LABELS, Buffer.of(1, 2)])), 'lbls', /^has 2 bytes more than its header \(8\)/);
		for (const raw of [true, false]) {
			const bytes = withHeader(LABELS, 1, 30);
			const { dir, path } = folderWith(raw, MNIST_FILES.trainLabels, raw ? bytes : gzipSync(bytes));
			await rejects('size mismatch', () => loadMnistFolder(dir), path, /truncated/);
		}
	});

	it('absurd dimensions: 10^9 images, zero or huge sides, zero items', async () => {
		const absurd: { dims: number[]; problem: RegExp }[] = [
			{ dims: [1_000_000_000, 28, 28], problem: /^has an absurd header: 1000000000 × 28 × 28 would need 784,000,000,000 bytes, more than the 512 MB limit/ },
			{ dims: [0xffffffff, 4096, 4096], problem: /absurd header/ },
			{ dims: [700_000, 28, 28], problem: /absurd header/ },
			{ dims: [8, 0, 28], problem: /^has an absurd dimension 0 \(allowed 1 to 4096\)/ },
			{ dims: [8, 28, 4097], problem: /absurd dimension 4097/ },
			{ dims: [8, 0xffffffff, 28], problem: /absurd dimension 4294967295/ },
			{ dims: [0, 28, 28], problem: /^says it holds 0 items/ },
		];
		for (const { dims, problem } of absurd) {
			const b = idxBytes(IDX_IMAGES_MAGIC, dims, new Uint8Array(64));
			const buffersBefore = process.memoryUsage().arrayBuffers;
			await rejects('absurd dimensions', () => parseIdx('huge', b), 'huge', problem);
			await rejects('absurd dimensions', () => parseIdx('huge.gz', gzipSync(b)), 'huge.gz', problem);
			await rejects('absurd dimensions', () => parseIdxHeader('huge', b), 'huge', problem);
			// Refused from the header alone, before anything the header's size is allocated.
			assert.ok(process.memoryUsage().arrayBuffers - buffersBefore < 8 << 20, 'no large allocation');
		}
		await rejects('absurd dimensions', () => parseIdx('lbls', idxBytes(IDX_LABELS_MAGIC, [1_000_000_000], new Uint8Array(8))), 'lbls', /absurd header: 1000000000 would need/);
	});

	it('absurd sizes on disk do not allocate: a gzip bomb, 10^9 images, and huge sparse files', { timeout: 120_000 }, async (t) => {
		// A 1 GB bomb of about 1 MB: one member with a header, then 63 members of 16 MB of zeros (gunzip joins members).
		const zeros = gzipSync(Buffer.alloc(16 << 20));
		const { dir: bombFolder } = folderWith(false);
		const bombs: { path: string; header: Uint8Array; problem: RegExp }[] = [
			{ path: join(bombFolder, `${MNIST_FILES.trainImages}.gz`), header: idxBytes(IDX_IMAGES_MAGIC, [30, 4, 4], new Uint8Array(0)), problem: /^decompresses to more than the 496 bytes its header implies/ },
			{ path: join(freshDir(), 'claims-1e9-images.gz'), header: idxBytes(IDX_IMAGES_MAGIC, [1_000_000_000, 28, 28], new Uint8Array(0)), problem: /^has an absurd header: 1000000000 × 28 × 28/ },
		];
		const calls: (ChildCall & { file: string; problem: RegExp })[] = [];
		for (const { path, header, problem } of bombs) {
			writeFileSync(path, Buffer.concat([gzipSync(Buffer.concat([header, Buffer.alloc(16 << 20)])), ...Array.from({ length: 63 }, () => zeros)]));
			const gz = readFileSync(path);
			assert.ok(gz.length < 1.2e6, `the bomb is ${gz.length} bytes`);
			await rejects('absurd dimensions', () => parseIdx(path, gz), path, problem);
			calls.push({ op: 'readIdxFile', path, file: path, problem });
		}
		calls.push({ op: 'loadMnistFolder', path: bombFolder, file: bombs[0].path, problem: bombs[0].problem });
		// Raw files as large as their headers claim (or larger), sparse so they cost no disk; the 3 GB one is past what readFileSync can hold.
		const sparse = (name: string, dims: number[], size: number) => {
			const path = join(freshDir(), name);
			const fd = openSync(path, 'w');
			writeSync(fd, idxBytes(IDX_IMAGES_MAGIC, dims, new Uint8Array(0)));
			ftruncateSync(fd, size);
			closeSync(fd);
			return path;
		};
		const sparseFiles: { path: string; problem: RegExp }[] = [
			{ path: sparse('1e9-images', [1_000_000_000, 1, 1], 1_000_000_016), problem: /^is 1,000,000,016 bytes, more than the 512 MB limit for an idx file/ },
			{ path: sparse('3-images-then-1.2GB', [3, 28, 28], 1.2e9), problem: /^is 1,200,000,000 bytes, more than the 512 MB limit/ },
			{ path: sparse('3GB', [3, 28, 28], 3e9), problem: /^is 3,000,000,000 bytes, more than the 512 MB limit/ },
		];
		for (const { path, problem } of sparseFiles) {
			calls.push({ op: 'readIdxFile', path, file: path, problem });
			// The peek reads 4 KB whatever the size, and judges the header alone.
			if (path.endsWith('1e9-images')) await rejects('absurd dimensions', () => peekIdxDims(path), path, /absurd header/);
			else assert.deepEqual(await peekIdxDims(path), [3, 28, 28]);
		}
		const results = inChildAll(calls);
		// Proof that the meter sees a 64 MB allocation at all, in a child of its own: after the calls above, the allocator
		// may reuse memory they freed but kept resident, and the allocation then shows as less (50 MB was seen).
		const [meter] = inChildAll([{ op: 'alloc64MB', path: '' }]);
		assert.ok(meter.peakGrowthMB > 56, `the memory meter should see a 64 MB allocation (saw ${meter.peakGrowthMB.toFixed(1)} MB)`);
		results.forEach((r, i) => {
			childRejects('absurd dimensions', r, calls[i].file, calls[i].problem);
			assert.ok(r.peakGrowthMB < 48, `${calls[i].op} ${calls[i].path} grew the peak RSS by ${r.peakGrowthMB.toFixed(1)} MB`);
		});
		t.diagnostic(`memory: peak RSS growth per absurd input ${results.map((r) => r.peakGrowthMB.toFixed(1)).join(', ')} MB; a 64 MB allocation shows as ${meter.peakGrowthMB.toFixed(1)} MB`);
	});

	it('labels out of range, in either labels file, raw and gzip', async () => {
		for (const raw of [true, false]) {
			for (const [which, n] of [['train', 30], ['test', 12]] as const) {
				for (const [index, value] of [[0, 10], [n >> 1, 255], [n - 1, 11]]) {
					const bad = syntheticDataset(30, 12, 4);
					bad[which].labels[index] = value;
					const dir = writeMnistFolder(bad, raw);
					const file = join(dir, (which === 'train' ? MNIST_FILES.trainLabels : MNIST_FILES.testLabels) + (raw ? '' : '.gz'));
					await rejects('labels out of range', () => loadMnistFolder(dir), file, new RegExp(`^has label ${value} at index ${index}; labels must be 0 to 9`));
				}
			}
		}
	});

	it('image and label counts that differ', async () => {
		for (const raw of [true, false]) {
			for (const [name, images, delta] of [
				[MNIST_FILES.trainLabels, 30, -1],
				[MNIST_FILES.trainLabels, 30, 1],
				[MNIST_FILES.testLabels, 12, -11],
				[MNIST_FILES.testLabels, 12, 100],
			] as const) {
				const n = images + delta;
				const labels = idxBytes(IDX_LABELS_MAGIC, [n], new Uint8Array(n).fill(3));
				const { dir, path } = folderWith(raw, name, raw ? labels : gzipSync(labels));
				await rejects('count mismatch', () => loadMnistFolder(dir), path, new RegExp(`^holds ${n} labels but .*${images} images; the counts must match`));
			}
			// Train and test images of different sizes: the folder is named, since neither file is wrong alone.
			const test = idxBytes(IDX_IMAGES_MAGIC, [12, 5, 5], new Uint8Array(12 * 25));
			const { dir } = folderWith(raw, MNIST_FILES.testImages, raw ? test : gzipSync(test));
			await rejects('count mismatch', () => loadMnistFolder(dir), dir, /^has 4×4 training images but 5×5 test images/);
		}
	});

	it('a .gz that is not gzip', async () => {
		const fakes: [string, Uint8Array][] = [
			['raw idx', IMAGES],
			['an HTML error page', Buffer.from('<!DOCTYPE html><html><body>404 Not Found</body></html>')],
			['a zip', Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00')],
			['bzip2', Buffer.from('BZh91AY&SY')],
			['one byte of gzip magic', Uint8Array.of(0x1f)],
			['xz', Uint8Array.of(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)],
		];
		for (const [, bytes] of fakes) await rejects('not gzip', () => parseIdx('x.gz', bytes), 'x.gz', /^is named \.gz but is not gzip data/);
		// gzip magic, then garbage.
		await rejects('not gzip', () => parseIdx('x.gz', Uint8Array.of(0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, ...Buffer.from('this is not deflate data at all'))), 'x.gz', /^is not valid gzip data|^is truncated/);
		await rejects('not gzip', () => parseIdx('x.gz', Uint8Array.of(0x1f, 0x8b, 0x07, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4)), 'x.gz', /^is not valid gzip data/);
		for (const name of FILES) {
			const { dir, path } = folderWith(false, name, Buffer.from('<html>Rate limit exceeded</html>'));
			await rejects('not gzip', () => loadMnistFolder(dir), path, /named \.gz but is not gzip/);
			await rejects('not gzip', () => readIdxFile(path), path, /named \.gz but is not gzip/);
			await rejects('not gzip', () => peekIdxDims(path), path, /named \.gz but is not gzip/);
			if (IMAGE_FILES.includes(name)) await rejects('not gzip', () => peekMnistFolder(dir), path, /named \.gz but is not gzip/);
		}
	});

	it('a folder missing each of the four files in turn', async () => {
		for (const raw of [true, false]) {
			for (const name of FILES) {
				const { dir, path } = folderWith(raw, name);
				rmSync(path);
				assert.deepEqual(await missingMnistFiles(dir), [name]);
				const problem = new RegExp(`^is missing ${name}\\(\\.gz\\); an MNIST folder needs all four idx files`);
				await rejects('missing file', () => loadMnistFolder(dir), dir, problem);
				await rejects('missing file', () => peekMnistFolder(dir), dir, problem);
			}
		}
		const empty = freshDir();
		await rejects('missing file', () => loadMnistFolder(empty), empty, new RegExp(`^is missing ${FILES.map((f) => `${f}\\(\\.gz\\)`).join(', ')}`));
	});

	it('unreadable files and folders (permission denied)', async (t) => {
		if (!root) {
			// Without root a chmod 000 file is unreadable in-process, unless a capability says otherwise.
			const { dir, path } = folderWith(false, MNIST_FILES.trainLabels);
			chmodSync(path, 0o000);
			let readable = true;
			try {
				readFileSync(path);
			} catch {
				readable = false;
			}
			if (readable) return t.skip('not root, and chmod 000 does not make a file unreadable for this user');
			await rejects('unreadable', () => loadMnistFolder(dir), path, /cannot be read \(permission denied\)/);
			return;
		}
		// Root reads anything, so the reading runs in a child with uid/gid 65534 (nobody).
		const problem = /^cannot be read \(permission denied\); check the file permissions/;
		const calls: (ChildCall & { file: string; problem: RegExp })[] = [];
		for (const raw of [true, false]) {
			for (const name of FILES) {
				const { dir, path } = folderWith(raw, name);
				chmodSync(path, 0o000);
				calls.push({ op: 'loadMnistFolder', path: dir, file: path, problem }, { op: 'readIdxFile', path, file: path, problem }, { op: 'peekIdxDims', path, file: path, problem });
				if (IMAGE_FILES.includes(name)) calls.push({ op: 'peekMnistFolder', path: dir, file: path, problem });
				// The same folder loads for root: only the permission was wrong.
				assert.equal((await loadMnistFolder(dir)).train.count, 30);
			}
		}
		// A folder that cannot be listed: its files look missing, and the message says why.
		const { dir } = folderWith(false);
		chmodSync(dir, 0o000);
		for (const op of ['loadMnistFolder', 'peekMnistFolder'] as const) calls.push({ op, path: dir, file: dir, problem: /^cannot be listed \(permission denied\)/ });
		const results = inChildAll(calls, { asNobody: true });
		chmodSync(dir, 0o755);
		results.forEach((r, i) => {
			assert.equal(r.uid, 65534);
			childRejects('unreadable', r, calls[i].file, calls[i].problem);
		});
	});

	it('a folder with only mnist.pkl (or mnist.pkl and some of the idx files)', async () => {
		const problem = /^holds mnist\.pkl but not the idx \.gz files; Minibatch Lab reads the four idx files \(train-images-idx3-ubyte\.gz, .*\), which the book's dataset\/mnist\.py downloads next to mnist\.pkl/;
		const only = freshDir();
		writeFileSync(join(only, 'mnist.pkl'), Buffer.from([0x80, 0x04, 0x95]));
		await rejects('mnist.pkl only', () => loadMnistFolder(only), only, problem);
		await rejects('mnist.pkl only', () => peekMnistFolder(only), only, problem);
		const partial = folderWith(false, MNIST_FILES.testLabels).dir;
		rmSync(join(partial, `${MNIST_FILES.testLabels}.gz`));
		writeFileSync(join(partial, 'mnist.pkl'), 'pickle');
		await rejects('mnist.pkl only', () => loadMnistFolder(partial), partial, problem);
	});

	it('a path that is a file, or does not exist', async () => {
		const { path } = folderWith(false, MNIST_FILES.trainImages);
		for (const fn of [loadMnistFolder, peekMnistFolder]) {
			await rejects('path is a file', () => fn(path), path, /^is a file; give the folder that holds the four MNIST idx files/);
			await rejects('path is a file', () => fn(join(scratch, 'no-such-folder')), join(scratch, 'no-such-folder'), /^does not exist; give a folder that holds the four MNIST idx files/);
		}
	});

	it('empty files, each of the four in turn, raw and gzip', async () => {
		for (const raw of [true, false]) {
			for (const name of FILES) {
				const { dir, path } = folderWith(raw, name, new Uint8Array(0));
				const problem = raw ? /^is truncated: 0 bytes, too short for an idx header/ : /^is named \.gz but is not gzip data \(an HTML error page or an unfinished download\?\)/;
				await rejects('empty file', () => loadMnistFolder(dir), path, problem);
				await rejects('empty file', () => readIdxFile(path), path, problem);
				await rejects('empty file', () => peekIdxDims(path), path, problem);
				if (IMAGE_FILES.includes(name)) await rejects('empty file', () => peekMnistFolder(dir), path, problem);
			}
		}
	});

	it('a folder where a file is expected', async () => {
		for (const raw of [true, false]) {
			for (const name of FILES) {
				const { dir, path } = folderWith(raw, name);
				rmSync(path);
				mkdirSync(path);
				await rejects('folder as file', () => loadMnistFolder(dir), path, /^is a folder, not an idx file/);
				await rejects('folder as file', () => readIdxFile(path), path, /^is a folder, not an idx file/);
				await rejects('folder as file', () => peekIdxDims(path), path, /^is a folder, not an idx file/);
				if (IMAGE_FILES.includes(name)) await rejects('folder as file', () => peekMnistFolder(dir), path, /^is a folder, not an idx file/);
			}
		}
	});

	it('a FIFO or a device where a file is expected is refused, not read forever', async (t) => {
		// In a child with a timeout: a regression here would block the thread for good.
		const mk = spawnSync('mkfifo', ['--help'], { encoding: 'utf8' });
		if (mk.error) return t.skip('mkfifo is not installed');
		const { dir, path } = folderWith(false, MNIST_FILES.trainImages);
		rmSync(path);
		assert.equal(spawnSync('mkfifo', [path]).status, 0);
		const calls: ChildCall[] = [
			{ op: 'peekMnistFolder', path: dir },
			{ op: 'loadMnistFolder', path: dir },
			{ op: 'peekIdxDims', path },
			{ op: 'readIdxFile', path },
		];
		if (existsSync('/dev/zero')) calls.push({ op: 'readIdxFile', path: '/dev/zero' }, { op: 'peekIdxDims', path: '/dev/zero' });
		for (const [i, r] of inChildAll(calls, { timeoutMs: 10_000 }).entries()) {
			const file = calls[i].path === dir ? path : calls[i].path;
			childRejects('not a regular file', r, file, /^is not a regular file/);
		}
	});

	it('reports how many bad inputs of each kind were tried', async (t) => {
		const total = [...tried.values()].reduce((a, b) => a + b, 0);
		t.diagnostic(`bad data tried: ${total} (${[...tried].map(([k, n]) => `${k} ${n}`).join(', ')})`);
		for (const kind of ['truncated', 'wrong magic', 'size mismatch', 'absurd dimensions', 'labels out of range', 'count mismatch', 'not gzip', 'missing file', 'mnist.pkl only', 'path is a file', 'empty file', 'folder as file']) {
			assert.ok((tried.get(kind) ?? 0) > 0, `no bad input of kind "${kind}" was tried`);
		}
	});
});
