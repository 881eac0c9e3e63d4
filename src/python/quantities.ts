/** The numbers a training hover shows, each with where it came from: written, computed, or assumed and why. */
import type { PyNum } from './evaluate';
import type { Fallback, PythonModel } from './model';
import { memberNamed, memberSource, type MemberSource } from './members';
import { K_NAME, K_NUMBER, K_STRING, endOf, startOf } from './tokens';

/** What an assumed value stands for: each maps to one explanation in the hover. */
export type AssumptionBasis = 'mnistTrainSize' | 'mnistTestSize' | 'bookBatchSize' | 'bookIters' | 'bookLearningRate' | 'bookFormula' | 'bookEpochs';

export type QuantityRole = 'trainSize' | 'batchSize' | 'itersNum' | 'iterPerEpoch' | 'learningRate' | 'epochs';

/** `def f(name=value)`: a default a value was computed from (a caller can pass another). */
export interface ParameterDefault {
	readonly param: string;
	readonly fn: string;
	readonly value: string;
	/** An argparse option's default (`--batch-size`): the command line can pass another. */
	readonly option?: boolean;
}

/** A number the hover shows, and where it came from. */
export interface Quantity {
	readonly role: QuantityRole;
	readonly value: number;
	readonly isFloat: boolean;
	/** The variable's name in this file, when it has one. */
	readonly name?: string;
	/** `literal`: written as a number; `computed`: evaluated from the file; `assumed`: not knowable statically. */
	readonly source: 'literal' | 'computed' | 'assumed';
	/** The defining expression as written, e.g. `max(train_size / batch_size, 1)` or `x_train.shape[0]`. */
	readonly expr?: string;
	/** The expression with known values substituted, e.g. `max(60000 / 100, 1)`. */
	readonly substituted?: string;
	/**
	 * Present when source is `assumed`. `runtime`: `expr` only has a value when the script runs; `missing`: nothing
	 * defines it; `parameter`: it comes from a caller, through parameter `from` of function `fn`; `imported`: name `from`
	 * is imported from module `module`.
	 */
	readonly assumed?: {
		readonly why: 'runtime' | 'missing' | 'parameter' | 'imported';
		readonly basis: AssumptionBasis;
		readonly from?: string;
		readonly fn?: string;
		readonly module?: string;
		/** `from module import *`: the name may come from there. */
		readonly star?: boolean;
	};
	/** Parameter defaults the value was computed from. */
	readonly defaults?: readonly ParameterDefault[];
	/** An assignment inside the training loop changes it: the value shown is the one before the loop. */
	readonly changes?: { readonly line: number; readonly code: string };
	/** Array lengths the file cannot give (`len(x_train)`) that a computed value assumed. */
	readonly assumedInputs?: readonly Quantity[];
}

/** The pseudo-name the evaluator asks for when it cannot read an array's length: `len(x_train)`. */
export function isLengthName(name: string): boolean {
	return name.startsWith('len(');
}

/** The assumed length of an array the file cannot give: MNIST's test set for a name with `test` in it, else its training set. */
export function assumedLength(name: string): { num: PyNum; basis: AssumptionBasis } {
	return /test/i.test(name) ? { num: { value: 10000, isFloat: false }, basis: 'mnistTestSize' } : { num: DEFAULTS.trainSize.num, basis: 'mnistTrainSize' };
}

export type DefaultRole = 'trainSize' | 'batchSize' | 'itersNum' | 'learningRate' | 'epochs';

export const DEFAULTS: Record<DefaultRole, { num: PyNum; basis: AssumptionBasis }> = {
	trainSize: { num: { value: 60000, isFloat: false }, basis: 'mnistTrainSize' },
	batchSize: { num: { value: 100, isFloat: false }, basis: 'bookBatchSize' },
	itersNum: { num: { value: 10000, isFloat: false }, basis: 'bookIters' },
	learningRate: { num: { value: 0.1, isFloat: true }, basis: 'bookLearningRate' },
	epochs: { num: { value: 20, isFloat: false }, basis: 'bookEpochs' },
};

/** Names followed back from a value to the parameters and imports it depends on. */
const MAX_PROVENANCE = 24;

/** The source of tokens [s, e) on one line, clipped for a hover. */
export function exprSource(model: PythonModel, s: number, e: number): string {
	const from = startOf(model.tokens, s);
	const last = endOf(model.tokens, e - 1);
	const to = Math.min(last, from + 400);
	const one = model.text.slice(from, to).replace(/\s*(?:\\\r?\n|\r?\n|\r)\s*/g, ' ');
	return one.length > 120 || to < last ? one.slice(0, 119) + '…' : one;
}

/** The innermost function whose body holds statement s. */
export function enclosingDef(model: PythonModel, s: number): PythonModel['defs'][number] | undefined {
	let best: PythonModel['defs'][number] | undefined;
	for (const d of model.defs) {
		if (d.stmt >= s) break;
		if (s >= d.bodyFirst && s < d.bodyEnd) best = d;
	}
	return best;
}

