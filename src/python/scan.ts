/** The statement-level patterns of one document, found once per analysis: assignments, for loops, functions, imports and sampler calls. */
import type { Statements } from './lexer';
import { emptyImports, scanFromImport, scanImport, type Imports } from './scanImports';
import { scanAssignment, scanParameters, type Assignment } from './scanTargets';
import { K_NAME, K_OPEN, lengthOf, matchOf, type Tokens } from './tokens';

export type { Assignment } from './scanTargets';
export type { Imports } from './scanImports';

/** `for <var> in <iterable>:` with its body as a statement range. */
export interface ForLoop {
	readonly stmt: number;
	readonly varName: string;
	readonly varTok: number;
	/** The `(` of `range(`, or -1 when the loop is not over `range(...)`. */
	readonly rangeOpen: number;
	/** Body statements [bodyFirst, bodyEnd); empty for a one-line body (`for i in x: f(i)`). */
	readonly bodyFirst: number;
	readonly bodyEnd: number;
	/** Exclusive token index where the loop (header and body) ends. */
	readonly endTok: number;
	/** Index in `loops` of the innermost loop around this one, or -1. */
	readonly parent: number;
	/** Index in `loops` of this loop if it is over `range(...)`, else of the nearest such loop around it, or -1. */
	readonly rangeAncestor: number;
	/** A `while` loop (varName is its counter, or '' when its test is not `counter < bound`). */
	readonly isWhile?: boolean;
	/** `while counter < bound:` / `<=`: the bound's tokens [start, end). */
	readonly whileTest?: { readonly op: '<' | '<='; readonly bound: readonly [number, number]; readonly viaBreak?: boolean };
}

/** `def name(params):` with its body as a statement range. */
export interface FunctionDef {
	readonly name: string;
	readonly stmt: number;
	readonly params: readonly string[];
	readonly bodyFirst: number;
	readonly bodyEnd: number;
}

/** What the scan reads of a model (PythonModel has it); an interface, so the model can import the scan and not the reverse. */
export interface ScanSource {
	readonly text: string;
	readonly tokens: Tokens;
	readonly stmts: Statements;
	tok(i: number): string;
	isName(i: number, name?: string): boolean;
	isOp(i: number, op: string): boolean;
}

