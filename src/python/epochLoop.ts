/**
 * Loops over epochs: `for epoch in range(epochs):` around an inner loop over the batches of one epoch, which are slices
 * of a per-epoch permutation or shuffle, or draws. Gives the real totals (epochs × iterations per epoch) and what the
 * slices of one epoch cover.
 */
import type { PyNum } from './evaluate';
import { sameBoundsSlices, type LoopSlice } from './loopBody';
import type { Fallback, ForLoop, PythonModel } from './model';
import { DEFAULTS, bookIpe, exprSource, ipeQuantity, isDottedName, isLengthName, lengthQuantity, quantity, type Quantity } from './quantities';
import { whileCount, whileStart } from './whileLoop';

export { isDottedName } from './quantities';
import { samplerCallAt } from './samplers';
import { K_NAME, matchOf, startOf } from './tokens';

/** What the slices of one epoch cover, from the slice bounds evaluated at the inner loop's first, second and last value. */
export interface SliceCoverage {
	/** The slice as written: `perm[it * batch_size:(it + 1) * batch_size]`. */
	readonly expr: string;
	/** The sliced array (`perm`, `idx`, `x_train`). */
	readonly array: string;
	/** The length of the sliced array. */
	readonly population: Quantity;
	/** Size of a full slice. */
	readonly width: number;
	/** Slices (iterations) per epoch. */
	readonly count: number;
	/** Size of the last non-empty slice. */
	readonly lastSize: number;
	/** Iterations whose slice is empty (it starts past the end). */
	readonly empty: number;
	/** Samples no slice reaches (the tail when the slices stop short). */
	readonly dropped: number;
	/** Consecutive slices overlap (share samples) or leave gaps. */
	readonly overlapping: boolean;
	readonly gaps: boolean;
	/** Every sample in exactly one slice per epoch. */
	readonly exactlyOnce: boolean;
	/** The name in the slice bounds that holds the width (`batch_size` in `perm[it * batch_size:(it + 1) * batch_size]`). */
	readonly widthName?: string;
}

/** Where the order the slices are cut from is made. */
export interface EpochOrder {
	readonly api: 'permutation' | 'shuffle';
	readonly callee: string;
	/** At the start of each epoch (inside the outer loop), or once before the loops. */
	readonly perEpoch: boolean;
	/** Token of the call's name. */
	readonly tok: number;
}

/** The values a loop variable takes: `first`, `first + step`, …, `last`. */
export interface LoopValues {
	readonly first: number;
	readonly step: number;
	readonly last: number;
}

export interface EpochLoop {
	readonly outer: ForLoop;
	readonly epochVar: string;
	/** The name the outer loop's count is read from (`epochs` in `range(epochs)`, `N` in `range(1, N + 1)`). */
	readonly epochsName?: string;
	/** The values of the epoch variable and of the inner loop's variable (a slice start steps by the batch size). */
	readonly epochValues?: LoopValues;
	readonly innerValues?: LoopValues;
	/** The outer loop's count. */
	readonly epochs: Quantity;
	/** The inner loop's count. */
	readonly iterPerEpoch: Quantity;
	/** `range()` gets a float (`iter_per_epoch = train_size / batch_size`): Python raises TypeError there. */
	readonly floatRange?: string;
	readonly batching: 'slices' | 'draws';
	readonly order?: EpochOrder;
	readonly slices?: SliceCoverage;
	/** The outer body calls `accuracy(…)` (after the inner loop): once per epoch. */
	readonly evaluatesEachEpoch: boolean;
	/**
	 * The data itself is shuffled in place (`np.random.shuffle(x_train)`) while another array is sliced with the same
	 * bounds (`t_train[i:i + b]`): the two no longer line up.
	 */
	readonly misaligned?: { readonly shuffled: string; readonly others: readonly string[] };
}

/** `epoch`, `n_epochs`, `EPOCHS`, and the short `ep`, `ep_i`. */
export const EPOCH_NAME = /epoch|^ep\d*$|^ep_/i;
/** Statements of an outer body searched for the order call, and tokens per statement. */
const MAX_ORDER_TOKENS = 20_000;

const int = (v: number): PyNum => ({ value: v, isFloat: false });

