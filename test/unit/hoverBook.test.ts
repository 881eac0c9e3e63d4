import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analysePython, hoverAt, type HoverInfo } from '../../src/python';

// The book's own code, vendored unchanged (MIT) in test/fixtures/book: inference batches (chapter 3) are told from
// training loops, and the later training scripts get no claim that does not fit them.

const root = join(__dirname, '..', '..', '..');
const book = (path: string) => readFileSync(join(root, 'test', 'fixtures', 'book', path), 'utf8');

function hover(text: string, needle: string, nth = 0, delta = 1): HoverInfo | undefined {
	let i = -1;
	for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
	assert.ok(i >= 0, `"${needle}" #${nth} not found`);
	return hoverAt(analysePython(text), text, i + delta);
}

describe('hovers on the book: chapter 3 batch processing is inference, not training', () => {
	const text = book('ch03/neuralnet_mnist_batch.py');

	it('batch_size, i and x_batch get batch-processing hovers: 100 images per forward pass, 100 passes', () => {
		for (const [needle, termKind] of [
			['batch_size = 100', 'batchSize'],
			['batch_size):', 'batchSize'],
			['i in range', 'loopIndex'],
			['x_batch = ', 'batchData'],
			['x_batch)', 'batchData'],
		] as const) {
			const h = hover(text, needle);
			assert.ok(h?.kind === 'batchProcessing', `${needle}: ${h?.kind}`);
			assert.equal(h.term, termKind, needle);
			const b = h.batches;
			assert.deepEqual([b.batchSize.value, b.batchSize.source, b.passes, b.lastSize, b.sliceText], [100, 'literal', 100, 100, 'x[i:i+batch_size]']);
			assert.deepEqual([b.population.value, b.population.expr, b.population.assumed?.why, b.population.assumed?.basis], [10000, 'len(x)', 'runtime', 'mnistTestSize']);
			assert.deepEqual([b.starts, b.lastStart, b.forward, b.batchNames], [[0, 100, 200], 9900, 'predict(network, x_batch)', ['x_batch']]);
		}
	});

	it('nothing there is a training term: no iterations, epochs or assumed iters_num', () => {
		for (const m of text.matchAll(/[A-Za-z_]\w*/g)) {
			const h = hoverAt(analysePython(text), text, m.index + 1);
			assert.ok(h === undefined || h.kind === 'batchProcessing' || h.kind === 'axis', `${m[0]} at ${m.index}: ${h?.kind}`);
		}
	});

	it('a training loop that also evaluates in batches keeps its training hovers outside the inference loop', () => {
		const src = [
			'import numpy as np',
			'batch_size = 100',
			'for i in range(1000):',
			'    batch_mask = np.random.choice(60000, batch_size)',
			'    grad = net.gradient(x_train[batch_mask], t_train[batch_mask])',
			'for j in range(0, len(x_test), batch_size):',
			'    xb = x_test[j:j + batch_size]',
			'    y = net.predict(xb)',
			'',
		].join('\n');
		assert.equal(hover(src, 'batch_size = ')?.kind, 'term');
		assert.equal(hover(src, 'i in')?.kind, 'term');
		const j = hover(src, 'j in');
		assert.ok(j?.kind === 'batchProcessing' && j.term === 'loopIndex');
		assert.equal(hover(src, 'batch_size]')?.kind, 'batchProcessing', 'inside the inference loop the batch size is a batch of images');
		assert.equal(hover(src, 'xb = ')?.kind, 'batchProcessing');
	});

	it('a sliced loop with a gradient and an update is training, not inference', () => {
		const src = ['for i in range(0, 60000, 100):', '    xb = x_train[i:i + 100]', '    grad = net.gradient(xb, t_train[i:i + 100])', '    optimizer.update(net.params, grad)', ''].join('\n');
		assert.equal(hover(src, 'xb = ')?.kind, 'term');
	});
});

