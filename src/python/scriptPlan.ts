/**
 * What running a learner's own training script needs to know about it, read statically: the training loop, how it
 * draws minibatches (the book's `np.random.choice`, or the study group's per-epoch rewrite of it), the settings the
 * reference must train with, and the expressions to instrument (accuracy calls, the loss list). Pure: no `vscode`.
 */
import { K_NAME, K_NUMBER, K_STRING, endOf, matchOf, startOf } from './tokens';
import { fstringCalls } from './fstringCalls';
import { analysePython, type PythonModel } from './model';
import { applyActionFor, reverseActions, type OffsetRange, type SamplingAction } from './rewrite';
import { randomReceiver } from './trainingLoop';
import { blockEnd, enclosingHeaders, forIterable, headerWord, isNumberLiteral, lineOfTok, rangeLength, sourceOf } from './scriptBlocks';

export type ScriptSettingKey = 'iters' | 'batchSize' | 'lr' | 'hidden' | 'trainSize';
export const SCRIPT_SETTING_KEYS: readonly ScriptSettingKey[] = ['iters', 'batchSize', 'lr', 'hidden', 'trainSize'];

/** One setting the reference needs, and where the script gives it. */
export interface ScriptSetting {
	readonly key: ScriptSettingKey;
	/** Undefined when the script hides it: then the user must give it. */
	readonly value?: number;
	/** `read`: written or computed in the file; `dataset`: the size of what `load_mnist` returns; `missing`. */
	readonly source: 'read' | 'dataset' | 'missing';
	/** The variable that holds it, when one does. */
	readonly name?: string;
	/** The expression as written (for a missing one: what could not be read). */
	readonly expr?: string;
	/** 0-based line where it is set (or where it is used, when it is missing). */
	readonly line?: number;
}

/** Why a script cannot be run against the reference, each with what was looked for. */
export type PlanProblem =
	| { readonly kind: 'noLoop' }
	| { readonly kind: 'generator'; readonly line: number }
	| { readonly kind: 'withoutReplacement'; readonly line: number }
	| { readonly kind: 'noAccuracy'; readonly line: number };

/** A call to wrap: `_minibatch_lab.acc_train(<call>)` (or `acc_test`, or `acc`: no quotes, so it fits inside an f-string). */
export interface AccuracyCall extends OffsetRange {
	/** From its arguments' names (`x_test` → test); '' when they do not say, and the order within an evaluation decides. */
	readonly kind: 'train' | 'test' | '';
}

export interface ScriptPlan {
	readonly model: PythonModel;
	readonly problem?: PlanProblem;
	/** How the file as written draws its batches. */
	readonly asWritten?: 'replacement' | 'epoch-shuffle';
	/** The `for` statement of the training loop (the innermost loop around the batch draw), and its 0-based line. */
	readonly loopStmt?: number;
	readonly loopLine?: number;
	/** The loop's iterable, to wrap in `_minibatch_lab.loop(...)`. */
	readonly iterable?: OffsetRange;
	/** The expression that yields the batch indices, to wrap in `_minibatch_lab.batch(...)`. */
	readonly draw?: OffsetRange;
	/** The quick fix in the direction away from the file as written, when the file has the book's pattern. */
	readonly rewrite?: SamplingAction;
	readonly settings: Readonly<Record<ScriptSettingKey, ScriptSetting>>;
	/** Variable names the shim reads when the loop starts, to check the settings at run time. */
	readonly roles: Readonly<Partial<Record<'trainSize' | 'batchSize' | 'lr' | 'iters' | 'net', string>>>;
	readonly accuracyCalls: readonly AccuracyCall[];
	/** Arguments of `<loss list>.append(<arg>)` in the training loop, to wrap in `_minibatch_lab.loss(...)`. */
	readonly lossArgs: readonly OffsetRange[];
	/** A call of `.numerical_gradient(` inside the training loop (0-based line): hours of work per run. */
	readonly numericalGradientLine?: number;
	/** The iterations override can rewrite this token range (a literal, or the `range(...)` argument); else why not. */
	readonly itersTarget?: OffsetRange;
}

const ACCURACY_NAME = /accuracy|(?:^|_)acc(?:$|_)/i;
const HIDDEN_KEYWORDS = new Set(['hidden_size', 'hidden', 'n_hidden', 'hidden_dim', 'hidden_units', 'num_hidden']);
const LR_KEYWORDS = new Set(['lr', 'learning_rate', 'eta']);

