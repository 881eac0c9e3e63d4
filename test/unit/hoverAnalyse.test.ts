import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analysePython, hoverAt, type HoverInfo } from '../../src/python';

const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'python', name), 'utf8');

/** Offset of the nth occurrence of `needle`, plus `delta` (1 puts it inside the first character). */
function at(text: string, needle: string, nth = 0, delta = 1): number {
	let i = -1;
	for (let k = 0; k <= nth; k++) {
		i = text.indexOf(needle, i + 1);
		assert.ok(i >= 0, `"${needle}" #${nth} not found`);
	}
	return i + delta;
}

function hover(text: string, needle: string, nth = 0, delta = 1): HoverInfo | undefined {
	return hoverAt(analysePython(text), text, at(text, needle, nth, delta));
}

/** The union members whose `kind` admits K (ReductionHover serves both 'keepdims' and 'axis'). */
type HoverOf<K extends HoverInfo['kind'], H = HoverInfo> = H extends { kind: infer HK } ? (K extends HK ? H : never) : never;

function expectKind<K extends HoverInfo['kind']>(info: HoverInfo | undefined, kind: K): HoverOf<K> {
	assert.ok(info, `expected a ${kind} hover, got nothing`);
	assert.equal(info.kind, kind);
	return info as HoverOf<K>;
}

function term(text: string, needle: string, nth = 0) {
	return expectKind(hover(text, needle, nth), 'term');
}

describe('hover analysis: the chapter-4 training script', () => {
	const text = fixture('train_neuralnet.py');
	const model = analysePython(text);

	it('computes the book numbers from the literal assignments, assuming train_size from x_train.shape[0]', () => {
		const h = term(text, 'iters_num = ');
		assert.equal(h.term, 'itersNum');
		const n = h.numbers;
		assert.deepEqual([n.itersNum.value, n.itersNum.source, n.itersNum.name], [10000, 'literal', 'iters_num']);
		assert.deepEqual([n.batchSize.value, n.batchSize.source], [100, 'literal']);
		assert.deepEqual([n.learningRate.value, n.learningRate.isFloat], [0.1, true]);
		assert.equal(n.trainSize.value, 60000);
		assert.equal(n.trainSize.source, 'assumed');
		assert.equal(n.trainSize.expr, 'x_train.shape[0]');
		assert.deepEqual(n.trainSize.assumed, { why: 'runtime', basis: 'mnistTrainSize' });
		assert.equal(n.iterPerEpoch.value, 600);
		assert.equal(n.iterPerEpoch.isFloat, true, 'train_size / batch_size is a float in Python 3');
		assert.equal(n.iterPerEpoch.expr, 'max(train_size / batch_size, 1)');
		assert.equal(n.iterPerEpoch.substituted, 'max(60000 / 100, 1)');
		assert.ok(Math.abs(n.epochs - 16.6667) < 1e-3);
		assert.equal(n.drawsPerEpoch, 60000);
		assert.equal(n.slicesPerEpoch, 600);
		assert.deepEqual(n.evaluations, { count: 17, first: [0, 600, 1200], last: 9600, counter: 'i', divisor: 'iter_per_epoch', accuracy: true });
		assert.deepEqual(
			n.assumptions.map((q) => q.name),
			['train_size'],
		);
	});

	it('explains each term at its name, wherever it is used as a variable', () => {
		assert.equal(term(text, 'iter_per_epoch = ').term, 'iterPerEpoch');
		assert.equal(term(text, 'i % iter_per_epoch').term, 'loopIndex');
		assert.equal(expectKind(hover(text, 'for i in', 0, 4), 'term').term, 'loopIndex');
		assert.equal(term(text, 'batch_size = ').term, 'batchSize');
		assert.equal(term(text, 'train_size = ').term, 'trainSize');
		assert.equal(term(text, 'learning_rate = ').term, 'learningRate');
		assert.equal(term(text, 'learning_rate * grad').term, 'learningRate');
		assert.equal(term(text, 'iter_per_epoch == 0').term, 'iterPerEpoch');
		const mask = term(text, 'batch_mask = ');
		assert.equal(mask.term, 'batchMask');
		assert.equal(mask.withReplacement, true);
		const xb = term(text, 'x_batch = ');
		assert.equal(xb.term, 'batchData');
		assert.deepEqual(xb.batch, { source: 'x_train', mask: 'batch_mask' });
		assert.deepEqual(term(text, 't_batch = ').batch, { source: 't_train', mask: 'batch_mask' });
		assert.equal(term(text, 'x_batch, t_batch)', 1).term, 'batchData');
	});

	it('accepts the cursor just after a name (the editor word range includes its end)', () => {
		const h = hoverAt(model, text, at(text, 'iters_num = ', 0, 'iters_num'.length));
		assert.equal(expectKind(h, 'term').term, 'itersNum');
	});

	it('explains np.random.choice with this file\'s N and B, and offers the quick fix', () => {
		const h = expectKind(hover(text, 'choice(train_size', 1), 'choice');
		assert.equal(h.api, 'legacy');
		assert.equal(h.callee, 'np.random.choice');
		assert.deepEqual(h.replace, { kind: 'default' });
		assert.equal(h.population.value, 60000);
		assert.equal(h.population.source, 'assumed');
		assert.equal(h.batch.value, 100);
		assert.equal(h.inTrainingLoop, true);
		assert.equal(h.drawsPerEpoch, 60000);
		assert.ok(h.duplicateChance !== undefined && Math.abs(h.duplicateChance - 0.0792306) < 1e-6, `duplicate chance ${h.duplicateChance}`);
		assert.ok(h.seenFraction !== undefined && Math.abs(h.seenFraction - 0.6321236) < 1e-6, `seen ${h.seenFraction}`);
		assert.deepEqual(h.fix, { direction: 'apply', offset: text.indexOf('batch_mask = np.random') });
		assert.deepEqual(h.range, { start: text.indexOf('choice(train_size, batch_size)\n'), end: text.indexOf('choice(train_size, batch_size)\n') + 6 });
	});

	it('gives nothing in comments, strings, or at unrelated names and punctuation', () => {
		const nothing: [string, number, number?][] = [
			['keepdims and np.random.choice mentioned', 0],
			['np.random.choice mentioned', 11],
			['"np.random.choice(train_size', 12],
			['"np.random.choice(train_size', 20],
			['samples with replacement; epoch"', 27],
			['import numpy', 1],
			['network = ', 1],
			['load_mnist(normalize', 1],
			['print(', 1],
			['grad = ', 1],
			['append(loss)', 1],
			['for key in', 5],
			['range(iters_num)', 1],
			['(x_batch, t_batch)', 0],
			['np.random.choice(train_size, batch_size)\n', 1],
			['np.random.choice(train_size, batch_size)\n', 4],
			['sys.path', 1],
			['# coding', 3],
		];
		for (const [needle, delta] of nothing) {
			assert.equal(hoverAt(model, text, at(text, needle, 0, delta)), undefined, `expected nothing at ${JSON.stringify(needle)}+${delta}`);
		}
		assert.equal(hoverAt(model, text, -1), undefined);
		assert.equal(hoverAt(model, text, text.length + 5), undefined);
		assert.equal(hoverAt(model, text, Number.NaN), undefined);
	});

	it('gives nothing for a stale model (the text changed length)', () => {
		assert.equal(hoverAt(model, text + ' ', at(text, 'iters_num = ')), undefined);
	});
});

