/** The keepdims/axis hover: which reduction a keyword belongs to, and the shapes it produces on an example input. */
import type { PythonModel } from './model';
import type { OffsetRange } from './rewrite';
import { axisProblem, broadcastBack, normalizeAxes, reducedShape, type AxisProblem, type AxisSpec, type BroadcastBack, type Shape } from './shapes';
import { K_NAME, K_OPEN, matchOf, startOf } from './tokens';
import { exprSource } from './quantities';

export interface ReductionCall {
	/** `max`, `sum`, … */
	readonly fn: string;
	/** `np.max(x, …)` or `x.max(…)`. */
	readonly form: 'function' | 'method';
	/** The callee as written, whitespace removed: `np.max`, `x.max`, `np.exp(x).sum`. */
	readonly callee: string;
	/** The reduced expression: `x`, `np.exp(x)`. */
	readonly input: string;
	readonly axis: AxisSpec;
	/** The `keepdims=` value: literal True/False, absent (False), or some expression. */
	readonly keepdims: 'true' | 'false' | 'absent' | 'unknown';
}

/** Where the example input shape came from. */
export type ShapeSource =
	| { readonly kind: 'book' }
	| { readonly kind: 'file'; readonly line: number; readonly code: string };

export interface ReductionHover {
	readonly kind: 'keepdims' | 'axis';
	readonly range: OffsetRange;
	readonly call: ReductionCall;
	readonly inputShape: Shape;
	readonly shapeSource: ShapeSource;
	/** Normalized reduced axes; undefined when the axis is not a literal or is out of range (see axisError). */
	readonly axes?: readonly number[];
	readonly axisError: boolean;
	/** What NumPy raises for this axis: an AxisError (out of range), a ValueError (an axis twice), a TypeError (a tuple for argmax/argmin). */
	readonly axisProblem?: AxisProblem | 'tuple';
	readonly without?: Shape;
	readonly with?: Shape;
	readonly broadcastWithout?: BroadcastBack;
	/** argmax/argmin return indices (same shapes). */
	readonly returnsIndices: boolean;
}

const REDUCTIONS = new Set(['sum', 'max', 'min', 'mean', 'prod', 'std', 'var', 'argmax', 'argmin', 'amax', 'amin', 'nansum', 'nanmax', 'nanmin', 'nanmean']);
const ELEMENTWISE = new Set(['exp', 'log', 'abs', 'sqrt', 'square', 'tanh', 'negative', 'sin', 'cos', 'log1p', 'expm1', 'exp2', 'sign']);
/** The book's softmax input in chapter 4: a batch of 100 rows of 10 class scores. */
const BOOK_SHAPE: Shape = [100, 10];
const MAX_SHAPE_DEPTH = 4;

export function reductionHover(model: PythonModel, tok: number, word: 'keepdims' | 'axis', range: OffsetRange): ReductionHover | undefined {
	const t = model.tokens;
	const open = model.parentOf(tok);
	if (open < 1 || !model.isOp(open, '(') || t.kind[open - 1] !== K_NAME) return undefined;
	// `keepdims` must be a keyword of this call, not of a nested one: its parent is the call's `(`.
	const fn = model.tok(open - 1);
	if (!REDUCTIONS.has(fn) || !model.isOp(open - 2, '.')) return undefined;
	const recvStart = model.chainStart(open - 2);
	if (recvStart < 0) return undefined;
	const receiver = model.compact(recvStart, open - 2);
	const form: 'function' | 'method' = model.isNumpy(receiver) ? 'function' : 'method';
	const args = model.callArgs(open);
	const positional = args.filter((a) => a.keyword === undefined);
	let inputRange: [number, number] | undefined;
	let axisArg;
	if (form === 'function') {
		const a = args.find((x) => x.keyword === 'a') ?? positional[0];
		if (a) inputRange = [a.start, a.end];
		axisArg = args.find((x) => x.keyword === 'axis') ?? (args.some((x) => x.keyword === 'a') ? positional[0] : positional[1]);
	} else {
		inputRange = [recvStart, open - 2];
		axisArg = args.find((x) => x.keyword === 'axis') ?? positional[0];
	}
	// Python rejects positional arguments after keywords; `np.sum(axis=1, x)` is not a reduction we can explain.
	const axis: AxisSpec = axisArg ? parseAxis(model, axisArg.start, axisArg.end) : { kind: 'none', given: false };
	const kd = args.find((x) => x.keyword === 'keepdims');
	let keepdims: ReductionCall['keepdims'] = 'absent';
	if (kd) {
		const v = kd.end - kd.start === 1 ? model.tok(kd.start) : '';
		keepdims = v === 'True' || v === '1' ? 'true' : v === 'False' || v === '0' ? 'false' : 'unknown';
	}
	const call: ReductionCall = {
		fn,
		form,
		callee: `${receiver.length > 60 ? receiver.slice(0, 59) + '…' : receiver}.${fn}`,
		input: inputRange ? exprSource(model, inputRange[0], inputRange[1]) : '',
		axis,
		keepdims,
	};
	const found = inputRange ? shapeOf(model, inputRange[0], inputRange[1], 0) : undefined;
	const inputShape = found?.shape ?? BOOK_SHAPE;
	const shapeSource: ShapeSource = found ? found.source : { kind: 'book' };
	const axes = normalizeAxes(axis, inputShape.length);
	const argLike = fn === 'argmax' || fn === 'argmin';
	// argmax/argmin take one axis only, whatever the tuple holds.
	const problem = axis.kind !== 'axes' ? undefined : argLike && axis.tuple ? 'tuple' : axisProblem(axis.axes, inputShape.length);
	const axisError = problem !== undefined;
	const ok = axes && !axisError;
	return {
		kind: word,
		range,
		call,
		inputShape,
		shapeSource,
		axes: ok ? axes : undefined,
		axisError,
		...(problem ? { axisProblem: problem } : {}),
		without: ok ? reducedShape(inputShape, axes, false) : undefined,
		with: ok ? reducedShape(inputShape, axes, true) : undefined,
		broadcastWithout: ok ? broadcastBack(inputShape, axes) : undefined,
		returnsIndices: argLike,
	};
}

