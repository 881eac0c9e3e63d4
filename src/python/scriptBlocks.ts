/**
 * Block structure the own-script feature needs beyond the hover model: a statement's enclosing headers, a block's
 * body, a `for` header's iterable and the length of `range(...)`. Works on any `for` (also tuple targets), which the
 * hover model's loop list leaves out.
 */
import { K_NAME, K_NUMBER, K_OPEN, endOf, matchOf, startOf } from './tokens';
import type { PythonModel } from './model';

/** Statement indices of the block headers around statement s, innermost first (nearest earlier statement with a smaller indent). */
export function enclosingHeaders(model: PythonModel, s: number): number[] {
	const st = model.stmts;
	const out: number[] = [];
	let limit = st.indent[s];
	for (let p = s - 1; p >= 0 && limit > 0; p--) {
		if (st.afterSemicolon[p] || st.firstTok[p] >= st.endTok[p]) continue;
		if (st.indent[p] < limit) {
			out.push(p);
			limit = st.indent[p];
		}
	}
	return out;
}

/** Statements [s + 1, end) of the block that header s opens. */
export function blockEnd(model: PythonModel, s: number): number {
	const st = model.stmts;
	let e = s + 1;
	while (e < st.count && (st.afterSemicolon[e] || st.firstTok[e] >= st.endTok[e] || st.indent[e] > st.indent[s])) e++;
	return e;
}

export function headerWord(model: PythonModel, s: number): string | undefined {
	const a = model.stmts.firstTok[s];
	return a < model.stmts.endTok[s] && model.tokens.kind[a] === K_NAME ? model.tok(a) : undefined;
}

/** Token range [start, end) of a `for` header's iterable (between the top-level `in` and the header's `:`). */
export function forIterable(model: PythonModel, s: number): { start: number; end: number } | undefined {
	const t = model.tokens;
	const a = model.stmts.firstTok[s];
	const e = model.stmts.endTok[s];
	if (!model.isName(a, 'for') && !(model.isName(a, 'async') && model.isName(a + 1, 'for'))) return undefined;
	let inTok = -1;
	for (let j = a + 1; j < e; j++) {
		if (t.kind[j] === K_OPEN) {
			const m = matchOf(t, j);
			if (m < 0) return undefined;
			j = m;
		} else if (inTok < 0 && model.isName(j, 'in')) inTok = j;
		else if (inTok >= 0 && model.isOp(j, ':')) return j > inTok + 1 ? { start: inTok + 1, end: j } : undefined;
	}
	return undefined;
}

/** The number of items of `range(...)` spanning tokens [start, end), when every argument has a static value. */
export function rangeLength(model: PythonModel, start: number, end: number): number | undefined {
	if (!model.isName(start, 'range') || !model.isOp(start + 1, '(') || matchOf(model.tokens, start + 1) !== end - 1) return undefined;
	const args = model.callArgs(start + 1);
	if (args.length < 1 || args.length > 3 || args.some((x) => x.keyword !== undefined)) return undefined;
	const vals: number[] = [];
	for (const x of args) {
		const v = model.evaluate(x.start, x.end).num;
		if (!v || !Number.isInteger(v.value)) return undefined;
		vals.push(v.value);
	}
	const [from, to, step] = vals.length === 1 ? [0, vals[0], 1] : [vals[0], vals[1], vals[2] ?? 1];
	if (step === 0) return undefined;
	return Math.max(0, Math.ceil((to - from) / step));
}

/** 0-based line of a token. */
export function lineOfTok(model: PythonModel, tok: number): number {
	return model.lineOf(startOf(model.tokens, tok));
}

/** Source text of tokens [s, e). */
export function sourceOf(model: PythonModel, s: number, e: number): string {
	return s < e ? model.text.slice(startOf(model.tokens, s), endOf(model.tokens, e - 1)) : '';
}

/** True when tokens [s, e) are one number literal. */
export function isNumberLiteral(model: PythonModel, s: number, e: number): boolean {
	return e - s === 1 && model.tokens.kind[s] === K_NUMBER;
}