describe('hovers on the book: later training code', () => {
	it('chapter 5 train_neuralnet.py reads like chapter 4 (17 evaluations, only train_size assumed)', () => {
		const text = book('ch05/train_neuralnet.py');
		const h = hover(text, 'iters_num = ');
		assert.ok(h?.kind === 'term');
		const n = h.numbers;
		assert.deepEqual([n.itersNum.value, n.batchSize.value, n.iterPerEpoch.value, n.evaluations?.count, n.evaluations?.accuracy], [10000, 100, 600, 17, true]);
		assert.deepEqual(n.assumptions.map((q) => q.name), ['train_size']);
	});

	it('chapter 6 comparisons: the `i % 100` block prints the loss, it is no epoch and evaluates no accuracy', () => {
		for (const f of ['ch06/optimizer_compare_mnist.py', 'ch06/weight_init_compare.py']) {
			const text = book(f);
			const h = hover(text, 'i in range');
			assert.ok(h?.kind === 'term' && h.term === 'loopIndex', f);
			const ev = h.numbers.evaluations;
			assert.deepEqual([ev?.count, ev?.divisor, ev?.accuracy, ev?.first, ev?.last], [20, '100', false, [0, 100, 200], 1900], f);
			assert.deepEqual([h.numbers.itersNum.value, h.numbers.itersNum.name, h.numbers.batchSize.value], [2000, 'max_iterations', 128], f);
			assert.equal(h.names.iterPerEpoch, undefined, `${f}: the file names no epoch length`);
			assert.deepEqual(h.numbers.sharedBatch, { over: f.includes('optimizer') ? 'optimizers.keys()' : 'weight_init_types.keys()' }, f);
		}
		const ch4 = hover(book('ch04/train_neuralnet.py'), 'i in range');
		assert.ok(ch4?.kind === 'term' && ch4.numbers.sharedBatch === undefined, 'chapter 4 trains one network');
	});

	it('chapter 6 overfitting: train_size is 300 (x_train[:300]) and the loop ends at its break after 201 evaluations', () => {
		const text = book('ch06/overfit_weight_decay.py');
		const h = hover(text, 'i in range');
		assert.ok(h?.kind === 'term');
		const n = h.numbers;
		assert.deepEqual([n.trainSize.value, n.trainSize.source, n.iterPerEpoch.value], [300, 'computed', 3]);
		assert.deepEqual(n.stop && [n.stop.code, n.stop.evaluations, n.stop.iterations, n.stop.bound.value], ['epoch_cnt >= max_epochs', 201, 601, 1000000000]);
		assert.deepEqual([n.itersNum.value, n.evaluations?.count, n.evaluations?.last], [601, 201, 600]);
		assert.deepEqual(n.assumptions, []);
	});

	it('common/trainer.py: the loop calling train_step, 20 epochs × 600 = 12,000 iterations from the defaults', () => {
		const text = book('common/trainer.py');
		const i = hover(text, 'i in range');
		assert.ok(i?.kind === 'term' && i.term === 'loopIndex');
		const n = i.numbers;
		assert.deepEqual([n.itersNum.value, n.itersNum.name, n.iterPerEpoch.value, n.batchSize.value, n.epochs], [12000, 'self.max_iter', 600, 100, 20]);
		assert.deepEqual(n.batchSize.defaults, [{ param: 'mini_batch_size', fn: '__init__', value: '100' }]);
		assert.deepEqual(n.itersNum.defaults?.map((d) => d.param), ['epochs', 'mini_batch_size']);
		assert.deepEqual(n.trainSize.assumed, { why: 'parameter', basis: 'mnistTrainSize', from: 'x_train', fn: '__init__' });
		assert.deepEqual([n.evaluations?.counter, n.evaluations?.divisor, n.evaluations?.count], ['self.current_iter', 'self.iter_per_epoch', 20]);
		assert.deepEqual(
			n.assumptions.map((q) => q.name),
			['self.train_size'],
			'no iters_num is assumed: the file computes self.max_iter',
		);
		const e = hover(text, 'epochs=20');
		assert.ok(e?.kind === 'term' && e.term === 'epoch');
	});
});
