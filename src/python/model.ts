import { combine, evaluateRange, pyRepr, sliceTokens, type Evaluated, type PyNum } from './evaluate';
import { arrayLength } from './arrayLength';
import { memberNamed } from './members';
import { lexPython, type Lexed, type Statements } from './lexer';
import { scanStatements, type Assignment, type ForLoop, type FunctionDef } from './scan';

export type { Assignment, ForLoop, FunctionDef } from './scan';
import { K_CLOSE, K_NAME, K_OP, K_OPEN, endOf, lengthOf, matchOf, parentOf, startOf, type Tokens } from './tokens';

/** One top-level argument of a call: token range [start, end) of its value, and its keyword when given as `kw=value`. */
export interface CallArg {
	readonly keyword?: string;
	readonly keywordTok?: number;
	readonly start: number;
	readonly end: number;
}

const KEYWORDS = new Set([
	'and', 'as', 'assert', 'async', 'await', 'del', 'elif', 'else', 'except', 'for', 'from', 'if', 'import', 'in', 'is',
	'lambda', 'not', 'or', 'pass', 'raise', 'return', 'while', 'with', 'yield',
]);

/** Calls list at most this many positional / keyword arguments: more than any reduction or sampler takes. */
const MAX_POSITIONAL = 16;
const MAX_KEYWORDS = 32;

/** Links followed back from a `.method(` to the start of its receiver. */
const MAX_CHAIN_STEPS = 256;

/** How deep name resolution follows `a = b`, `b = c + 1`, … before giving up. */
const MAX_RESOLVE_DEPTH = 12;

/**
 * What the hover needs to know about one version of a Python document. Build it once per version with
 * `analysePython`; lookups afterwards are binary searches plus a little local work.
 */
export class PythonModel {
	readonly tokens: Tokens;
	readonly stmts: Statements;
	/** Per name, in statement order. */
	readonly assignments: Map<string, Assignment[]>;
	/** In statement order. */
	readonly loops: ForLoop[];
	/** Per statement: index in `loops` of the innermost loop whose header or body holds it, or -1. */
	private readonly stmtLoop: Int32Array;
	/** In statement order. */
	readonly defs: FunctionDef[];
	/** Token index of each `choice` in `<something>.choice(`, and of each bare `pick(` imported as numpy.random's choice. */
	readonly choiceCalls: number[];
	/** Names bound to the numpy module, and names bound to numpy.random itself. */
	readonly numpyAliases: Set<string>;
	readonly numpyRandomAliases: Set<string>;
	/** `from numpy.random import choice as pick`: local name → numpy.random's own name. */
	readonly randomFunctions: Map<string, string>;
	/** Other `from module import name [as alias]`: local name → module. */
	readonly importedNames: Map<string, string>;
	/** Lazily filled by the modules that use them; tied to this version of the text. */
	readonly cache: { names?: Set<string>; lineStarts?: Int32Array; [key: string]: unknown } = {};
	private readonly resolving = new Set<Assignment>();
	private readonly resolved = new Map<Assignment, PyNum | null>();

	constructor(
		readonly text: string,
		readonly lexed: Lexed,
		/** Offsets where the parts of a joined text start (a notebook's cells): lines are then counted within each part. */
		readonly parts?: readonly number[],
	) {
		this.tokens = lexed.tokens;
		this.stmts = lexed.stmts;
		const found = scanStatements(this);
		this.assignments = found.assignments;
		this.loops = found.loops;
		this.stmtLoop = found.stmtLoop;
		this.defs = found.defs;
		this.choiceCalls = found.choiceCalls;
		this.numpyAliases = found.numpyAliases;
		this.numpyRandomAliases = found.numpyRandomAliases;
		this.randomFunctions = found.randomFunctions;
		this.importedNames = found.importedNames;
	}

