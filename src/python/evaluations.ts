/** When a training loop's `if i % n == 0:` block runs, and where a `break` really ends the loop. */
import type { PyNum } from './evaluate';
import type { BreakStop, PeriodicCheck } from './loopBody';
import type { ForLoop, PythonModel } from './model';
import type { Quantity } from './quantities';
import { startOf } from './tokens';

/** Which iterations run the loop's `if i % n == 0:` block (the book's accuracy evaluation). */
export interface Evaluations {
	readonly count: number;
	/** The first few iteration numbers (at most 3). */
	readonly first: readonly number[];
	readonly last: number;
	/** The check as written: its counter and divisor (`i`, `iter_per_epoch`). */
	readonly counter?: string;
	readonly divisor?: string;
	/** The block calls `accuracy(…)` (the book's), or does something else (prints the loss). */
	readonly accuracy?: boolean;
}

/** A `break` that can end the loop before its range does. */
export interface LoopStop {
	readonly line: number;
	/** The condition as written (`epoch_cnt >= max_epochs`), or `break`. */
	readonly code: string;
	/** The loop's own count: an upper bound. */
	readonly bound: Quantity;
	/** Runs of the check's block up to the `break`, and the iterations run, when the counter pattern is read. */
	readonly evaluations?: number;
	readonly iterations?: number;
}

/** Past this many iterations, counting `i % x == 0` one by one costs too much for a hover. */
const MAX_EVAL_SCAN = 1_000_000;

/** The k-th (1-based) i >= 0 with Python's `i % d == 0`, or undefined past the scan limit. */
function kthMultiple(k: number, d: number): number | undefined {
	if (Number.isInteger(d)) return (k - 1) * d;
	let seen = 0;
	// A fractional divisor: JS % is C's fmod, which is Python's % for positive operands.
	for (let i = 0; i < MAX_EVAL_SCAN; i++) if (i % d === 0 && ++seen === k) return i;
	return undefined;
}

/**
 * Iterations where `i % divisor == 0` holds, i in [offset, offset + iters): `offset` is 1 when a while loop's counter
 * is increased before the check (`step += 1`, then `if step % 500 == 0:`).
 */
export function countEvaluations(iters: number, check: PeriodicCheck | undefined, divisor: number, stop?: LoopStop, offset = 0): Evaluations | undefined {
	if (!(divisor > 0) || !Number.isFinite(divisor) || !Number.isFinite(iters)) return undefined;
	const about = check ? { counter: check.counter, divisor: check.divisorText, accuracy: check.accuracy } : {};
	const n = Math.max(0, Math.ceil(iters));
	if (stop?.evaluations !== undefined && stop.iterations !== undefined) {
		const first = [0, 1, 2].filter((k) => k < stop.evaluations!).map((k) => kthMultiple(k + 1, divisor) ?? 0);
		return { count: stop.evaluations, first, last: stop.iterations - 1, ...about };
	}
	if (n === 0) return { count: 0, first: [], last: -1, ...about };
	if (Number.isInteger(divisor)) {
		const lo = Math.ceil(offset / divisor);
		const count = Math.max(0, Math.floor((offset + n - 1) / divisor) - lo + 1);
		const first = [lo, lo + 1, lo + 2].map((k) => k * divisor).filter((v) => v < offset + n);
		return { count, first, last: (lo + count - 1) * divisor, ...about };
	}
	if (n > MAX_EVAL_SCAN) return undefined;
	let count = 0;
	let last = -1;
	const first: number[] = [];
	for (let i = offset; i < offset + n; i++) {
		if (i % divisor === 0) {
			count++;
			last = i;
			if (first.length < 3) first.push(i);
		}
	}
	return { count, first, last, ...about };
}

/**
 * The book's `epoch_cnt += 1; if epoch_cnt >= max_epochs: break` (ch06/overfit_weight_decay.py) in the periodic block:
 * the loop ends after `max_epochs − epoch_cnt₀` runs of that block, long before `range(1000000000)` does.
 */
export function loopStop(model: PythonModel, loop: ForLoop, check: PeriodicCheck, brk: BreakStop | undefined, bound: Quantity, ipe: Quantity, fallback: (n: string) => PyNum | undefined): LoopStop | undefined {
	const st = model.stmts;
	if (!brk) {
		for (let s = loop.bodyFirst; s < loop.bodyEnd; s++) {
			const a = st.firstTok[s];
			if (model.isName(a, 'break') && model.loopAt(a) === loop) return { line: model.lineOf(startOf(model.tokens, a)), code: 'break', bound };
		}
		return undefined;
	}
	const line = model.lineOf(startOf(model.tokens, st.firstTok[brk.stmt]));
	const code = `${brk.counter} ${brk.op} ${brk.limitText}`;
	const ref = st.firstTok[loop.stmt];
	const c0 = model.valueOf(brk.counter, ref);
	const limit = model.evaluate(brk.limit[0], brk.limit[1], fallback).num;
	const divisor = check.divisorName && check.divisorName === ipe.name ? ipe.value : model.evaluate(check.divisor[0], check.divisor[1], fallback).num?.value;
	if (!c0 || !limit || divisor === undefined || !(divisor > 0) || !Number.isFinite(bound.value)) return { line, code, bound };
	const k = brk.op === '>' ? limit.value - c0.value + 1 : limit.value - c0.value;
	if (!Number.isInteger(k) || (brk.op === '==' && k < 1)) return { line, code, bound };
	const runs = Math.max(1, k);
	const at = kthMultiple(runs, divisor);
	// The range ends first: no early stop.
	if (at === undefined || at >= bound.value) return undefined;
	return { line, code, bound, evaluations: runs, iterations: at + 1 };
}
