/**
 * Assignment statements as Python has them, as far as the hovers need them: `a = 1`, `a: int = 1`, `a = b = 1`,
 * `a, b = 1, 2`, `(a, b) = [1, 2]`, `a += 1`, `self.a = 1`, and parameter defaults `def f(a=1)`. Each bound name
 * becomes one Assignment whose right-hand side is the token range of its own value when the file shows it.
 */
import type { Statements } from './lexer';
import { K_CLOSE, K_NAME, K_OP, K_OPEN, lengthOf, matchOf, startOf, type Tokens } from './tokens';

/** One name bound by a statement. */
export interface Assignment {
	readonly name: string;
	readonly stmt: number;
	readonly nameTok: number;
	/** Token range of the value, end exclusive. */
	readonly rhsStart: number;
	readonly rhsEnd: number;
	/**
	 * How the name is bound when it is not a plain `name = value` (or one element of a matching tuple):
	 * `unpacked`: a target of `a, b = value` whose value is no tuple display (no static value: rhs is the whole value);
	 * `augmented`: `name op= value`, with `op` (`*` for `*=`); `parameter`: a default, `def fn(name=value)`.
	 */
	readonly kind?: 'unpacked' | 'augmented' | 'parameter';
	readonly op?: string;
	/** For a parameter: the function's name. */
	readonly fn?: string;
}

/** What the target parser reads of a model. */
export interface TargetSource {
	readonly text: string;
	readonly tokens: Tokens;
	readonly stmts: Statements;
	tok(i: number): string;
	isName(i: number, name?: string): boolean;
	isOp(i: number, op: string): boolean;
}

/** Nesting of tuple targets followed: `((a, b), c)` is two. */
const MAX_TARGET_DEPTH = 6;
/** Names in one tuple target: more is generated code, not a learner's settings. */
const MAX_TARGETS = 64;
/** Parts of a dotted target: `self.a` and `self.net.a`. */
const MAX_DOTTED = 3;
/** Names that start a statement but never an assignment. */
const STATEMENT_KEYWORDS = new Set([
	'if', 'elif', 'else', 'for', 'while', 'def', 'class', 'return', 'import', 'from', 'with', 'try', 'except', 'finally',
	'raise', 'assert', 'del', 'pass', 'break', 'continue', 'global', 'nonlocal', 'lambda', 'yield', 'async', 'await', 'print',
	'not', 'and', 'or', 'in', 'is', 'None', 'True', 'False',
]);

/** An augmented operator's text without its `=`, or undefined for `=`, `==`, `<=`, `>=`, `!=` and other operators. */
function augmentedOp(m: TargetSource, j: number): string | undefined {
	const t = m.tokens;
	if (t.kind[j] !== K_OP) return undefined;
	const len = lengthOf(t, j);
	if (len < 2) return undefined;
	const s = startOf(t, j);
	if (m.text.charCodeAt(s + len - 1) !== 61) return undefined;
	const op = m.text.slice(s, s + len - 1);
	return ['+', '-', '*', '/', '//', '%', '**', '@', '&', '|', '^', '>>', '<<'].includes(op) ? op : undefined;
}

/** `name` or `a.b(.c)` exactly filling [s, e): its text without spaces, or undefined. */
function dottedName(m: TargetSource, s: number, e: number): string | undefined {
	if (e - s < 1 || (e - s) % 2 === 0 || (e - s + 1) / 2 > MAX_DOTTED) return undefined;
	let out = '';
	for (let j = s; j < e; j += 2) {
		if (!m.isName(j) || (j + 1 < e && !m.isOp(j + 1, '.'))) return undefined;
		const part = m.tok(j);
		if (STATEMENT_KEYWORDS.has(part)) return undefined;
		out += j === s ? part : `.${part}`;
	}
	return out;
}

/** Splits [s, e) at top-level commas (brackets skipped); undefined when a bracket is unclosed. A trailing comma adds nothing. */
function splitCommas(m: TargetSource, s: number, e: number): [number, number][] | undefined {
	const t = m.tokens;
	const out: [number, number][] = [];
	let from = s;
	for (let j = s; j < e; j++) {
		const k = t.kind[j];
		if (k === K_OPEN) {
			const c = matchOf(t, j);
			if (c < 0 || c >= e) return undefined;
			j = c;
		} else if (k === K_CLOSE) return undefined;
		else if (k === K_OP && lengthOf(t, j) === 1 && m.text.charCodeAt(startOf(t, j)) === 44) {
			out.push([from, j]);
			from = j + 1;
			if (out.length > MAX_TARGETS) return undefined;
		}
	}
	if (from < e) out.push([from, e]);
	return out;
}

