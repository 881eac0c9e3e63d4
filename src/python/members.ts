/**
 * Settings kept in a container, as learners also write them: a class (`class Config: batch_size = 64`, then
 * `cfg = Config()` and `cfg.batch_size`), a dict (`hp = {'batch_size': 64}` or `dict(batch_size=64)`, then
 * `hp['batch_size']`), and argparse (`add_argument('--batch-size', default=64)`, then `args.batch_size`). The file sets
 * these values; the hovers read them rather than say it does not.
 */
import type { Assignment, PythonModel } from './model';
import { K_STRING, matchOf } from './tokens';

/** Where a member's value is written, and whether a command line can replace it. */
export interface MemberSource {
	/** The value's tokens [start, end). */
	readonly range: readonly [number, number];
	/** For argparse: the option (`--batch-size`), whose default this is. */
	readonly option?: string;
}

/** Statements scanned for `add_argument(` per lookup. */
const MAX_ARG_SCAN = 50_000;

/** The value of `obj.attr` (a class attribute or an argparse default), or of `d['key']` given as [obj, key, 'item']. */
export function memberSource(model: PythonModel, obj: string, attr: string, kind: 'attr' | 'item', ref: number): MemberSource | undefined {
	const a = model.assignmentAt(obj, ref);
	if (kind === 'item') return a && !a.kind ? dictItem(model, a, attr) : undefined;
	const cls = a && !a.kind ? calledName(model, a) : obj;
	if (a && !a.kind && model.isName(a.rhsEnd - 3, 'parse_args') && model.isOp(a.rhsEnd - 2, '(') && model.isOp(a.rhsEnd - 1, ')')) return argparseDefault(model, attr);
	return cls ? classAttribute(model, cls, attr) : undefined;
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
	for (const a of list) {
		if (a.kind) continue;
		// The class statement is the nearest statement before with a smaller indent.
		const indent = st.indent[a.stmt];
		for (let s = a.stmt - 1; s >= 0 && a.stmt - s < 500; s--) {
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
	const st = model.stmts;
	for (let s = 0; s < st.count && s < MAX_ARG_SCAN; s++) {
		for (let j = st.firstTok[s]; j + 1 < st.endTok[s]; j++) {
			if (!model.isName(j, 'add_argument') || !model.isOp(j + 1, '(')) continue;
			const args = model.callArgs(j + 1);
			const options = args.filter((x) => !x.keyword && x.end - x.start === 1 && model.tokens.kind[x.start] === K_STRING).map((x) => stringValue(model.tok(x.start)));
			const dest = args.find((x) => x.keyword === 'dest');
			const name = dest && dest.end - dest.start === 1 ? stringValue(model.tok(dest.start)) : (options.find((o) => o.startsWith('--')) ?? options[0] ?? '').replace(/^-+/, '').replace(/-/g, '_');
			const def = args.find((x) => x.keyword === 'default');
			if (name === attr && def) return { range: [def.start, def.end], option: options.find((o) => o.startsWith('--')) ?? options[0] ?? attr };
		}
	}
	return undefined;
}

/** The text of a plain string literal token (`'x'`, `"x"`), or '' for anything else. */
function stringValue(tok: string): string {
	const m = /^(['"])([^'"\\]*)\1$/.exec(tok);
	return m ? m[2] : '';
}
