/** Result shapes shared with the webview: plain data, no node imports, so the browser bundle can type-check against them. */
import type { SamplerId } from './samplers';

/** One `if i % iter_per_epoch == 0` evaluation. */
export interface EvalPoint {
	iter: number;
	/** i / iter_per_epoch */
	epoch: number;
	trainAcc: number;
	testAcc: number;
}

/** What the sampler drew during one epoch's worth of batches (⌈train_size / batch_size⌉ of them). */
export interface EpochStats {
	epoch: number;
	firstIter: number;
	batches: number;
	draws: number;
	/** Distinct training samples drawn / train_size. */
	coverage: number;
	/** Batches holding some index twice. */
	duplicateBatches: number;
	/** The most times one sample was drawn in this epoch. */
	maxDraws: number;
	/** True for a last epoch cut short by the iteration count. */
	partial: boolean;
}

/** One row of the sampler-comparison table, as plain numbers (terminal table, --json, the panel). */
export interface RunSummary {
	sampler: SamplerId;
	seed: number;
	kernel: string;
	finalTrainAcc: number;
	finalTestAcc: number;
	bestTestAcc: number;
	seconds: number;
	meanCoverage: number;
	duplicateBatches: number;
	maxDraws: number;
	finalLoss: number;
	diverged?: { iter: number; loss: number };
}


/** Images kept as uint8 (60,000 × 784 is 47 MB); batches scale them by 1/255 when formed. */
export interface ImageSet {
	count: number;
	/** Pixels per image (rows × cols). */
	size: number;
	pixels: Uint8Array;
	labels: Uint8Array;
}

export interface Dataset {
	/** Where it came from, for the table's header and the log. */
	source: string;
	rows: number;
	cols: number;
	classes: number;
	train: ImageSet;
	test: ImageSet;
	/** The same images already encoded for the wasm kernel in a shared memory (src/core/wasmImages.ts), when they are. */
	encoded?: EncodedImages;
}

/** Where one image set's nonzero-pixel lists and labels are in a wasm memory (byte addresses), and how many rows. */
export interface EncodedSet {
	rowStart: number;
	entries: number;
	labels: number;
	count: number;
}

export interface EncodedImages {
	/** A shared WebAssembly.Memory (typed loosely: the webview's and the node lib's types differ). */
	memory: object;
	train: EncodedSet;
	test: EncodedSet;
}

/**
 * A decoded dataset whose arrays live in SharedArrayBuffers (src/core/sharedDataset.ts). Posting it to a worker shares
 * the memory instead of copying it, so a comparison holds one decoded copy however many workers train on it.
 */
export type SharedDataset = Dataset;
