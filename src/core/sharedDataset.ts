import { DatasetError } from './errors';
import type { Dataset, ImageSet, SharedDataset } from './types';

export type { SharedDataset };

/**
 * Whether this platform has shared memory. VS Code's web worker extension host does not: a browser gives
 * SharedArrayBuffer only to cross-origin isolated pages, and the workbench's is not. There each worker gets its own copy.
 */
export const canShareMemory = typeof SharedArrayBuffer === 'function';

/** The bytes in shared memory, so that posting them to workers shares instead of copying (as they are where it cannot). */
export function sharedBytes(a: Uint8Array): Uint8Array {
	if (!canShareMemory || a.buffer instanceof SharedArrayBuffer) return a;
	const s = new Uint8Array(new SharedArrayBuffer(a.length));
	s.set(a);
	return s;
}

function shareSet(set: ImageSet): ImageSet {
	return { count: set.count, size: set.size, pixels: sharedBytes(set.pixels), labels: sharedBytes(set.labels) };
}

/** The same dataset in shared memory (arrays already shared stay as they are; see canShareMemory). */
export function shareDataset(d: Dataset): SharedDataset {
	return { ...d, train: shareSet(d.train), test: shareSet(d.test) };
}

/** Bytes of the decoded images and labels, from the headers' counts (idx files hold one byte per pixel and per label). */
export function decodedBytes(head: { trainCount: number; testCount: number; rows: number; cols: number }): number {
	return (head.trainCount + head.testCount) * (head.rows * head.cols + 1);
}

/**
 * Refuses to decode when the dataset would not fit in the memory that is free: decoding briefly holds a file's inflated
 * bytes and their shared copy, hence twice the decoded size. `free` is what the platform reports (os.freemem in Node).
 */
export function checkFitsInMemory(dir: string, head: { trainCount: number; testCount: number; rows: number; cols: number }, free: number): void {
	const need = 2 * decodedBytes(head);
	if (need > free) {
		throw new DatasetError(dir, { code: 'memory.short', need, free, trainCount: head.trainCount, testCount: head.testCount, rows: head.rows, cols: head.cols });
	}
}
