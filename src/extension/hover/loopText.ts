/**
 * Texts for loops beyond the book's single one: an outer loop over epochs around the batches of one epoch (real
 * totals, what the slices cover), a `break` that ends the loop early, and batch processing for inference (chapter 3).
 */
import { seenFraction, type BatchProcessingHover, type EpochLoop, type Quantity, type TermHover, type TrainingNumbers } from '../../python';
import { bullets, code, num, paragraphs, pct, py, type Translate } from './hoverMarkdown';
import { exprCode, footnotes, valueCode } from './quantityText';

/** `the loop ends at break …` for the term hovers of a loop with a `break`. */
export function stopLine(h: TermHover, t: Translate): string | undefined {
	const s = h.numbers.stop;
	if (!s) return undefined;
	if (s.iterations !== undefined && s.evaluations !== undefined) {
		return t('{0} ends the loop (line {1}): after {2} evaluations, so {3} iterations run, not the {4} of its range', code(s.code), s.line + 1, num(s.evaluations), num(s.iterations), num(s.bound.value));
	}
	return t('a `break` on line {0} can end the loop early, so it may run fewer than {1} iterations', s.line + 1, num(s.bound.value));
}

/** What one epoch's slices cover, as one line. */
function coverageLine(ep: EpochLoop, t: Translate): string | undefined {
	const c = ep.slices;
	if (!c) return undefined;
	const n = c.population.value;
	if (c.empty > 0) return t('{0} of the {1} iterations get an empty slice: {2} starts past the {3} samples', num(c.empty), num(c.count), code(c.expr), num(n));
	if (c.overlapping) return t('consecutive slices of {0} overlap, so some samples are used twice per epoch', code(c.expr));
	if (c.gaps) return t('the slices of {0} leave gaps, so some samples are never used', code(c.expr));
	if (c.exactlyOnce && c.lastSize === c.width) return t('each epoch cuts {0} into {1} slices of {2}: every sample is used exactly once per epoch', code(c.array), num(c.count), num(c.width));
	if (c.exactlyOnce) return t('each epoch cuts {0} into {1} slices: {2} of {3} and a last, shorter one of {4}; every sample is used exactly once per epoch', code(c.array), num(c.count), num(c.count - 1), num(c.width), num(c.lastSize));
	if (c.dropped > 0) {
		const used = n - c.dropped;
		return ep.order?.perEpoch
			? t('{0} slices of {1} use {2} of the {3} samples per epoch: the last {4} of each new order are left out, different ones each epoch', num(c.count), num(c.width), num(used), num(n), num(c.dropped))
			: t('{0} slices of {1} use {2} of the {3} samples per epoch: the same {4} samples are left out every epoch', num(c.count), num(c.width), num(used), num(n), num(c.dropped));
	}
	return undefined;
}

/** Where the order comes from. */
function orderLine(ep: EpochLoop, t: Translate): string | undefined {
	if (ep.batching !== 'slices') return undefined;
	if (!ep.order) return t('nothing shuffles the data: every epoch takes the samples in the same order');
	if (ep.order.perEpoch) return t('{0} makes a new order at the start of every epoch', code(ep.order.callee));
	return t('{0} makes one order before the epochs: every epoch goes through the samples in that same order', code(ep.order.callee));
}

function drawsLine(n: TrainingNumbers, t: Translate): string | undefined {
	const ep = n.epochLoop;
	if (!ep || ep.batching !== 'draws') return undefined;
	const draws = n.iterPerEpoch.value * n.batchSize.value;
	return t('each epoch draws {0} × {1} = {2} indices with replacement: about {3} of the {4} samples are seen per epoch', num(n.iterPerEpoch.value), num(n.batchSize.value), num(draws), pct(seenFraction(n.trainSize.value, draws)), num(n.trainSize.value));
}

