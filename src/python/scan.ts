/** The statement-level patterns of one document, found once per analysis: assignments, for loops, numpy imports and `.choice(` calls. */
import type { Statements } from './lexer';
import { K_NAME, K_OPEN, lengthOf, matchOf, type Tokens } from './tokens';

/** `name = <rhs>` (or `name: T = <rhs>`) as a whole statement. */
export interface Assignment {
	readonly name: string;
	readonly stmt: number;
	readonly nameTok: number;
	/** Token range of the right-hand side, end exclusive. */
	readonly rhsStart: number;
	readonly rhsEnd: number;
}

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
}

/** What the scan reads of a model (PythonModel has it); an interface, so the model can import the scan and not the reverse. */
export interface ScanSource {
	readonly tokens: Tokens;
	readonly stmts: Statements;
	tok(i: number): string;
	isName(i: number, name?: string): boolean;
	isOp(i: number, op: string): boolean;
}

export interface Scanned {
	/** Per name, in statement order. */
	readonly assignments: Map<string, Assignment[]>;
	/** In statement order. */
	readonly loops: ForLoop[];
	/** Per statement: index in `loops` of the innermost loop whose header or body holds it, or -1. */
	readonly stmtLoop: Int32Array;
	/** Token index of each `choice` in `<something>.choice(`. */
	readonly choiceCalls: number[];
	/** Names bound to the numpy module, and names bound to numpy.random itself. */
	readonly numpyAliases: Set<string>;
	readonly numpyRandomAliases: Set<string>;
}

/** Scans `m`'s statements; it only needs the model's tokens, statements and token tests. */
export function scanStatements(m: ScanSource): Scanned {
	const t = m.tokens;
	const st = m.stmts;
	const found: Scanned = {
		assignments: new Map(),
		loops: [],
		stmtLoop: new Int32Array(st.count).fill(-1),
		choiceCalls: [],
		numpyAliases: new Set(['np', 'numpy']),
		numpyRandomAliases: new Set(),
	};
	const addAssignment = (a: Assignment) => {
		const list = found.assignments.get(a.name);
		if (list) list.push(a);
		else found.assignments.set(a.name, [a]);
	};
	// Loops are recorded when their header is seen (so `loops` is in statement order) and finished when a statement at
	// or left of their indent closes them.
	type Building = { -readonly [K in keyof ForLoop]: ForLoop[K] };
	const building: Building[] = [];
	const open: { id: number; indent: number }[] = [];
	const stmtLoop = found.stmtLoop;
	const closeLoops = (indent: number, at: number) => {
		while (open.length && open[open.length - 1].indent >= indent) {
			const l = building[(open.pop() as (typeof open)[number]).id];
			l.bodyEnd = at;
			l.endTok = at < st.count ? st.firstTok[at] : t.count;
		}
	};
	for (let s = 0; s < st.count; s++) {
		const a = st.firstTok[s];
		const e = st.endTok[s];
		if (!st.afterSemicolon[s] && a < e) closeLoops(st.indent[s], s);
		stmtLoop[s] = open.length ? open[open.length - 1].id : -1;
		if (a >= e) continue;
		if (t.kind[a] !== K_NAME) continue;
		const first = m.tok(a);
		if (first === 'import') scanImport(m, a, e, found);
		else if (first === 'from') scanFromImport(m, a, e, found);
		else if (first === 'for') {
			const loop = scanFor(m, s, a, e);
			if (loop) {
				const id = building.length;
				const parent = stmtLoop[s];
				const rangeAncestor = loop.partial.rangeOpen >= 0 ? id : parent >= 0 ? building[parent].rangeAncestor : -1;
				building.push({ ...loop.partial, bodyEnd: loop.partial.bodyFirst, endTok: e, parent, rangeAncestor });
				stmtLoop[s] = id;
				if (!loop.inline) open.push({ id, indent: st.indent[s] });
			}
		} else if (e - a >= 3 && m.isOp(a + 1, '=')) {
			addAssignment({ name: first, stmt: s, nameTok: a, rhsStart: a + 2, rhsEnd: e });
		} else if (e - a >= 4 && m.isOp(a + 1, ':')) {
			// `name: int = 5`: the first `=` outside brackets (after an unclosed one, everything is inside it).
			for (let j = a + 2; j < e; j++) {
				if (t.kind[j] === K_OPEN) {
					const close = matchOf(t, j);
					if (close < 0) break;
					j = close;
				} else if (m.isOp(j, '=')) {
					if (j + 1 < e) addAssignment({ name: first, stmt: s, nameTok: a, rhsStart: j + 1, rhsEnd: e });
					break;
				}
			}
		}
	}
	closeLoops(-1, st.count);
	found.loops.push(...building);

	for (let i = 1; i + 1 < t.count; i++) {
		// The kind and length tests are cheap; this runs over every token.
		if (t.kind[i] === K_NAME && lengthOf(t, i) === 6 && m.isName(i, 'choice') && m.isOp(i - 1, '.') && m.isOp(i + 1, '(')) found.choiceCalls.push(i);
	}
	return found;
}

function scanImport(m: ScanSource, a: number, e: number, found: Scanned): void {
	// import numpy as np, os
	for (let j = a + 1; j < e; j++) {
		if (!m.isName(j, 'numpy')) continue;
		if (m.isOp(j + 1, '.')) {
			// import numpy.random as npr
			if (m.isName(j + 2, 'random') && m.isName(j + 3, 'as') && m.isName(j + 4)) found.numpyRandomAliases.add(m.tok(j + 4));
			continue;
		}
		if (m.isName(j + 1, 'as') && m.isName(j + 2)) found.numpyAliases.add(m.tok(j + 2));
		else found.numpyAliases.add('numpy');
	}
}

function scanFromImport(m: ScanSource, a: number, e: number, found: Scanned): void {
	// from numpy import random [as npr]
	if (!m.isName(a + 1, 'numpy') || !m.isName(a + 2, 'import')) return;
	for (let j = a + 3; j < e; j++) {
		if (!m.isName(j, 'random')) continue;
		if (m.isName(j + 1, 'as') && m.isName(j + 2)) found.numpyRandomAliases.add(m.tok(j + 2));
		else found.numpyRandomAliases.add('random');
	}
}

function scanFor(m: ScanSource, s: number, a: number, e: number): { partial: Omit<ForLoop, 'bodyEnd' | 'endTok' | 'parent' | 'rangeAncestor'>; inline: boolean } | undefined {
	if (!m.isName(a + 1) || !m.isName(a + 2, 'in')) return undefined;
	const t = m.tokens;
	// The header's `:` is the first top-level colon after `in`.
	let colon = -1;
	for (let j = a + 3; j < e; j++) {
		if (t.kind[j] === K_OPEN) {
			const close = matchOf(t, j);
			if (close < 0) return undefined;
			j = close;
			continue;
		}
		if (m.isOp(j, ':')) {
			colon = j;
			break;
		}
	}
	if (colon < 0) return undefined;
	const rangeOpen = m.isName(a + 3, 'range') && m.isOp(a + 4, '(') && matchOf(t, a + 4) === colon - 1 ? a + 4 : -1;
	return {
		partial: { stmt: s, varName: m.tok(a + 1), varTok: a + 1, rangeOpen, bodyFirst: s + 1 },
		inline: colon + 1 < e,
	};
}