	/** The statement holding token i (the last statement starting at or before it; empty statements come first). */
	stmtOf(i: number): number {
		const first = this.stmts.firstTok;
		let lo = 0;
		let hi = this.stmts.count - 1;
		let best = 0;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			if (first[mid] <= i) {
				best = mid;
				lo = mid + 1;
			} else hi = mid - 1;
		}
		return best;
	}

	/** Source text of token i. */
	tok(i: number): string {
		return this.text.slice(startOf(this.tokens, i), endOf(this.tokens, i));
	}

	/** The open bracket token enclosing token i, or -1 (costs the number of siblings before i). */
	parentOf(i: number): number {
		return parentOf(this.tokens, i, this.stmts.firstTok[this.stmtOf(i)]);
	}

	isName(i: number, name?: string): boolean {
		if (i < 0 || i >= this.tokens.count || this.tokens.kind[i] !== K_NAME) return false;
		return name === undefined || this.tokIs(i, name);
	}

	isOp(i: number, op: string): boolean {
		if (i < 0 || i >= this.tokens.count) return false;
		const k = this.tokens.kind[i];
		if (k !== K_OP && k !== K_OPEN && k !== K_CLOSE) return false;
		return this.tokIs(i, op);
	}

	/** Token text equality without allocating a substring (these checks run over every token of a call). */
	private tokIs(i: number, s: string): boolean {
		if (lengthOf(this.tokens, i) !== s.length) return false;
		const start = startOf(this.tokens, i);
		for (let k = 0; k < s.length; k++) if (this.text.charCodeAt(start + k) !== s.charCodeAt(k)) return false;
		return true;
	}

	/** 0-based line number of an offset. */
	lineOf(offset: number): number {
		let starts = this.cache.lineStarts;
		if (!starts) {
			const list: number[] = [0];
			const t = this.text;
			for (let i = 0; i < t.length; i++) {
				const c = t.charCodeAt(i);
				if (c === 10) list.push(i + 1);
				else if (c === 13 && t.charCodeAt(i + 1) !== 10) list.push(i + 1);
			}
			starts = this.cache.lineStarts = Int32Array.from(list);
		}
		const line = lastAtOrBefore(starts, offset);
		if (!this.parts?.length) return line;
		const part = this.parts[Math.max(0, lastAtOrBefore(this.parts, offset))];
		return line - lastAtOrBefore(starts, part);
	}

	/** Every identifier in the file (for picking fresh names). */
	allNames(): Set<string> {
		if (!this.cache.names) {
			const names = new Set<string>();
			const t = this.tokens;
			for (let i = 0; i < t.count; i++) if (t.kind[i] === K_NAME) names.add(this.tok(i));
			this.cache.names = names;
		}
		return this.cache.names;
	}

	/**
	 * Top-level arguments of the call whose `(` is token `open`. Only the first MAX_POSITIONAL positional and
	 * MAX_KEYWORDS keyword arguments are listed, so a generated call with 100,000 arguments costs a scan, not 100,000 objects.
	 */
	callArgs(open: number): CallArg[] {
		const t = this.tokens;
		// The call ends at its partner, or with the statement when unclosed. The partner is recognised when the scan
		// reaches it rather than looked up first: a far partner takes a rarely run path, and meeting that at the start
		// would leave the whole scan of a 100,000-argument call unoptimized.
		const stmtEnd = this.stmts.endTok[this.stmtOf(open)];
		const args: CallArg[] = [];
		let positional = 0;
		let keywords = 0;
		// No closure here: a new one per call made the optimized code bail out on the next call.
		for (let s = open + 1, j = s; ; ) {
			let last = j >= stmtEnd;
			if (!last) {
				const k = t.kind[j];
				if (k === K_OPEN) {
					const m = matchOf(t, j);
					if (m >= 0) {
						j = m + 1;
						continue;
					}
					// An unclosed bracket holds the rest of the call.
					const close = matchOf(t, open);
					j = close >= 0 ? close : stmtEnd;
					last = true;
				} else if (k === K_CLOSE && matchOf(t, j) === open) {
					last = true;
				} else if (k !== K_OP || this.text.charCodeAt(startOf(t, j)) !== 44) {
					// Only a comma ends an argument, and a comma token is always the one character.
					j++;
					continue;
				}
			}
			// [s, j) is one argument, ended by a top-level comma or by the end of the call.
			if (j > s) {
				if (j - s >= 2 && t.kind[s] === K_NAME && this.isOp(s + 1, '=')) {
					if (keywords++ < MAX_KEYWORDS) args.push({ keyword: this.tok(s), keywordTok: s, start: s + 2, end: j });
				} else if (positional++ < MAX_POSITIONAL) args.push({ start: s, end: j });
			}
			if (last) break;
			s = ++j;
		}
		return args;
	}

	/**
	 * Start token of the dotted/call chain that ends just before token `endTok` (exclusive), e.g. `np.random`
	 * before `.choice`, or `np.exp(x)` before `.sum`. Returns -1 when there is no such chain.
	 */
	chainStart(endTok: number): number {
		const t = this.tokens;
		let j = endTok - 1;
		if (j < 0) return -1;
		// Tokens of one statement are contiguous: staying in it means not going below its first token.
		const floor = this.stmts.firstTok[this.stmtOf(j)];
		for (let steps = 0; ; steps++) {
			// No real receiver is this long; a generated `a.b.b.b…` line should not cost a full scan per hover.
			if (steps > MAX_CHAIN_STEPS) return -1;
			if (t.kind[j] === K_CLOSE) {
				const o = matchOf(t, j);
				if (o < 0) return -1;
				j = o;
				const p = j - 1;
				// A call or subscript belongs to the chain; `(a + b)` alone starts it.
				if (p >= floor && ((t.kind[p] === K_NAME && !KEYWORDS.has(this.tok(p))) || t.kind[p] === K_CLOSE)) {
					j = p;
					continue;
				}
				return j;
			}
			if (t.kind[j] === K_NAME) {
				if (KEYWORDS.has(this.tok(j))) return -1;
				if (j - 2 >= floor && this.isOp(j - 1, '.') && (t.kind[j - 2] === K_NAME || t.kind[j - 2] === K_CLOSE)) {
					j -= 2;
					continue;
				}
				return j;
			}
			return -1;
		}
	}

	/** Source of tokens [s, e) with all whitespace removed, for comparing call chains. */
	compact(s: number, e: number): string {
		if (s < 0 || s >= e) return '';
		return this.text.slice(startOf(this.tokens, s), endOf(this.tokens, e - 1)).replace(/\s+|\\/g, '');
	}

	/** True for `np.random` / `numpy.random` / a `from numpy import random` alias. */
	isNumpyRandom(chain: string): boolean {
		if (this.numpyRandomAliases.has(chain)) return true;
		const dot = chain.indexOf('.');
		return dot > 0 && chain.slice(dot) === '.random' && this.numpyAliases.has(chain.slice(0, dot));
	}

	/** True when `chain` names a numpy module alias (`np`). */
	isNumpy(chain: string): boolean {
		return this.numpyAliases.has(chain);
	}

	/** The assignment to `name` in force at token `tok`: the last one before it, else the first one after. */
	assignmentAt(name: string, tok: number): Assignment | undefined {
		const list = this.assignments.get(name);
		if (!list || list.length === 0) return undefined;
		return this.assignmentBefore(name, tok < this.tokens.count ? this.stmtOf(tok) : this.stmts.count) ?? list[0];
	}

	/** The last assignment to `name` in a statement before `stmt`. */
	assignmentBefore(name: string, stmt: number): Assignment | undefined {
		const list = this.assignments.get(name);
		if (!list) return undefined;
		let lo = 0;
		let hi = list.length - 1;
		let best = -1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			if (list[mid].stmt < stmt) {
				best = mid;
				lo = mid + 1;
			} else hi = mid - 1;
		}
		return best >= 0 ? list[best] : undefined;
	}

	/**
	 * Value of `name` as seen at token `tok`, following the file's assignments; `fallback` supplies assumed values and
	 * `bound` fixed ones (a loop variable at a given iteration), which win over any assignment.
	 */
	valueOf(name: string, tok: number, fallback?: Fallback, depth = 0, bound?: Bound): PyNum | undefined {
		const b = bound?.get(name);
		if (b) return b;
		const a = this.assignmentAt(name, tok);
		if (a && depth < MAX_RESOLVE_DEPTH) {
			const v = this.valueOfAssignment(a, fallback, depth, bound);
			if (v) return v;
		}
		// `cfg.batch`, `hp['batch']`: a value written in a class, a dict or argparse.
		if (!a && depth < MAX_RESOLVE_DEPTH && (name.includes('.') || name.includes('['))) {
			const m = memberNamed(this, name, tok);
			const v = m && this.evaluate(m.range[0], m.range[1], fallback, depth + 1, undefined, bound).num;
			if (v) return v;
		}
		return fallback?.(name);
	}

	/** The value an assignment gives its name (memoized when nothing is assumed or bound). */
	valueOfAssignment(a: Assignment, fallback?: Fallback, depth = 0, bound?: Bound): PyNum | undefined {
		const plain = !fallback && !bound;
		if (plain) {
			const memo = this.resolved.get(a);
			if (memo !== undefined) return memo ?? undefined;
		}
		const r = this.evaluateAssignment(a, fallback, depth, bound);
		if (plain) this.resolved.set(a, r.num ?? null);
		return r.num;
	}

	/** An assignment's value as an expression: `x += 2` is `x + 2` with x's earlier value; a target unpacked from a call has none. */
	evaluateAssignment(a: Assignment, fallback?: Fallback, depth = 0, bound?: Bound): Evaluated {
		if (a.kind === 'unpacked') {
			const src = sliceTokens(this, a.rhsStart, a.rhsEnd);
			return { rendered: src, unknown: src };
		}
		const r = this.evaluate(a.rhsStart, a.rhsEnd, fallback, depth + 1, a, bound);
		if (a.kind !== 'augmented' || !a.op) return r;
		const prev = this.assignmentBefore(a.name, a.stmt);
		const before = prev && depth < MAX_RESOLVE_DEPTH ? (bound?.get(a.name) ?? this.valueOfAssignment(prev, fallback, depth + 1, bound)) : undefined;
		const left: Evaluated = before ? { num: before, rendered: pyRepr(before) } : { rendered: a.name, unknown: a.name };
		const right: Evaluated = a.rhsEnd - a.rhsStart > 1 ? { ...r, rendered: `(${r.rendered})` } : r;
		return combine(a.op, left, right);
	}

	/** Evaluates tokens [s, e) with names resolved through this file's assignments. */
	evaluate(s: number, e: number, fallback?: Fallback, depth = 0, self?: Assignment, bound?: Bound): Evaluated {
		if (self) {
			if (this.resolving.has(self)) return { rendered: '', unknown: '' };
			this.resolving.add(self);
		}
		try {
			return evaluateRange(
				{
					text: this.text,
					tokens: this.tokens,
					resolveName: (name, tok) => (depth < MAX_RESOLVE_DEPTH ? this.valueOf(name, tok, fallback, depth, bound) : (bound?.get(name) ?? fallback?.(name))),
					resolveLength: (name, tok) => (depth < MAX_RESOLVE_DEPTH ? this.lengthOf(name, tok, fallback, depth + 1, bound) : undefined),
				},
				s,
				e,
			);
		} finally {
			if (self) this.resolving.delete(self);
		}
	}

	/** The length of the array `name` holds at `tok` when the file shows it (see arrayLength). */
	lengthOf(name: string, tok: number, fallback?: Fallback, depth = 0, bound?: Bound): PyNum | undefined {
		const a = this.assignmentAt(name, tok);
		if (!a || a.kind || depth >= MAX_RESOLVE_DEPTH || this.resolving.has(a)) return undefined;
		return arrayLength(this, a, (x, y) => this.evaluate(x, y, fallback, depth + 1, a, bound).num);
	}

	/** The innermost loop whose header or body holds token `tok`. */
	loopAt(tok: number): ForLoop | undefined {
		if (tok < 0 || tok >= this.tokens.count) return undefined;
		const id = this.stmtLoop[this.stmtOf(tok)];
		return id >= 0 ? this.loops[id] : undefined;
	}

	/** The innermost `for … in range(…)` loop that holds token `tok`. */
	rangeLoopAt(tok: number): ForLoop | undefined {
		const l = this.loopAt(tok);
		return l && l.rangeAncestor >= 0 ? this.loops[l.rangeAncestor] : undefined;
	}
}

/** Index of the last element of sorted `xs` that is <= x (0 when none is). */
function lastAtOrBefore(xs: ArrayLike<number>, x: number): number {
	let lo = 0;
	let hi = xs.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (xs[mid] <= x) lo = mid;
		else hi = mid - 1;
	}
	return lo;
}

/** Assumed values for names the file cannot give. */
export type Fallback = (name: string) => PyNum | undefined;
/** Names fixed to a value for one evaluation (a loop variable). */
export type Bound = ReadonlyMap<string, PyNum>;

/** Tokenizes and scans a Python document. Linear in its length. */
export function analysePython(text: string, parts?: readonly number[]): PythonModel {
	return new PythonModel(text, lexPython(text), parts);
}