/** The lines every hover of an epoch loop shows: its counts, the total, and what one epoch covers. */
function epochBullets(n: TrainingNumbers, t: Translate): string {
	const ep = n.epochLoop as EpochLoop;
	return bullets([
		exprCode(ep.epochs),
		exprCode(n.iterPerEpoch),
		t('{0} epochs × {1} iterations = {2} iterations', num(ep.epochs.value), num(n.iterPerEpoch.value), num(n.itersNum.value)),
		coverageLine(ep, t),
		orderLine(ep, t),
		drawsLine(n, t),
		ep.evaluatesEachEpoch && t('accuracy is evaluated after each epoch: {0} times', num(ep.epochs.value)),
	]);
}

/** The data shuffled in place while its labels are sliced in their old order. */
function misalignedNote(n: TrainingNumbers, t: Translate): string | undefined {
	const m = n.epochLoop?.misaligned;
	const order = n.epochLoop?.order;
	if (!m || !order) return undefined;
	return t('{0} shuffles {1} alone: {2} is sliced with the same bounds but keeps its old order, so each batch pairs images with the wrong labels. Shuffle an index array and take both through it (`x_train[idx]`, `t_train[idx]`).', code(`${order.callee}(${m.shuffled})`), code(m.shuffled), m.others.map(code).join(', '));
}

/** The note on a float given to `range()`, which Python refuses. */
function floatNote(n: TrainingNumbers, t: Translate): string | undefined {
	const ep = n.epochLoop;
	if (!ep?.floatRange) return undefined;
	return t('{0} is a float ({1}): `range()` needs an int, so this loop raises TypeError. Use `//` or `int(…)`.', code(ep.floatRange), py(n.iterPerEpoch));
}

function epochFootnotes(n: TrainingNumbers, t: Translate): string | undefined {
	const ep = n.epochLoop as EpochLoop;
	const shown: Quantity[] = [ep.epochs, n.iterPerEpoch, n.batchSize, n.trainSize, ...(ep.slices ? [ep.slices.population] : [])];
	return footnotes(n.assumptions, shown, t);
}

/** A term hover inside (or about) an outer loop over epochs. */
export function epochTerm(h: TermHover, t: Translate): string {
	const n = h.numbers;
	const ep = n.epochLoop as EpochLoop;
	const name = code(h.name);
	const e = ep.epochs.value;
	const ipe = n.iterPerEpoch.value;
	const total = n.itersNum.value;
	const b = n.batchSize.value;
	let intro: string | undefined;
	let extra: string | undefined;
	switch (h.term) {
		case 'epoch':
			intro = t('{0} is the number of epochs: the outer loop runs {1} times, and each epoch runs the inner loop {2} times, so training makes {1} × {2} = {3} updates in all.', name, num(e), num(ipe), num(total));
			break;
		case 'epochIndex': {
			const v = ep.epochValues ?? { first: 0, step: 1, last: e - 1 };
			intro = t('{0} counts epochs from {1} to {2}. Each epoch runs the inner loop {3} times: {4} × {3} = {5} iterations in all.', name, num(v.first), num(v.last), num(ipe), num(e), num(total));
			break;
		}
		case 'iterPerEpoch':
		case 'itersNum':
			intro = t('{0} is the number of iterations in one epoch: the inner loop runs {1} times in each of the {2} epochs, {3} iterations in all.', name, num(ipe), num(e), num(total));
			break;
		case 'loopIndex': {
			const v = ep.innerValues ?? { first: 0, step: 1, last: ipe - 1 };
			if (v.step !== 1 && ep.batching === 'slices') {
				const list = ipe <= 3 ? [v.first, v.first + v.step, v.last].slice(0, ipe).map(num).join(', ') : `${num(v.first)}, ${num(v.first + v.step)}, …, ${num(v.last)}`;
				intro = t('{0} is where each slice starts: {1}, and starts again at {2} in every epoch. Each iteration takes the slice of {3} samples from there and makes one update.', name, list, num(v.first), num(b));
			} else {
				intro =
					ep.batching === 'slices'
						? t('{0} counts the iterations of one epoch, from {1} to {2}, and starts again at {1} in every epoch. Each iteration takes the next slice of {3} samples and makes one update.', name, num(v.first), num(v.last), num(b))
						: t('{0} counts the iterations of one epoch, from {1} to {2}, and starts again at {1} in every epoch. Each iteration draws a minibatch of {3} and makes one update.', name, num(v.first), num(v.last), num(b));
			}
			break;
		}
		case 'batchSize':
			intro = t('{0} is the batch size: how many samples each iteration uses to estimate the gradient. Larger batches give a smoother gradient but fewer updates per epoch.', name);
			extra = valueCode(n.batchSize);
			break;
		case 'trainSize':
			intro = t('{0} is the number of training samples: the data one epoch goes through.', name);
			extra = valueCode(n.trainSize);
			break;
		case 'batchMask':
			intro =
				ep.batching === 'slices' && ep.slices
					? t("{0} holds the indices of this iteration's minibatch: the slice {1} of this epoch's order.", name, code(ep.slices.expr))
					: t("{0} holds the indices of this iteration's minibatch: {1} numbers from 0 to {2}.", name, num(b), num(n.trainSize.value - 1));
			break;
		case 'batchData':
			intro = h.batch?.source && h.batch.mask
				? t('{0} is the minibatch: the {1} rows of {2} selected by {3}.', name, num(b), code(h.batch.source), code(h.batch.mask))
				: t('{0} is the minibatch: the {1} rows of the training data selected by the batch mask.', name, num(b));
			extra = t('The gradient is computed on these rows only, so each update sees {0} of the {1} samples.', num(b), num(n.trainSize.value));
			break;
		case 'learningRate':
			intro = t('{0} is the learning rate: each update moves every parameter by {1} × its gradient. Too large and the loss jumps around; too small and learning is slow.', name, py(n.learningRate));
			return paragraphs([intro, bullets([valueCode(n.learningRate)]), footnotes(n.learningRate.source === 'assumed' ? [n.learningRate] : [], [n.learningRate], t)]);
	}
	return paragraphs([intro, extra, epochBullets(n, t), misalignedNote(n, t), floatNote(n, t), epochFootnotes(n, t)]);
}

