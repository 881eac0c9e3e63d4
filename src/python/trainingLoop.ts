/**
 * The training loop of a document and the names that play each role in it: where minibatches are drawn (or sliced),
 * how many iterations run (one loop, or epochs × iterations per epoch), and the settings' values.
 */
import type { PyNum } from './evaluate';
import { EPOCH_NAME, epochLoop, isDottedName, loopCount, rangeValues, type EpochLoop } from './epochLoop';
import { whileStart } from './whileLoop';
import { breakIn, callsFunction, counterBreak, loopSlice, periodicCheck, trains, type LoopSlice, type PeriodicCheck, type StmtRange } from './loopBody';
import type { ForLoop, FunctionDef, PythonModel } from './model';
import { DEFAULTS, assumedLength, changeInLoop, enclosingDef, exprSource, ipeQuantity, isLengthName, quantity, type Quantity } from './quantities';
import { findIntegerDraw } from './randint';
import { rangeNames } from './rangeNames';
import { samplerCallAt } from './samplers';
import { K_NAME, startOf } from './tokens';
import { countEvaluations, loopStop, type Evaluations, type LoopStop } from './evaluations';

export type { AssumptionBasis, ParameterDefault, Quantity, QuantityRole } from './quantities';
export type { EpochLoop, EpochOrder, SliceCoverage } from './epochLoop';
export type { Evaluations, LoopStop } from './evaluations';
export { exprSource } from './quantities';
export { randomReceiver } from './samplers';

export interface TrainingNumbers {
	readonly trainSize: Quantity;
	readonly batchSize: Quantity;
	/** All iterations the training runs: the loop's count, epochs × iterations per epoch, or up to a `break`. */
	readonly itersNum: Quantity;
	/** Iterations in one epoch: the book's `iter_per_epoch`, or the inner loop's count. */
	readonly iterPerEpoch: Quantity;
	readonly learningRate: Quantity;
	/** itersNum / iterPerEpoch (NaN when that is not a positive number); the outer loop's count for epoch loops. */
	readonly epochs: number;
	/** iterPerEpoch × batchSize: how many indices one "epoch" of with-replacement draws takes. */
	readonly drawsPerEpoch: number;
	/** ceil(trainSize / batchSize): the slices of one shuffled pass. */
	readonly slicesPerEpoch: number;
	readonly evaluations?: Evaluations;
	/** Every assumed quantity except the learning rate, for one footer. */
	readonly assumptions: readonly Quantity[];
	/** Present when the training loop runs inside a loop over epochs. */
	readonly epochLoop?: EpochLoop;
	/** Present when a `break` can end the loop before its range does. */
	readonly stop?: LoopStop;
	/** The loop variable's first value when it is not 0 (`range(1, iters_num + 1)`, a while counter from 1). */
	readonly firstIteration?: number;
	/**
	 * Present when each iteration trains several networks on its one minibatch: the gradient is taken in a loop over
	 * them inside the training loop (chapter 6's `for key in optimizers.keys():`). `over` is that loop's iterable.
	 */
	readonly sharedBatch?: { readonly over: string };
}

/** The training loop and the names that play each role in it. */
export interface TrainingSetup {
	/** The loop whose iterations are the training steps (the inner one, for epoch loops). */
	readonly loop?: ForLoop;
	/** Token of the sampler's name in the loop's `np.random.choice(...)` (or bare imported `choice(...)`), if any. */
	readonly choiceTok?: number;
	/** The slice the loop takes its batches with, when it slices instead of drawing. */
	readonly slice?: LoopSlice;
	/** The function holding the draw, when the loop calls it (the book's `Trainer.train_step`). */
	readonly stepFunction?: FunctionDef;
	readonly names: {
		readonly trainSize?: string;
		readonly batchSize?: string;
		readonly itersNum?: string;
		readonly iterPerEpoch?: string;
		readonly learningRate?: string;
		readonly loopVar?: string;
		/** The epoch loop's variable and the name of its count. */
		readonly epochVar?: string;
		readonly epochs?: string;
	};
	/** Names assigned from a `choice(...)` call or the batch slice in the loop (plus `batch_mask`). */
	readonly batchMasks: ReadonlySet<string>;
	/** `x_batch = x_train[batch_mask]`: minibatch name → (source array, mask name). */
	readonly batchData: ReadonlyMap<string, { readonly source?: string; readonly mask?: string }>;
	readonly numbers: TrainingNumbers;
	/** Token before which the setup's values are read (the loop's `for`, or the end of the file). */
	readonly ref: number;
	/** Assumed values for the role names, used while evaluating other expressions. */
	readonly fallback: (name: string) => PyNum | undefined;
}

