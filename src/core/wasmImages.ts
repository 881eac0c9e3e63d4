import type { EncodedImages, EncodedSet, ImageSet } from './types';
import { Heap, instantiate, newMemory, type KernelExports, type WasmMemory, type WasmModule } from './wasmRuntime';

/**
 * Images in wasm memory as lists of their nonzero pixels (MNIST is ~80% zeros): row r's pixels are
 * entries[rowStart[r] .. rowStart[r + 1]), each (pixel << 8) | value, and its label is labels[r].
 */

const STAGE_ROWS = 1024;

/**
 * Encodes images into wasm memory, `rows` picking which images and in what order (all of them by default), and returns
 * where they are. Two passes through a small staging area, so the uint8 pixels never exist twice in wasm.
 */
export function encodeImages(heap: Heap, set: ImageSet, rows?: ArrayLike<number>, rowCount = rows ? rows.length : set.count): EncodedSet {
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
	return { rowStart, entries, labels, count: rowCount };
}

/** Points set `which` (0 train, 1 test) of an instance at encoded images, the first `count` of them. */
export function useImages(ex: KernelExports, which: number, set: EncodedSet, count = set.count): void {
	ex.setData(which, set.rowStart, set.entries, set.labels, Math.min(count, set.count));
}

/** Copies images into wasm memory as set 0 or 1 of this instance (the probe's batch, or a kernel's private copy). */
export function loadImages(heap: Heap, which: number, set: ImageSet, rows?: ArrayLike<number>, rowCount = rows ? rows.length : set.count): void {
	useImages(heap.ex, which, encodeImages(heap, set, rows, rowCount));
}

/**
 * Encodes a training and a test set once into a new shared memory, for every worker of a comparison to train on
 * without a copy of its own (the memory is posted along with the dataset).
 */
export function encodeShared(module: WasmModule, train: ImageSet, test: ImageSet): EncodedImages {
	const memory: WasmMemory = newMemory(module);
	const heap = new Heap(instantiate(module, memory));
	return { memory, train: encodeImages(heap, train), test: encodeImages(heap, test) };
}
