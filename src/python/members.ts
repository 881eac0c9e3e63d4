/**
 * Settings kept in a container, as learners also write them: a class (`class Config: batch_size = 64`, then
 * `cfg = Config()` and `cfg.batch_size`), a dict (`hp = {'batch_size': 64}` or `dict(batch_size=64)`, then
 * `hp['batch_size']`), and argparse (`add_argument('--batch-size', default=64)`, then `args.batch_size`). The file sets
 * these values; the hovers read them rather than say it does not.
 */
import type { Statements } from './lexer';
import type { Assignment } from './scanTargets';
import { K_STRING, matchOf, type Tokens } from './tokens';

/** What the lookups read of a model (PythonModel has it; the model asks them in turn, so they cannot import it). */
export interface MemberModel {
	readonly tokens: Tokens;
	readonly stmts: Statements;
	readonly assignments: Map<string, Assignment[]>;
	readonly cache: { [key: string]: unknown };
	assignmentAt(name: string, tok: number): Assignment | undefined;
	callArgs(open: number): readonly { readonly keyword?: string; readonly start: number; readonly end: number }[];
	tok(i: number): string;
	isName(i: number, name?: string): boolean;
	isOp(i: number, op: string): boolean;
}

type PythonModel = MemberModel;

/** Where a member's value is written, and whether a command line can replace it. */
export interface MemberSource {
	/** The value's tokens [start, end). */
	readonly range: readonly [number, number];
	/** For argparse: the option (`--batch-size`), whose default this is. */
	readonly option?: string;
}

/** Statements scanned for `add_argument(`, once per model. */
const MAX_ARG_SCAN = 50_000;
/** Options read: far more than any script declares. */
const MAX_OPTIONS = 500;
/** Indented assignments to a name tried as class attributes, and statements walked back from each to its class. */
const MAX_CLASS_CANDIDATES = 64;
const MAX_CLASS_BODY = 200;

/** The value of `obj.attr` (a class attribute or an argparse default), or of `d['key']` given as [obj, key, 'item']. */
export function memberSource(model: PythonModel, obj: string, attr: string, kind: 'attr' | 'item', ref: number): MemberSource | undefined {
	const a = model.assignmentAt(obj, ref);
	if (kind === 'item') return a && !a.kind ? dictItem(model, a, attr) : undefined;
	const cls = a && !a.kind ? calledName(model, a) : obj;
	if (a && !a.kind && model.isName(a.rhsEnd - 3, 'parse_args') && model.isOp(a.rhsEnd - 2, '(') && model.isOp(a.rhsEnd - 1, ')')) return argparseDefault(model, attr);
	return cls ? classAttribute(model, cls, attr) : undefined;
}