const ITERS_NAME = /^(?:iters?_num|num_iters?|n_iters?|iters|iterations|max_iters?|num_steps|steps|max_iterations)$/;
const IPE_NAME = /^iters?_per_epoch$/;

export function trainingSetup(model: PythonModel): TrainingSetup {
	const cached = model.cache.training as TrainingSetup | undefined;
	if (cached) return cached;
	const setup = computeSetup(model);
	model.cache.training = setup;
	return setup;
}

type Names = { -readonly [K in keyof TrainingSetup['names']]: TrainingSetup['names'][K] };

/** The first sampler draw in a range loop (or the first anywhere), and that loop. */
function findDraw(model: PythonModel): { loop?: ForLoop; choiceTok?: number } {
	let choiceTok: number | undefined;
	for (const c of model.choiceCalls) {
		// The loop test is O(1); the receiver test reads source, so it runs only where it can matter.
		const l = countedLoopAt(model, c);
		if (!l && choiceTok !== undefined) continue;
		if (samplerCallAt(model, c)?.fn !== 'choice') continue;
		if (l) return { loop: l, choiceTok: c };
		choiceTok = c;
	}
	return { choiceTok };
}

/** The innermost loop around `tok` that counts: over `range(…)`, or `while counter < bound:`. */
function countedLoopAt(model: PythonModel, tok: number): ForLoop | undefined {
	const range = model.rangeLoopAt(tok);
	for (let l = model.loopAt(tok); l && l !== range; l = l.parent >= 0 ? model.loops[l.parent] : undefined) if (l.whileTest) return l;
	return range;
}

/** A range loop whose body calls `fn` (`for i in range(self.max_iter): self.train_step()`). */
function loopCalling(model: PythonModel, fn: FunctionDef): ForLoop | undefined {
	return model.loops.find((l) => l.rangeOpen >= 0 && (l.stmt < fn.stmt || l.stmt >= fn.bodyEnd) && callsFunction(model, [l.bodyFirst, l.bodyEnd], fn.name));
}

/** The first range loop that takes batches by slicing with its variable and trains (or runs inside an epoch loop). */
function findSliceLoop(model: PythonModel): { loop: ForLoop; slice: LoopSlice } | undefined {
	let found: { loop: ForLoop; slice: LoopSlice } | undefined;
	model.loops.some((loop) => {
		if (loop.rangeOpen < 0) return false;
		const slice = loopSlice(model, loop);
		if (!slice) return false;
		const parent = loop.parent >= 0 ? model.loops[loop.parent] : undefined;
		const inEpochs = parent !== undefined && EPOCH_NAME.test(parent.varName);
		if (!inEpochs && !trains(model, [loop.bodyFirst, loop.bodyEnd])) return false;
		found = { loop, slice };
		return true;
	});
	return found;
}

function firstAssigned(model: PythonModel, test: (name: string) => boolean): string | undefined {
	for (const name of model.assignments.keys()) if (test(name)) return name;
	return undefined;
}

/** A call argument that is a (dotted) name: its text. */
function argName(model: PythonModel, a: { start: number; end: number } | undefined): string | undefined {
	return a && isDottedName(model, a.start, a.end) ? model.compact(a.start, a.end) : undefined;
}