export function planScript(text: string): ScriptPlan {
	const model = analysePython(text);
	const found = findDraw(model);
	const accuracyCalls = findAccuracyCalls(model);
	const base = { model, accuracyCalls };
	if ('problem' in found) return { ...base, problem: found.problem, settings: missingSettings(), roles: {}, lossArgs: [] };
	const { loopStmt, sizeArgs } = found;
	const loopLine = lineOfTok(model, model.stmts.firstTok[loopStmt]);
	const it = forIterable(model, loopStmt);
	const iterable = it && { start: startOf(model.tokens, it.start), end: endOf(model.tokens, it.end - 1) };
	const iters = itersSetting(model, loopStmt);
	const trainSize = sizeSetting(model, 'trainSize', sizeArgs?.[0]);
	const batchSize = sizeSetting(model, 'batchSize', sizeArgs?.[1]);
	const lr = lrSetting(model, loopStmt);
	const net = hiddenSetting(model);
	const settings = { iters: iters.setting, batchSize, lr, hidden: net.setting, trainSize };
	const roles: Record<string, string> = {};
	for (const k of ['trainSize', 'batchSize', 'lr'] as const) if (settings[k].name) roles[k] = settings[k].name as string;
	if (iters.setting.name) roles.iters = iters.setting.name;
	if (net.variable) roles.net = net.variable;
	const loopEnd = blockEnd(model, loopStmt);
	const numericalGradientLine = findNumericalGradient(model, loopStmt, loopEnd);
	const problem: PlanProblem | undefined = accuracyCalls.length === 0 ? { kind: 'noAccuracy', line: loopLine } : undefined;
	return {
		...base,
		...(problem ? { problem } : {}),
		asWritten: found.asWritten,
		loopStmt,
		loopLine,
		iterable,
		draw: found.draw,
		rewrite: found.rewrite,
		settings,
		roles,
		lossArgs: findLossArgs(model, loopStmt),
		...(numericalGradientLine !== undefined ? { numericalGradientLine } : {}),
		...(iters.target ? { itersTarget: iters.target } : {}),
	};
}

function missingSettings(): Record<ScriptSettingKey, ScriptSetting> {
	return Object.fromEntries(SCRIPT_SETTING_KEYS.map((key) => [key, { key, source: 'missing' }])) as Record<ScriptSettingKey, ScriptSetting>;
}

type Draw =
	| { problem: PlanProblem }
	| {
			asWritten: 'replacement' | 'epoch-shuffle';
			loopStmt: number;
			draw: OffsetRange;
			rewrite?: SamplingAction;
			/** Token ranges of the train size and batch size arguments. */
			sizeArgs?: [[number, number] | undefined, [number, number] | undefined];
	  };

/** The innermost `for` statement around statement s (stopping at a `def` or `class`). */
function enclosingFor(model: PythonModel, s: number): number | undefined {
	for (const h of enclosingHeaders(model, s)) {
		const w = headerWord(model, h);
		if (w === 'for' || w === 'async') return forIterable(model, h) ? h : undefined;
		if (w === 'def' || w === 'class') return undefined;
	}
	return undefined;
}

function findDraw(model: PythonModel): Draw {
	let problem: PlanProblem | undefined;
	for (const c of model.choiceCalls) {
		const recv = randomReceiver(model, c - 1);
		if (!recv) continue;
		const s = model.stmtOf(c);
		const loopStmt = enclosingFor(model, s);
		if (loopStmt === undefined) continue;
		const line = lineOfTok(model, c);
		if (recv.kind === 'generator') {
			problem ??= { kind: 'generator', line };
			continue;
		}
		const args = model.callArgs(c + 1);
		const replace = args.find((a) => a.keyword === 'replace');
		if (replace && !(replace.end - replace.start === 1 && model.isName(replace.start, 'True'))) {
			problem ??= { kind: 'withoutReplacement', line };
			continue;
		}
		const start = model.chainStart(c - 1);
		const close = matchOf(model.tokens, c + 1);
		if (start < 0 || close < 0) continue;
		const positional = args.filter((a) => a.keyword === undefined);
		const a = args.find((x) => x.keyword === 'a') ?? positional[0];
		const size = args.find((x) => x.keyword === 'size') ?? (positional[0] === a ? positional[1] : positional[0]);
		return {
			asWritten: 'replacement',
			loopStmt,
			draw: { start: startOf(model.tokens, start), end: endOf(model.tokens, close) },
			rewrite: applyActionFor(model, c),
			sizeArgs: [a && [a.start, a.end], size && [size.start, size.end]],
		};
	}
	if (problem) return { problem };
	for (const r of reverseActions(model)) {
		// `mask = list[i % per_epoch]  # original: …`, just after `list = make_batch_mask_list(A, B)`.
		const maskTok = firstTokAt(model, r.anchor.start);
		if (maskTok < 0) continue;
		const s = model.stmtOf(maskTok);
		const loopStmt = enclosingFor(model, s);
		if (loopStmt === undefined) continue;
		const listStmt = s - 1;
		const open = model.stmts.firstTok[listStmt] + 3;
		const args = model.isOp(open, '(') ? model.callArgs(open) : [];
		const rhs = maskTok + 2;
		return {
			asWritten: 'epoch-shuffle',
			loopStmt,
			draw: { start: startOf(model.tokens, rhs), end: r.anchor.end },
			rewrite: r,
			sizeArgs: [args[0] && [args[0].start, args[0].end], args[1] && [args[1].start, args[1].end]],
		};
	}
	return { problem: { kind: 'noLoop' } };
}

