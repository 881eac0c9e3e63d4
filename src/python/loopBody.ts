/**
 * What a loop's body does, read from its tokens: whether it trains (a gradient, an update), which slices it takes with
 * its variable, its `if i % n == 0:` check, and a `break` that ends it early.
 */
import type { ForLoop, PythonModel } from './model';
import { K_NAME, K_NUMBER, K_OPEN, lengthOf, matchOf } from './tokens';

/** Statements [first, end) of a body. */
export type StmtRange = readonly [first: number, end: number];

/** Names that, called, mean a gradient is computed. */
const GRADIENT_CALLS = new Set(['gradient', 'numerical_gradient', 'backward']);
/** Statements scanned per body for these signs, and per loop for slices: generated bodies can be huge. */
const MAX_BODY_TOKENS = 200_000;

/** True when statements [first, end) compute a gradient or update parameters (`-=`, `optimizer.update(…)`, `.step()`). */
export function trains(model: PythonModel, [first, end]: StmtRange): boolean {
	const st = model.stmts;
	const t = model.tokens;
	if (first >= end) return false;
	const a = st.firstTok[first];
	const e = Math.min(st.endTok[end - 1], a + MAX_BODY_TOKENS);
	for (let j = a; j < e; j++) {
		if (t.kind[j] === K_NAME) {
			const n = lengthOf(t, j);
			if (n < 4 || n > 18 || !model.isOp(j + 1, '(')) continue;
			const name = model.tok(j);
			if (GRADIENT_CALLS.has(name)) return true;
			if ((name === 'update' || name === 'step') && model.isOp(j - 1, '.') && /optim|opt$|solver/i.test(model.compact(model.chainStart(j - 1), j - 1))) return true;
		} else if (lengthOf(t, j) === 2 && model.isOp(j, '-=')) return true;
	}
	return false;
}

/** True when statements [first, end) call `name(…)` or `<x>.name(…)`. */
export function callsFunction(model: PythonModel, [first, end]: StmtRange, name: string): boolean {
	const st = model.stmts;
	const t = model.tokens;
	if (first >= end) return false;
	const a = st.firstTok[first];
	const e = Math.min(st.endTok[end - 1], a + MAX_BODY_TOKENS);
	for (let j = a; j < e; j++) if (t.kind[j] === K_NAME && lengthOf(t, j) === name.length && model.isName(j, name) && model.isOp(j + 1, '(') && !model.isName(j - 1, 'def')) return true;
	return false;
}

/** True when statements [first, end) call `.accuracy(` or `accuracy(`. */
function evaluatesAccuracy(model: PythonModel, range: StmtRange): boolean {
	return callsFunction(model, range, 'accuracy');
}

/** `x[lo:hi]` in a loop whose variable (or a name computed from it in the body) appears in lo or hi. */
export interface LoopSlice {
	readonly stmt: number;
	/** The `[` token. */
	readonly open: number;
	/** The sliced expression's tokens and text (`perm`, `x_train`). */
	readonly arrayStart: number;
	readonly array: string;
	readonly lo: readonly [number, number];
	readonly hi: readonly [number, number];
	/** The name the statement assigns the slice to, when it is `name = x[lo:hi]`. */
	readonly target?: string;
}

/** The statement range of a loop's own body and the names it computes from its variable there. */
function loopNames(model: PythonModel, loop: ForLoop): Set<string> {
	const names = new Set([loop.varName]);
	for (let s = loop.bodyFirst; s < loop.bodyEnd; s++) {
		const a = model.stmts.firstTok[s];
		const e = model.stmts.endTok[s];
		if (!model.isName(a) || !model.isOp(a + 1, '=')) continue;
		for (let j = a + 2; j < e; j++) {
			if (model.tokens.kind[j] === K_NAME && names.has(model.tok(j))) {
				names.add(model.tok(a));
				break;
			}
		}
	}
	return names;
}

