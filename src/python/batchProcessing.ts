/**
 * Batch processing for inference, as in the book's chapter 3 (`neuralnet_mnist_batch.py`): a loop that feeds the
 * network consecutive slices of the data, `for i in range(0, len(x), batch_size): x_batch = x[i:i+batch_size]`, with no
 * gradient and no update. Told apart from a training loop so its hovers explain batch processing, not minibatch training.
 */
import { isEpochLoop, isDottedName, rangeValues } from './epochLoop';
import { loopSlice, trains, type LoopSlice } from './loopBody';
import type { ForLoop, PythonModel } from './model';
import { exprSource, quantity, type Quantity } from './quantities';
import { matchOf } from './tokens';

export interface BatchProcessing {
	readonly loop: ForLoop;
	readonly slice: LoopSlice;
	/** The slice as written: `x[i:i+batch_size]`. */
	readonly sliceText: string;
	/** Images per forward pass: the slice width (the range's step). */
	readonly batchSize: Quantity;
	/** How many images the loop goes through: the range's stop (`len(x)`). */
	readonly population: Quantity;
	/** Forward passes: ceil(population / batch size). */
	readonly passes: number;
	/** Size of the last batch (shorter when batch size does not divide the population). */
	readonly lastSize: number;
	/** The first values of the loop variable and its last one. */
	readonly starts: readonly number[];
	readonly lastStart: number;
	/** The names the loop assigns slices to (`x_batch`), and the forward call on them (`predict(network, x_batch)`). */
	readonly batchNames: readonly string[];
	readonly forward?: string;
}

/** Calls that run a network forward. */
const FORWARD = /^(?:predict|forward|accuracy|__call__|loss)$/;

/** The batch-processing reading of one loop, or undefined when it is no such loop; memoized per model. */
export function batchProcessingOf(model: PythonModel, loop: ForLoop): BatchProcessing | undefined {
	let memo = model.cache.batchProcessing as Map<ForLoop, BatchProcessing | null> | undefined;
	if (!memo) memo = model.cache.batchProcessing = new Map();
	const hit = memo.get(loop);
	if (hit !== undefined) return hit ?? undefined;
	const bp = read(model, loop);
	memo.set(loop, bp ?? null);
	return bp;
}

function read(model: PythonModel, loop: ForLoop): BatchProcessing | undefined {
	if (loop.rangeOpen < 0) return undefined;
	const slice = loopSlice(model, loop);
	if (!slice) return undefined;
	// Training: a gradient or update in the body, or an epoch loop around it.
	if (trains(model, [loop.bodyFirst, loop.bodyEnd])) return undefined;
	// A generator's loop (`yield x[j], t[j]`) hands its batches to a caller, which may train on them.
	if (yields(model, loop)) return undefined;
	if (loop.parent >= 0 && isEpochLoop(model, model.loops[loop.parent], loop)) return undefined;
	return describe(model, loop, slice);
}

/** True when the loop's body has a `yield` statement. */
function yields(model: PythonModel, loop: ForLoop): boolean {
	const st = model.stmts;
	for (let s = loop.bodyFirst; s < loop.bodyEnd; s++) if (model.isName(st.firstTok[s], 'yield') || (model.isOp(st.firstTok[s] + 1, '=') && model.isName(st.firstTok[s] + 2, 'yield'))) return true;
	return false;
}

/** The first batch-processing loop whose batch size or batch is called `name`. */
export function batchProcessingNamed(model: PythonModel, name: string): BatchProcessing | undefined {
	for (const loop of model.loops) {
		const bp = batchProcessingOf(model, loop);
		if (bp && (bp.batchSize.name === name || bp.batchNames.includes(name))) return bp;
	}
	return undefined;
}

/** The batch-processing loop whose header or body holds token `tok`. */
export function batchProcessingAt(model: PythonModel, tok: number): BatchProcessing | undefined {
	for (let l = model.loopAt(tok); l; l = l.parent >= 0 ? model.loops[l.parent] : undefined) {
		const bp = batchProcessingOf(model, l);
		if (bp) return bp;
	}
	return undefined;
}

function describe(model: PythonModel, loop: ForLoop, slice: LoopSlice): BatchProcessing | undefined {
	const args = model.callArgs(loop.rangeOpen).filter((a) => !a.keyword);
	const ref = model.stmts.firstTok[loop.stmt];
	const none = () => undefined;
	// range(0, len(x), batch_size): the step is the batch size; range(n_batches) with x[i*B:(i+1)*B] has it in the slice.
	const stop = args.length >= 2 ? args[1] : args[0];
	const step = args.length === 3 ? args[2] : undefined;
	const single = (a: { start: number; end: number }) => (isDottedName(model, a.start, a.end) ? model.compact(a.start, a.end) : undefined);
	let batchSize: Quantity;
	if (step) batchSize = quantity(model, 'batchSize', single(step), single(step) ? undefined : [step.start, step.end], ref, none);
	else {
		const width = sliceWidth(model, slice, loop);
		if (!width) return undefined;
		batchSize = width;
	}
	const testData = !/train/i.test(slice.array);
	let population = quantity(model, 'trainSize', single(stop), single(stop) ? undefined : [stop.start, stop.end], ref, none);
	if (!step) population = { ...population, value: population.value * batchSize.value };
	if (population.source === 'assumed' && testData) population = { ...population, value: 10000, assumed: { ...population.assumed!, basis: 'mnistTestSize' } };
	const b = batchSize.value;
	const n = population.value;
	if (!(b > 0) || !Number.isInteger(b) || !(n >= 0) || !Number.isInteger(n)) return undefined;
	const r = rangeValues(model, loop.rangeOpen, none);
	const passes = Math.ceil(n / b);
	const startAt = (k: number) => (step ? (r?.start ?? 0) + k * b : k);
	const batchNames: string[] = [];
	let forward: string | undefined;
	const st = model.stmts;
	for (let s = loop.bodyFirst; s < loop.bodyEnd; s++) {
		const a = st.firstTok[s];
		const e = st.endTok[s];
		if (s === slice.stmt && slice.target) batchNames.push(slice.target);
		for (let j = a; j < e && !forward; j++) {
			if (!model.isName(j) || !model.isOp(j + 1, '(') || !FORWARD.test(model.tok(j))) continue;
			const close = matchOf(model.tokens, j + 1);
			if (close > j) forward = exprSource(model, model.isOp(j - 1, '.') ? model.chainStart(j - 1) : j, close + 1);
		}
	}
	return {
		loop,
		slice,
		sliceText: exprSource(model, slice.arrayStart, matchOf(model.tokens, slice.open) + 1),
		batchSize,
		population,
		passes,
		lastSize: n - (passes - 1) * b,
		starts: [0, 1, 2].filter((k) => k < passes).map(startAt),
		lastStart: startAt(passes - 1),
		batchNames,
		forward,
	};
}

/** `x[i*B:(i+1)*B]` over `range(n)`: the width B, read as the batch size. */
function sliceWidth(model: PythonModel, slice: LoopSlice, loop: ForLoop): Quantity | undefined {
	const ev = (r: readonly [number, number], v: number) => model.evaluate(r[0], r[1], undefined, 0, undefined, new Map([[loop.varName, { value: v, isFloat: false }]])).num?.value;
	const lo = slice.lo[1] > slice.lo[0] ? ev(slice.lo, 0) : 0;
	const hi = ev(slice.hi, 0);
	if (lo === undefined || hi === undefined || hi <= lo) return undefined;
	return { value: hi - lo, isFloat: false, role: 'batchSize', source: 'computed', expr: exprSource(model, slice.hi[0], slice.hi[1]) };
}