/** [s, e) is one `( … )` or `[ … ]` group: its inside. */
function inside(m: TargetSource, s: number, e: number): [number, number] | undefined {
	const t = m.tokens;
	if (t.kind[s] !== K_OPEN || matchOf(t, s) !== e - 1) return undefined;
	const c = m.text.charCodeAt(startOf(t, s));
	return c === 40 || c === 91 ? [s + 1, e - 1] : undefined;
}

/** The elements of a tuple or list written out in [s, e), or undefined when it is something else (a call, a name). */
function elements(m: TargetSource, s: number, e: number): [number, number][] | undefined {
	const parts = splitCommas(m, s, e);
	if (!parts) return undefined;
	if (parts.length > 1 || (parts.length === 1 && m.isOp(e - 1, ','))) return parts;
	const inner = parts.length === 1 ? inside(m, s, e) : undefined;
	return inner ? elements(m, inner[0], inner[1]) : undefined;
}

/** True when [s, e) is a valid assignment target: a (dotted) name, a subscript, or a tuple/list of those. */
function isTarget(m: TargetSource, s: number, e: number, depth = 0): boolean {
	if (s >= e || depth > MAX_TARGET_DEPTH) return false;
	if (m.isOp(s, '*')) return isTarget(m, s + 1, e, depth + 1);
	const parts = elements(m, s, e);
	if (parts) return parts.every(([a, b]) => isTarget(m, a, b, depth + 1));
	if (dottedName(m, s, e) !== undefined) return true;
	// `a[k]` or `self.a[k]`: a target, though it binds no name the hovers follow.
	const close = e - 1;
	const open = matchOf(m.tokens, close);
	return m.isOp(close, ']') && open > s && dottedName(m, s, open) !== undefined;
}

/** Binds the names of target [s, e) to value [vs, ve), element by element where the value is a matching tuple display. */
function bind(m: TargetSource, stmt: number, s: number, e: number, vs: number, ve: number, unpacked: boolean, add: (a: Assignment) => void, depth = 0): void {
	if (depth > MAX_TARGET_DEPTH || s >= e) return;
	const targets = elements(m, s, e);
	if (!targets) {
		const name = dottedName(m, s, e);
		if (name !== undefined) add({ name, stmt, nameTok: s, rhsStart: vs, rhsEnd: ve, ...(unpacked ? { kind: 'unpacked' as const } : {}) });
		return;
	}
	const values = unpacked ? undefined : elements(m, vs, ve);
	const starred = targets.some(([a]) => m.isOp(a, '*'));
	for (let k = 0; k < targets.length; k++) {
		const [a, b] = targets[k];
		// `a, *rest = …` and a count that does not match: nothing static for any of them.
		if (m.isOp(a, '*')) bind(m, stmt, a + 1, b, vs, ve, true, add, depth + 1);
		else if (values && !starred && values.length === targets.length) bind(m, stmt, a, b, values[k][0], values[k][1], false, add, depth + 1);
		else bind(m, stmt, a, b, vs, ve, true, add, depth + 1);
	}
}

/** The top-level `=` tokens of [s, e) (not `==`, keyword arguments are inside brackets); stops at an unclosed bracket. */
function topLevelEquals(m: TargetSource, s: number, e: number): number[] {
	const t = m.tokens;
	const out: number[] = [];
	for (let j = s; j < e; j++) {
		const k = t.kind[j];
		if (k === K_OPEN) {
			const c = matchOf(t, j);
			if (c < 0) break;
			j = c;
		} else if (k === K_OP && lengthOf(t, j) === 1 && m.text.charCodeAt(startOf(t, j)) === 61) out.push(j);
		// A lambda's default (`f = lambda x=1: x`) is part of the value.
		else if (k === K_NAME && lengthOf(t, j) === 6 && m.isName(j, 'lambda')) break;
	}
	return out;
}

/** The end of a dotted name `a(.b)*` starting at j (at most MAX_DOTTED parts), or j when there is none. */
function dottedEnd(m: TargetSource, j: number, e: number): number {
	if (!m.isName(j)) return j;
	let k = j + 1;
	for (let parts = 1; parts < MAX_DOTTED && k + 1 < e && m.isOp(k, '.') && m.isName(k + 1); parts++) k += 2;
	return k;
}