function computeSetup(model: PythonModel): TrainingSetup {
	const t = model.tokens;
	const draw = findDraw(model);
	const choiceTok = draw.choiceTok;
	let loop = draw.loop;
	let stepFunction: FunctionDef | undefined;
	let slice: LoopSlice | undefined;
	if (choiceTok !== undefined && !loop) {
		stepFunction = enclosingDef(model, model.stmtOf(choiceTok));
		loop = stepFunction && loopCalling(model, stepFunction);
		if (!loop) stepFunction = undefined;
	}
	if (!loop) {
		const s = findSliceLoop(model);
		if (s) ({ loop, slice } = s);
	}
	if (!loop) {
		loop = model.loops.find((l) => {
			if (l.rangeOpen < 0) return false;
			const args = model.callArgs(l.rangeOpen);
			return args.length === 1 && args[0].end - args[0].start === 1 && model.isName(args[0].start) && ITERS_NAME.test(model.tok(args[0].start));
		});
	}

	const names: Names = {};
	let trainExpr: [number, number] | undefined;
	let batchExpr: [number, number] | undefined;
	// `np.random.randint(0, N, B)` draws as `choice(N, B)` does.
	const intDraw = choiceTok === undefined && !slice && !stepFunction ? findIntegerDraw(model, (tok) => countedLoopAt(model, tok)) : undefined;
	if (intDraw?.loop) loop = intDraw.loop;
	if (choiceTok !== undefined || intDraw) {
		const args = choiceTok !== undefined ? model.callArgs(choiceTok + 1) : [];
		const a = intDraw ? intDraw.draw.high : (args.find((x) => x.keyword === 'a') ?? (args[0] && !args[0].keyword ? args[0] : undefined));
		const size = intDraw ? intDraw.draw.size : (args.find((x) => x.keyword === 'size') ?? (args[1] && !args[1].keyword ? args[1] : undefined));
		if (a) {
			names.trainSize = argName(model, a);
			if (!names.trainSize) trainExpr = [a.start, a.end];
		}
		if (size) {
			names.batchSize = argName(model, size);
			if (!names.batchSize) batchExpr = [size.start, size.end];
		}
	}
	// A loop that slices its batches names both in its range: `range(0, n, bs)`, `range(n // bs)`.
	if (slice && loop && choiceTok === undefined) {
		const r = rangeNames(model, loop);
		if (typeof r.trainSize === 'string') names.trainSize = r.trainSize;
		else if (r.trainSize) trainExpr = [r.trainSize[0], r.trainSize[1]];
		names.batchSize = r.batchSize;
	}
	if (!names.trainSize && !trainExpr && model.assignments.has('train_size')) names.trainSize = 'train_size';
	if (!names.batchSize && !batchExpr && model.assignments.has('batch_size')) names.batchSize = 'batch_size';

	const outer = loop && loop.parent >= 0 ? model.loops[loop.parent] : undefined;
	let itersExpr: [number, number] | undefined;
	let counted = false;
	let check: PeriodicCheck | undefined;
	const bodies: StmtRange[] = [];
	if (loop) {
		names.loopVar = loop.varName;
		bodies.push([loop.bodyFirst, loop.bodyEnd]);
		if (stepFunction) bodies.push([stepFunction.bodyFirst, stepFunction.bodyEnd]);
		const args = loop.rangeOpen >= 0 ? model.callArgs(loop.rangeOpen) : [];
		if (args.length === 1 && !args[0].keyword) {
			names.itersNum = argName(model, args[0]);
			if (!names.itersNum) itersExpr = [args[0].start, args[0].end];
		}
		// `range(1, iters_num + 1)`, `range(0, iters_num, 2)`: the loop's own count, not the name's value.
		if (args.filter((x) => !x.keyword).length > 1) counted = true;
		// `while it < max_iter:` counting from 0: the bound is the number of iterations; else the loop gives its count.
		if (loop.whileTest) {
			const [s, e] = loop.whileTest.bound;
			counted = true;
			if (loop.whileTest.op === '<' && whileStart(model, loop, undefined) === 0 && isDottedName(model, s, e)) names.itersNum = model.compact(s, e);
		}
		// `if i % iter_per_epoch == 0:`, or a counter of its own in the step function (`self.current_iter`).
		check = periodicCheck(model, bodies, new Set(stepFunction ? [] : [loop.varName]));
		if (check?.divisorName) names.iterPerEpoch = check.divisorName;
	}
	names.iterPerEpoch ??= firstAssigned(model, (n) => IPE_NAME.test(n));
	names.learningRate = firstAssigned(model, (n) => n === 'learning_rate' || n === 'lr');

	const ref = loop ? model.stmts.firstTok[(outer ?? loop).stmt] : t.count;
	const fallback = (name: string): PyNum | undefined => {
		if (name === names.trainSize) return DEFAULTS.trainSize.num;
		if (name === names.batchSize) return DEFAULTS.batchSize.num;
		if (name === names.itersNum) return DEFAULTS.itersNum.num;
		if (name === names.learningRate) return DEFAULTS.learningRate.num;
		if (name === names.epochs) return DEFAULTS.epochs.num;
		if (isLengthName(name)) return assumedLength(name).num;
		return undefined;
	};
	// Values changed inside the loop are read as they are before it, and say so.
	const loopStmts = loop ? ([(outer ?? loop).stmt, (outer ?? loop).bodyEnd] as const) : undefined;
	const withChange = (q: Quantity): Quantity => {
		const c = q.name && loopStmts ? changeInLoop(model, q.name, loopStmts[0], loopStmts[1]) : undefined;
		return c ? { ...q, changes: c } : q;
	};
	let trainSize = withChange(quantity(model, 'trainSize', names.trainSize, trainExpr, ref, fallback));
	let batchSize = withChange(quantity(model, 'batchSize', names.batchSize, batchExpr, ref, fallback));
	const learningRate = withChange(quantity(model, 'learningRate', names.learningRate, undefined, ref, fallback));

	const epochs = loop ? epochLoop(model, loop, slice, fallback, trainSize, batchSize) : undefined;
	let itersNum: Quantity;
	let iterPerEpoch: Quantity;
	let stop: LoopStop | undefined;
	if (epochs) {
		names.epochVar = epochs.epochVar;
		names.epochs = epochs.epochsName;
		names.itersNum = undefined;
		if (epochs.iterPerEpoch.name) names.iterPerEpoch = epochs.iterPerEpoch.name;
		iterPerEpoch = withChange(epochs.iterPerEpoch);
		const total = epochs.epochs.value * iterPerEpoch.value;
		itersNum = { value: total, isFloat: false, role: 'itersNum', source: 'computed', expr: `${epochs.epochs.name ?? epochs.epochs.expr} × ${iterPerEpoch.name ?? iterPerEpoch.expr}` };
		// A file without `train_size` / `batch_size` names them in its slices: `perm = permutation(n_train)`, `perm[i*bs:…]`.
		const c = epochs.slices;
		if (c && trainSize.source === 'assumed' && (c.population.source !== 'assumed' || trainSize.assumed?.why === 'missing')) {
			trainSize = withChange({ ...c.population, role: 'trainSize' });
			names.trainSize = c.population.name;
		}
		if (c && batchSize.source === 'assumed') {
			names.batchSize = c.widthName;
			batchSize = c.widthName
				? withChange(quantity(model, 'batchSize', c.widthName, undefined, ref, fallback))
				: { value: c.width, isFloat: false, role: 'batchSize', source: 'computed', expr: c.expr };
		}
	} else {
		names.itersNum ??= itersExpr || counted ? undefined : firstAssigned(model, (n) => ITERS_NAME.test(n));
		itersNum = withChange(loop && !names.itersNum && !itersExpr ? (loopCount(model, loop, 'itersNum', fallback) ?? quantity(model, 'itersNum', undefined, undefined, ref, fallback)) : quantity(model, 'itersNum', names.itersNum, itersExpr, ref, fallback));
		iterPerEpoch = withChange(ipeQuantity(model, names.iterPerEpoch, ref, fallback, trainSize, batchSize));
		if (loop && check) stop = loopStop(model, loop, check, counterBreak(model, loop, check), itersNum, iterPerEpoch, fallback);
		else if (loop && !loop.whileTest?.viaBreak) {
			const b = breakIn(model, loop, [loop.bodyFirst, loop.bodyEnd]);
			if (b !== undefined) stop = { line: model.lineOf(startOf(t, model.stmts.firstTok[b])), code: 'break', bound: itersNum };
		}
		if (stop?.iterations !== undefined) itersNum = { value: stop.iterations, isFloat: false, role: 'itersNum', source: 'computed', expr: stop.code };
	}

	const masks = batchNames(model, loop, slice, choiceTok, intDraw?.draw.tok);
	const ipe = iterPerEpoch.value;
	const epochCount = epochs ? epochs.epochs.value : ipe > 0 && Number.isFinite(ipe) ? itersNum.value / ipe : NaN;
	const evaluations = check && !epochs ? countEvaluations(itersNum.value, check, ipeFor(check, names.iterPerEpoch, iterPerEpoch, model, fallback), stop, loop && check ? counterOffset(model, loop, check) : 0) : undefined;
	const numbers: TrainingNumbers = {
		trainSize,
		batchSize,
		itersNum,
		iterPerEpoch,
		learningRate,
		epochs: epochCount,
		drawsPerEpoch: ipe * batchSize.value,
		slicesPerEpoch: batchSize.value > 0 ? Math.ceil(trainSize.value / batchSize.value) : NaN,
		evaluations,
		// The learning rate only matters to its own hover, which adds it itself.
		assumptions: distinct([trainSize, batchSize, itersNum, iterPerEpoch, ...(epochs ? [epochs.epochs] : []), ...(epochs?.slices ? [epochs.slices.population] : [])].filter((x) => x.source === 'assumed')),
		...(epochs ? { epochLoop: epochs } : {}),
		...(stop ? { stop } : {}),
		...(firstIteration(model, loop, epochs) ?? {}),
		...(loop ? sharedBatch(model, loop) : {}),
	};
	return { loop, choiceTok, slice, stepFunction, names, batchMasks: masks.masks, batchData: masks.data, numbers, ref, fallback };
}