function parseAxis(model: PythonModel, s: number, e: number): AxisSpec {
	const text = exprSource(model, s, e);
	if (e - s === 1 && model.isName(s, 'None')) return { kind: 'none', given: true };
	const one = intAt(model, s, e);
	if (one !== undefined) return { kind: 'axes', axes: [one], tuple: false, text };
	if (model.isOp(s, '(') && matchOf(model.tokens, s) === e - 1) {
		const axes: number[] = [];
		let j = s + 1;
		while (j < e - 1) {
			let k = j;
			while (k < e - 1 && !model.isOp(k, ',')) k++;
			const v = intAt(model, j, k);
			if (v === undefined) return { kind: 'unknown', text };
			axes.push(v);
			j = k + 1;
		}
		return { kind: 'axes', axes, tuple: true, text };
	}
	return { kind: 'unknown', text };
}

/** An int literal (`-1`) or a name bound to one. */
function intAt(model: PythonModel, s: number, e: number): number | undefined {
	if (e <= s || e - s > 3) return undefined;
	const ev = model.evaluate(s, e);
	return ev.num && !ev.num.isFloat && Number.isSafeInteger(ev.num.value) ? ev.num.value : undefined;
}

/** A concrete shape for the tokens [s, e) when the file shows one cheaply (a constructor, a reshape, a literal). */
function shapeOf(model: PythonModel, s: number, e: number, depth: number): { shape: number[]; source: ShapeSource } | undefined {
	if (depth > MAX_SHAPE_DEPTH || e <= s) return undefined;
	const t = model.tokens;
	if (e - s === 1 && model.isName(s)) {
		const a = model.assignmentAt(model.tok(s), s);
		const use = model.stmtOf(s);
		if (!a || a.stmt >= use || crossesDef(model, a.stmt, use)) return undefined;
		const inner = shapeOf(model, a.rhsStart, a.rhsEnd, depth + 1);
		if (!inner) return undefined;
		const code = exprSource(model, a.nameTok, a.rhsEnd);
		return inner.source.kind === 'file' && depth > 0 ? inner : { shape: inner.shape, source: { kind: 'file', line: model.lineOf(startOf(t, a.nameTok)), code } };
	}
	// x.T
	if (e - s >= 3 && model.isOp(e - 2, '.') && model.isName(e - 1, 'T')) {
		const inner = shapeOf(model, s, e - 2, depth + 1);
		return inner && { shape: [...inner.shape].reverse(), source: inner.source };
	}
	// …(args) at the end: a constructor, an elementwise function, or .reshape.
	const close = e - 1;
	const open = matchOf(t, close);
	if (!model.isOp(close, ')') || open <= s || !model.isName(open - 1) || !model.isOp(open - 2, '.')) return undefined;
	const fn = model.tok(open - 1);
	const rs = model.chainStart(open - 2);
	if (rs !== s) return undefined;
	const recv = model.compact(s, open - 2);
	const args = model.callArgs(open);
	const here = { kind: 'file' as const, line: model.lineOf(startOf(t, s)), code: exprSource(model, s, e) };
	const pos = args.filter((a) => !a.keyword);
	const kw = (k: string) => args.find((a) => a.keyword === k);
	if (fn === 'reshape') {
		const dims = dimsOf(model, pos.length === 1 ? [pos[0].start, pos[0].end] : undefined, pos);
		return dims && { shape: dims, source: here };
	}
	if (model.isNumpy(recv)) {
		if (ELEMENTWISE.has(fn) && pos[0]) return shapeOf(model, pos[0].start, pos[0].end, depth + 1);
		if (['zeros', 'ones', 'empty', 'full'].includes(fn)) {
			const a = kw('shape') ?? pos[0];
			const dims = a && dimsOf(model, [a.start, a.end], [a]);
			return dims && { shape: dims, source: here };
		}
		if (fn === 'arange' && pos.length === 1) {
			const n = intAt(model, pos[0].start, pos[0].end);
			return n !== undefined && n >= 0 ? { shape: [n], source: here } : undefined;
		}
		if (fn === 'array' && pos[0]) {
			const dims = listShape(model, pos[0].start, pos[0].end);
			return dims && { shape: dims, source: here };
		}
		return undefined;
	}
	if (model.isNumpyRandom(recv)) {
		if (fn === 'randn' || fn === 'rand') {
			const dims = dimsOf(model, undefined, pos);
			return dims && dims.length > 0 ? { shape: dims, source: here } : undefined;
		}
		const sizeIndex: Record<string, number> = { random: 0, random_sample: 0, standard_normal: 0, normal: 2, uniform: 2, randint: 2 };
		if (fn in sizeIndex) {
			const a = kw('size') ?? pos[sizeIndex[fn]];
			const dims = a && dimsOf(model, [a.start, a.end], [a]);
			return dims && { shape: dims, source: here };
		}
	}
	return undefined;
}