/** `cfg.batch_size` or `hp['batch_size']` (as written, without spaces): where the file writes its value, if it does. */
export function memberNamed(model: PythonModel, name: string, ref: number): MemberSource | undefined {
	const item = /^([A-Za-z_]\w*)\[(['"])([^'"\\]*)\2\]$/.exec(name);
	if (item) return memberSource(model, item[1], item[3], 'item', ref);
	const dot = name.indexOf('.');
	if (dot < 0 || name.indexOf('.', dot + 1) >= 0) return undefined;
	return memberSource(model, name.slice(0, dot), name.slice(dot + 1), 'attr', ref);
}

/** `Cls(…)`: the called name, when the value is one call of a plain name. */
function calledName(model: PythonModel, a: Assignment): string | undefined {
	if (a.rhsEnd - a.rhsStart < 3 || !model.isName(a.rhsStart) || !model.isOp(a.rhsStart + 1, '(') || matchOf(model.tokens, a.rhsStart + 1) !== a.rhsEnd - 1) return undefined;
	return model.tok(a.rhsStart);
}

/** `attr = value` directly in the body of `class cls`. */
function classAttribute(model: PythonModel, cls: string, attr: string): MemberSource | undefined {
	const st = model.stmts;
	const list = model.assignments.get(attr);
	if (!list) return undefined;
	let candidates = 0;
	for (const a of list) {
		const indent = st.indent[a.stmt];
		if (a.kind || indent === 0) continue;
		if (++candidates > MAX_CLASS_CANDIDATES) break;
		// The class statement is the nearest statement before with a smaller indent.
		for (let s = a.stmt - 1; s >= 0 && a.stmt - s < MAX_CLASS_BODY; s--) {
			if (st.firstTok[s] >= st.endTok[s] || st.afterSemicolon[s] || st.indent[s] >= indent) continue;
			const f = st.firstTok[s];
			if (model.isName(f, 'class') && model.isName(f + 1, cls)) return { range: [a.rhsStart, a.rhsEnd] };
			break;
		}
	}
	return undefined;
}

/** `{'key': value, …}` or `dict(key=value, …)`. */
function dictItem(model: PythonModel, a: Assignment, key: string): MemberSource | undefined {
	if (model.isName(a.rhsStart, 'dict') && model.isOp(a.rhsStart + 1, '(')) {
		const arg = model.callArgs(a.rhsStart + 1).find((x) => x.keyword === key);
		return arg ? { range: [arg.start, arg.end] } : undefined;
	}
	if (!model.isOp(a.rhsStart, '{') || matchOf(model.tokens, a.rhsStart) !== a.rhsEnd - 1) return undefined;
	for (let j = a.rhsStart + 1; j + 2 < a.rhsEnd; j++) {
		if (model.tokens.kind[j] !== K_STRING || !model.isOp(j + 1, ':') || stringValue(model.tok(j)) !== key) continue;
		if (!model.isOp(j - 1, '{') && !model.isOp(j - 1, ',')) continue;
		let e = j + 2;
		while (e < a.rhsEnd - 1 && !model.isOp(e, ',')) {
			const m = matchOf(model.tokens, e);
			e = m > e ? m + 1 : e + 1;
		}
		return e > j + 2 ? { range: [j + 2, e] } : undefined;
	}
	return undefined;
}

/** `add_argument('--batch-size', …, default=64)` whose destination is `attr`. */
function argparseDefault(model: PythonModel, attr: string): MemberSource | undefined {
	let options = model.cache.argparse as Map<string, MemberSource> | undefined;
	if (!options) model.cache.argparse = options = argparseOptions(model);
	return options.get(attr);
}

/** Every `add_argument(…, default=…)` of the file, by destination (the first one of each). */
function argparseOptions(model: PythonModel): Map<string, MemberSource> {
	const out = new Map<string, MemberSource>();
	const st = model.stmts;
	let found = 0;
	for (let s = 0; s < st.count && s < MAX_ARG_SCAN && found < MAX_OPTIONS; s++) {
		// `parser.add_argument(` starts its statement.
		const f = st.firstTok[s];
		for (let j = f + 2; j + 1 < st.endTok[s] && j <= f + 4; j += 2) {
			if (!model.isName(j, 'add_argument') || !model.isOp(j + 1, '(') || !model.isOp(j - 1, '.')) continue;
			found++;
			const args = model.callArgs(j + 1);
			const options = args.filter((x) => !x.keyword && x.end - x.start === 1 && model.tokens.kind[x.start] === K_STRING).map((x) => stringValue(model.tok(x.start)));
			const dest = args.find((x) => x.keyword === 'dest');
			const name = dest && dest.end - dest.start === 1 ? stringValue(model.tok(dest.start)) : (options.find((o) => o.startsWith('--')) ?? options[0] ?? '').replace(/^-+/, '').replace(/-/g, '_');
			const def = args.find((x) => x.keyword === 'default');
			if (name && def && !out.has(name)) out.set(name, { range: [def.start, def.end], option: options.find((o) => o.startsWith('--')) ?? options[0] ?? name });
		}
	}
	return out;
}

/** The text of a plain string literal token (`'x'`, `"x"`), or '' for anything else. */
function stringValue(tok: string): string {
	const m = /^(['"])([^'"\\]*)\1$/.exec(tok);
	return m ? m[2] : '';
}
