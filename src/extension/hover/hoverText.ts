/**
 * Turns a HoverInfo into concise Markdown: the teaching delta (numbers, shapes, the book's context), never NumPy's
 * docstring, which Pylance already shows. Pure: no `vscode` import; the caller passes `vscode.l10n.t` as `t`.
 * Every message is a literal first argument of `t(...)` so a test can check the Japanese bundle covers it.
 */
import type { ChoiceHover, HoverInfo, Quantity, SamplingDirection, TermHover, WithoutReplacementHover } from '../../python';
import { approx, bullets, code, num, paragraphs, pct, py, type Translate } from './hoverMarkdown';
import { batchProcessing, epochTerm, epochOrderNote, stopLine } from './loopText';
import { footnotes, ipeCode as ipeLine, valueCode } from './quantityText';
import { axis, keepdims } from './reductionText';

/** vscode.l10n.t's shape: `{0}`, `{1}` … are replaced by the arguments. */
export type { Translate } from './hoverMarkdown';

export const RUN_COMPARISON_COMMAND = 'minibatchLab.runComparison';
export const APPLY_SAMPLING_FIX_COMMAND = 'minibatchLab.applySamplingFix';

/** The single argument of `minibatchLab.applySamplingFix` (a command link passes it JSON-encoded). */
export interface ApplySamplingFixArgs {
	/** `document.uri.toString()` of the hovered document. */
	readonly uri: string;
	/** The version the hover was computed for; the command should re-plan (and give up) if the text has changed. */
	readonly version?: number;
	readonly direction: SamplingDirection;
	/** An offset inside the action's anchor: pass it to `samplingActionsAt`. */
	readonly offset: number;
}

export interface HoverContext {
	/** Needed for the quick-fix link; without it the link is left out. */
	readonly documentUri?: string;
	readonly documentVersion?: number;
}

export interface FormattedHover {
	readonly markdown: string;
	/** Command ids the Markdown links to: give them to `MarkdownString.isTrusted = { enabledCommands }`. */
	readonly commandLinks: string[];
}

/** `command:` URI with JSON arguments, as VS Code's Markdown renderer expects. */
export function commandUri(command: string, args?: unknown): string {
	return args === undefined ? `command:${command}` : `command:${command}?${encodeURIComponent(JSON.stringify([args]))}`;
}

/** The code action's title, shared with the hover link. */
export function samplingFixTitle(direction: SamplingDirection, t: Translate): string {
	return direction === 'apply' ? t('Sample without replacement (reshuffle every epoch)') : t("Sample with replacement again (the book's np.random.choice)");
}

export function formatHover(info: HoverInfo, t: Translate, ctx: HoverContext = {}): FormattedHover {
	switch (info.kind) {
		case 'term':
			return { markdown: term(info, t), commandLinks: [] };
		case 'keepdims':
			return { markdown: keepdims(info, t), commandLinks: [] };
		case 'axis':
			return { markdown: axis(info, t), commandLinks: [] };
		case 'choice':
			return sampling(choice(info, t), info.fix, t, ctx);
		case 'withoutReplacement':
			return sampling(withoutReplacement(info, t), info.fix, t, ctx);
		case 'batchProcessing':
			return { markdown: batchProcessing(info, t), commandLinks: [] };
	}
}

/** `iter_per_epoch = max(60000 / 100, 1) = 600.0` */
function ipeCode(h: TermHover): string {
	return ipeLine(h.numbers.iterPerEpoch, h.numbers.trainSize, h.numbers.batchSize);
}

/** The numbers a term hover may show, for the footnotes about defaults and changes. */
function shown(h: TermHover): Quantity[] {
	const n = h.numbers;
	return [n.trainSize, n.batchSize, n.itersNum, n.iterPerEpoch];
}

function epochsLine(h: TermHover, t: Translate): string {
	const n = h.numbers;
	return t('{0} iterations ≈ {1} epochs', num(n.itersNum.value), approx(n.epochs));
}

function drawsLine(h: TermHover, t: Translate): string {
	const n = h.numbers;
	return t('each epoch draws {0} × {1} = {2} samples', num(n.iterPerEpoch.value), num(n.batchSize.value), num(n.drawsPerEpoch));
}

function evaluationsLine(h: TermHover, t: Translate): string | undefined {
	const ev = h.numbers.evaluations;
	if (!ev || !h.names.loopVar) return undefined;
	const counter = code(ev.counter ?? h.names.loopVar);
	if (ev.count === 0) return t('accuracy is never evaluated: the loop does not run');
	const list = ev.count <= 3 ? ev.first.join(', ') : `${ev.first.slice(0, 2).join(', ')}, …, ${ev.last}`;
	if (ev.accuracy === false && ev.divisor) return t('the block under {0} runs {1} times: {2} = {3}', code(`if ${ev.counter ?? h.names.loopVar} % ${ev.divisor} == 0:`), num(ev.count), counter, list);
	return t('accuracy is evaluated {0} times: {1} = {2}', ev.count, counter, list);
}

