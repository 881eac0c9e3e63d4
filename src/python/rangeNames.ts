/**
 * The training set size and batch size a slicing loop names in its range: `range(0, n, bs)`, `range(n // bs)`,
 * `range(math.ceil(len(x) / bs))`, or `range(steps)` with `steps = n // bs`. A file without `train_size` and `batch_size`
 * still sets these values, and its hovers must read them there rather than assume the book's.
 */
import { isDottedName } from './quantities';
import type { ForLoop, PythonModel } from './model';
import { K_CLOSE, K_NAME, K_OPEN, K_OP, K_STRING, matchOf } from './tokens';

export interface RangeNames {
	/** A (dotted) name, or else the token range of an expression such as `len(x_train)`. */
	readonly trainSize?: string | readonly [number, number];
	readonly batchSize?: string;
}

/** Wrappers that round a quotient: `int(n / b)`, `math.ceil(n / b)`, `np.ceil(…)`. */
const ROUNDING = new Set(['int', 'ceil', 'floor', 'round']);

/** The names in the range of `loop`, which slices its batches. */
export function rangeNames(model: PythonModel, loop: ForLoop): RangeNames {
	if (loop.rangeOpen < 0) return {};
	const args = model.callArgs(loop.rangeOpen).filter((a) => !a.keyword);
	if (args.length === 3) {
		const stop = args[1];
		const step = args[2];
		return {
			...(settingName(model, stop.start, stop.end) !== undefined ? { trainSize: settingName(model, stop.start, stop.end) } : plainOperand(model, stop.start, stop.end) ? { trainSize: [stop.start, stop.end] as const } : {}),
			...(settingName(model, step.start, step.end) !== undefined ? { batchSize: settingName(model, step.start, step.end) } : {}),
		};
	}
	if (args.length !== 1) return {};
	let [s, e] = [args[0].start, args[0].end];
	// `range(steps)`: the names are in the assignment of `steps`, when it is made before the loop.
	if (e - s === 1 && model.isName(s)) {
		const a = model.assignmentAt(model.tok(s), s);
		if (!a || a.kind || a.stmt >= loop.stmt) return {};
		[s, e] = [a.rhsStart, a.rhsEnd];
	}
	return quotientNames(model, s, e);
}

/** `n // b`, `n / b` (also wrapped in a rounding call or brackets): the dividend and a divisor that is a name. */
function quotientNames(model: PythonModel, s: number, e: number): RangeNames {
	for (let guard = 0; guard < 4; guard++) {
		if (model.isOp(s, '(') && matchOf(model.tokens, s) === e - 1) {
			s++;
			e--;
			continue;
		}
		// `math.ceil(` / `int(`: the call's name is the last name before its `(`.
		let k = s;
		while (k + 2 < e && model.isName(k) && model.isOp(k + 1, '.')) k += 2;
		if (model.isName(k) && ROUNDING.has(model.tok(k)) && model.isOp(k + 1, '(') && matchOf(model.tokens, k + 1) === e - 1) {
			s = k + 2;
			e--;
			continue;
		}
		break;
	}
	let op = -1;
	for (let j = s; j < e; j++) {
		const kind = model.tokens.kind[j];
		if (kind === K_OPEN) {
			const m = matchOf(model.tokens, j);
			if (m < 0 || m >= e) return {};
			j = m;
		} else if (kind === K_OP && (model.isOp(j, '//') || model.isOp(j, '/'))) {
			if (op >= 0) return {};
			op = j;
		} else if (kind === K_OP && !model.isOp(j, '.')) return {};
	}
	const batchSize = op > s && op + 1 < e ? settingName(model, op + 1, e) : undefined;
	if (batchSize === undefined) return {};
	const trainSize = settingName(model, s, op);
	if (trainSize !== undefined) return { trainSize, batchSize };
	return plainOperand(model, s, op) ? { trainSize: [s, op], batchSize } : { batchSize };
}

/** A (dotted) name, or one string key of a name (`hp['batch']`): its text without spaces. */
function settingName(model: PythonModel, s: number, e: number): string | undefined {
	if (isDottedName(model, s, e)) return model.compact(s, e);
	if (e - s === 4 && model.isName(s) && model.isOp(s + 1, '[') && model.tokens.kind[s + 2] === K_STRING && model.isOp(s + 3, ']')) return model.compact(s, e);
	return undefined;
}

/** Names, attribute access, calls and subscripts only (`len(x_train)`, `x.shape[0]`): no arithmetic at the top level. */
function plainOperand(model: PythonModel, s: number, e: number): boolean {
	if (s >= e || model.tokens.kind[s] !== K_NAME) return false;
	for (let j = s; j < e; j++) {
		const kind = model.tokens.kind[j];
		if (kind === K_OPEN) {
			const m = matchOf(model.tokens, j);
			if (m < 0 || m >= e) return false;
			j = m;
		} else if (kind === K_CLOSE || (kind === K_OP && !model.isOp(j, '.'))) return false;
	}
	return true;
}
