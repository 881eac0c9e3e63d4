/** The book's `common/functions.py`, on row-major batches (n rows of m values). */

export function sigmoid(x: Float64Array, out: Float64Array = new Float64Array(x.length)): Float64Array {
	for (let i = 0; i < x.length; i++) out[i] = 1 / (1 + Math.exp(-x[i]));
	return out;
}

/** `(1.0 - sigmoid(x)) * sigmoid(x)` */
export function sigmoidGrad(x: Float64Array, out: Float64Array = new Float64Array(x.length)): Float64Array {
	for (let i = 0; i < x.length; i++) {
		const s = 1 / (1 + Math.exp(-x[i]));
		out[i] = (1 - s) * s;
	}
	return out;
}

/**
 * `x - np.max(x, axis=-1, keepdims=True)`, then `exp(x) / np.sum(exp(x), axis=-1, keepdims=True)`.
 * The per-row max and sum are the (n, 1) columns that keepdims keeps, broadcast back over each row's m values.
 */
export function softmax(x: Float64Array, n: number, m: number, out: Float64Array = new Float64Array(n * m)): Float64Array {
	for (let i = 0; i < n; i++) {
		const o = i * m;
		let max = -Infinity;
		for (let j = 0; j < m; j++) if (x[o + j] > max) max = x[o + j];
		let sum = 0;
		for (let j = 0; j < m; j++) {
			const e = Math.exp(x[o + j] - max);
			out[o + j] = e;
			sum += e;
		}
		for (let j = 0; j < m; j++) out[o + j] /= sum;
	}
	return out;
}

/**
 * `-np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size` with t as label indices.
 * `delta = 0` gives the exact log, which backprop's `(y - t) / batch_size` is the derivative of.
 */
export function crossEntropyError(y: Float64Array, t: ArrayLike<number>, n: number, m: number, delta = 1e-7): number {
	let s = 0;
	for (let i = 0; i < n; i++) s += Math.log(y[i * m + t[i]] + delta);
	return -s / n;
}

/** Index of the largest value in each row: `np.argmax(y, axis=1)`. Ties go to the first, as in NumPy. */
export function argmaxRows(y: Float64Array, n: number, m: number, out: Int32Array = new Int32Array(n)): Int32Array {
	for (let i = 0; i < n; i++) {
		let best = 0;
		for (let j = 1; j < m; j++) if (y[i * m + j] > y[i * m + best]) best = j;
		out[i] = best;
	}
	return out;
}