/** True when the loop's `if … % n == 0:` check divides by the epoch length. */
function checksEpochs(h: TermHover): boolean {
	const ev = h.numbers.evaluations;
	return ev?.divisor !== undefined && ev.divisor === (h.numbers.iterPerEpoch.name ?? h.names.iterPerEpoch);
}

/** Chapter 6's comparisons: one minibatch per iteration, shared by every network the inner loop updates. */
function sharedLine(h: TermHover, t: Translate): string | undefined {
	const over = h.numbers.sharedBatch?.over;
	return over ? t('each iteration updates every network of {0} once, all on the same minibatch', code(over)) : undefined;
}

function term(h: TermHover, t: Translate): string {
	if (h.numbers.epochLoop) return epochTerm(h, t);
	const n = h.numbers;
	const name = code(h.name);
	const ipe = n.iterPerEpoch;
	const loopVar = h.names.loopVar ?? 'i';
	const ipeName = ipe.name ?? 'iter_per_epoch';
	const foot = footnotes(n.assumptions, shown(h), t);
	const stop = stopLine(h, t);
	switch (h.term) {
		case 'epoch':
		case 'epochIndex':
			return paragraphs([
				t('An epoch is one pass over the training data. The book measures it in iterations: {0} ÷ {1} = {2} iterations per epoch, and evaluates accuracy once per epoch.', num(n.trainSize.value), num(n.batchSize.value), num(ipe.value)),
				bullets([ipeCode(h), epochsLine(h, t), drawsLine(h, t), stop]),
				foot,
			]);
		case 'itersNum':
			return paragraphs([
				t('{0} is the number of iterations: each one takes a minibatch and makes one parameter update. It counts updates, not epochs.', name),
				bullets([valueCode(n.itersNum), stop, sharedLine(h, t), epochsLine(h, t), ipeCode(h)]),
				foot,
			]);
		case 'iterPerEpoch': {
			let note: string | undefined;
			if (ipe.isFloat && Number.isInteger(ipe.value)) note = t('It is a float ({0}) because `/` always returns a float: fine for `%`, but a list index must be an int.', py(ipe));
			else if (Number.isFinite(ipe.value) && !Number.isInteger(ipe.value)) note = t('It is not a whole number ({0}), so `{1} % {2} == 0` holds far less often than once per epoch.', py(ipe), loopVar, ipeName);
			return paragraphs([
				checksEpochs(h) && n.evaluations?.accuracy !== false
					? t('{0} is the number of iterations in one epoch: training set size ÷ batch size. The loop uses it to evaluate accuracy once per epoch.', name)
					: t('{0} is the number of iterations in one epoch: training set size ÷ batch size.', name),
				bullets([ipeCode(h), epochsLine(h, t), drawsLine(h, t), evaluationsLine(h, t), stop]),
				note,
				foot,
			]);
		}
		case 'loopIndex':
			return paragraphs([
				n.firstIteration !== undefined
					? t('{0} counts iterations from {1} to {2}: each one draws a minibatch and makes one update.', name, num(n.firstIteration), num(n.firstIteration + n.itersNum.value - 1))
					: n.sharedBatch
					? t('{0} counts iterations from 0 to {1}: each one draws one minibatch and updates every network of {2} on it once.', name, num(n.itersNum.value - 1), code(n.sharedBatch.over))
					: checksEpochs(h)
						? t('{0} counts iterations from 0 to {1}: each one draws a minibatch and makes one update. {2} marks the start of an epoch.', name, num(n.itersNum.value - 1), code(`${n.evaluations?.counter ?? h.name} % ${ipeName} == 0`))
						: t('{0} counts iterations from 0 to {1}: each one draws a minibatch and makes one update.', name, num(n.itersNum.value - 1)),
				bullets([evaluationsLine(h, t), stop, epochsLine(h, t), ipeCode(h)]),
				foot,
			]);
		case 'batchSize':
			return paragraphs([
				t('{0} is the batch size: how many samples each iteration uses to estimate the gradient. Larger batches give a smoother gradient but fewer updates per epoch.', name),
				bullets([valueCode(n.batchSize), ipeCode(h), drawsLine(h, t)]),
				foot,
			]);
		case 'batchMask':
			return paragraphs([
				t("{0} holds the indices of this iteration's minibatch: {1} numbers from 0 to {2}.", name, num(n.batchSize.value), num(n.trainSize.value - 1)),
				h.withReplacement && t('They come from `np.random.choice`, which draws with replacement, so the same index can appear twice.'),
				foot,
			]);
		case 'batchData':
			return paragraphs([
				h.batch?.source && h.batch.mask
					? t('{0} is the minibatch: the {1} rows of {2} selected by {3}.', name, num(n.batchSize.value), code(h.batch.source), code(h.batch.mask))
					: t('{0} is the minibatch: the {1} rows of the training data selected by the batch mask.', name, num(n.batchSize.value)),
				t('The gradient is computed on these rows only, so each update sees {0} of the {1} samples.', num(n.batchSize.value), num(n.trainSize.value)),
				sharedLine(h, t),
				foot,
			]);
		case 'trainSize':
			return paragraphs([
				t('{0} is the number of training samples. The minibatch indices are drawn from 0 to {1}, and one epoch is {2} ÷ batch size iterations.', name, num(n.trainSize.value - 1), name),
				bullets([valueCode(n.trainSize), ipeCode(h)]),
				foot,
			]);
		case 'learningRate':
			return paragraphs([
				t('{0} is the learning rate: each update moves every parameter by {1} × its gradient. Too large and the loss jumps around; too small and learning is slow.', name, py(n.learningRate)),
				bullets([valueCode(n.learningRate)]),
				footnotes(n.learningRate.source === 'assumed' ? [...n.assumptions, n.learningRate] : n.assumptions, [...shown(h), n.learningRate], t),
			]);
	}
}