/** The training loop variable's first value, when it is not 0 and the loop steps by 1. */
function firstIteration(model: PythonModel, loop: ForLoop | undefined, epochs: EpochLoop | undefined): { firstIteration: number } | undefined {
	if (!loop || epochs) return undefined;
	const first = loop.rangeOpen >= 0 ? rangeValues(model, loop.rangeOpen, () => undefined) : { start: whileStart(model, loop), step: 1 };
	return first && first.step === 1 && first.start !== undefined && Number.isInteger(first.start) && first.start !== 0 ? { firstIteration: first.start } : undefined;
}

/** 1 when a while loop's counter is increased before the check reads it (`step += 1`, then `if step % 500 == 0:`). */
function counterOffset(model: PythonModel, loop: ForLoop, check: PeriodicCheck): number {
	if (check.counter !== loop.varName) return 0;
	// `for i in range(1, iters_num + 1):` checks i = 1 … iters_num.
	if (loop.rangeOpen >= 0) {
		const r = rangeValues(model, loop.rangeOpen, () => undefined);
		return r && r.step === 1 && Number.isInteger(r.start) && r.start > 0 ? r.start : 0;
	}
	if (!loop.whileTest) return 0;
	const step = (model.assignments.get(loop.varName) ?? []).find((a) => a.stmt >= loop.bodyFirst && a.stmt < loop.bodyEnd);
	return step && step.stmt < check.stmt ? 1 : 0;
}

