/** What to explain at an offset: a discriminated union with every number already computed, ready for formatting. */
import { inComment } from './lexer';
import { K_NAME, K_STRING, endOf, startOf, tokenAtOrBefore } from './tokens';
import type { PythonModel } from './model';
import { applyActionFor, reverseActions, type OffsetRange, type SamplingDirection } from './rewrite';
import { duplicateChance, seenFraction } from './sampling';
import { reductionHover, type ReductionHover } from './reduction';

import { batchProcessingAt, batchProcessingNamed, type BatchProcessing } from './batchProcessing';
import { exprSource } from './quantities';
import { samplerCallAt } from './samplers';
import { argQuantity, isPlainNameUse, trainingSetup, type Quantity, type TrainingNumbers, type TrainingSetup } from './trainingLoop';

export type { ReductionCall, ReductionHover, ShapeSource } from './reduction';
export type { BatchProcessing } from './batchProcessing';

/** `epochIndex` is an epoch loop's own variable (`for epoch in range(epochs)`); `epoch` any other epoch name. */
export type TermKind = 'epoch' | 'epochIndex' | 'itersNum' | 'iterPerEpoch' | 'loopIndex' | 'batchSize' | 'batchMask' | 'batchData' | 'trainSize' | 'learningRate';

/** A link target for the quick fix: re-plan at `offset` in the same document version and run the action with this direction. */
export interface SamplingFixRef {
	readonly direction: SamplingDirection;
	readonly offset: number;
}

export interface TermHover {
	readonly kind: 'term';
	readonly term: TermKind;
	/** The name as written under the cursor. */
	readonly name: string;
	readonly range: OffsetRange;
	readonly numbers: TrainingNumbers;
	readonly names: TrainingSetup['names'];
	/** For `batchData`: the array it is taken from and the mask (`x_train`, `batch_mask`), when the file shows them. */
	readonly batch?: { readonly source?: string; readonly mask?: string };
	/** For `batchMask`: true when it comes from a with-replacement `choice` (the default). */
	readonly withReplacement?: boolean;
}

export type ReplaceArg = { readonly kind: 'default' } | { readonly kind: 'true' } | { readonly kind: 'unknown'; readonly text: string };

export interface ChoiceHover {
	readonly kind: 'choice';
	readonly range: OffsetRange;
	/** `legacy`: np.random.choice; `generator`: a Generator/RandomState's `.choice`. */
	readonly api: 'legacy' | 'generator';
	readonly callee: string;
	/** For a bare name imported from numpy.random (`from numpy.random import choice as pick`): `numpy.random.choice`. */
	readonly qualified?: string;
	readonly replace: ReplaceArg;
	/** N and B of `choice(N, B)`; B is a literal 1 when no size is given. */
	readonly population: Quantity;
	readonly batch: Quantity;
	readonly sizeGiven: boolean;
	/** True when this is the training loop's draw: then iterPerEpoch and drawsPerEpoch are the loop's. */
	readonly inTrainingLoop: boolean;
	readonly iterPerEpoch: Quantity;
	readonly drawsPerEpoch: number;
	readonly duplicateChance?: number;
	readonly seenFraction?: number;
	/** Assumed quantities among the above, for one footer. */
	readonly assumptions: readonly Quantity[];
	readonly fix?: SamplingFixRef;
}

export interface WithoutReplacementHover {
	readonly kind: 'withoutReplacement';
	readonly range: OffsetRange;
	readonly api: 'shuffle' | 'permutation' | 'choice';
	readonly receiver: 'legacy' | 'generator';
	readonly callee: string;
	readonly qualified?: string;
	/** A `reverse` link when this sits in the quick fix's helper. */
	readonly fix?: SamplingFixRef;
	/** When this call makes the order an epoch loop's slices come from: that loop's numbers. */
	readonly epochs?: TrainingNumbers;
}

/** A name in a loop that processes data in batches without training (inference, as in the book's chapter 3). */
export interface BatchProcessingHover {
	readonly kind: 'batchProcessing';
	readonly term: 'batchSize' | 'loopIndex' | 'batchData';
	readonly name: string;
	readonly range: OffsetRange;
	readonly batches: BatchProcessing;
}