// ---- sampling ----

function sampling(markdown: string, fix: { direction: SamplingDirection; offset: number } | undefined, t: Translate, ctx: HoverContext): FormattedHover {
	const links = [`[${t('▶ Run minibatch comparison')}](${commandUri(RUN_COMPARISON_COMMAND)})`];
	const commandLinks = [RUN_COMPARISON_COMMAND];
	if (fix && ctx.documentUri !== undefined) {
		const args: ApplySamplingFixArgs = { uri: ctx.documentUri, version: ctx.documentVersion, direction: fix.direction, offset: fix.offset };
		links.push(`[${samplingFixTitle(fix.direction, t)}](${commandUri(APPLY_SAMPLING_FIX_COMMAND, args)})`);
		commandLinks.push(APPLY_SAMPLING_FIX_COMMAND);
	}
	return { markdown: paragraphs([markdown, links.join(' · ')]), commandLinks };
}

function choice(h: ChoiceHover, t: Translate): string {
	const callee = h.qualified ? `${code(h.callee)} (${code(h.qualified)})` : code(h.callee);
	const n = h.population;
	const b = h.batch;
	let intro: string;
	if (!h.sizeGiven && h.replace.kind !== 'unknown') {
		intro = t('{0} samples with replacement by default (replace=True): repeated calls can return the same index again.', callee);
	} else if (h.replace.kind === 'default') {
		intro = t('{0} samples with replacement by default (replace=True): each of the {1} indices is drawn independently from 0 to {2}, so one batch can hold the same sample twice, and some samples wait a long time to be drawn.', callee, num(b.value), num(n.value - 1));
	} else if (h.replace.kind === 'true') {
		intro = t('{0} with replace=True samples with replacement: each of the {1} indices is drawn independently from 0 to {2}, so one batch can hold the same sample twice.', callee, num(b.value), num(n.value - 1));
	} else {
		intro = t('Here replace is {0}: {1} samples with replacement whenever it is True (the default).', code(h.replace.text), callee);
	}
	const figures = bullets([
		h.sizeGiven ? t('A batch of {0} from {1} contains a repeat with probability {2}.', num(b.value), num(n.value), pct(h.duplicateChance)) : t('Without a size it draws a single index.'),
		h.sizeGiven &&
			(Math.abs(h.drawsPerEpoch - n.value) < 0.5
				? t('One epoch of draws ({0} × {1} = {2}) sees about {3} of the {4} samples (1 − 1/e); the rest wait for later epochs.', num(h.iterPerEpoch.value), num(b.value), num(h.drawsPerEpoch), pct(h.seenFraction), num(n.value))
				: t('One epoch of draws ({0} × {1} = {2}) sees about {3} of the {4} samples; the rest wait for later epochs.', num(h.iterPerEpoch.value), num(b.value), num(h.drawsPerEpoch), pct(h.seenFraction), num(n.value))),
	]);
	const alt = t('The alternative is to shuffle once per epoch and take consecutive slices: every sample exactly once per epoch. With the book\'s settings both reach the same accuracy within seed-to-seed noise.');
	return paragraphs([intro, figures, alt, footnotes(h.assumptions, [h.population, h.batch], t)]);
}

function withoutReplacement(h: WithoutReplacementHover, t: Translate): string {
	return paragraphs([withoutReplacementIntro(h, t), h.epochs && epochOrderNote(h.epochs, t)]);
}

function withoutReplacementIntro(h: WithoutReplacementHover, t: Translate): string {
	const callee = h.qualified ? `${code(h.callee)} (${code(h.qualified)})` : code(h.callee);
	switch (h.api) {
		case 'shuffle':
			return t('{0} shuffles an array in place (it returns None). Shuffling the indices once per epoch and taking consecutive slices samples without replacement: every sample exactly once per epoch, unlike np.random.choice with its default replace=True.', callee);
		case 'permutation':
			return t('{0} returns a shuffled copy (of np.arange(n) when given n). Cut into consecutive slices, it gives one epoch without replacement: every sample exactly once, unlike np.random.choice with its default replace=True.', callee);
		case 'choice':
			return t('{0} with replace=False samples without replacement: no index repeats within this call. Indices can still repeat between calls; to use every sample once per epoch, shuffle once and take slices.', callee);
	}
}