/** True when a `def` header at a lower indent lies between two statements: the use is probably in another scope. */
function crossesDef(model: PythonModel, from: number, to: number): boolean {
	const st = model.stmts;
	const indent = st.indent[to];
	for (let s = to; s > from; s--) {
		if (st.indent[s] < indent && model.isName(st.firstTok[s], 'def')) return true;
	}
	return st.indent[from] > indent;
}

/** Dimensions from one tuple/int argument or from several int arguments; undefined unless all are non-negative ints. */
function dimsOf(model: PythonModel, single: [number, number] | undefined, many: { start: number; end: number }[]): number[] | undefined {
	const out: number[] = [];
	if (single && model.isOp(single[0], '(') && matchOf(model.tokens, single[0]) === single[1] - 1) {
		let j = single[0] + 1;
		const end = single[1] - 1;
		while (j < end) {
			let k = j;
			while (k < end && !model.isOp(k, ',')) k++;
			const v = intAt(model, j, k);
			if (v === undefined || v < 0) return undefined;
			out.push(v);
			j = k + 1;
		}
		return out.length > 0 && out.length <= 8 ? out : undefined;
	}
	if (many.length === 0 || many.length > 8) return undefined;
	for (const a of many) {
		const v = intAt(model, a.start, a.end);
		if (v === undefined || v < 0) return undefined;
		out.push(v);
	}
	return out;
}

/** Shape of a nested list literal `[[1, 2], [3, 4]]`; bounded so a huge literal costs little. */
function listShape(model: PythonModel, s: number, e: number): number[] | undefined {
	const t = model.tokens;
	if (!model.isOp(s, '[') || matchOf(t, s) !== e - 1) return undefined;
	const items: [number, number][] = [];
	let j = s + 1;
	while (j < e - 1) {
		let k = j;
		while (k < e - 1 && !model.isOp(k, ',')) {
			if (t.kind[k] === K_OPEN && matchOf(t, k) > k) k = matchOf(t, k);
			k++;
		}
		if (k > j) items.push([j, k]);
		j = k + 1;
		if (items.length > 4096) return undefined;
	}
	if (items.length === 0) return [0];
	const first = items[0];
	if (!model.isOp(first[0], '[')) return [items.length];
	const inner = listShape(model, first[0], first[1]);
	return inner && inner.length < 8 ? [items.length, ...inner] : undefined;
}