describe('hover analysis: keepdims and axis', () => {
	const text = fixture('functions.py');

	it('softmax max: the book (100, 10) example, (100,) without keepdims, (100, 1) with, and no broadcast without', () => {
		const h = expectKind(hover(text, 'keepdims=True)  #'), 'keepdims');
		assert.deepEqual(h.call, { fn: 'max', form: 'function', callee: 'np.max', input: 'x', axis: { kind: 'axes', axes: [-1], tuple: false, text: '-1' }, keepdims: 'true' });
		assert.deepEqual(h.inputShape, [100, 10]);
		assert.deepEqual(h.shapeSource, { kind: 'book' });
		assert.deepEqual(h.axes, [1]);
		assert.deepEqual(h.without, [100]);
		assert.deepEqual(h.with, [100, 1]);
		assert.equal(h.broadcastWithout, 'error');
		assert.equal(h.axisError, false);
	});

	it('softmax sum: the input is np.exp(x), method forms and argmax are recognised', () => {
		const s = expectKind(hover(text, 'keepdims=True)\n'), 'keepdims');
		assert.equal(s.call.callee, 'np.sum');
		assert.equal(s.call.input, 'np.exp(x)');
		const a = expectKind(hover(text, 'axis=1)'), 'axis');
		assert.equal(a.call.form, 'method');
		assert.equal(a.call.callee, 't.argmax');
		assert.equal(a.returnsIndices, true);
		assert.deepEqual(a.without, [100]);
	});

	it('uses a shape the file gives: np.random.randn(4, 3), np.ones((5, 5))', () => {
		const m = expectKind(hover(text, 'axis=0)'), 'axis');
		assert.equal(m.call.callee, 'scores.max');
		assert.deepEqual(m.inputShape, [4, 3]);
		const line = text.slice(0, text.indexOf('scores = np.random.randn')).split('\n').length - 1;
		assert.deepEqual(m.shapeSource, { kind: 'file', line, code: 'scores = np.random.randn(4, 3)' });
		assert.deepEqual(m.without, [3]);
		assert.deepEqual(m.with, [1, 3]);
		assert.equal(m.broadcastWithout, 'ok', 'reducing the leading axis lines up anyway');

		const rs = expectKind(hover(text, 'keepdims=True)\ntotal'), 'keepdims');
		assert.deepEqual([rs.without, rs.with, rs.broadcastWithout], [[4], [4, 1], 'error']);

		const total = expectKind(hover(text, 'keepdims=True)\nsquare'), 'keepdims');
		assert.deepEqual(total.call.axis, { kind: 'none', given: false });
		assert.deepEqual([total.without, total.with], [[], [1, 1]]);

		const bad = expectKind(hover(text, 'axis=1)\n', 1), 'axis');
		assert.deepEqual(bad.inputShape, [5, 5]);
		assert.equal(bad.broadcastWithout, 'misaligned', '(5, 5) - (5,) runs, pairing rows with columns');
	});

	it('handles tuples, out-of-range axes, argmax with a tuple, unknown axes, nested calls and multi-line calls', () => {
		const src = [
			'import numpy as np',
			'a = np.zeros((2, 3, 4))',
			'r1 = np.sum(a, axis=(0, 2), keepdims=True)',
			'r2 = np.sum(a, axis=3)',
			'r3 = np.argmax(a, axis=(0, 1))',
			'r4 = np.sum(a, axis=ax)',
			'r5 = np.sum(np.max(a, axis=1), keepdims=True)',
			'r6 = np.mean(',
			'    a,  # keepdims in a comment',
			'    axis=-1,',
			'    keepdims=True,',
			')',
			'r7 = a.reshape(6, 4).std(axis=0, keepdims=True)',
			'r8 = np.array([[1, 2, 3], [4, 5, 6]]).var(axis=1, keepdims=True)',
			'r9 = np.sum(a, 1, keepdims=False)',
			"r10 = np.sum(x, keepdims='no')",
			'',
		].join('\n');
		const r1 = expectKind(hover(src, 'keepdims=True)'), 'keepdims');
		assert.deepEqual([r1.inputShape, r1.without, r1.with, r1.broadcastWithout], [[2, 3, 4], [3], [1, 3, 1], 'error']);
		const r2 = expectKind(hover(src, 'axis=3'), 'axis');
		assert.equal(r2.axisError, true);
		assert.equal(r2.without, undefined);
		assert.equal(expectKind(hover(src, 'axis=(0, 1)'), 'axis').axisError, true);
		assert.deepEqual(expectKind(hover(src, 'axis=ax'), 'axis').call.axis, { kind: 'unknown', text: 'ax' });
		const r5 = expectKind(hover(src, 'keepdims=True)', 1), 'keepdims');
		assert.equal(r5.call.fn, 'sum');
		assert.equal(expectKind(hover(src, 'axis=1)'), 'axis').call.fn, 'max');
		const r6 = expectKind(hover(src, 'keepdims=True,'), 'keepdims');
		assert.deepEqual([r6.call.fn, r6.without, r6.with], ['mean', [2, 3], [2, 3, 1]]);
		assert.equal(hover(src, 'keepdims in a comment'), undefined);
		const r7 = expectKind(hover(src, 'keepdims=True)', 2), 'keepdims');
		assert.deepEqual([r7.call.callee, r7.inputShape, r7.with], ['a.reshape(6,4).std', [6, 4], [1, 4]]);
		const r8 = expectKind(hover(src, 'keepdims=True)', 3), 'keepdims');
		assert.deepEqual([r8.inputShape, r8.with], [[2, 3], [2, 1]]);
		const r9 = expectKind(hover(src, 'keepdims=False'), 'keepdims');
		assert.deepEqual([r9.call.keepdims, r9.call.axis], ['false', { kind: 'axes', axes: [1], tuple: false, text: '1' }]);
		assert.equal(expectKind(hover(src, "keepdims='no'"), 'keepdims').call.keepdims, 'unknown');
	});

	it('gives nothing for keepdims/axis outside NumPy reductions', () => {
		const src = [
			'import numpy as np',
			'c = np.concatenate([a, b], axis=0)',
			'd = foo(keepdims=True)',
			'e = settings.keepdims',
			'keepdims = True',
			'f = np.sum(a, axis == 1)',
			'g = torch.sum(a, dim=1, keepdim=True)',
			'',
		].join('\n');
		for (const [needle, nth] of [['axis=0', 0], ['keepdims=True', 0], ['keepdims\n', 0], ['keepdims = True', 0], ['axis ==', 0], ['keepdim=True', 0]] as const) {
			assert.equal(hover(src, needle, nth), undefined, needle);
		}
	});
});