function firstTokAt(model: PythonModel, offset: number): number {
	for (let s = 0; s < model.stmts.count; s++) {
		const a = model.stmts.firstTok[s];
		if (a < model.stmts.endTok[s] && startOf(model.tokens, a) === offset) return a;
	}
	return -1;
}

/** Iterations: the product of the `range(...)` lengths of the training loop and the loops around it. */
function itersSetting(model: PythonModel, loopStmt: number): { setting: ScriptSetting; target?: OffsetRange } {
	const loops = [loopStmt];
	for (const h of enclosingHeaders(model, loopStmt)) {
		const w = headerWord(model, h);
		if (w === 'def' || w === 'class') break;
		if (w === 'for' || w === 'while' || w === 'async') loops.push(h);
	}
	let total = 1;
	const first = forIterable(model, loopStmt);
	const expr = first ? sourceOf(model, first.start, first.end) : undefined;
	const line = lineOfTok(model, model.stmts.firstTok[loopStmt]);
	for (const h of loops) {
		const it = headerWord(model, h) === 'while' ? undefined : forIterable(model, h);
		const n = it && rangeLength(model, it.start, it.end);
		if (n === undefined) return { setting: { key: 'iters', source: 'missing', expr: it ? sourceOf(model, it.start, it.end) : expr, line: lineOfTok(model, model.stmts.firstTok[h]) } };
		total *= n;
	}
	if (loops.length > 1 || !first) return { setting: { key: 'iters', value: total, source: 'read', expr, line } };
	// One loop over `range(x)`: the override rewrites x's literal, or x itself.
	const args = model.callArgs(first.start + 1);
	if (args.length !== 1) return { setting: { key: 'iters', value: total, source: 'read', expr, line } };
	const arg = args[0];
	const tokRange = (s: number, e: number): OffsetRange => ({ start: startOf(model.tokens, s), end: endOf(model.tokens, e - 1) });
	if (arg.end - arg.start === 1 && model.isName(arg.start)) {
		const name = model.tok(arg.start);
		const a = model.assignmentAt(name, arg.start);
		if (a) {
			const aLine = lineOfTok(model, a.nameTok);
			const target = isNumberLiteral(model, a.rhsStart, a.rhsEnd) ? tokRange(a.rhsStart, a.rhsEnd) : tokRange(arg.start, arg.end);
			return { setting: { key: 'iters', value: total, source: 'read', name, expr: sourceOf(model, a.rhsStart, a.rhsEnd), line: aLine }, target };
		}
	}
	return { setting: { key: 'iters', value: total, source: 'read', expr: sourceOf(model, arg.start, arg.end), line }, target: tokRange(arg.start, arg.end) };
}