/** Added to a shuffle/permutation hover when that call makes the order of an epoch loop's slices. */
export function epochOrderNote(n: TrainingNumbers, t: Translate): string | undefined {
	if (!n.epochLoop) return undefined;
	return paragraphs([epochBullets(n, t), misalignedNote(n, t)]);
}

/** A name in a batch-processing (inference) loop. */
export function batchProcessing(h: BatchProcessingHover, t: Translate): string {
	const bp = h.batches;
	const name = code(h.name);
	const b = bp.batchSize.value;
	const n = bp.population.value;
	let intro: string;
	switch (h.term) {
		case 'batchSize':
			intro = t('{0} is the batch size of batch processing: the network takes {1} images at once and computes their outputs in one forward pass. Nothing is learned in this loop: no gradient, no update.', name, num(b));
			break;
		case 'loopIndex': {
			const list = bp.passes <= 3 ? bp.starts.map(num).join(', ') : `${bp.starts.slice(0, 2).map(num).join(', ')}, …, ${num(bp.lastStart)}`;
			intro = t('{0} is where each batch starts: {1}. The loop makes {2} forward passes of {3} images; it only predicts, nothing is learned.', name, list, num(bp.passes), num(b));
			break;
		}
		case 'batchData':
			intro = paragraphs([
				t('{0} is one batch of {1} images, taken in order with {2}; one forward pass computes all their outputs at once.', name, num(b), code(bp.sliceText)),
				bp.forward && t('Here that pass is {0}. No gradient is computed: this is inference, not training.', code(bp.forward)),
			]);
			break;
	}
	return paragraphs([
		intro,
		bullets([
			valueCode(bp.batchSize),
			t('{0} images in batches of {1}: {2} forward passes instead of {0}', num(n), num(b), num(bp.passes)),
			bp.lastSize < b && t('the last batch holds only {0} images', num(bp.lastSize)),
		]),
		h.term !== 'loopIndex' &&
			t('Why batches are faster: the network multiplies all {0} images by its weights in one large matrix product instead of {0} small ones. NumPy runs that product in optimized code that keeps the processor busy, and the overhead of each Python call is paid once per batch instead of once per image.', num(b)),
		footnotes([bp.population, bp.batchSize].filter((q) => q.source === 'assumed'), [bp.batchSize], t),
	]);
}