describe('hover analysis: sampling calls', () => {
	it('recognises aliases, Generators, replace=False, shuffle and permutation, and ignores the stdlib random', () => {
		const src = [
			'import numpy as xp',
			'import random',
			'rng = xp.random.default_rng(0)',
			'a = xp.random.choice(50, 10)',
			'b = rng.choice(50, 10)',
			'c = rng.choice(50, 10, replace=False)',
			'd = xp.random.choice(50, 10, replace=False)',
			'e = random.choice([1, 2, 3])',
			'xp.random.shuffle(idx)',
			'f = rng.permutation(50)',
			'g = xp.random.default_rng().choice(50, 5, True)',
			'h = xp.random.choice(50, 10, replace=flag)',
			'k = xp.random.choice(50)',
			'',
		].join('\n');
		const a = expectKind(hover(src, 'choice(50, 10)'), 'choice');
		assert.deepEqual([a.api, a.callee, a.population.value, a.population.source, a.batch.value, a.inTrainingLoop], ['legacy', 'xp.random.choice', 50, 'literal', 10, false]);
		assert.ok(a.duplicateChance !== undefined && Math.abs(a.duplicateChance - 0.6182933) < 1e-6, String(a.duplicateChance));
		// Outside a training loop, "one epoch of draws" is N draws.
		assert.equal(a.drawsPerEpoch, 50);
		const b = expectKind(hover(src, 'choice(50, 10)', 1), 'choice');
		assert.deepEqual([b.api, b.callee], ['generator', 'rng.choice']);
		const c = expectKind(hover(src, 'choice(50, 10, replace=False)'), 'withoutReplacement');
		assert.deepEqual([c.api, c.receiver], ['choice', 'generator']);
		assert.equal(expectKind(hover(src, 'choice(50, 10, replace=False)', 1), 'withoutReplacement').receiver, 'legacy');
		assert.equal(hover(src, 'choice([1, 2, 3])'), undefined);
		const s = expectKind(hover(src, 'shuffle(idx)'), 'withoutReplacement');
		assert.deepEqual([s.api, s.receiver, s.callee, s.fix], ['shuffle', 'legacy', 'xp.random.shuffle', undefined]);
		assert.deepEqual(expectKind(hover(src, 'permutation(50)'), 'withoutReplacement').receiver, 'generator');
		const g = expectKind(hover(src, 'choice(50, 5, True)'), 'choice');
		assert.deepEqual([g.api, g.replace], ['generator', { kind: 'true' }]);
		assert.deepEqual(expectKind(hover(src, 'choice(50, 10, replace=flag)'), 'choice').replace, { kind: 'unknown', text: 'flag' });
		const k = expectKind(hover(src, 'choice(50)'), 'choice');
		assert.deepEqual([k.sizeGiven, k.batch.value, k.duplicateChance], [false, 1, undefined]);
	});
});