/** The loop over networks inside the training loop that takes the gradient, if the gradient is taken in one. */
function sharedBatch(model: PythonModel, loop: ForLoop): { sharedBatch?: { over: string } } {
	const st = model.stmts;
	for (let s = loop.bodyFirst; s < loop.bodyEnd; s++) {
		const a = st.firstTok[s];
		const e = st.endTok[s];
		for (let j = a; j < e; j++) {
			if (!model.isName(j, 'gradient') || !model.isOp(j + 1, '(')) continue;
			const inner = model.loopAt(j);
			if (!inner || inner === loop || inner.rangeOpen >= 0) return {};
			const header = st.firstTok[inner.stmt];
			const end = st.endTok[inner.stmt];
			if (!model.isOp(end - 1, ':') || end - 1 <= header + 3) return {};
			return { sharedBatch: { over: exprSource(model, header + 3, end - 1) } };
		}
	}
	return {};
}

/** One quantity per name (or expression): the training set size may also be the sliced array's length. */
function distinct(qs: Quantity[]): Quantity[] {
	const seen = new Set<string>();
	return qs.filter((q) => {
		const key = `${q.role === 'trainSize' ? 'n' : q.role}:${q.name ?? q.expr ?? ''}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

/** The divisor of the periodic check as a number: the epoch length when it is the epoch length's name. */
function ipeFor(check: PeriodicCheck, ipeName: string | undefined, ipe: Quantity, model: PythonModel, fallback: (n: string) => PyNum | undefined): number {
	if (check.divisorName && check.divisorName === ipeName) return ipe.value;
	return model.evaluate(check.divisor[0], check.divisor[1], fallback).num?.value ?? NaN;
}

/** Masks (`batch_mask = choice(…)` or `= perm[…]`) and minibatches (`x_batch = x_train[batch_mask]`) in the loop. */
function batchNames(model: PythonModel, loop: ForLoop | undefined, slice: LoopSlice | undefined, choiceTok: number | undefined, drawTok?: number) {
	const masks = new Set<string>(['batch_mask']);
	if (drawTok !== undefined) {
		const a = model.stmts.firstTok[model.stmtOf(drawTok)];
		if (model.isName(a) && model.isOp(a + 1, '=')) masks.add(model.tok(a));
	}
	const data = new Map<string, { source?: string; mask?: string }>();
	const st = model.stmts;
	const ranges: StmtRange[] = [];
	if (loop) ranges.push([loop.bodyFirst, loop.bodyEnd]);
	if (choiceTok !== undefined && (!loop || model.stmtOf(choiceTok) < loop.bodyFirst || model.stmtOf(choiceTok) >= loop.bodyEnd)) {
		const s = model.stmtOf(choiceTok);
		ranges.push([s, s + 4]);
	}
	for (const [first, end] of ranges) {
		for (let s = first; s < Math.min(end, st.count); s++) {
			const a = st.firstTok[s];
			const e = st.endTok[s];
			if (e - a < 3 || !model.isName(a) || !model.isOp(a + 1, '=')) continue;
			if (slice && s === slice.stmt && slice.target === model.tok(a)) masks.add(slice.target);
			const close = e - 1;
			if (!model.isOp(close, ')')) continue;
			for (let j = a + 2; j < close; j++) {
				if (model.tokens.kind[j] === K_NAME && model.isOp(j + 1, '(') && samplerCallAt(model, j)?.fn === 'choice') {
					masks.add(model.tok(a));
					break;
				}
			}
		}
		for (let s = first; s < Math.min(end, st.count); s++) {
			const a = st.firstTok[s];
			const e = st.endTok[s];
			// x_batch = x_train[batch_mask] (also self.x_train[batch_mask])
			if (!model.isName(a) || !model.isOp(a + 1, '=') || !model.isOp(e - 1, ']') || !model.isName(e - 2) || !model.isOp(e - 3, '[')) continue;
			const mask = model.tok(e - 2);
			if (masks.has(mask) && isDottedName(model, a + 2, e - 3)) data.set(model.tok(a), { source: model.compact(a + 2, e - 3), mask });
		}
	}
	// The slice itself is the minibatch when it is taken from the data (`x_batch = x_train[i:i + batch_size]`).
	if (slice?.target && !masks.has(slice.target)) data.set(slice.target, { source: slice.array });
	for (const n of ['x_batch', 't_batch']) if (!data.has(n)) data.set(n, {});
	return { masks, data };
}

/** True when a name token is used as a plain variable (not an attribute, not a called function, not a keyword argument's name). */
export function isPlainNameUse(model: PythonModel, tok: number): boolean {
	if (model.tokens.kind[tok] !== K_NAME) return false;
	if (model.isOp(tok - 1, '.')) return false;
	if (model.isOp(tok + 1, '(')) return false;
	return true;
}

/** A quantity for a call argument (the `N` and `B` of some other `choice(N, B)`), read like the setup's own. */
export function argQuantity(model: PythonModel, setup: TrainingSetup, role: 'trainSize' | 'batchSize', range: [number, number] | undefined): Quantity {
	if (range && isDottedName(model, range[0], range[1])) return quantity(model, role, model.compact(range[0], range[1]), undefined, range[0], setup.fallback);
	return quantity(model, role, undefined, range, range ? range[0] : setup.ref, setup.fallback);
}