function mentions(model: PythonModel, [s, e]: readonly [number, number], names: Set<string>): boolean {
	for (let j = s; j < e; j++) if (model.tokens.kind[j] === K_NAME && !model.isOp(j - 1, '.') && names.has(model.tok(j))) return true;
	return false;
}

/** The first slice taken with the loop's variable in the loop's own statements (not in loops nested in it). */
export function loopSlice(model: PythonModel, loop: ForLoop): LoopSlice | undefined {
	return loopSlices(model, loop, 1)[0];
}

/** The slices taken with the loop's variable in its own statements, in order, at most `limit`. */
export function loopSlices(model: PythonModel, loop: ForLoop, limit: number): LoopSlice[] {
	const out: LoopSlice[] = [];
	const st = model.stmts;
	const t = model.tokens;
	let names: Set<string> | undefined;
	let budget = MAX_BODY_TOKENS;
	for (let s = loop.bodyFirst; s < loop.bodyEnd && budget > 0; s++) {
		if (model.loopAt(st.firstTok[s]) !== loop) continue;
		const a = st.firstTok[s];
		const e = st.endTok[s];
		budget -= e - a;
		for (let j = a; j < e; j++) {
			if (t.kind[j] !== K_OPEN || !model.isOp(j, '[') || j === a) continue;
			const close = matchOf(t, j);
			if (close < 0) break;
			let colon = -1;
			for (let k = j + 1; k < close; k++) {
				if (t.kind[k] === K_OPEN) k = Math.max(k, matchOf(t, k));
				else if (model.isOp(k, ':')) {
					colon = k;
					break;
				} else if (model.isOp(k, ',')) break;
			}
			if (colon < 0) continue;
			const start = model.chainStart(j);
			if (start < 0) continue;
			names ??= loopNames(model, loop);
			const lo = [j + 1, colon] as const;
			let hiEnd = close;
			for (let k = colon + 1; k < close; k++) {
				if (t.kind[k] === K_OPEN) k = Math.max(k, matchOf(t, k));
				else if (model.isOp(k, ':')) {
					hiEnd = k;
					break;
				}
			}
			const hi = [colon + 1, hiEnd] as const;
			if (!mentions(model, lo, names) && !mentions(model, hi, names)) continue;
			const target = model.isName(a) && model.isOp(a + 1, '=') && start === a + 2 && close === e - 1 ? model.tok(a) : undefined;
			out.push({ stmt: s, open: j, arrayStart: start, array: model.compact(start, j), lo, hi, target });
			if (out.length >= limit) return out;
		}
	}
	return out;
}

/** Other arrays the loop slices with the same bounds as `slice` (`t_train[i:i + b]` beside `x_train[i:i + b]`). */
export function sameBoundsSlices(model: PythonModel, loop: ForLoop, slice: LoopSlice): string[] {
	const text = (r: readonly [number, number]) => model.compact(r[0], r[1]);
	const lo = text(slice.lo);
	const hi = text(slice.hi);
	const arrays = loopSlices(model, loop, 16)
		.filter((x) => x.array !== slice.array && text(x.lo) === lo && text(x.hi) === hi)
		.map((x) => x.array);
	return [...new Set(arrays)];
}

/** `if <counter> % <divisor> == 0:` in a body: the block that runs every `divisor` iterations. */
export interface PeriodicCheck {
	readonly stmt: number;
	/** The counter as written: the loop variable, or a name like `self.current_iter`. */
	readonly counter: string;
	/** The divisor's tokens and text. */
	readonly divisor: readonly [number, number];
	readonly divisorText: string;
	/** The divisor is a (dotted) name, e.g. `iter_per_epoch`. */
	readonly divisorName?: string;
	/** The block calls `accuracy(…)`. */
	readonly accuracy: boolean;
	/** Statements of the `if` block. */
	readonly block: StmtRange;
}