export type HoverInfo = TermHover | ReductionHover | ChoiceHover | WithoutReplacementHover | BatchProcessingHover;

const EPOCH_NAME = /^(?:max_|n_|num_)?epochs?(?:_(?:num|cnt|count|idx|num_max))?$/;
const IPE_NAME = /^iters?_per_epoch$/;

/**
 * What to explain at `offset`, or undefined (also inside strings and comments). `text` must be the text the model
 * was built from; a different length means a stale model and gives undefined.
 */
export function hoverAt(model: PythonModel, text: string, offset: number): HoverInfo | undefined {
	if (text.length !== model.text.length || !(offset >= 0) || offset > text.length) return undefined;
	const t = model.tokens;
	const i = tokenAtOrBefore(t, offset);
	if (i < 0) return undefined;
	// Inside the token, or just after a name (the editor's word range includes its end).
	const end = endOf(t, i);
	if (offset >= end) {
		if (offset !== end || t.kind[i] !== K_NAME) return undefined;
	}
	if (t.kind[i] === K_STRING || inComment(model.lexed, offset)) return undefined;
	if (t.kind[i] !== K_NAME) return undefined;
	const name = model.tok(i);
	const range = { start: startOf(t, i), end };
	if ((name === 'keepdims' || name === 'axis') && model.isOp(i + 1, '=')) return reductionHover(model, i, name, range);
	if (model.isOp(i + 1, '(')) {
		const call = samplerCallAt(model, i);
		if (call?.fn === 'choice') return choiceHover(model, i, range);
		if (call) return shuffleHover(model, i, call.fn, range);
		if (model.isOp(i - 1, '.')) return undefined;
	}
	return batchHover(model, i, name, range) ?? termHover(model, i, name, range);
}

/** Names of a batch-processing loop: inside it, or anywhere when the file has no training loop. */
function batchHover(model: PythonModel, tok: number, name: string, range: OffsetRange): BatchProcessingHover | undefined {
	if (!isPlainNameUse(model, tok)) return undefined;
	let bp = batchProcessingAt(model, tok);
	if (!bp) {
		const setup = trainingSetup(model);
		if (setup.loop || setup.choiceTok !== undefined) return undefined;
		bp = batchProcessingNamed(model, name);
		if (!bp) return undefined;
	}
	const base = { kind: 'batchProcessing' as const, name, range, batches: bp };
	const loop = bp.loop;
	if (name === loop.varName && tok >= model.stmts.firstTok[loop.stmt] && tok < loop.endTok) return { ...base, term: 'loopIndex' };
	if (name === bp.batchSize.name) return { ...base, term: 'batchSize' };
	if (bp.batchNames.includes(name)) return { ...base, term: 'batchData' };
	return undefined;
}

function termHover(model: PythonModel, tok: number, name: string, range: OffsetRange): TermHover | undefined {
	if (!isPlainNameUse(model, tok)) return undefined;
	const setup = trainingSetup(model);
	const n = setup.names;
	const base = { kind: 'term' as const, name, range, numbers: setup.numbers, names: n };
	const loop = setup.loop;
	const within = (l: { stmt: number; endTok: number }) => tok >= model.stmts.firstTok[l.stmt] && tok < l.endTok;
	if (loop && name === n.loopVar && within(loop)) return { ...base, term: 'loopIndex' };
	const outer = setup.numbers.epochLoop?.outer;
	if (outer && name === n.epochVar && within(outer)) return { ...base, term: 'epochIndex' };
	if (name === n.epochs) return { ...base, term: 'epoch' };
	if (name === n.iterPerEpoch || IPE_NAME.test(name)) return { ...base, term: 'iterPerEpoch' };
	if (name === n.itersNum || name === 'iters_num') return { ...base, term: 'itersNum' };
	if (name === n.trainSize || name === 'train_size') return { ...base, term: 'trainSize' };
	if (name === n.batchSize || name === 'batch_size') return { ...base, term: 'batchSize' };
	if (name === n.learningRate || name === 'learning_rate') return { ...base, term: 'learningRate' };
	if (setup.batchMasks.has(name)) {
		const replace = setup.choiceTok !== undefined ? choiceReplace(model, setup.choiceTok).kind : undefined;
		return { ...base, term: 'batchMask', withReplacement: replace === 'default' || replace === 'true' };
	}
	const data = setup.batchData.get(name);
	if (data) return { ...base, term: 'batchData', batch: data };
	if (EPOCH_NAME.test(name)) return { ...base, term: 'epoch' };
	return undefined;
}