/** The value of tokens [s, e), following a lone name to its assignment; `dataset` for the size of load_mnist's training images. */
function sizeSetting(model: PythonModel, key: 'trainSize' | 'batchSize', range: [number, number] | undefined): ScriptSetting {
	if (!range) return { key, source: 'missing' };
	const [s, e] = range;
	let name: string | undefined;
	let line = lineOfTok(model, s);
	let expr = sourceOf(model, s, e);
	let rhs: [number, number] = [s, e];
	if (e - s === 1 && model.isName(s)) {
		name = model.tok(s);
		const a = model.assignmentAt(name, s);
		if (a) {
			line = lineOfTok(model, a.nameTok);
			expr = sourceOf(model, a.rhsStart, a.rhsEnd);
			rhs = [a.rhsStart, a.rhsEnd];
		}
	}
	const v = model.evaluate(s, e).num;
	if (v && Number.isFinite(v.value)) return { key, value: v.value, source: 'read', name, expr, line };
	if (key === 'trainSize' && isMnistTrainCount(model, rhs[0], rhs[1])) return { key, value: 60000, source: 'dataset', name, expr, line };
	return { key, source: 'missing', name, expr, line };
}

/** `x.shape[0]` or `len(x)` where x is the first name bound by `… = load_mnist(…)`: the 60,000 MNIST training images. */
function isMnistTrainCount(model: PythonModel, s: number, e: number): boolean {
	let x: number;
	if (e - s === 6 && model.isName(s) && model.isOp(s + 1, '.') && model.isName(s + 2, 'shape') && model.isOp(s + 3, '[') && model.tok(s + 4) === '0' && model.isOp(s + 5, ']')) x = s;
	else if (e - s === 4 && model.isName(s, 'len') && model.isOp(s + 1, '(') && model.isName(s + 2) && model.isOp(s + 3, ')')) x = s + 2;
	else return false;
	const name = model.tok(x);
	const st = model.stmts;
	// The statement binding it last before the use: it must be the load_mnist call, and the name its first target.
	for (let p = model.stmtOf(x) - 1; p >= 0; p--) {
		const a = st.firstTok[p];
		const end = st.endTok[p];
		let eq = -1;
		let firstName = -1;
		for (let j = a; j < end; j++) {
			if (firstName < 0 && model.isName(j)) firstName = j;
			if (model.isOp(j, '=')) {
				eq = j;
				break;
			}
		}
		if (eq < 0) continue;
		let binds = false;
		for (let j = a; j < eq; j++) if (model.isName(j, name)) binds = true;
		if (!binds) continue;
		const callee = model.isName(eq + 1, 'load_mnist') ? eq + 1 : model.isName(eq + 3, 'load_mnist') && model.isOp(eq + 2, '.') ? eq + 3 : -1;
		return firstName >= 0 && model.tok(firstName) === name && callee > 0 && model.isOp(callee + 1, '(');
	}
	return false;
}

/** The learning rate: the `-= lr * grad` update in the loop, else an `lr=` keyword, else a `learning_rate`/`lr` variable. */
function lrSetting(model: PythonModel, loopStmt: number): ScriptSetting {
	const st = model.stmts;
	const end = blockEnd(model, loopStmt);
	for (let s = loopStmt + 1; s < end; s++) {
		for (let j = st.firstTok[s]; j < st.endTok[s]; j++) {
			if (!model.isOp(j, '-=')) continue;
			if ((model.isName(j + 1) || model.tokens.kind[j + 1] === K_NUMBER) && model.isOp(j + 2, '*')) return valueSetting(model, 'lr', j + 1, j + 2);
		}
	}
	for (let i = 0; i + 2 < model.tokens.count; i++) {
		if (model.tokens.kind[i] === K_NAME && LR_KEYWORDS.has(model.tok(i)) && model.isOp(i + 1, '=') && model.parentOf(i) >= 0) {
			const open = model.parentOf(i);
			const arg = model.callArgs(open).find((a) => a.keywordTok === i);
			if (arg) return valueSetting(model, 'lr', arg.start, arg.end);
		}
	}
	for (const name of ['learning_rate', 'lr']) {
		const a = model.assignments.get(name)?.[0];
		if (a) return valueSetting(model, 'lr', a.nameTok, a.nameTok + 1);
	}
	return { key: 'lr', source: 'missing' };
}

function valueSetting(model: PythonModel, key: ScriptSettingKey, s: number, e: number): ScriptSetting {
	const name = e - s === 1 && model.isName(s) ? model.tok(s) : undefined;
	const a = name ? model.assignmentAt(name, s) : undefined;
	const line = lineOfTok(model, a ? a.nameTok : s);
	const expr = a ? sourceOf(model, a.rhsStart, a.rhsEnd) : sourceOf(model, s, e);
	const v = model.evaluate(s, e).num;
	return v && Number.isFinite(v.value) ? { key, value: v.value, source: 'read', name, expr, line } : { key, source: 'missing', name, expr, line };
}

