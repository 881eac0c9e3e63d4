import type { Dataset, ImageSet } from './dataset';
import { TwoLayerNet, cloneParams, type Params } from './twoLayerNet';

/**
 * The hot loop behind one small interface, so a faster implementation can replace the readable one
 * without the training loop noticing.
 */
export interface TrainKernel {
	/** Which implementation ran; reported in logs and --json. */
	readonly name: string;
	/** Gradient, SGD update, then the loss on the same batch after the update (the book's order). */
	step(indices: Int32Array, len: number, lr: number): number;
	accuracy(which: 'train' | 'test'): number;
	params(): Params;
}

export type KernelFactory = (data: Dataset, init: Params, hidden: number) => TrainKernel;

/** `load_mnist(normalize=True)` gives float32 pixels / 255; keeping the float32 rounding keeps us on the book's numbers. */
export const PIXEL_SCALE = Float64Array.from({ length: 256 }, (_, v) => Math.fround(v / 255));

/** Scales the given rows of an image set into a float batch. */
export function formBatch(set: ImageSet, indices: ArrayLike<number>, len: number, out: Float64Array = new Float64Array(len * set.size)): Float64Array {
	const d = set.size;
	for (let r = 0; r < len; r++) {
		const src = indices[r] * d;
		const dst = r * d;
		for (let c = 0; c < d; c++) out[dst + c] = PIXEL_SCALE[set.pixels[src + c]];
	}
	return out;
}

const EVAL_CHUNK = 1000;

/** Accuracy over a whole image set, in chunks so a 60,000-row batch never has to exist as floats. */
export function setAccuracy(net: TwoLayerNet, set: ImageSet): number {
	let correct = 0;
	const rows = new Int32Array(EVAL_CHUNK);
	const x = new Float64Array(EVAL_CHUNK * set.size);
	for (let start = 0; start < set.count; start += EVAL_CHUNK) {
		const len = Math.min(EVAL_CHUNK, set.count - start);
		for (let r = 0; r < len; r++) rows[r] = start + r;
		formBatch(set, rows, len, x);
		correct += net.correct(x.subarray(0, len * set.size), set.labels.subarray(start, start + len), len);
	}
	return correct / set.count;
}

/** The readable reference: the book's TwoLayerNet as written, in float64. */
export const referenceKernel: KernelFactory = (data, init, hidden) => {
	const net = new TwoLayerNet(data.train.size, hidden, data.classes, cloneParams(init));
	const labels = new Uint8Array(data.train.count);
	return {
		name: 'reference',
		step(indices, len, lr) {
			const x = formBatch(data.train, indices, len);
			for (let r = 0; r < len; r++) labels[r] = data.train.labels[indices[r]];
			const t = labels.subarray(0, len);
			const grad = net.gradient(x, t, len);
			for (const key of ['W1', 'b1', 'W2', 'b2'] as const) {
				const p = net.params[key];
				const g = grad[key];
				for (let i = 0; i < p.length; i++) p[i] -= lr * g[i];
			}
			return net.loss(x, t, len);
		},
		accuracy(which) {
			return setAccuracy(net, which === 'train' ? data.train : data.test);
		},
		params() {
			return cloneParams(net.params);
		},
	};
};
