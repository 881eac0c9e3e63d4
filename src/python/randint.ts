/**
 * Index draws written with `randint` instead of `choice`: `np.random.randint(0, N, B)`, `np.random.randint(N, size=B)`,
 * a Generator's `rng.integers(0, N, B)`. They draw with replacement as `choice(N, B)` does, and name the same two sizes.
 */
import type { CallArg, ForLoop, PythonModel } from './model';
import { randomReceiver } from './samplers';
import { K_NAME, lengthOf } from './tokens';

export interface IntegerDraw {
	/** The token of `randint` / `integers`. */
	readonly tok: number;
	/** The exclusive upper bound: the number of samples drawn from. */
	readonly high: CallArg;
	readonly size?: CallArg;
}

/** The first integer draw inside `inLoop`'s loops (or anywhere, when none is in a loop) whose lower bound is 0 or left out. */
export function findIntegerDraw(model: PythonModel, loopAt: (tok: number) => ForLoop | undefined): { draw: IntegerDraw; loop?: ForLoop } | undefined {
	const t = model.tokens;
	let first: IntegerDraw | undefined;
	for (let i = 1; i + 1 < t.count; i++) {
		if (t.kind[i] !== K_NAME) continue;
		const n = lengthOf(t, i);
		if ((n !== 7 && n !== 8) || !model.isOp(i + 1, '(')) continue;
		const name = model.tok(i);
		if (name !== 'randint' && name !== 'integers') continue;
		if (model.isOp(i - 1, '.')) {
			const recv = randomReceiver(model, i - 1);
			if (!recv || (name === 'integers') !== (recv.kind === 'generator')) continue;
		} else if (model.randomFunctions.get(name) !== 'randint') continue;
		const draw = readDraw(model, i);
		if (!draw) continue;
		const loop = loopAt(i);
		if (loop) return { draw, loop };
		first ??= draw;
	}
	return first && { draw: first };
}

function readDraw(model: PythonModel, tok: number): IntegerDraw | undefined {
	const args = model.callArgs(tok + 1);
	const pos = args.filter((a) => !a.keyword);
	const kw = (k: string) => args.find((a) => a.keyword === k);
	const zero = (a: CallArg | undefined) => !a || (a.end - a.start === 1 && model.tok(a.start) === '0');
	let high = kw('high');
	let low = kw('low');
	if (pos.length >= 2) [low, high] = [pos[0], pos[1]];
	else if (pos.length === 1) {
		if (high) low = pos[0];
		else high = pos[0];
	}
	if (!high || !zero(low)) return undefined;
	const size = kw('size') ?? pos[2];
	return { tok, high, ...(size ? { size } : {}) };
}