export interface Scanned extends Imports {
	/** Per name, in statement order. */
	readonly assignments: Map<string, Assignment[]>;
	/** In statement order. */
	readonly loops: ForLoop[];
	/** Per statement: index in `loops` of the innermost loop whose header or body holds it, or -1. */
	readonly stmtLoop: Int32Array;
	/** In statement order. */
	readonly defs: FunctionDef[];
	/** Token index of each `choice` in `<something>.choice(`, and of each `pick(` where `pick` is numpy.random's choice. */
	readonly choiceCalls: number[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Scans `m`'s statements; it only needs the model's tokens, statements and token tests. */
export function scanStatements(m: ScanSource): Scanned {
	const t = m.tokens;
	const st = m.stmts;
	const found: Scanned = {
		...emptyImports(),
		assignments: new Map(),
		loops: [],
		stmtLoop: new Int32Array(st.count).fill(-1),
		defs: [],
		choiceCalls: [],
	};
	const addAssignment = (a: Assignment) => {
		const list = found.assignments.get(a.name);
		if (list) list.push(a);
		else found.assignments.set(a.name, [a]);
	};
	// Blocks are recorded when their header is seen (so the lists are in statement order) and finished when a
	// statement at or left of their indent closes them.
	const loops: Mutable<ForLoop>[] = [];
	const defs: Mutable<FunctionDef>[] = [];
	const open: { loop: number; def: number; indent: number }[] = [];
	const stmtLoop = found.stmtLoop;
	let innermostLoop = -1;
	const closeBlocks = (indent: number, at: number) => {
		while (open.length && open[open.length - 1].indent >= indent) {
			const b = open.pop() as (typeof open)[number];
			if (b.loop >= 0) {
				loops[b.loop].bodyEnd = at;
				loops[b.loop].endTok = at < st.count ? st.firstTok[at] : t.count;
			} else defs[b.def].bodyEnd = at;
		}
		innermostLoop = -1;
		for (let k = open.length - 1; k >= 0; k--) {
			if (open[k].loop >= 0) {
				innermostLoop = open[k].loop;
				break;
			}
		}
	};
	for (let s = 0; s < st.count; s++) {
		const a = st.firstTok[s];
		const e = st.endTok[s];
		if (!st.afterSemicolon[s] && a < e && open.length && open[open.length - 1].indent >= st.indent[s]) closeBlocks(st.indent[s], s);
		stmtLoop[s] = innermostLoop;
		if (a >= e) continue;
		if (t.kind[a] !== K_NAME) {
			if (t.kind[a] === K_OPEN) scanAssignment(m, s, a, e, addAssignment);
			continue;
		}
		const len = lengthOf(t, a);
		if ((len === 3 && m.isName(a, 'for')) || (len === 5 && m.isName(a, 'while'))) {
			const loop = len === 3 ? scanFor(m, s, a, e) : scanWhile(m, s, a, e);
			if (loop) {
				const id = loops.length;
				const parent = stmtLoop[s];
				const rangeAncestor = loop.partial.rangeOpen >= 0 ? id : parent >= 0 ? loops[parent].rangeAncestor : -1;
				loops.push({ ...loop.partial, bodyEnd: loop.partial.bodyFirst, endTok: e, parent, rangeAncestor });
				stmtLoop[s] = id;
				if (!loop.inline) {
					open.push({ loop: id, def: -1, indent: st.indent[s] });
					innermostLoop = id;
				}
			}
		} else if (len === 3 && m.isName(a, 'def')) {
			const d = scanParameters(m, s, a, e, addAssignment);
			// A one-line body (`def f(): return 1`) opens no block.
			if (d && m.isOp(e - 1, ':')) {
				defs.push({ name: d.name, stmt: s, params: d.params, bodyFirst: s + 1, bodyEnd: s + 1 });
				open.push({ loop: -1, def: defs.length - 1, indent: st.indent[s] });
			}
		} else if (len === 6 && m.isName(a, 'import')) scanImport(m, a, e, found);
		else if (len === 4 && m.isName(a, 'from')) scanFromImport(m, a, e, found);
		else scanAssignment(m, s, a, e, addAssignment);
	}
	closeBlocks(-1, st.count);
	const budget = { left: MAX_BREAK_SCAN };
	for (let id = 0; id < loops.length && budget.left > 0; id++) if (loops[id].isWhile && !loops[id].whileTest) breakTest(m, loops[id], id, stmtLoop, budget);
	found.loops.push(...loops);
	found.defs.push(...defs);

	findChoiceCalls(m, found);
	return found;
}

/**
 * `.choice(` calls, and bare calls of names imported as numpy.random's choice. Its own function: this loop runs over
 * every token, and V8 optimizes a small hot function sooner than one inside the statement scan.
 */
function findChoiceCalls(m: ScanSource, found: Scanned): void {
	const t = m.tokens;
	const kind = t.kind;
	const out = found.choiceCalls;
	const imported = [...found.randomFunctions].filter(([, f]) => f === 'choice').map(([local]) => local);
	if (imported.length === 0) {
		for (let i = 1; i + 1 < t.count; i++) {
			if (kind[i] === K_NAME && lengthOf(t, i) === 6 && m.isName(i, 'choice') && m.isOp(i - 1, '.') && m.isOp(i + 1, '(')) out.push(i);
		}
		return;
	}
	for (let i = 0; i + 1 < t.count; i++) {
		if (kind[i] !== K_NAME || !m.isOp(i + 1, '(')) continue;
		if (m.isOp(i - 1, '.')) {
			if (lengthOf(t, i) === 6 && m.isName(i, 'choice')) out.push(i);
		} else if (!m.isName(i - 1, 'def') && imported.some((n) => m.isName(i, n))) out.push(i);
	}
}

/** Statements searched for `if counter >= bound: break`, over all `while True:` loops: nested ones would search the file again and again. */
const MAX_BREAK_SCAN = 100_000;

type ScannedLoop = { partial: Omit<ForLoop, 'bodyEnd' | 'endTok' | 'parent' | 'rangeAncestor'>; inline: boolean };

/** The header's `:`: the first top-level colon from token `from`, or -1. */
function headerColon(m: ScanSource, from: number, e: number): number {
	const t = m.tokens;
	for (let j = from; j < e; j++) {
		if (t.kind[j] === K_OPEN) {
			const close = matchOf(t, j);
			if (close < 0) return -1;
			j = close;
			continue;
		}
		if (m.isOp(j, ':')) return j;
	}
	return -1;
}

/** `while epoch < max_epochs:` (a counter below a bound), or any other `while`, whose counter is then ''. */
function scanWhile(m: ScanSource, s: number, a: number, e: number): ScannedLoop | undefined {
	const colon = headerColon(m, a + 1, e);
	if (colon < 0) return undefined;
	const inline = colon + 1 < e;
	const op = m.isOp(a + 2, '<') ? '<' : m.isOp(a + 2, '<=') ? '<=' : undefined;
	if (!m.isName(a + 1) || !op || a + 3 >= colon) return { partial: { stmt: s, varName: '', varTok: a, rangeOpen: -1, bodyFirst: s + 1, isWhile: true, whileTest: undefined }, inline };
	for (let j = a + 3; j < colon; j++) if (m.isName(j, 'and') || m.isName(j, 'or') || m.isOp(j, '<') || m.isOp(j, '>')) return { partial: { stmt: s, varName: '', varTok: a, rangeOpen: -1, bodyFirst: s + 1, isWhile: true, whileTest: undefined }, inline };
	return { partial: { stmt: s, varName: m.tok(a + 1), varTok: a + 1, rangeOpen: -1, bodyFirst: s + 1, isWhile: true, whileTest: { op, bound: [a + 3, colon] } }, inline };
}

/**
 * `while True:` whose body ends it with `if counter >= bound: break` (or `==`, `>`): read as `while counter < bound:`
 * (`<=` for `>`). Only the loop's own statements count, not those of a loop nested in it.
 */
function breakTest(m: ScanSource, loop: Mutable<ForLoop>, id: number, stmtLoop: Int32Array, budget: { left: number }): void {
	const st = m.stmts;
	const head = st.firstTok[loop.stmt];
	if (!(m.isName(head + 1, 'True') || m.isOp(head + 1, '1')) || !m.isOp(head + 2, ':')) return;
	for (let s = loop.bodyFirst; s < loop.bodyEnd && budget.left-- > 0; s++) {
		const a = st.firstTok[s];
		const e = st.endTok[s];
		if (stmtLoop[s] !== id || !m.isName(a, 'if') || !m.isName(a + 1)) continue;
		const op = m.isOp(a + 2, '>=') || m.isOp(a + 2, '==') ? '<' : m.isOp(a + 2, '>') ? '<=' : undefined;
		// `if i >= n: break` on one line, or `break` as the next statement, alone in the `if` block.
		const colon = headerColon(m, a + 3, e);
		if (!op || colon <= a + 3) continue;
		const inline = colon + 1 < e;
		const brk = inline ? colon + 1 : s + 1 < loop.bodyEnd ? st.firstTok[s + 1] : -1;
		if (brk < 0 || !m.isName(brk, 'break') || (inline ? brk + 1 !== e : st.indent[s + 1] <= st.indent[s] || st.endTok[s + 1] !== brk + 1)) continue;
		loop.varName = m.tok(a + 1);
		loop.varTok = a + 1;
		loop.whileTest = { op, bound: [a + 3, colon], viaBreak: true };
		return;
	}
}

/**
 * A range wrapped in a progress bar, which runs the same iterations: `trange(n)` (its arguments are range's),
 * `tqdm(range(n), desc=…)`, `tqdm.tqdm(range(n))`. The `(` whose arguments are the range's, or -1.
 */
function progressRange(m: ScanSource, s: number, colon: number): number {
	let j = s;
	while (j + 2 < colon && m.isName(j) && m.isOp(j + 1, '.')) j += 2;
	if (!m.isName(j) || !m.isOp(j + 1, '(') || matchOf(m.tokens, j + 1) !== colon - 1) return -1;
	const fn = m.tok(j);
	if (fn === 'trange') return j + 1;
	if (fn !== 'tqdm' || !m.isName(j + 2, 'range') || !m.isOp(j + 3, '(')) return -1;
	const close = matchOf(m.tokens, j + 3);
	return close > 0 && (m.isOp(close + 1, ',') || close + 1 === colon - 1) ? j + 3 : -1;
}

function scanFor(m: ScanSource, s: number, a: number, e: number): ScannedLoop | undefined {
	if (!m.isName(a + 1) || !m.isName(a + 2, 'in')) return undefined;
	const t = m.tokens;
	// The header's `:` is the first top-level colon after `in`.
	const colon = headerColon(m, a + 3, e);
	if (colon < 0) return undefined;
	const rangeOpen = m.isName(a + 3, 'range') && m.isOp(a + 4, '(') && matchOf(t, a + 4) === colon - 1 ? a + 4 : progressRange(m, a + 3, colon);
	return {
		partial: { stmt: s, varName: m.tok(a + 1), varTok: a + 1, rangeOpen, bodyFirst: s + 1, isWhile: false, whileTest: undefined },
		inline: colon + 1 < e,
	};
}
