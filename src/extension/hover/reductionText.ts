/** The keepdims and axis hovers: shapes before and after a NumPy reduction, and why keepdims lets the result broadcast. */
import type { ReductionHover } from '../../python';
import { formatShape, reducesLeadingAxes } from '../../python';
import { code, joinSentences, paragraphs, type Translate } from './hoverMarkdown';

/** `np.max(x, axis=-1)` or `x.max(axis=-1)`, optionally with keepdims=True. */
function callText(h: ReductionHover, withKeepdims: boolean): string {
	const c = h.call;
	const args: string[] = [];
	if (c.form === 'function') args.push(c.input || 'x');
	if (c.axis.kind === 'axes' || c.axis.kind === 'unknown') args.push(`axis=${c.axis.text}`);
	else if (c.axis.given) args.push('axis=None');
	if (withKeepdims) args.push('keepdims=True');
	return `${c.callee}(${args.join(', ')})`;
}

function shapeSourceNote(h: ReductionHover, t: Translate): string {
	if (h.shapeSource.kind === 'file') return t('Shape of {0} from line {1}: {2}', code(h.call.input), h.shapeSource.line + 1, code(h.shapeSource.code));
	return t('{0} is an example shape: the softmax input in the book\'s chapter 4 (100 images × 10 class scores). This file does not show the shape of {1}.', formatShape(h.inputShape), code(h.call.input || 'x'));
}

/**
 * A table cell: a `|` ends the cell even inside a code span, and what follows it would render as Markdown (a link, a
 * remote image), so the file's text has its pipes escaped (a `\|` in a cell shows as `|`, also in code).
 */
function cell(markdown: string): string {
	return markdown.replace(/\|/g, '\\|');
}

function shapeTable(h: ReductionHover, t: Translate): string | undefined {
	if (!h.without || !h.with) return undefined;
	const input = h.call.input || 'x';
	const row = (a: string, b: string) => `| ${cell(a)} | ${cell(b)} |`;
	return [
		row(t('Expression'), t('Shape')),
		'|---|---|',
		row(code(input), code(formatShape(h.inputShape))),
		row(code(callText(h, false)), code(h.without.length ? formatShape(h.without) : t('scalar'))),
		row(code(callText(h, true)), code(formatShape(h.with))),
	].join('\n');
}

/** The operation the book combines a reduction with: `x - max`, `exp / sum`. */
function combineOp(fn: string): string {
	return fn.includes('sum') || fn === 'prod' ? '/' : '-';
}

function axisProblem(h: ReductionHover, t: Translate): string | undefined {
	if (h.axisError && h.call.axis.kind === 'axes') {
		if (h.axisProblem === 'tuple') return t('{0} takes a single axis, not a tuple: NumPy raises a TypeError.', code(h.call.fn));
		if (h.axisProblem === 'repeated') return t('{0} names the same axis twice for an input with {1} dimensions {2}: NumPy raises a ValueError (duplicate value in axis).', code(`axis=${h.call.axis.text}`), h.inputShape.length, formatShape(h.inputShape));
		return t('{0} is out of range for an input with {1} dimensions {2}: NumPy raises an AxisError.', code(`axis=${h.call.axis.text}`), h.inputShape.length, formatShape(h.inputShape));
	}
	if (h.call.axis.kind === 'unknown') return t('The axis {0} is not a literal, so no shapes are shown.', code(h.call.axis.text));
	return undefined;
}

/** Which direction the surviving values run in, for 2-D inputs: per row (axis 1) or per column (axis 0). */
function perWhat(h: ReductionHover): 'row' | 'column' | 'other' {
	if (h.inputShape.length !== 2 || !h.axes || h.axes.length !== 1) return 'other';
	return h.axes[0] === 1 ? 'row' : 'column';
}