/** A `range(…)` call's positional arguments evaluated: start, stop, step and the count, or undefined where unknown. */
export function rangeValues(model: PythonModel, open: number, fallback: Fallback): { start: number; stop?: number; step: number; count?: number; stopFloat: boolean } | undefined {
	const args = model.callArgs(open).filter((a) => !a.keyword);
	if (args.length < 1 || args.length > 3) return undefined;
	const ev = (k: number) => model.evaluate(args[k].start, args[k].end, fallback).num;
	const stopNum = ev(args.length === 1 ? 0 : 1);
	const start = args.length >= 2 ? ev(0) : int(0);
	const step = args.length === 3 ? ev(2) : int(1);
	if (!start || !step || step.value === 0) return undefined;
	const stop = stopNum?.value;
	const count = stop === undefined ? undefined : Math.max(0, Math.ceil((stop - start.value) / step.value));
	return { start: start.value, stop, step: step.value, count, stopFloat: stopNum?.isFloat === true };
}

/** The count of a `for … in range(…)` loop as a quantity of `role`. */
export function loopCount(
	model: PythonModel,
	loop: ForLoop,
	role: 'epochs' | 'iterPerEpoch' | 'itersNum',
	fallback: Fallback,
	ipeInputs?: { trainSize: Quantity; batchSize: Quantity },
): Quantity | undefined {
	if (loop.isWhile) return whileCount(model, loop, role === 'iterPerEpoch' ? 'itersNum' : role, fallback);
	const args = model.callArgs(loop.rangeOpen).filter((a) => !a.keyword);
	const ref = model.stmts.firstTok[loop.stmt];
	if (args.length === 1) {
		const a = args[0];
		const single = isDottedName(model, a.start, a.end) ? model.compact(a.start, a.end) : undefined;
		if (role !== 'iterPerEpoch') return quantity(model, role, single, single ? undefined : [a.start, a.end], ref, fallback);
		if (single) return ipeQuantity(model, single, ref, fallback, ipeInputs?.trainSize ?? fallbackQ('trainSize'), ipeInputs?.batchSize ?? fallbackQ('batchSize'));
		const ev = model.evaluate(a.start, a.end, fallback);
		const expr = exprSource(model, a.start, a.end);
		if (ev.num) return { ...ev.num, role, source: 'computed', expr, substituted: ev.rendered };
		return { ...bookIpe(ipeInputs?.trainSize ?? fallbackQ('trainSize'), ipeInputs?.batchSize ?? fallbackQ('batchSize')), role, source: 'assumed', expr, assumed: { why: 'runtime', basis: 'bookFormula' } };
	}
	const lengths: string[] = [];
	const noting: Fallback = (n) => {
		const v = fallback(n);
		if (v && isLengthName(n) && !lengths.includes(n)) lengths.push(n);
		return v;
	};
	const r = rangeValues(model, loop.rangeOpen, noting);
	if (!r || r.count === undefined) return undefined;
	const expr = `len(${exprSource(model, loop.rangeOpen - 1, matchOf(model.tokens, loop.rangeOpen) + 1)})`;
	const sub = (k: number) => model.evaluate(args[k].start, args[k].end, fallback).rendered;
	const inputs = lengths.length ? { assumedInputs: lengths.map(lengthQuantity) } : {};
	return { ...int(r.count), role, source: 'computed', expr, substituted: `len(range(${args.map((_, k) => sub(k)).join(', ')}))`, ...inputs };
}

/** The values a range loop's variable takes, when its range can be read. */
function loopValues(model: PythonModel, loop: ForLoop, fallback: Fallback): LoopValues | undefined {
	if (loop.isWhile) {
		const start = whileStart(model, loop, fallback);
		const count = start === undefined ? undefined : whileCount(model, loop, 'itersNum', fallback)?.value;
		return start !== undefined && count !== undefined && count >= 1 ? { first: start, step: 1, last: start + count - 1 } : undefined;
	}
	const r = rangeValues(model, loop.rangeOpen, fallback);
	if (!r || r.count === undefined || r.count < 1) return undefined;
	return { first: r.start, step: r.step, last: r.start + (r.count - 1) * r.step };
}

