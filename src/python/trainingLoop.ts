import type { PyNum } from './evaluate';
import { K_NAME, K_NUMBER, endOf, matchOf, startOf } from './tokens';
import type { ForLoop, PythonModel } from './model';

/** What an assumed value stands for: each maps to one explanation in the hover. */
export type AssumptionBasis = 'mnistTrainSize' | 'bookBatchSize' | 'bookIters' | 'bookLearningRate' | 'bookFormula';

export type QuantityRole = 'trainSize' | 'batchSize' | 'itersNum' | 'iterPerEpoch' | 'learningRate';

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
	/** Present when source is `assumed`: `runtime` when `expr` only has a value when the script runs, `missing` when nothing defines it. */
	readonly assumed?: { readonly why: 'runtime' | 'missing'; readonly basis: AssumptionBasis };
}

/** Which iterations evaluate accuracy in the book's `if i % iter_per_epoch == 0:`. */
export interface Evaluations {
	readonly count: number;
	/** The first few iteration numbers (at most 3). */
	readonly first: readonly number[];
	readonly last: number;
}

export interface TrainingNumbers {
	readonly trainSize: Quantity;
	readonly batchSize: Quantity;
	readonly itersNum: Quantity;
	readonly iterPerEpoch: Quantity;
	readonly learningRate: Quantity;
	/** itersNum / iterPerEpoch (NaN when that is not a positive number). */
	readonly epochs: number;
	/** iterPerEpoch × batchSize: how many indices one "epoch" of with-replacement draws takes. */
	readonly drawsPerEpoch: number;
	/** ceil(trainSize / batchSize): the slices of one shuffled pass. */
	readonly slicesPerEpoch: number;
	readonly evaluations?: Evaluations;
	/** Every assumed quantity except the learning rate, for one footer. */
	readonly assumptions: readonly Quantity[];
}

/** The training loop and the names that play each role in it. */
export interface TrainingSetup {
	readonly loop?: ForLoop;
	/** Token of `choice` in the loop's `np.random.choice(...)`, if any. */
	readonly choiceTok?: number;
	readonly names: {
		readonly trainSize?: string;
		readonly batchSize?: string;
		readonly itersNum?: string;
		readonly iterPerEpoch?: string;
		readonly learningRate?: string;
		readonly loopVar?: string;
	};
	/** Names assigned from a `choice(...)` call in the loop (plus `batch_mask`). */
	readonly batchMasks: ReadonlySet<string>;
	/** `x_batch = x_train[batch_mask]`: minibatch name → (source array, mask name). */
	readonly batchData: ReadonlyMap<string, { readonly source?: string; readonly mask?: string }>;
	readonly numbers: TrainingNumbers;
	/** Token before which the setup's values are read (the loop's `for`, or the end of the file). */
	readonly ref: number;
	/** Assumed values for the role names, used while evaluating other expressions. */
	readonly fallback: (name: string) => PyNum | undefined;
}

const DEFAULTS: Record<'trainSize' | 'batchSize' | 'itersNum' | 'learningRate', { num: PyNum; basis: AssumptionBasis }> = {
	trainSize: { num: { value: 60000, isFloat: false }, basis: 'mnistTrainSize' },
	batchSize: { num: { value: 100, isFloat: false }, basis: 'bookBatchSize' },
	itersNum: { num: { value: 10000, isFloat: false }, basis: 'bookIters' },
	learningRate: { num: { value: 0.1, isFloat: true }, basis: 'bookLearningRate' },
};

const ITERS_NAME = /^(?:iters?_num|num_iters?|n_iters?|iters|iterations|max_iters?|num_steps|steps)$/;
const IPE_NAME = /^iters?_per_epoch$/;
/** Past this many iterations, counting `i % x == 0` one by one costs too much for a hover. */
const MAX_EVAL_SCAN = 1_000_000;

/** The receiver kind of `<chain>.choice/shuffle/permutation`: numpy's module functions or a Generator/RandomState object. */
export function randomReceiver(model: PythonModel, dotTok: number): { kind: 'legacy' | 'generator'; chain: string } | undefined {
	const start = model.chainStart(dotTok);
	if (start < 0) return undefined;
	const chain = model.compact(start, dotTok);
	if (model.isNumpyRandom(chain)) return { kind: 'legacy', chain };
	if (isGeneratorCtor(model, chain)) return { kind: 'generator', chain };
	if (start === dotTok - 1 && model.isName(start)) {
		const a = model.assignmentAt(chain, start);
		if (a && isGeneratorCtor(model, model.compact(a.rhsStart, a.rhsEnd))) return { kind: 'generator', chain };
	}
	return undefined;
}