export function keepdims(h: ReductionHover, t: Translate): string {
	const intro = t('keepdims=True keeps each reduced axis as an axis of size 1. The result keeps the number of dimensions of the input, so it broadcasts back against it.');
	const problem = axisProblem(h, t);
	if (problem || !h.without || !h.with || !h.broadcastWithout) return paragraphs([intro, problem, shapeSourceNote(h, t)]);
	const inS = code(formatShape(h.inputShape));
	const withS = code(formatShape(h.with));
	const withoutS = code(h.without.length ? formatShape(h.without) : t('scalar'));
	const input = h.call.input || 'x';
	let why: string;
	if (h.returnsIndices) {
		why = t('{0} returns indices; keepdims=True gives {1} instead of {2}, which keeps them aligned with the rows of the input.', code(h.call.fn), withS, withoutS);
	} else if (h.without.length === 0) {
		why = t('With no axis, everything is reduced to one value, which broadcasts against anything; keepdims=True gives {0} instead of a scalar.', withS);
	} else {
		const example = code(`${input} ${combineOp(h.call.fn)} ${callText(h, true)}`);
		const per = perWhat(h);
		const works =
			per === 'row'
				? t('In {0}, {1} and {2} line up from the right, so each row is combined with its own value.', example, inS, withS)
				: per === 'column'
					? t('In {0}, {1} and {2} line up from the right, so each column is combined with its own value.', example, inS, withS)
					: t('In {0}, {1} and {2} line up from the right, so each value is combined with the result for its own slice.', example, inS, withS);
		let without: string;
		if (h.broadcastWithout === 'error') {
			const [a, b] = firstMismatch(h.inputShape, h.without);
			without = t('Without keepdims, {0} and {1} do not broadcast: shapes are compared from the right, and {2} ≠ {3}.', inS, withoutS, a, b);
		} else if (h.broadcastWithout === 'misaligned') {
			without = t('Without keepdims, {0} and {1} still broadcast, but only because the sizes happen to match: each value is paired with the wrong one, silently.', inS, withoutS);
		} else if (h.axes && reducesLeadingAxes(h.axes)) {
			without = t('Here keepdims is optional: {0} already lines up with the trailing axes of {1}.', withoutS, inS);
		} else {
			without = t('Here keepdims is optional: where {0} does not line up with {1}, its size is 1, so each value still meets its own result.', withoutS, inS);
		}
		why = joinSentences(works, without);
	}
	return paragraphs([intro, shapeTable(h, t), why, shapeSourceNote(h, t)]);
}

/** The first pair of sizes, from the right, that stops two shapes from broadcasting. */
function firstMismatch(a: readonly number[], b: readonly number[]): [number, number] {
	for (let i = 1; i <= Math.min(a.length, b.length); i++) {
		const x = a[a.length - i];
		const y = b[b.length - i];
		if (x !== y && x !== 1 && y !== 1) return [x, y];
	}
	return [0, 0];
}

export function axis(h: ReductionHover, t: Translate): string {
	const problem = axisProblem(h, t);
	const call = code(callText(h, false));
	if (problem || !h.without || !h.with || !h.axes) return paragraphs([t('axis chooses which axis is reduced: that axis disappears from the result, the others stay.'), problem, shapeSourceNote(h, t)]);
	let what: string;
	if (h.call.axis.kind === 'none') {
		what = t('With no axis, {0} reduces over every element and returns one value.', call);
	} else if (h.axes.length === 1) {
		what = t('{0} reduces along axis {1} (size {2}): that axis disappears, the others stay.', call, h.axes[0], h.inputShape[h.axes[0]]);
	} else {
		what = t('{0} reduces along axes {1}: those axes disappear, the others stay.', call, h.axes.join(', '));
	}
	const negative = h.call.axis.kind === 'axes' && h.call.axis.axes.some((a) => a < 0) && h.call.axis.axes.length === 1
		? t('A negative axis counts from the end: axis={0} is axis {1} here, the last one.', h.call.axis.axes[0], h.axes[0])
		: undefined;
	const per = perWhat(h);
	const twoD =
		per === 'row'
			? t('For a 2-D array, axis=1 gives one value per row (across its columns); axis=0 would give one per column.')
			: per === 'column'
				? t('For a 2-D array, axis=0 gives one value per column (down its rows); axis=1 would give one per row.')
				: undefined;
	const indices = h.returnsIndices ? t('{0} returns the position of the extreme value along that axis, e.g. the predicted class of each row.', code(h.call.fn)) : undefined;
	const shapes = [
		`${code(formatShape(h.inputShape))} → ${code(h.without.length ? formatShape(h.without) : t('scalar'))}`,
		joinSentences(t('with keepdims=True:'), code(formatShape(h.with))),
	].join('  \n');
	return paragraphs([what, joinSentences(negative, twoD), indices, shapes, shapeSourceNote(h, t)]);
}
