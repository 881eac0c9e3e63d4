/** The length of an array when the file shows how it was made: `x[:300]`, `x[a:b]`, `np.arange(n)`, `np.random.permutation(n)`. */
import type { PyNum } from './evaluate';
import type { Assignment } from './scan';
import { K_OPEN, matchOf, type Tokens } from './tokens';

/** What arrayLength reads of a model (PythonModel has it). */
export interface LengthSource {
	readonly tokens: Tokens;
	isOp(i: number, op: string): boolean;
	isName(i: number, name?: string): boolean;
	tok(i: number): string;
	chainStart(endTok: number): number;
	compact(s: number, e: number): string;
	callArgs(open: number): { keyword?: string; start: number; end: number }[];
	isNumpy(chain: string): boolean;
	isNumpyRandom(chain: string): boolean;
}

/** The length of the array `a` assigns, or undefined; `evaluate` gives a token range's value. */
export function arrayLength(m: LengthSource, a: Assignment, evaluate: (s: number, e: number) => PyNum | undefined): PyNum | undefined {
	const t = m.tokens;
	const close = a.rhsEnd - 1;
	const open = matchOf(t, close);
	if (open <= a.rhsStart) return undefined;
	const int = (x: number, y: number) => {
		const v = evaluate(x, y);
		return v && !v.isFloat && v.value >= 0 ? v.value : undefined;
	};
	if (m.isOp(close, ']') && m.chainStart(open) === a.rhsStart) {
		// x[lo:hi]: hi - lo rows, when the source has that many (MNIST's do).
		let colon = -1;
		for (let j = open + 1; j < close; j++) {
			if (t.kind[j] === K_OPEN) j = Math.max(j, matchOf(t, j));
			else if (m.isOp(j, ':')) {
				if (colon >= 0) return undefined;
				colon = j;
			} else if (m.isOp(j, ',')) return undefined;
		}
		if (colon < 0 || colon + 1 >= close) return undefined;
		const lo = colon > open + 1 ? int(open + 1, colon) : 0;
		const hi = int(colon + 1, close);
		return lo !== undefined && hi !== undefined && hi >= lo ? { value: hi - lo, isFloat: false } : undefined;
	}
	if (m.isOp(close, ')') && m.isName(open - 1) && m.isOp(open - 2, '.')) {
		const fn = m.tok(open - 1);
		const recv = m.compact(m.chainStart(open - 2), open - 2);
		const numpyFn = fn === 'arange' ? m.isNumpy(recv) : fn === 'permutation' && m.isNumpyRandom(recv);
		const args = m.callArgs(open);
		if (numpyFn && args.length === 1 && !args[0].keyword) {
			const n = int(args[0].start, args[0].end);
			return n !== undefined ? { value: n, isFloat: false } : undefined;
		}
	}
	return undefined;
}
