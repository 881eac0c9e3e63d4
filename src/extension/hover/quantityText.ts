/**
 * How a hover shows where a number came from: the line that sets it, and a footnote for each value the file does not
 * give (which name could not be read and why), each parameter default it used, and each change inside the loop.
 */
import type { Quantity } from '../../python';
import { code, num, py, type Translate } from './hoverMarkdown';

const ROLE_NAMES: Record<Quantity['role'], string> = {
	trainSize: 'train_size',
	batchSize: 'batch_size',
	itersNum: 'iters_num',
	iterPerEpoch: 'iter_per_epoch',
	learningRate: 'learning_rate',
	epochs: 'epochs',
};

/** The quantity's name in this file, else its expression, else the book's name for it. */
export function label(q: Quantity): string {
	return code(q.name ?? q.expr ?? ROLE_NAMES[q.role]);
}

function basisSentence(q: Quantity, t: Translate): string {
	switch (q.assumed?.basis) {
		case 'mnistTrainSize':
			return t('60,000 is the size of the MNIST training set.');
		case 'mnistTestSize':
			return t('10,000 is the size of the MNIST test set.');
		case 'bookBatchSize':
			return t("100 is the book's batch size.");
		case 'bookIters':
			return t("10,000 is the book's number of iterations.");
		case 'bookLearningRate':
			return t("0.1 is the book's learning rate.");
		case 'bookEpochs':
			return t("20 is the number of epochs the book's Trainer (common/trainer.py) runs by default.");
		default:
			return t('It is computed as in the book: `max(train_size / batch_size, 1)`.');
	}
}

/** One sentence for an assumed value: which name could not be read, and why. */
function assumedSentence(q: Quantity, t: Translate): string {
	const what = label(q);
	const value = num(q.value);
	const basis = basisSentence(q, t);
	const a = q.assumed;
	if (a?.why === 'parameter' && a.from && a.fn) return t('Assumed {0} = {1}: {2} is a parameter of {3} without a default, so its value comes from the caller. {4}', what, value, code(a.from), code(a.fn), basis);
	if (a?.why === 'imported' && a.star && a.module !== undefined) return t('Assumed {0} = {1}: this file does not set it, so it comes from {2} (`from {3} import *`), another file. {4}', what, value, code(a.module), a.module, basis);
	if (a?.why === 'imported' && a.from && a.module !== undefined) return t('Assumed {0} = {1}: {2} is imported from {3}, another file. {4}', what, value, code(a.from), code(a.module), basis);
	if (a?.why === 'runtime' && q.expr) {
		if (!q.name) return t('Assumed {0} = {1}: it is only known when the script runs. {2}', what, value, basis);
		return t('Assumed {0} = {1}: {2} is only known when the script runs. {3}', what, value, code(q.expr), basis);
	}
	return t('Assumed {0} = {1}: this file does not set it. {2}', what, value, basis);
}

/**
 * The footnotes for the numbers a hover shows: one per assumed value (`assumed`), and one per parameter default or
 * change inside the loop among `shown`. Italic, one per line, each said once.
 */
export function footnotes(assumed: readonly Quantity[], shown: readonly Quantity[], t: Translate): string | undefined {
	const lines: string[] = [];
	const add = (s: string) => {
		if (!lines.includes(s)) lines.push(s);
	};
	for (const q of assumed) add(assumedSentence(q, t));
	// An array length assumed inside a computed value, unless a footnote above already covers that array.
	const arrays = new Set(assumed.map((q) => arrayOf(q.expr)).filter((a): a is string => a !== undefined));
	for (const q of shown) {
		for (const input of q.assumedInputs ?? []) {
			const a = arrayOf(input.expr);
			if (a !== undefined && !arrays.has(a)) {
				arrays.add(a);
				add(assumedSentence(input, t));
			}
		}
	}
	for (const q of shown) {
		for (const d of q.defaults ?? []) {
			if (d.option) add(t('{0} is the default of the command-line option {1}: a run can pass another value.', code(d.value), code(d.param)));
			else add(t('{0} is the default of a parameter of {1}: a caller can pass another value.', code(`${d.param}=${d.value}`), code(d.fn)));
		}
		if (q.changes) add(t('{0} changes inside the loop ({1}, line {2}), so it is not one number: the figures use its value before the loop, {3}.', label(q), code(q.changes.code), q.changes.line + 1, num(q.value)));
	}
	return lines.length ? lines.map((l) => `_${l}_`).join('  \n') : undefined;
}

/** The array of `len(x)` or `x.shape[0]`. */
function arrayOf(expr: string | undefined): string | undefined {
	return expr === undefined ? undefined : (/^len\((.+)\)$/.exec(expr)?.[1] ?? /^(.+)\.shape\[0\]$/.exec(expr)?.[1]);
}

/** `train_size = x_train.shape[0]` or `batch_size = 100`, when the file has such a line. */
export function valueCode(q: Quantity): string | undefined {
	if (!q.name || !q.expr) return undefined;
	if (q.source === 'literal') return code(`${q.name} = ${q.expr}`);
	if (q.source === 'computed') return `${code(`${q.name} = ${q.expr}`)} → ${num(q.value)}`;
	return code(`${q.name} = ${q.expr}`);
}

/** A count with no name of its own: `len(range(0, 60000, 100))` → 600. */
export function exprCode(q: Quantity): string | undefined {
	if (q.name) return valueCode(q);
	// `range(12)`: the number itself, already in the totals line.
	if (!q.expr || q.source === 'literal') return undefined;
	return q.substituted && q.substituted !== q.expr ? `${code(q.expr)} = ${code(q.substituted)} → ${num(q.value)}` : `${code(q.expr)} → ${num(q.value)}`;
}

/** `iter_per_epoch = max(60000 / 100, 1) = 600.0`, from the file's line or the book's formula. */
export function ipeCode(ipe: Quantity, trainSize: Quantity, batchSize: Quantity): string {
	const name = ipe.name ?? 'iter_per_epoch';
	if (ipe.source === 'literal') return code(`${name} = ${py(ipe)}`);
	if (ipe.substituted) return code(`${name} = ${ipe.substituted} = ${py(ipe)}`);
	return code(`${name} = max(${py(trainSize)} / ${py(batchSize)}, 1) = ${py(ipe)}`);
}
