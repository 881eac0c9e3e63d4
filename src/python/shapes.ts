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
 * `ok` when it lines up with the right axes anyway (leading axes reduced, or a scalar), `misaligned` when it broadcasts
 * only because sizes happen to match, pairing the wrong axes, `error` when NumPy raises.
 */
export type BroadcastBack = 'ok' | 'misaligned' | 'error';

export function broadcastBack(input: Shape, axes: readonly number[]): BroadcastBack {
	const without = reducedShape(input, axes, false);
	if (!broadcastShapes(input, without)) return 'error';
	// Reducing only leading axes leaves the trailing ones, which right-alignment pairs correctly.
	const leading = axes.every((a, i) => a === i);
	return leading ? 'ok' : 'misaligned';
}

/** `(100, 10)`, `(100,)` and `()` as Python prints them. */
export function formatShape(shape: Shape): string {
	if (shape.length === 1) return `(${shape[0]},)`;
	return `(${shape.join(', ')})`;
}