/** The one (dotted) name in a range's stop (`epochs`, `N_EPOCHS + 1`), which then names the loop's count. */
function stopName(model: PythonModel, loop: ForLoop): string | undefined {
	if (loop.whileTest) {
		const [s, e] = loop.whileTest.bound;
		return isDottedName(model, s, e) ? model.compact(s, e) : undefined;
	}
	const args = model.callArgs(loop.rangeOpen).filter((a) => !a.keyword);
	const stop = args.length === 1 ? args[0] : args[1];
	if (!stop) return undefined;
	let found: string | undefined;
	for (let j = stop.start; j < stop.end; j++) {
		if (!model.isName(j) || model.isOp(j - 1, '.') || model.isOp(j + 1, '(')) continue;
		let k = j;
		while (k + 2 < stop.end && model.isOp(k + 1, '.') && model.isName(k + 2)) k += 2;
		// `cfg['epochs']`: the count is an item of `cfg`, not `cfg` itself.
		if (model.isOp(k + 1, '[')) return undefined;
		const name = model.compact(j, k + 1);
		if (found !== undefined && found !== name) return undefined;
		found = name;
		j = k;
	}
	return found;
}

function fallbackQ(role: 'trainSize' | 'batchSize'): Quantity {
	return { ...DEFAULTS[role].num, role, source: 'assumed', assumed: { why: 'missing', basis: DEFAULTS[role].basis } };
}


/** The shuffle or permutation that makes the order an epoch's slices come from: in the outer body before the inner loop, else before the outer loop. */
function findOrder(model: PythonModel, outer: ForLoop, inner: ForLoop): EpochOrder | undefined {
	const st = model.stmts;
	const scan = (first: number, end: number, perEpoch: boolean): EpochOrder | undefined => {
		let budget = MAX_ORDER_TOKENS;
		for (let s = first; s < end && budget > 0; s++) {
			for (let j = st.firstTok[s]; j < st.endTok[s] && budget-- > 0; j++) {
				if (model.tokens.kind[j] !== K_NAME || !model.isOp(j + 1, '(')) continue;
				const call = samplerCallAt(model, j);
				if (call && call.fn !== 'choice') return { api: call.fn, callee: call.callee, perEpoch, tok: j };
				// scikit-learn's `shuffle(x, t)` returns shuffled copies, in one order for all its arrays.
				if (isSklearnShuffle(model, j)) return { api: 'permutation', callee: model.compact(model.chainStart(j + 1), j + 1), perEpoch, tok: j };
			}
		}
		return undefined;
	};
	return scan(outer.bodyFirst, inner.stmt, true) ?? scan(Math.max(0, outer.stmt - 50), outer.stmt, false);
}

/** `shuffle(` imported from sklearn.utils, or `sklearn.utils.shuffle(` / `utils.shuffle(` with sklearn imported. */
function isSklearnShuffle(model: PythonModel, j: number): boolean {
	if (!model.isName(j, 'shuffle')) return false;
	if (!model.isOp(j - 1, '.')) return model.importedNames.get('shuffle')?.startsWith('sklearn') === true;
	const start = model.chainStart(j - 1);
	const chain = start >= 0 ? model.compact(start, j - 1) : '';
	const root = chain.split('.')[0];
	return chain === 'sklearn.utils' || model.importedNames.get(root)?.startsWith('sklearn') === true;
}

/**
 * The length of the array the slices come from: how the file made it (`permutation(n)`, `arange(n)`), else the stop of
 * a `range(0, len(x), batch_size)` over it, else the training set size.
 */
function slicedLength(model: PythonModel, slice: LoopSlice, inner: ForLoop, fallback: Fallback, trainSize: Quantity): Quantity {
	const made = madeLength(model, slice, fallback, trainSize);
	if (made) return made;
	const args = model.callArgs(inner.rangeOpen).filter((a) => !a.keyword);
	if (args.length >= 2 && trainSize.assumed?.why !== 'runtime') {
		const stop = args[1];
		const single = isDottedName(model, stop.start, stop.end) ? model.compact(stop.start, stop.end) : undefined;
		if (single && single === trainSize.name) return trainSize;
		return quantity(model, 'trainSize', single, single ? undefined : [stop.start, stop.end], stop.start, fallback);
	}
	return trainSize;
}

