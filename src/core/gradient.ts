/**
 * The book's `numerical_gradient` (common/gradient.py): a central difference with h = 1e-4 over every element,
 * restoring each one. It costs two loss evaluations (two forward passes) per parameter, which is why it is slow.
 */
export function numericalGradient(f: () => number, x: Float64Array, h = 1e-4, onElement?: (done: number) => boolean | void): Float64Array {
	const grad = new Float64Array(x.length);
	for (let idx = 0; idx < x.length; idx++) {
		const tmp = x[idx];
		x[idx] = tmp + h;
		const fxh1 = f();
		x[idx] = tmp - h;
		const fxh2 = f();
		grad[idx] = (fxh1 - fxh2) / (2 * h);
		x[idx] = tmp;
		if (onElement && onElement(idx + 1) === false) break;
	}
	return grad;
}