/** The `replace` argument of `choice(a, size, replace, p)`; a literal False is handled by the caller. */
function choiceReplace(model: PythonModel, c: number): ReplaceArg | { kind: 'false' } {
	const args = model.callArgs(c + 1);
	const r = args.find((x) => x.keyword === 'replace') ?? (args.length >= 3 && !args[2].keyword ? args[2] : undefined);
	if (!r) return { kind: 'default' };
	if (r.end - r.start === 1) {
		const v = model.tok(r.start);
		if (v === 'True' || v === '1') return { kind: 'true' };
		if (v === 'False' || v === '0') return { kind: 'false' };
	}
	return { kind: 'unknown', text: exprSource(model, r.start, r.end) };
}

function choiceHover(model: PythonModel, c: number, range: OffsetRange): HoverInfo | undefined {
	const recv = samplerCallAt(model, c);
	if (!recv) return undefined;
	const callee = recv.callee;
	const qualified = recv.qualified ? { qualified: recv.qualified } : {};
	const replace = choiceReplace(model, c);
	if (replace.kind === 'false') return { kind: 'withoutReplacement', range, api: 'choice', receiver: recv.kind, callee, ...qualified };
	const setup = trainingSetup(model);
	const inTrainingLoop = setup.choiceTok === c && setup.loop !== undefined;
	const args = model.callArgs(c + 1);
	const aArg = args.find((x) => x.keyword === 'a') ?? (args[0] && !args[0].keyword ? args[0] : undefined);
	const sArg = args.find((x) => x.keyword === 'size') ?? (args[1] && !args[1].keyword ? args[1] : undefined);
	const nums = setup.numbers;
	const population = setup.choiceTok === c ? nums.trainSize : argQuantity(model, setup, 'trainSize', aArg && [aArg.start, aArg.end]);
	const sizeGiven = sArg !== undefined;
	const batch: Quantity = !sizeGiven
		? { role: 'batchSize', value: 1, isFloat: false, source: 'literal' }
		: setup.choiceTok === c
			? nums.batchSize
			: argQuantity(model, setup, 'batchSize', [sArg.start, sArg.end]);
	const iterPerEpoch = inTrainingLoop
		? nums.iterPerEpoch
		: { role: 'iterPerEpoch' as const, value: Math.max(population.value / batch.value, 1), isFloat: true, source: 'assumed' as const, assumed: { why: 'missing' as const, basis: 'bookFormula' as const } };
	const drawsPerEpoch = iterPerEpoch.value * batch.value;
	const fix = applyActionFor(model, c);
	return {
		kind: 'choice',
		range,
		api: recv.kind,
		callee,
		...qualified,
		replace,
		population,
		batch,
		sizeGiven,
		inTrainingLoop,
		iterPerEpoch,
		drawsPerEpoch,
		duplicateChance: sizeGiven ? duplicateChance(population.value, batch.value) : undefined,
		seenFraction: seenFraction(population.value, drawsPerEpoch),
		assumptions: [population, batch, ...(inTrainingLoop ? [iterPerEpoch] : [])].filter((q) => q.source === 'assumed'),
		fix: fix && { direction: 'apply', offset: fix.anchor.start },
	};
}

function shuffleHover(model: PythonModel, c: number, name: 'shuffle' | 'permutation', range: OffsetRange): WithoutReplacementHover | undefined {
	const recv = samplerCallAt(model, c);
	if (!recv) return undefined;
	const rev = reverseActions(model).find((a) => a.ranges.some((r) => r.start <= range.start && range.end <= r.end));
	const numbers = trainingSetup(model).numbers;
	return {
		kind: 'withoutReplacement',
		range,
		api: name,
		receiver: recv.kind,
		callee: recv.callee,
		...(recv.qualified ? { qualified: recv.qualified } : {}),
		fix: rev && { direction: 'reverse', offset: rev.anchor.start },
		...(numbers.epochLoop?.order?.tok === c ? { epochs: numbers } : {}),
	};
}