interface Provenance {
	defaults: ParameterDefault[];
	/** The first name the file cannot give a value to because a caller passes it, or it is imported. */
	parameter?: { name: string; fn: string };
	imported?: { name: string; module: string };
}

/** Follows the (dotted) names in [s, e) back through the file's assignments to parameter defaults, parameters and imports. */
function provenance(model: PythonModel, s: number, e: number): Provenance {
	const out: Provenance = { defaults: [] };
	const seen = new Set<string>();
	const queue: [number, number][] = [[s, e]];
	while (queue.length && seen.size < MAX_PROVENANCE) {
		const [a, b] = queue.shift() as [number, number];
		for (let j = a; j < b && seen.size < MAX_PROVENANCE; j++) {
			if (model.tokens.kind[j] !== K_NAME || model.isOp(j - 1, '.')) continue;
			let name = model.tok(j);
			let k = j;
			while (k + 2 < b && model.isOp(k + 1, '.') && model.isName(k + 2) && !model.isOp(k + 3, '(')) {
				name += '.' + model.tok(k + 2);
				k += 2;
			}
			if (model.isOp(k + 1, '(') || seen.has(name)) continue;
			seen.add(name);
			const use = model.stmtOf(j);
			const asg = model.assignmentAt(name, j);
			if (asg?.kind === 'parameter') {
				out.defaults.push({ param: name, fn: asg.fn ?? '', value: exprSource(model, asg.rhsStart, asg.rhsEnd) });
			} else if (asg && !asg.kind) queue.push([asg.rhsStart, asg.rhsEnd]);
			else if (!asg) {
				const def = enclosingDef(model, use);
				const root = name.split('.')[0];
				if (!out.parameter && def?.params.includes(root) && root !== 'self') out.parameter = { name: root, fn: def.name };
				const module = model.importedNames.get(root);
				if (!out.imported && module !== undefined) out.imported = { name: root, module };
			}
		}
	}
	return out;
}

/** The first assignment to `name` inside loop statements [from, to), when it changes a value set before (or is `+=`-like). */
export function changeInLoop(model: PythonModel, name: string, from: number, to: number): Quantity['changes'] {
	const list = model.assignments.get(name);
	if (!list) return undefined;
	const before = list.some((a) => a.stmt < from);
	const inside = list.find((a) => a.stmt > from && a.stmt < to && a.kind !== 'parameter');
	if (!inside || (!before && inside.kind !== 'augmented')) return undefined;
	const st = model.stmts;
	const last = st.endTok[inside.stmt];
	return { line: model.lineOf(startOf(model.tokens, st.firstTok[inside.stmt])), code: exprSource(model, st.firstTok[inside.stmt], last) };
}

/**
 * The quantity for `role`, read from `name`'s assignment in force at `ref` or from the expression `expr`. Unknown
 * parts become the book's value, with the reason; `fallback` gives other roles' assumed values to the expression.
 */
export function quantity(
	model: PythonModel,
	role: DefaultRole,
	name: string | undefined,
	expr: [number, number] | undefined,
	ref: number,
	fallback: Fallback,
): Quantity {
	const d = DEFAULTS[role];
	const assumed = (why: 'runtime' | 'missing', exprText?: string): Quantity => ({ ...d.num, role, name, source: 'assumed', expr: exprText, assumed: { why, basis: d.basis } });
	let range = expr;
	let asg;
	// `cfg.batch_size`, `hp['batch_size']`, `args.batch_size`: a value the file writes in a class, a dict or argparse.
	const member = name ? undefined : expr && itemOf(model, expr, ref);
	if (member) range = [member.range[0], member.range[1]];
	let option = member?.option;
	if (name) {
		asg = model.assignmentAt(name, ref);
		const m = asg || expr ? undefined : memberNamed(model, name, ref);
		if (asg) range = [asg.rhsStart, asg.rhsEnd];
		else if (m) {
			range = [m.range[0], m.range[1]];
			option = m.option;
		} else if (!expr) {
			const module = model.importedNames.get(name);
			if (module !== undefined) return { ...d.num, role, name, source: 'assumed', assumed: { why: 'imported', basis: d.basis, from: name, module } };
			// `def train(x, batch_size):` then `range(0, n, batch_size)`: the caller gives it.
			const def = enclosingDef(model, model.stmtOf(Math.min(ref, model.tokens.count - 1)));
			const root = name.split('.')[0];
			if (def && root !== 'self' && def.params.includes(root)) return { ...d.num, role, name, source: 'assumed', assumed: { why: 'parameter', basis: d.basis, from: root, fn: def.name } };
			const star = model.importedNames.get('*');
			if (star !== undefined && root === name) return { ...d.num, role, name, source: 'assumed', assumed: { why: 'imported', basis: d.basis, from: name, module: star, star: true } };
			return assumed('missing');
		}
	}
	if (!range) return assumed('missing');
	// The role's own value must not fall back to its own default, only its inputs may. Assumed array lengths are noted.
	const lengths: string[] = [];
	const own = (n: string) => {
		if (n === name) return undefined;
		const v = fallback(n);
		if (v && isLengthName(n) && !lengths.includes(n)) lengths.push(n);
		return v;
	};
	const ev = asg ? model.evaluateAssignment(asg, own) : model.evaluate(range[0], range[1], own);
	const exprText = asg?.kind === 'augmented' ? `${asg.name} ${asg.op} ${exprSource(model, range[0], range[1])}` : exprSource(model, range[0], range[1]);
	const prov = provenance(model, range[0], range[1]);
	if (asg?.kind === 'parameter') prov.defaults.unshift({ param: asg.name, fn: asg.fn ?? '', value: exprText });
	if (option) prov.defaults.unshift({ param: option, fn: '', value: exprText, option: true });
	const defaults = prov.defaults.length ? { defaults: prov.defaults } : {};
	// The number of samples read from an array whose length is only known at run time is itself assumed.
	const lengthOnly = role === 'trainSize' && lengths.length > 0;
	if (!ev.num || !Number.isFinite(ev.num.value) || lengthOnly) {
		const q = lengthOnly && ev.num ? { ...assumed('runtime', exprText), value: ev.num.value } : assumed('runtime', exprText);
		if (prov.parameter) return { ...q, ...defaults, assumed: { why: 'parameter', basis: d.basis, from: prov.parameter.name, fn: prov.parameter.fn } };
		if (prov.imported) return { ...q, ...defaults, assumed: { why: 'imported', basis: d.basis, from: prov.imported.name, module: prov.imported.module } };
		return { ...q, ...defaults };
	}
	const literal = range[1] - range[0] === 1 && model.tokens.kind[range[0]] === K_NUMBER && asg?.kind !== 'augmented';
	const inputs = lengths.length ? { assumedInputs: lengths.map(lengthQuantity) } : {};
	return { ...ev.num, role, name, source: literal ? 'literal' : 'computed', expr: exprText, substituted: literal ? undefined : ev.rendered, ...defaults, ...inputs };
}

