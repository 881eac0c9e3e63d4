/** Calls of numpy's samplers as learners write them: `np.random.choice`, `rng.permutation`, or a bare `choice` imported from numpy.random. */
import type { PythonModel } from './model';

export type SamplerFn = 'choice' | 'shuffle' | 'permutation';

export interface SamplerCall {
	readonly fn: SamplerFn;
	/** `legacy`: numpy.random's module functions; `generator`: a Generator/RandomState's method. */
	readonly kind: 'legacy' | 'generator';
	/** The callee as written, whitespace removed: `np.random.choice`, `rng.choice`, `pick`. */
	readonly callee: string;
	/** The receiver as written (`np.random`, `rng`), or '' for a bare imported name. */
	readonly chain: string;
	/** For a bare imported name: numpy's own name for it (`numpy.random.choice`). */
	readonly qualified?: string;
}

const SAMPLERS = new Set<string>(['choice', 'shuffle', 'permutation']);

/** The receiver kind of `<chain>.choice/shuffle/permutation`: numpy's module functions or a Generator/RandomState object. */
export function randomReceiver(model: PythonModel, dotTok: number): { kind: 'legacy' | 'generator'; chain: string } | undefined {
	const start = model.chainStart(dotTok);
	if (start < 0) return undefined;
	const chain = model.compact(start, dotTok);
	if (model.isNumpyRandom(chain)) return { kind: 'legacy', chain };
	if (isGeneratorCtor(model, chain)) return { kind: 'generator', chain };
	if (start === dotTok - 1 && model.isName(start)) {
		const a = model.assignmentAt(chain, start);
		if (a && !a.kind && isGeneratorCtor(model, model.compact(a.rhsStart, a.rhsEnd))) return { kind: 'generator', chain };
	}
	return undefined;
}

/** `default_rng(…)`, `np.random.RandomState(…)`, or an imported alias of one of them. */
function isGeneratorCtor(model: PythonModel, chain: string): boolean {
	const m = /^(?:([A-Za-z_]\w*(?:\.random)?)\.)?([A-Za-z_]\w*)\(/.exec(chain);
	if (!m) return false;
	const ctor = m[1] ? m[2] : (model.randomFunctions.get(m[2]) ?? m[2]);
	if (ctor !== 'default_rng' && ctor !== 'RandomState' && ctor !== 'Generator') return false;
	if (!m[1]) return true;
	return model.isNumpyRandom(m[1]) || model.isNumpy(m[1]) || m[1] === 'random';
}

/** The sampler called at name token `tok` (followed by `(`), or undefined. */
export function samplerCallAt(model: PythonModel, tok: number): SamplerCall | undefined {
	if (!model.isName(tok) || !model.isOp(tok + 1, '(')) return undefined;
	const name = model.tok(tok);
	if (model.isOp(tok - 1, '.')) {
		if (!SAMPLERS.has(name)) return undefined;
		const recv = randomReceiver(model, tok - 1);
		return recv && { fn: name as SamplerFn, kind: recv.kind, chain: recv.chain, callee: `${recv.chain}.${name}` };
	}
	const fn = model.randomFunctions.get(name);
	if (!fn || !SAMPLERS.has(fn) || model.isName(tok - 1, 'def')) return undefined;
	return { fn: fn as SamplerFn, kind: 'legacy', chain: '', callee: name, qualified: `numpy.random.${fn}` };
}