describe('hover analysis: fallbacks and odd files', () => {
	it('a notebook cell with only the choice line: N and B assumed (missing), the book formula for iter_per_epoch', () => {
		const src = 'batch_mask = np.random.choice(train_size, batch_size)\n';
		const h = expectKind(hover(src, 'choice'), 'choice');
		assert.deepEqual([h.population.value, h.population.assumed], [60000, { why: 'missing', basis: 'mnistTrainSize' }]);
		assert.deepEqual([h.batch.value, h.batch.assumed], [100, { why: 'missing', basis: 'bookBatchSize' }]);
		assert.equal(h.inTrainingLoop, false);
		assert.equal(h.assumptions.length, 2);
		const m = term(src, 'batch_mask');
		assert.equal(m.term, 'batchMask');
		assert.equal(m.numbers.iterPerEpoch.assumed?.basis, 'bookFormula');
		assert.equal(m.numbers.iterPerEpoch.value, 600);
	});

	it('a batch size that does not divide: iter_per_epoch 3.33…, accuracy evaluated only at i = 0', () => {
		const src = [
			'train_size = 1000',
			'batch_size = 300',
			'iters_num = 40',
			'iter_per_epoch = max(train_size / batch_size, 1)',
			'for i in range(iters_num):',
			'    batch_mask = np.random.choice(train_size, batch_size)',
			'    if i % iter_per_epoch == 0:',
			'        print(i)',
			'print(i)',
			'',
		].join('\n');
		const h = term(src, 'iter_per_epoch = ');
		assert.equal(h.numbers.iterPerEpoch.value, 1000 / 300);
		assert.equal(h.numbers.slicesPerEpoch, 4);
		assert.deepEqual(h.numbers.evaluations, { count: 1, first: [0], last: 0, counter: 'i', divisor: 'iter_per_epoch', accuracy: false }, 'matches Python: [i for i in range(40) if i % (1000/300) == 0] == [0]');
		assert.equal(h.numbers.assumptions.length, 0);
		assert.equal(expectKind(hover(src, 'print(i)', 0, 6), 'term').term, 'loopIndex');
		assert.equal(hover(src, 'i)\n', 1, 0), undefined, 'i after the loop is just a name');
		const c = expectKind(hover(src, 'choice'), 'choice');
		assert.ok(c.duplicateChance !== undefined && c.duplicateChance > 0.999999);
		assert.equal(c.drawsPerEpoch, 1000);
	});

	it('follows chains of literal assignments, underscores, exponents, // and other names', () => {
		const src = [
			'N_TRAIN = 6_000 * 10',
			'train_size = N_TRAIN',
			'bs = 2 ** 7',
			'n_iters = int(1e4)',
			'lr = 1e-2',
			'iters_per_epoch = train_size // bs',
			'for step in range(n_iters):',
			'    idx = np.random.choice(train_size, bs)',
			'    xb = X[idx]',
			'    if step % iters_per_epoch == 0: pass',
			'',
		].join('\n');
		const n = term(src, 'lr = ').numbers;
		assert.deepEqual([n.trainSize.value, n.trainSize.source, n.trainSize.expr, n.trainSize.substituted], [60000, 'computed', 'N_TRAIN', '60000']);
		assert.deepEqual([n.batchSize.value, n.batchSize.name], [128, 'bs']);
		assert.deepEqual([n.itersNum.value, n.itersNum.name, n.itersNum.isFloat], [10000, 'n_iters', false]);
		assert.deepEqual([n.learningRate.value, n.learningRate.name], [0.01, 'lr']);
		assert.deepEqual([n.iterPerEpoch.value, n.iterPerEpoch.isFloat, n.iterPerEpoch.substituted], [468, false, '60000 // 128']);
		assert.equal(term(src, 'idx = ').term, 'batchMask');
		assert.deepEqual(term(src, 'xb = ').batch, { source: 'X', mask: 'idx' });
		assert.equal(term(src, 'step %').term, 'loopIndex');
		assert.equal(term(src, 'bs)').term, 'batchSize');
		assert.equal(term(src, 'train_size = ').term, 'trainSize');
	});

	it('survives an unclosed bracket: the loop after it is still found', () => {
		const src = [
			'y = np.sum(x, axis=1, keepdims=True',
			'iters_num = 100',
			'for i in range(iters_num):',
			'    batch_mask = np.random.choice(train_size, batch_size)',
			'',
		].join('\n');
		assert.equal(expectKind(hover(src, 'keepdims'), 'keepdims').call.fn, 'sum');
		const h = expectKind(hover(src, 'choice'), 'choice');
		assert.equal(h.inTrainingLoop, true);
		assert.equal(term(src, 'i in').term, 'loopIndex');
	});

	it('strings of every kind, backslash continuations, CRLF and semicolons', () => {
		const src = [
			'doc = """np.random.choice(a, b) and keepdims=True',
			'still a string: axis=1 """',
			"s = r'C:\\path\\' ; t2 = f\"{np.sum(x, keepdims=True)}\"",
			'iters_num = \\',
			'    500',
			'batch_size = 10; train_size = 100',
			'for i in range(iters_num):',
			'    batch_mask = np.random.choice(train_size, batch_size)',
			'',
		].join('\r\n');
		assert.equal(hover(src, 'choice(a, b)'), undefined);
		assert.equal(hover(src, 'keepdims=True\r\n'), undefined);
		assert.equal(hover(src, 'axis=1 """'), undefined);
		assert.equal(hover(src, 'keepdims=True)}'), undefined, 'f-strings are opaque');
		const n = term(src, 'iters_num = ').numbers;
		assert.deepEqual([n.itersNum.value, n.batchSize.value, n.trainSize.value, n.trainSize.source], [500, 10, 100, 'literal']);
		assert.equal(expectKind(hover(src, 'choice(train_size'), 'choice').inTrainingLoop, true);
	});
});