/**
 * Records the names statement s ([a, e)) assigns, if it is an assignment. Decides from the first few tokens, so an
 * expression statement costs O(1) however long it is; only a tuple target is scanned for its `=`.
 */
export function scanAssignment(m: TargetSource, s: number, a: number, e: number, add: (x: Assignment) => void): void {
	const t = m.tokens;
	if (t.kind[a] === K_NAME) {
		// The common case first, with no allocation beyond the record: `name = value` (no keyword is followed by `=`).
		if (m.isOp(a + 1, '=') && a + 2 < e && !(m.isName(a + 2) && m.isOp(dottedEnd(m, a + 2, e), '='))) {
			add({ name: m.tok(a), stmt: s, nameTok: a, rhsStart: a + 2, rhsEnd: e });
			return;
		}
		const first = m.tok(a);
		if (STATEMENT_KEYWORDS.has(first)) return;
		const k = dottedEnd(m, a, e);
		if (k >= e) return;
		if (m.isOp(k, '=')) {
			// `a = b = value`: each further `name =` is another target.
			const eqs = [k];
			for (let j = dottedEnd(m, k + 1, e); j > eqs[eqs.length - 1] + 1 && j < e && m.isOp(j, '='); j = dottedEnd(m, j + 1, e)) eqs.push(j);
			chained(m, s, eqs, a, e, add);
			return;
		}
		const op = augmentedOp(m, k);
		if (op !== undefined) {
			const name = dottedName(m, a, k);
			if (name !== undefined && k + 1 < e) add({ name, stmt: s, nameTok: k - 1, rhsStart: k + 1, rhsEnd: e, kind: 'augmented', op });
			return;
		}
		// `name: T = value` (an annotation without a value binds nothing).
		if (k === a + 1 && m.isOp(k, ':')) {
			const eq = topLevelEquals(m, a + 2, e)[0];
			if (eq !== undefined && eq + 1 < e) add({ name: first, stmt: s, nameTok: a, rhsStart: eq + 1, rhsEnd: e });
			return;
		}
		if (!m.isOp(k, ',')) return;
	} else if (t.kind[a] === K_OPEN) {
		// `(a, b) = …` or `[a, b], c = …`: the group, then `=` or `,`.
		const c = matchOf(t, a);
		if (c < 0 || c + 1 >= e || !(m.isOp(c + 1, '=') || m.isOp(c + 1, ','))) return;
	} else return;
	const eqs = topLevelEquals(m, a, e);
	if (eqs.length) chained(m, s, eqs, a, e, add);
}

/** `t1 = t2 = … = value`: every target gets the value; a part that is not a target means a lambda or worse, so only the first counts. */
function chained(m: TargetSource, s: number, eqs: number[], a: number, e: number, add: (x: Assignment) => void): void {
	const last = eqs[eqs.length - 1];
	if (last + 1 >= e) return;
	const ranges: [number, number][] = [];
	let from = a;
	for (const q of eqs) {
		ranges.push([from, q]);
		from = q + 1;
	}
	if (!ranges.every(([x, y]) => isTarget(m, x, y))) {
		if (isTarget(m, a, eqs[0])) bind(m, s, a, eqs[0], eqs[0] + 1, e, false, add);
		return;
	}
	for (const [x, y] of ranges) bind(m, s, x, y, last + 1, e, false, add);
}

/** `def fn(a, b=1, *args, c: int = 2, **kw):` — the parameter names, and an Assignment for each default. */
export function scanParameters(m: TargetSource, s: number, a: number, e: number, add: (x: Assignment) => void): { name: string; params: string[] } | undefined {
	if (!m.isName(a + 1) || !m.isOp(a + 2, '(')) return undefined;
	const close = matchOf(m.tokens, a + 2);
	if (close < 0 || close >= e) return undefined;
	const fn = m.tok(a + 1);
	const params: string[] = [];
	for (const [x, y] of splitCommas(m, a + 3, close) ?? []) {
		let j = x;
		while (j < y && (m.isOp(j, '*') || m.isOp(j, '**'))) j++;
		if (!m.isName(j)) continue;
		const name = m.tok(j);
		params.push(name);
		const eq = topLevelEquals(m, j + 1, y)[0];
		if (eq !== undefined && eq + 1 < y) add({ name, stmt: s, nameTok: j, rhsStart: eq + 1, rhsEnd: y, kind: 'parameter', fn });
	}
	return { name: fn, params };
}
