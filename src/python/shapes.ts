/** Shape arithmetic for NumPy reductions and broadcasting, on small concrete examples. */

export type Shape = readonly number[];

/** The `axis` of a reduction call. */
export type AxisSpec =
	| { readonly kind: 'none'; readonly given: boolean }
	| { readonly kind: 'axes'; readonly axes: readonly number[]; readonly tuple: boolean; readonly text: string }
	| { readonly kind: 'unknown'; readonly text: string };

/** Axes normalized to [0, ndim), sorted; undefined when one is out of range or repeated (NumPy's AxisError). */
export function normalizeAxes(axis: AxisSpec, ndim: number): number[] | undefined {
	if (axis.kind === 'unknown') return undefined;
	if (axis.kind === 'none') return Array.from({ length: ndim }, (_, i) => i);
	const out: number[] = [];
	for (const a of axis.axes) {
		const n = a < 0 ? a + ndim : a;
		if (!Number.isInteger(n) || n < 0 || n >= ndim || out.includes(n)) return undefined;
		out.push(n);
	}
	return out.sort((x, y) => x - y);
}

/**
 * Why NumPy refuses a literal axis, as it checks: every axis in range first (an AxisError), then no axis twice (a
 * ValueError, "duplicate value in 'axis'"). Undefined when it takes it.
 */
export type AxisProblem = 'outOfRange' | 'repeated';

export function axisProblem(axes: readonly number[], ndim: number): AxisProblem | undefined {
	const seen: number[] = [];
	for (const a of axes) {
		const n = a < 0 ? a + ndim : a;
		if (!Number.isInteger(n) || n < 0 || n >= ndim) return 'outOfRange';
		seen.push(n);
	}
	return new Set(seen).size < seen.length ? 'repeated' : undefined;
}

/** The result shape of reducing `shape` over `axes`. */
export function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): number[] {
	const out: number[] = [];
	shape.forEach((d, i) => {
		if (!axes.includes(i)) out.push(d);
		else if (keepdims) out.push(1);
	});
	return out;
}

/** NumPy's broadcast of two shapes (right-aligned), or undefined when they do not broadcast. */
export function broadcastShapes(a: Shape, b: Shape): number[] | undefined {
	const n = Math.max(a.length, b.length);
	const out: number[] = new Array(n);
	for (let i = 0; i < n; i++) {
		const x = a[a.length - n + i] ?? 1;
		const y = b[b.length - n + i] ?? 1;
		if (x !== y && x !== 1 && y !== 1) return undefined;
		out[i] = x === 1 ? y : x;
	}
	return out;
}

/**
 * How the result *without* keepdims combines with the input in `x - reduce(x)`:
 * `ok` when each value meets its own slice's result anyway, `misaligned` when it broadcasts only because sizes happen
 * to match, pairing the wrong values, `error` when NumPy raises. test/unit/broadcastNumpy.test.ts checks these with NumPy.
 */
export type BroadcastBack = 'ok' | 'misaligned' | 'error';

export function broadcastBack(input: Shape, axes: readonly number[]): BroadcastBack {
	const without = reducedShape(input, axes, false);
	if (!broadcastShapes(input, without)) return 'error';
	// Right alignment pairs the j-th kept axis with input axis n − m + j. Where that is its own axis, or it has size 1 (one
	// value, whichever axis it meets), every element meets its own slice's result.
	const kept = input.map((_, i) => i).filter((i) => !axes.includes(i));
	const shift = input.length - kept.length;
	return kept.every((k, j) => k === shift + j || input[k] === 1) ? 'ok' : 'misaligned';
}

/** True when the reduced axes are the leading ones, so the result lines up with the input's trailing axes as they are. */
export function reducesLeadingAxes(axes: readonly number[]): boolean {
	return axes.every((a, i) => a === i);
}

/** `(100, 10)`, `(100,)` and `()` as Python prints them. */
export function formatShape(shape: Shape): string {
	if (shape.length === 1) return `(${shape[0]},)`;
	return `(${shape.join(', ')})`;
}