function madeLength(model: PythonModel, slice: LoopSlice, fallback: Fallback, trainSize: Quantity): Quantity | undefined {
	if (slice.arrayStart === slice.open - 1 && model.isName(slice.arrayStart)) {
		const a = model.assignmentAt(slice.array, slice.arrayStart);
		if (a && !a.kind) {
			const close = a.rhsEnd - 1;
			if (model.isOp(close, ')')) {
				const open = matchOf(model.tokens, close);
				const fn = open > a.rhsStart ? model.tok(open - 1) : '';
				const args = open > a.rhsStart ? model.callArgs(open) : [];
				// `perm(N)` with `from numpy.random import permutation as perm` makes the order as `np.random.permutation(N)` does.
				const made = fn === 'permutation' || fn === 'arange' || (open > a.rhsStart && samplerCallAt(model, open - 1)?.fn === 'permutation');
				if (open > a.rhsStart && made && args.length === 1 && !args[0].keyword) {
					const single = isDottedName(model, args[0].start, args[0].end) ? model.compact(args[0].start, args[0].end) : undefined;
					if (single && single === trainSize.name) return trainSize;
					return quantity(model, 'trainSize', single, single ? undefined : [args[0].start, args[0].end], args[0].start, fallback);
				}
			}
		}
	}
	return undefined;
}

/** Slice bounds at the inner loop's value v. */
function boundsAt(model: PythonModel, slice: LoopSlice, loopVar: string, v: number, n: number, fallback: Fallback): [number, number] | undefined {
	const bound = new Map([[loopVar, int(v)]]);
	const ev = (r: readonly [number, number], empty: number) => (r[1] > r[0] ? model.evaluate(r[0], r[1], fallback, 0, undefined, bound).num?.value : empty);
	const lo = ev(slice.lo, 0);
	const hi = ev(slice.hi, n);
	if (lo === undefined || hi === undefined || !Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < 0) return undefined;
	return [lo, hi];
}

/** What the inner loop's slices cover in one epoch; undefined when a bound cannot be read or the slices are not evenly spaced. */
export function sliceCoverage(model: PythonModel, slice: LoopSlice, inner: ForLoop, population: Quantity, fallback: Fallback): SliceCoverage | undefined {
	const r = rangeValues(model, inner.rangeOpen, fallback);
	if (!r || r.count === undefined || r.count < 1 || !Number.isInteger(population.value)) return undefined;
	const n = population.value;
	const v = (k: number) => r.start + k * r.step;
	const first = boundsAt(model, slice, inner.varName, v(0), n, fallback);
	const last = boundsAt(model, slice, inner.varName, v(r.count - 1), n, fallback);
	const second = r.count > 1 ? boundsAt(model, slice, inner.varName, v(1), n, fallback) : first && [first[1], 2 * first[1] - first[0]];
	if (!first || !last || !second) return undefined;
	const width = first[1] - first[0];
	const stride = second[0] - first[0];
	// Evenly spaced slices of one width: the three points must agree (the last may be clipped at the end: `min(…, n)`).
	const clipped = last[1] === n && last[1] - last[0] < width;
	if (width <= 0 || (last[1] - last[0] !== width && !clipped) || last[0] !== first[0] + (r.count - 1) * stride || (r.count > 1 && stride <= 0)) return undefined;
	const lastNonEmpty = last[0] < n ? r.count - 1 : stride > 0 ? Math.floor((n - 1 - first[0]) / stride) : -1;
	if (lastNonEmpty < 0) return undefined;
	const lastStart = first[0] + lastNonEmpty * stride;
	const lastSize = Math.min(lastStart + width, n) - lastStart;
	const contiguous = r.count === 1 || stride === width;
	const widthName = nameHolding(model, slice, inner, width, fallback);
	const reach = Math.min(last[1], n);
	const empty = r.count - 1 - lastNonEmpty;
	return {
		expr: exprSource(model, slice.arrayStart, matchOf(model.tokens, slice.open) + 1),
		array: slice.array,
		population,
		width,
		count: r.count,
		lastSize,
		empty,
		dropped: contiguous ? Math.max(0, n - reach) + first[0] : 0,
		overlapping: r.count > 1 && stride < width,
		gaps: r.count > 1 && stride > width,
		exactlyOnce: contiguous && first[0] === 0 && last[1] >= n && empty === 0,
		...(widthName ? { widthName } : {}),
	};
}

