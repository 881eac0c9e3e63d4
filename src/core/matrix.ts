/**
 * The matrix products of the training loop, on row-major Float64Arrays.
 * Zero entries of the left operand are skipped: MNIST rows are ~80% exact zeros, and skipping `0 * w` leaves every sum unchanged.
 */

/** out(n×m) = A(n×k) · B(k×m) */
export function dot(A: Float64Array, B: Float64Array, n: number, k: number, m: number, out: Float64Array = new Float64Array(n * m)): Float64Array {
	out.fill(0, 0, n * m);
	for (let i = 0; i < n; i++) {
		const o = i * m;
		for (let p = 0; p < k; p++) {
			const a = A[i * k + p];
			if (a === 0) continue;
			const b = p * m;
			for (let j = 0; j < m; j++) out[o + j] += a * B[b + j];
		}
	}
	return out;
}

/** out(k×m) = Aᵀ · B, where A is (n×k) and B is (n×m). */
export function dotTransA(A: Float64Array, B: Float64Array, n: number, k: number, m: number, out: Float64Array = new Float64Array(k * m)): Float64Array {
	out.fill(0, 0, k * m);
	for (let i = 0; i < n; i++) {
		const bi = i * m;
		for (let p = 0; p < k; p++) {
			const a = A[i * k + p];
			if (a === 0) continue;
			const o = p * m;
			for (let j = 0; j < m; j++) out[o + j] += a * B[bi + j];
		}
	}
	return out;
}

/** out(n×k) = A · Bᵀ, where A is (n×m) and B is (k×m). */
export function dotTransB(A: Float64Array, B: Float64Array, n: number, m: number, k: number, out: Float64Array = new Float64Array(n * k)): Float64Array {
	for (let i = 0; i < n; i++) {
		for (let p = 0; p < k; p++) {
			let s = 0;
			for (let j = 0; j < m; j++) s += A[i * m + j] * B[p * m + j];
			out[i * k + p] = s;
		}
	}
	return out;
}

/** Adds the row vector `b` (length m) to every row of X (n×m), in place. */
export function addRowVector(X: Float64Array, b: Float64Array, n: number, m: number): Float64Array {
	for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) X[i * m + j] += b[j];
	return X;
}

/** Column sums of X (n×m): `np.sum(X, axis=0)`. */
export function sumRows(X: Float64Array, n: number, m: number, out: Float64Array = new Float64Array(m)): Float64Array {
	out.fill(0, 0, m);
	for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j] += X[i * m + j];
	return out;
}