/** `net = TwoLayerNet(input_size=784, hidden_size=50, output_size=10)` (or positional, or another hidden keyword). */
function hiddenSetting(model: PythonModel): { setting: ScriptSetting; variable?: string } {
	for (const [name, list] of model.assignments) {
		for (const a of list) {
			let j = a.rhsStart;
			while (model.isName(j) && model.isOp(j + 1, '.')) j += 2;
			if (!model.isName(j) || !model.isOp(j + 1, '(') || matchOf(model.tokens, j + 1) !== a.rhsEnd - 1) continue;
			const args = model.callArgs(j + 1);
			const kw = args.find((x) => x.keyword !== undefined && HIDDEN_KEYWORDS.has(x.keyword));
			const positional = args.filter((x) => x.keyword === undefined);
			const arg = kw ?? (/Net/.test(model.tok(j)) && positional.length >= 2 ? positional[1] : undefined);
			if (arg) return { setting: valueSetting(model, 'hidden', arg.start, arg.end), variable: name };
		}
	}
	return { setting: { key: 'hidden', source: 'missing' } };
}

/** Which set an accuracy call measures, from its arguments' names: `x_test`, `x_val`, `x_te` → test; `x_train`, `x_tr` → train. */
function kindOf(args: string): AccuracyCall['kind'] {
	if (/test|val/i.test(args)) return 'test';
	if (/train/i.test(args)) return 'train';
	const words = args.toLowerCase().split(/[^a-z]+/);
	if (words.includes('te')) return 'test';
	if (words.includes('tr') || words.includes('trn')) return 'train';
	return '';
}

function findAccuracyCalls(model: PythonModel): AccuracyCall[] {
	const t = model.tokens;
	const out: AccuracyCall[] = [];
	let coveredTo = -1;
	for (let i = 0; i + 1 < t.count; i++) {
		if (t.kind[i] === K_STRING && startOf(t, i) >= coveredTo) {
			const base = startOf(t, i);
			for (const c of fstringCalls(model.tok(i), (n) => ACCURACY_NAME.test(n))) out.push({ start: base + c.start, end: base + c.end, kind: kindOf(c.args) });
			continue;
		}
		if (t.kind[i] !== K_NAME || !model.isOp(i + 1, '(') || !ACCURACY_NAME.test(model.tok(i))) continue;
		if (model.isName(i - 1, 'def')) continue;
		const start = model.chainStart(i + 1);
		const close = matchOf(t, i + 1);
		if (start < 0 || close < 0) continue;
		const from = startOf(t, start);
		// A call inside another wrapped call is captured through it.
		if (from < coveredTo) continue;
		out.push({ start: from, end: endOf(t, close), kind: kindOf(sourceOf(model, i + 2, close)) });
		coveredTo = endOf(t, close);
	}
	return out;
}

/** `loss_list.append(loss)` statements in the training loop or the loops around it (not a validation/test loss). */
function findLossArgs(model: PythonModel, loopStmt: number): OffsetRange[] {
	const st = model.stmts;
	let outer = loopStmt;
	for (const h of enclosingHeaders(model, loopStmt)) {
		const w = headerWord(model, h);
		if (w === 'def' || w === 'class') break;
		if (w === 'for' || w === 'while') outer = h;
	}
	const end = blockEnd(model, outer);
	for (let s = outer + 1; s < end; s++) {
		const a = st.firstTok[s];
		const e = st.endTok[s];
		if (!model.isName(a) || !model.isOp(a + 1, '.') || !model.isName(a + 2, 'append') || !model.isOp(a + 3, '(') || matchOf(model.tokens, a + 3) !== e - 1) continue;
		const list = model.tok(a);
		if (!/loss/i.test(list) || /val|test/i.test(list) || e - 1 <= a + 4) continue;
		return [{ start: startOf(model.tokens, a + 4), end: endOf(model.tokens, e - 2) }];
	}
	return [];
}

function findNumericalGradient(model: PythonModel, loopStmt: number, loopEnd: number): number | undefined {
	const from = model.stmts.firstTok[loopStmt];
	const to = loopEnd < model.stmts.count ? model.stmts.firstTok[loopEnd] : model.tokens.count;
	for (let i = from; i < to; i++) {
		if (model.isName(i, 'numerical_gradient') && model.isOp(i - 1, '.') && model.isOp(i + 1, '(')) return lineOfTok(model, i);
	}
	return undefined;
}