/** `hp['batch_size']`: tokens NAME [ STRING ] read from the dict the file assigns. */
function itemOf(model: PythonModel, [s, e]: readonly [number, number], ref: number): MemberSource | undefined {
	if (e - s !== 4 || !model.isName(s) || !model.isOp(s + 1, '[') || model.tokens.kind[s + 2] !== K_STRING || !model.isOp(s + 3, ']')) return undefined;
	const key = /^(['"])([^'"\\]*)\1$/.exec(model.tok(s + 2));
	return key ? memberSource(model, model.tok(s), key[2], 'item', ref) : undefined;
}

/** `len(x_train)` assumed: a quantity for its footnote. */
export function lengthQuantity(pseudo: string): Quantity {
	const a = assumedLength(pseudo);
	return { ...a.num, role: 'trainSize', source: 'assumed', expr: pseudo, assumed: { why: 'runtime', basis: a.basis } };
}

/** The book's `max(train_size / batch_size, 1)`: always a float. */
export function bookIpe(trainSize: Quantity, batchSize: Quantity): PyNum {
	const v = batchSize.value !== 0 ? trainSize.value / batchSize.value : NaN;
	return { value: Number.isNaN(v) ? NaN : Math.max(v, 1), isFloat: true };
}

/** The epoch length from `name` (the loop's `i % name == 0`, or an `iter_per_epoch`), else the book's formula. */
export function ipeQuantity(model: PythonModel, name: string | undefined, ref: number, fallback: Fallback, trainSize: Quantity, batchSize: Quantity): Quantity {
	const a = name ? model.assignmentAt(name, ref) : undefined;
	if (a) {
		const ev = model.evaluateAssignment(a, fallback);
		const expr = exprSource(model, a.rhsStart, a.rhsEnd);
		if (ev.num && Number.isFinite(ev.num.value)) {
			const literal = a.rhsEnd - a.rhsStart === 1 && model.tokens.kind[a.rhsStart] === K_NUMBER && !a.kind;
			return { ...ev.num, role: 'iterPerEpoch', name, source: literal ? 'literal' : 'computed', expr, substituted: literal ? undefined : ev.rendered };
		}
		return { ...bookIpe(trainSize, batchSize), role: 'iterPerEpoch', name, source: 'assumed', expr, assumed: { why: 'runtime', basis: 'bookFormula' } };
	}
	return { ...bookIpe(trainSize, batchSize), role: 'iterPerEpoch', name, source: 'assumed', assumed: { why: 'missing', basis: 'bookFormula' } };
}

/** Tokens [s, e) are one name or a dotted name (`a.b.c`, at most three parts). */
export function isDottedName(model: PythonModel, s: number, e: number): boolean {
	if (e - s < 1 || (e - s) % 2 === 0 || e - s > 5) return false;
	for (let j = s; j < e; j += 2) if (!model.isName(j) || (j + 1 < e && !model.isOp(j + 1, '.'))) return false;
	return true;
}
