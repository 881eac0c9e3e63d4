/**
 * A learner's script against the reference, evaluation by evaluation: seeded the same way, a correct script prints
 * exactly the reference's accuracies. Pure data in, pure data out.
 */

/** The five numbers the reference trains with, read from the script (or given by the user). */
export interface ScriptSettings {
	iters: number;
	batchSize: number;
	lr: number;
	hidden: number;
	trainSize: number;
}

/** A setting the script ran with (read from its variables when its loop started) that is not what the reference used. */
export interface SettingMismatch {
	key: keyof ScriptSettings;
	script: number;
	reference: number;
}

/** The exception the script raised (or why it stopped), at the innermost line of the learner's own code. */
export interface ScriptError {
	type: string;
	message: string;
	file: string;
	/** 1-based; null when unknown. */
	line: number | null;
	/** The innermost line in the script itself (the one that led there), when the error is in an imported file. */
	scriptLine?: number | null;
	/** Python's traceback, with the script's real line numbers. */
	trace?: string;
}

/** Two accuracies closer than this "match": over many iterations, equivalent arithmetic in another order can flip a near-tie image or two. */
export const MATCH_TOLERANCE = 2e-4;

/** One evaluation the script reached; an accuracy it did not compute is null. */
export interface ScriptEval {
	iter: number;
	trainAcc: number | null;
	testAcc: number | null;
}

export interface FirstDifference {
	iter: number;
	trainAcc: number | null;
	testAcc: number | null;
	referenceTrainAcc: number;
	referenceTestAcc: number;
}

export interface ReferenceCheck {
	/** Every evaluation within MATCH_TOLERANCE of the reference (and at least one compared). */
	match: boolean;
	/** Every value equal to the reference's, bit for bit: every printed digit agrees. */
	identical: boolean;
	firstDifference: FirstDifference | null;
	/** Evaluations compared (those the reference has too). */
	compared: number;
	/** The largest |yours − reference| over the compared values, and where. */
	largestGap: { iter: number; gap: number } | null;
}

export interface RefPoint {
	iter: number;
	trainAcc: number;
	testAcc: number;
}

export function checkAgainstReference(evals: readonly ScriptEval[], reference: readonly RefPoint[]): ReferenceCheck {
	const byIter = new Map(reference.map((p) => [p.iter, p]));
	let compared = 0;
	let identical = true;
	let firstDifference: FirstDifference | null = null;
	let largestGap: { iter: number; gap: number } | null = null;
	for (const e of evals) {
		const r = byIter.get(e.iter);
		if (!r) continue;
		const pairs: [number | null, number][] = [
			[e.trainAcc, r.trainAcc],
			[e.testAcc, r.testAcc],
		];
		const present = pairs.filter((p): p is [number, number] => p[0] !== null);
		if (present.length === 0) continue;
		compared++;
		let differs = false;
		for (const [mine, ref] of present) {
			const gap = Math.abs(mine - ref);
			if (mine !== ref) identical = false;
			if (!(gap <= MATCH_TOLERANCE)) differs = true;
			if (!largestGap || gap > largestGap.gap) largestGap = { iter: e.iter, gap };
		}
		if (differs && !firstDifference) {
			firstDifference = { iter: e.iter, trainAcc: e.trainAcc, testAcc: e.testAcc, referenceTrainAcc: r.trainAcc, referenceTestAcc: r.testAcc };
		}
	}
	const match = compared > 0 && firstDifference === null;
	return { match, identical: match && identical, firstDifference, compared, largestGap };
}

/** Iterations the script evaluated that the reference run did not: a second reference run evaluates exactly there. */
export function missingReferenceIters(evals: readonly ScriptEval[], reference: readonly RefPoint[]): number[] {
	const have = new Set(reference.map((p) => p.iter));
	return [...new Set(evals.map((e) => e.iter).filter((i) => !have.has(i)))].sort((a, b) => a - b);
}

/** Backprop's cost per iteration in forward passes (one forward and one backward, plus the script's loss). */
const BACKPROP_PASSES = 3;

/**
 * The gradient check's cost model applied to a training run that uses the numerical gradient: every iteration evaluates
 * the loss 2 × P times (P parameters), each a forward pass over the batch. Hours for a backprop iteration of 1 ms
 * (NumPy + OpenBLAS) to 12 ms (a reference BLAS).
 */
export function numericalGradientCost(iters: number, inputSize: number, hidden: number, classes: number): { parameters: number; lossEvaluations: number; hoursLow: number; hoursHigh: number } {
	const parameters = inputSize * hidden + hidden + hidden * classes + classes;
	const lossEvaluations = 2 * parameters;
	const hours = (msPerIter: number) => (iters * lossEvaluations * (msPerIter / BACKPROP_PASSES)) / 3.6e6;
	return { parameters, lossEvaluations, hoursLow: hours(1), hoursHigh: hours(12) };
}