/** The statements of the block opened by statement s (deeper indented statements right after it). */
export function blockOf(model: PythonModel, s: number, limit: number): StmtRange {
	const st = model.stmts;
	let k = s + 1;
	while (k < limit && (st.indent[k] > st.indent[s] || st.afterSemicolon[k] || st.firstTok[k] >= st.endTok[k])) k++;
	return [s + 1, k];
}

/** The first `if c % d == 0:` in the ranges whose counter is one of `counters` (or any name when counters is empty). */
export function periodicCheck(model: PythonModel, ranges: readonly StmtRange[], counters: ReadonlySet<string>): PeriodicCheck | undefined {
	const st = model.stmts;
	for (const [first, end] of ranges) {
		for (let s = first; s < end; s++) {
			const a = st.firstTok[s];
			const e = st.endTok[s];
			if (!model.isName(a, 'if')) continue;
			let j = a + 1;
			let counter = '';
			while (j < e && model.isName(j)) {
				counter += model.tok(j);
				if (!model.isOp(j + 1, '.')) break;
				counter += '.';
				j += 2;
			}
			if (!counter || !model.isOp(j + 1, '%')) continue;
			if (counters.size && !counters.has(counter)) continue;
			let eq = j + 2;
			while (eq < e && !model.isOp(eq, '==')) eq++;
			if (eq >= e || eq === j + 2 || model.tokens.kind[eq + 1] !== K_NUMBER || model.tok(eq + 1) !== '0' || !model.isOp(eq + 2, ':')) continue;
			const divisor = [j + 2, eq] as const;
			const divisorText = model.compact(j + 2, eq);
			const block = blockOf(model, s, end);
			const divisorName = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?$/.test(divisorText) ? divisorText : undefined;
			return { stmt: s, counter, divisor, divisorText, divisorName, accuracy: evaluatesAccuracy(model, block), block };
		}
	}
	return undefined;
}

/** `if counter >= limit: break` inside the periodic block, with `counter += 1` there: the loop's real end. */
export interface BreakStop {
	readonly stmt: number;
	readonly counter: string;
	readonly op: '>=' | '>' | '==';
	readonly limit: readonly [number, number];
	readonly limitText: string;
}

/** A `break` of the loop itself (not of a loop nested in it) in statements [first, end). */
export function breakIn(model: PythonModel, loop: ForLoop, [first, end]: StmtRange): number | undefined {
	for (let s = first; s < end; s++) if (model.isName(model.stmts.firstTok[s], 'break') && model.loopAt(model.stmts.firstTok[s]) === loop) return s;
	return undefined;
}

/** The book's `epoch_cnt += 1; if epoch_cnt >= max_epochs: break` inside the periodic check's block. */
export function counterBreak(model: PythonModel, loop: ForLoop, check: PeriodicCheck): BreakStop | undefined {
	const st = model.stmts;
	const [first, end] = check.block;
	for (let s = first; s < end; s++) {
		const a = st.firstTok[s];
		const e = st.endTok[s];
		if (!model.isName(a, 'if') || !model.isName(a + 1) || !model.isOp(e - 1, ':')) continue;
		const opTok = a + 2;
		const op = ['>=', '>', '=='].find((o) => model.isOp(opTok, o)) as BreakStop['op'] | undefined;
		if (!op || opTok + 1 >= e - 1) continue;
		const next = s + 1;
		if (next >= end || !model.isName(st.firstTok[next], 'break') || model.loopAt(st.firstTok[next]) !== loop) continue;
		const counter = model.tok(a + 1);
		// The counter goes up by one in the same block, before the test.
		const inc = model.assignments.get(counter)?.find((x) => x.stmt >= first && x.stmt < s && x.kind === 'augmented' && x.op === '+' && x.rhsEnd - x.rhsStart === 1 && model.tok(x.rhsStart) === '1');
		if (!inc) return undefined;
		return { stmt: s, counter, op, limit: [opTok + 1, e - 1], limitText: model.compact(opTok + 1, e - 1) };
	}
	return undefined;
}