function isGeneratorCtor(model: PythonModel, chain: string): boolean {
	const m = /^(?:([A-Za-z_]\w*(?:\.random)?)\.)?(default_rng|RandomState|Generator)\(/.exec(chain);
	if (!m) return false;
	if (!m[1]) return true;
	return model.isNumpyRandom(m[1]) || model.isNumpy(m[1]) || m[1] === 'random';
}

export function trainingSetup(model: PythonModel): TrainingSetup {
	const cached = model.cache.training as TrainingSetup | undefined;
	if (cached) return cached;
	const setup = computeSetup(model);
	model.cache.training = setup;
	return setup;
}

function computeSetup(model: PythonModel): TrainingSetup {
	const t = model.tokens;
	let loop: ForLoop | undefined;
	let choiceTok: number | undefined;
	for (const c of model.choiceCalls) {
		// The loop test is O(1); the receiver test reads source, so it runs only where it can matter.
		const l = model.rangeLoopAt(c);
		if (!l && choiceTok !== undefined) continue;
		if (!randomReceiver(model, c - 1)) continue;
		if (l) {
			loop = l;
			choiceTok = c;
			break;
		}
		choiceTok = c;
	}
	if (!loop) {
		loop = model.loops.find((l) => {
			if (l.rangeOpen < 0) return false;
			const args = model.callArgs(l.rangeOpen);
			return args.length === 1 && args[0].end - args[0].start === 1 && model.isName(args[0].start) && ITERS_NAME.test(model.tok(args[0].start));
		});
	}

	const names: { -readonly [K in keyof TrainingSetup['names']]: TrainingSetup['names'][K] } = {};
	let trainExpr: [number, number] | undefined;
	let batchExpr: [number, number] | undefined;
	if (choiceTok !== undefined) {
		const args = model.callArgs(choiceTok + 1);
		const a = args.find((x) => x.keyword === 'a') ?? (args[0] && !args[0].keyword ? args[0] : undefined);
		const size = args.find((x) => x.keyword === 'size') ?? (args[1] && !args[1].keyword ? args[1] : undefined);
		if (a) {
			if (a.end - a.start === 1 && model.isName(a.start)) names.trainSize = model.tok(a.start);
			else trainExpr = [a.start, a.end];
		}
		if (size) {
			if (size.end - size.start === 1 && model.isName(size.start)) names.batchSize = model.tok(size.start);
			else batchExpr = [size.start, size.end];
		}
	}
	if (!names.trainSize && !trainExpr && model.assignments.has('train_size')) names.trainSize = 'train_size';
	if (!names.batchSize && !batchExpr && model.assignments.has('batch_size')) names.batchSize = 'batch_size';

	let itersExpr: [number, number] | undefined;
	if (loop) {
		names.loopVar = loop.varName;
		const args = model.callArgs(loop.rangeOpen);
		if (args.length === 1 && !args[0].keyword) {
			if (args[0].end - args[0].start === 1 && model.isName(args[0].start)) names.itersNum = model.tok(args[0].start);
			else itersExpr = [args[0].start, args[0].end];
		}
		names.iterPerEpoch = findEpochCheck(model, loop);
	}
	names.itersNum ??= itersExpr ? undefined : firstAssigned(model, (n) => ITERS_NAME.test(n));
	names.iterPerEpoch ??= firstAssigned(model, (n) => IPE_NAME.test(n));
	names.learningRate = firstAssigned(model, (n) => n === 'learning_rate' || n === 'lr');

	// Masks and minibatches assigned inside the loop body.
	const batchMasks = new Set<string>(['batch_mask']);
	const batchData = new Map<string, { source?: string; mask?: string }>();
	if (loop) {
		for (let s = loop.bodyFirst; s < loop.bodyEnd; s++) {
			const a = model.stmts.firstTok[s];
			const e = model.stmts.endTok[s];
			if (e - a < 3 || !model.isName(a) || !model.isOp(a + 1, '=')) continue;
			const close = e - 1;
			const open = matchOf(t, close);
			if (open > a + 1 && model.isOp(close, ')') && model.isName(open - 1, 'choice') && model.isOp(open - 2, '.')) batchMasks.add(model.tok(a));
		}
		for (let s = loop.bodyFirst; s < loop.bodyEnd; s++) {
			const a = model.stmts.firstTok[s];
			const e = model.stmts.endTok[s];
			// x_batch = x_train[batch_mask]
			if (e - a === 6 && model.isName(a) && model.isOp(a + 1, '=') && model.isName(a + 2) && model.isOp(a + 3, '[') && model.isName(a + 4) && model.isOp(a + 5, ']')) {
				const mask = model.tok(a + 4);
				if (batchMasks.has(mask)) batchData.set(model.tok(a), { source: model.tok(a + 2), mask });
			}
		}
	}
	for (const n of ['x_batch', 't_batch']) if (!batchData.has(n)) batchData.set(n, {});

	const ref = loop ? model.stmts.firstTok[loop.stmt] : t.count;
	const fallback = (name: string): PyNum | undefined => {
		if (name === names.trainSize) return DEFAULTS.trainSize.num;
		if (name === names.batchSize) return DEFAULTS.batchSize.num;
		if (name === names.itersNum) return DEFAULTS.itersNum.num;
		if (name === names.learningRate) return DEFAULTS.learningRate.num;
		return undefined;
	};
	const q = (role: keyof typeof DEFAULTS, name: string | undefined, expr: [number, number] | undefined): Quantity =>
		quantity(model, role, name, expr, ref, fallback);
	const trainSize = q('trainSize', names.trainSize, trainExpr);
	const batchSize = q('batchSize', names.batchSize, batchExpr);
	const itersNum = q('itersNum', names.itersNum, itersExpr);
	const learningRate = q('learningRate', names.learningRate, undefined);
	const iterPerEpoch = ipeQuantity(model, names.iterPerEpoch, ref, fallback, trainSize, batchSize);

	const ipe = iterPerEpoch.value;
	const epochs = ipe > 0 && Number.isFinite(ipe) ? itersNum.value / ipe : NaN;
	const numbers: TrainingNumbers = {
		trainSize,
		batchSize,
		itersNum,
		iterPerEpoch,
		learningRate,
		epochs,
		drawsPerEpoch: ipe * batchSize.value,
		slicesPerEpoch: batchSize.value > 0 ? Math.ceil(trainSize.value / batchSize.value) : NaN,
		evaluations: countEvaluations(itersNum.value, ipe),
		// The learning rate only matters to its own hover, which adds it itself.
		assumptions: [trainSize, batchSize, itersNum, iterPerEpoch].filter((x) => x.source === 'assumed'),
	};
	return { loop, choiceTok, names, batchMasks, batchData, numbers, ref, fallback };
}

/** A quantity for a call argument (the `N` and `B` of some other `choice(N, B)`), read like the setup's own. */
export function argQuantity(model: PythonModel, setup: TrainingSetup, role: 'trainSize' | 'batchSize', range: [number, number] | undefined): Quantity {
	if (range && range[1] - range[0] === 1 && model.isName(range[0])) return quantity(model, role, model.tok(range[0]), undefined, range[0], setup.fallback);
	return quantity(model, role, undefined, range, range ? range[0] : setup.ref, setup.fallback);
}

function firstAssigned(model: PythonModel, test: (name: string) => boolean): string | undefined {
	for (const name of model.assignments.keys()) if (test(name)) return name;
	return undefined;
}

/** `if i % iter_per_epoch == 0:` in the loop body names the epoch length. */
function findEpochCheck(model: PythonModel, loop: ForLoop): string | undefined {
	for (let s = loop.bodyFirst; s < loop.bodyEnd; s++) {
		const a = model.stmts.firstTok[s];
		if (!model.isName(a, 'if') || !model.isName(a + 1, loop.varName) || !model.isOp(a + 2, '%') || !model.isName(a + 3)) continue;
		if (model.isOp(a + 4, '==') && model.tokens.kind[a + 5] === K_NUMBER && model.tok(a + 5) === '0') return model.tok(a + 3);
	}
	return undefined;
}

function quantity(
	model: PythonModel,
	role: keyof typeof DEFAULTS,
	name: string | undefined,
	expr: [number, number] | undefined,
	ref: number,
	fallback: (name: string) => PyNum | undefined,
): Quantity {
	const d = DEFAULTS[role];
	let range = expr;
	if (name) {
		const a = model.assignmentAt(name, ref);
		if (a) range = [a.rhsStart, a.rhsEnd];
		else if (!expr) return { ...d.num, role, name, source: 'assumed', assumed: { why: 'missing', basis: d.basis } };
	}
	if (!range) return { ...d.num, role, name, source: 'assumed', assumed: { why: 'missing', basis: d.basis } };
	// The role's own value must not fall back to its own default, only its inputs may.
	const own = (n: string) => (n === name ? undefined : fallback(n));
	const ev = model.evaluate(range[0], range[1], own);
	const exprText = exprSource(model, range[0], range[1]);
	if (!ev.num || !Number.isFinite(ev.num.value)) {
		return { ...d.num, role, name, source: 'assumed', expr: exprText, assumed: { why: 'runtime', basis: d.basis } };
	}
	const literal = range[1] - range[0] === 1 && model.tokens.kind[range[0]] === K_NUMBER;
	return { ...ev.num, role, name, source: literal ? 'literal' : 'computed', expr: exprText, substituted: literal ? undefined : ev.rendered };
}

function ipeQuantity(
	model: PythonModel,
	name: string | undefined,
	ref: number,
	fallback: (name: string) => PyNum | undefined,
	trainSize: Quantity,
	batchSize: Quantity,
): Quantity {
	const a = name ? model.assignmentAt(name, ref) : undefined;
	if (a) {
		const ev = model.evaluate(a.rhsStart, a.rhsEnd, fallback);
		const expr = exprSource(model, a.rhsStart, a.rhsEnd);
		if (ev.num && Number.isFinite(ev.num.value)) {
			const literal = a.rhsEnd - a.rhsStart === 1 && model.tokens.kind[a.rhsStart] === K_NUMBER;
			return { ...ev.num, role: 'iterPerEpoch', name, source: literal ? 'literal' : 'computed', expr, substituted: literal ? undefined : ev.rendered };
		}
		return { ...bookIpe(trainSize, batchSize), role: 'iterPerEpoch', name, source: 'assumed', expr, assumed: { why: 'runtime', basis: 'bookFormula' } };
	}
	return { ...bookIpe(trainSize, batchSize), role: 'iterPerEpoch', name, source: 'assumed', assumed: { why: 'missing', basis: 'bookFormula' } };
}

/** The book's `max(train_size / batch_size, 1)`: always a float. */
function bookIpe(trainSize: Quantity, batchSize: Quantity): PyNum {
	const v = batchSize.value !== 0 ? trainSize.value / batchSize.value : NaN;
	return { value: Number.isNaN(v) ? NaN : Math.max(v, 1), isFloat: true };
}

/** The source of tokens [s, e) on one line, clipped for a hover. */
export function exprSource(model: PythonModel, s: number, e: number): string {
	const from = startOf(model.tokens, s);
	const last = endOf(model.tokens, e - 1);
	const to = Math.min(last, from + 400);
	const one = model.text.slice(from, to).replace(/\s*(?:\\\r?\n|\r?\n|\r)\s*/g, ' ');
	return one.length > 120 || to < last ? one.slice(0, 119) + '…' : one;
}

/** Iterations i in [0, iters) where Python's `i % ipe == 0` holds. */
function countEvaluations(iters: number, ipe: number): Evaluations | undefined {
	if (!(ipe > 0) || !Number.isFinite(ipe) || !Number.isFinite(iters)) return undefined;
	const n = Math.max(0, Math.ceil(iters));
	if (n === 0) return { count: 0, first: [], last: -1 };
	if (Number.isInteger(ipe)) {
		const count = Math.ceil(n / ipe);
		const first = [0, ipe, 2 * ipe].filter((v) => v < n);
		return { count, first, last: (count - 1) * ipe };
	}
	if (n > MAX_EVAL_SCAN) return undefined;
	// A fractional epoch length: JS % is C's fmod, which is Python's % for positive operands.
	let count = 0;
	let last = -1;
	const first: number[] = [];
	for (let i = 0; i < n; i++) {
		if (i % ipe === 0) {
			count++;
			last = i;
			if (first.length < 3) first.push(i);
		}
	}
	return { count, first, last };
}

/** True when a name token is used as a plain variable (not an attribute, not a called function, not a keyword argument's name). */
export function isPlainNameUse(model: PythonModel, tok: number): boolean {
	if (model.tokens.kind[tok] !== K_NAME) return false;
	if (model.isOp(tok - 1, '.')) return false;
	if (model.isOp(tok + 1, '(')) return false;
	return true;
}