/** A name used in the slice bounds, or in the loop's own lines that compute them, whose value is `width`. */
function nameHolding(model: PythonModel, slice: LoopSlice, inner: ForLoop, width: number, fallback: Fallback): string | undefined {
	const ranges: (readonly [number, number])[] = [slice.lo, slice.hi];
	const range = model.callArgs(inner.rangeOpen).filter((a) => !a.keyword);
	if (range.length === 3) ranges.push([range[2].start, range[2].end]);
	const seen = new Set<string>([inner.varName]);
	for (let k = 0; k < ranges.length && k < 8; k++) {
		const [s, e] = ranges[k];
		for (let j = s; j < e; j++) {
			if (model.tokens.kind[j] !== K_NAME || model.isOp(j - 1, '.') || model.isOp(j + 1, '(')) continue;
			const name = model.tok(j);
			if (seen.has(name)) continue;
			seen.add(name);
			const a = model.assignmentAt(name, j);
			// A name computed in the loop (`start = step * batch`): look into its right-hand side.
			if (a && a.stmt >= inner.bodyFirst && a.stmt < inner.bodyEnd) ranges.push([a.rhsStart, a.rhsEnd]);
			else if (model.valueOf(name, j, fallback)?.value === width) return name;
		}
	}
	return undefined;
}

/** True when `outer` reads as a loop over epochs around `inner`. */
export function isEpochLoop(model: PythonModel, outer: ForLoop, inner: ForLoop): boolean {
	if (outer.rangeOpen < 0 && !outer.whileTest) return false;
	if (EPOCH_NAME.test(outer.varName)) return true;
	if (outer.whileTest) return EPOCH_NAME.test(stopName(model, outer) ?? '') || findOrder(model, outer, inner)?.perEpoch === true;
	const args = model.callArgs(outer.rangeOpen);
	if (args.some((a) => a.end - a.start <= 3 && EPOCH_NAME.test(model.compact(a.start, a.end)))) return true;
	return findOrder(model, outer, inner)?.perEpoch === true;
}

/** The epoch structure around the training loop `inner`, or undefined when it is not inside a loop over epochs. */
export function epochLoop(
	model: PythonModel,
	inner: ForLoop,
	slice: LoopSlice | undefined,
	fallback: Fallback,
	trainSize: Quantity,
	batchSize: Quantity,
): EpochLoop | undefined {
	if (inner.parent < 0 || inner.rangeOpen < 0) return undefined;
	const outer = model.loops[inner.parent];
	if (!isEpochLoop(model, outer, inner)) return undefined;
	const epochs = loopCount(model, outer, 'epochs', fallback);
	const iterPerEpoch = loopCount(model, inner, 'iterPerEpoch', fallback, { trainSize, batchSize });
	if (!epochs || !iterPerEpoch) return undefined;
	const order = findOrder(model, outer, inner);
	const r = rangeValues(model, inner.rangeOpen, fallback);
	let slices: SliceCoverage | undefined;
	if (slice) slices = sliceCoverage(model, slice, inner, slicedLength(model, slice, inner, fallback, trainSize), fallback);
	const st = model.stmts;
	let evaluatesEachEpoch = false;
	for (let s = inner.bodyEnd; s < outer.bodyEnd && !evaluatesEachEpoch; s++) {
		for (let j = st.firstTok[s]; j < st.endTok[s]; j++) {
			if (model.isName(j, 'accuracy') && model.isOp(j + 1, '(')) {
				evaluatesEachEpoch = true;
				break;
			}
		}
	}
	const floatRange = r?.stopFloat && iterPerEpoch.name ? iterPerEpoch.name : undefined;
	let misaligned: EpochLoop['misaligned'];
	if (slice && order?.api === 'shuffle') {
		const arg = model.callArgs(order.tok + 1)[0];
		const shuffled = arg && !arg.keyword ? model.compact(arg.start, arg.end) : undefined;
		const arrays = [slice.array, ...sameBoundsSlices(model, inner, slice)];
		if (shuffled && arrays.length > 1 && arrays.includes(shuffled)) misaligned = { shuffled, others: arrays.filter((a) => a !== shuffled) };
	}
	return {
		outer,
		epochVar: outer.varName,
		epochsName: epochs.name ?? stopName(model, outer),
		epochValues: loopValues(model, outer, fallback),
		innerValues: loopValues(model, inner, fallback),
		epochs,
		iterPerEpoch,
		floatRange,
		batching: slice ? 'slices' : 'draws',
		order,
		slices,
		evaluatesEachEpoch,
		...(misaligned ? { misaligned } : {}),
	};
}

/** Line of a token, for texts. */
export function lineOfTok(model: PythonModel, tok: number): number {
	return model.lineOf(startOf(model.tokens, tok));
}
