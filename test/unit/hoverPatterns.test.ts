import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analysePython, hoverAt, trainingSetup, type HoverInfo } from '../../src/python';

// Python as learners write it: assignments in every form, names imported from numpy.random, and loops over epochs.

const root = join(__dirname, '..', '..', '..');
const learner = (name: string) => readFileSync(join(root, 'test', 'fixtures', 'python', 'learner', name), 'utf8');

function hover(text: string, needle: string, nth = 0, delta = 1): HoverInfo | undefined {
	let i = -1;
	for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
	assert.ok(i >= 0, `"${needle}" #${nth} not found`);
	return hoverAt(analysePython(text), text, i + delta);
}

function term(text: string, needle: string, nth = 0) {
	const h = hover(text, needle, nth);
	assert.ok(h && h.kind === 'term', `expected a term hover at ${needle}, got ${h?.kind}`);
	return h;
}

const lines = (...l: string[]) => l.join('\n') + '\n';

describe('hover patterns: assignments as Python has them', () => {
	it('tuple and list unpacking of literals, with and without brackets, give each name its own value', () => {
		const src = lines(
			'import numpy as np',
			'iters_num, batch_size = 3000, 50',
			'(train_size, lr) = (30000, 0.05)',
			'[a, b] = [1, 2]',
			'for i in range(iters_num):',
			'    batch_mask = np.random.choice(train_size, batch_size)',
		);
		const n = term(src, 'batch_size = ').numbers;
		assert.deepEqual([n.itersNum.value, n.itersNum.source, n.itersNum.name], [3000, 'literal', 'iters_num']);
		assert.deepEqual([n.batchSize.value, n.batchSize.source], [50, 'literal']);
		assert.deepEqual([n.trainSize.value, n.trainSize.source], [30000, 'literal']);
		assert.deepEqual([n.learningRate.value, n.learningRate.name], [0.05, 'lr']);
		assert.deepEqual(
			n.assumptions.map((q) => q.role),
			['iterPerEpoch'],
			'nothing the file sets is assumed; only the epoch length it never names is computed as the book does',
		);
		assert.equal(n.iterPerEpoch.value, 600);
		assert.equal(n.epochs, 5);
		const model = analysePython(src);
		assert.deepEqual(model.assignments.get('b')?.map((x) => model.tok(x.rhsStart)), ['2']);
	});

	it('a name unpacked from a call has no static value, and says where it came from', () => {
		const src = lines('(x_train, t_train), (x_test, t_test) = load_mnist()', 'train_size, batch_size = x_train.shape[0], 100', 'batch_mask = np.random.choice(train_size, batch_size)');
		const n = term(src, 'batch_mask').numbers;
		assert.deepEqual([n.trainSize.source, n.trainSize.expr, n.trainSize.assumed?.why], ['assumed', 'x_train.shape[0]', 'runtime']);
		assert.deepEqual([n.batchSize.value, n.batchSize.source], [100, 'literal']);
		const m = analysePython(src);
		assert.equal(m.assignments.get('t_test')?.[0].kind, 'unpacked');
	});

	it('swaps and starred targets follow Python: the right side is read before any name is bound', () => {
		const m = analysePython(lines('a, b = 1, 2', 'a, b = b, a', 'c, *rest = 7, 8, 9', 'x = a'));
		assert.equal(m.valueOf('a', m.tokens.count)?.value, 2);
		assert.equal(m.valueOf('b', m.tokens.count)?.value, 1);
		assert.equal(m.valueOf('c', m.tokens.count), undefined, 'a starred target makes the count unknown');
		assert.equal(m.assignments.get('rest')?.[0].kind, 'unpacked');
	});

	it('chained assignments give every target the value; annotated ones keep working; a lambda default is no target', () => {
		const src = lines('train_size = n = 60000', 'self.batch_size = batch_size = 200', 'iters_num: int = 1200', 'f = lambda k=3: k', 'batch_mask = np.random.choice(train_size, batch_size)');
		const m = analysePython(src);
		assert.equal(m.valueOf('n', m.tokens.count)?.value, 60000);
		assert.equal(m.valueOf('self.batch_size', m.tokens.count)?.value, 200);
		assert.equal(m.valueOf('iters_num', m.tokens.count)?.value, 1200);
		assert.equal(m.assignments.has('k'), false);
		const n = term(src, 'batch_mask').numbers;
		assert.deepEqual([n.trainSize.value, n.batchSize.value, n.itersNum.value], [60000, 200, 1200]);
	});

	it('an augmented assignment before the loop is computed; one inside the loop makes the value not one number', () => {
		const before = lines('batch_size = 50', 'batch_size *= 2', 'for i in range(100):', '    batch_mask = np.random.choice(60000, batch_size)');
		const b = term(before, 'batch_size *=').numbers.batchSize;
		assert.deepEqual([b.value, b.source, b.expr, b.substituted, b.changes], [100, 'computed', 'batch_size * 2', '50 * 2', undefined]);
		const inLoop = lines('batch_size = 50', 'for epoch in range(4):', '    for i in range(100):', '        batch_mask = np.random.choice(60000, batch_size)', '    batch_size *= 2');
		const c = term(inLoop, 'batch_size = ').numbers.batchSize;
		assert.equal(c.value, 50, 'the value before the loop');
		assert.deepEqual(c.changes, { line: 4, code: 'batch_size *= 2' });
		// An augmented assignment with nothing before it has no value (NameError in Python), never its own default.
		const m = analysePython('x += 1\n');
		assert.equal(m.valueOf('x', m.tokens.count), undefined);
	});
});

describe('hover patterns: names bound by imports', () => {
	it('from numpy.random import choice, shuffle, permutation (with as): bare calls get the sampler hovers', () => {
		const src = lines(
			'from numpy.random import choice, shuffle as shuf, permutation as perm_of',
			'train_size, batch_size = 1000, 10',
			'for i in range(50):',
			'    batch_mask = choice(train_size, batch_size)',
			'idx = perm_of(train_size)',
			'shuf(idx)',
		);
		const c = hover(src, 'choice(train_size');
		assert.ok(c?.kind === 'choice');
		assert.deepEqual([c.callee, c.qualified, c.api, c.population.value, c.batch.value, c.inTrainingLoop], ['choice', 'numpy.random.choice', 'legacy', 1000, 10, true]);
		assert.equal(c.fix, undefined, 'the quick fix rewrites np.random.choice only');
		const p = hover(src, 'perm_of(train');
		assert.ok(p?.kind === 'withoutReplacement');
		assert.deepEqual([p.api, p.callee, p.qualified], ['permutation', 'perm_of', 'numpy.random.permutation']);
		const s = hover(src, 'shuf(idx)');
		assert.ok(s?.kind === 'withoutReplacement' && s.api === 'shuffle');
		assert.equal(term(src, 'batch_mask').term, 'batchMask');
		assert.equal(hover(src, 'choice, shuffle'), undefined, 'the import line itself is no call');
	});

	it('the standard library random and a local function named choice are not numpy', () => {
		const src = lines('from random import choice', 'def pick(xs):', '    return choice(xs)', 'x = choice([1, 2, 3])');
		assert.equal(hover(src, 'choice([1'), undefined);
		const local = lines('from numpy.random import choice', 'def choice(a, b):', '    return a');
		assert.equal(hover(local, 'choice(a'), undefined);
	});

	it('module aliases and the Generator API keep working, also with default_rng imported by name', () => {
		const src = lines(
			'import numpy.random as npr',
			'from numpy import random as rnd',
			'from numpy.random import default_rng as make_rng',
			'rng = make_rng(0)',
			'a = npr.choice(100, 10)',
			'b = rnd.permutation(100)',
			'c = rng.choice(100, 10)',
			'd = rng.permutation(100)',
		);
		const a = hover(src, 'choice(100, 10)');
		assert.ok(a?.kind === 'choice' && a.api === 'legacy' && a.callee === 'npr.choice');
		assert.ok(hover(src, 'permutation(100)')?.kind === 'withoutReplacement');
		const c = hover(src, 'choice(100, 10)', 1);
		assert.ok(c?.kind === 'choice' && c.api === 'generator' && c.callee === 'rng.choice');
		const d = hover(src, 'permutation(100)', 1);
		assert.ok(d?.kind === 'withoutReplacement' && d.receiver === 'generator');
	});

	it('a setting imported from another file is assumed, and says so', () => {
		const src = lines('from config import batch_size', 'for i in range(100):', '    batch_mask = np.random.choice(60000, batch_size)');
		const b = term(src, 'batch_mask').numbers.batchSize;
		assert.deepEqual([b.value, b.source, b.assumed], [100, 'assumed', { why: 'imported', basis: 'bookBatchSize', from: 'batch_size', module: 'config' }]);
	});
});

describe('hover patterns: loops over epochs', () => {
	it('the issue\'s loop: 20 epochs × 300 iterations, a fresh permutation each epoch, every sample once', () => {
		const text = learner('train_epochs.py');
		const h = term(text, 'epochs = ');
		const n = h.numbers;
		const ep = n.epochLoop;
		assert.ok(ep);
		assert.equal(h.term, 'epoch');
		assert.deepEqual([ep.epochs.value, n.iterPerEpoch.value, n.itersNum.value, n.epochs], [20, 300, 6000, 20]);
		assert.deepEqual([n.itersNum.source, n.itersNum.expr], ['computed', 'epochs × iter_per_epoch']);
		assert.deepEqual(ep.order && [ep.order.api, ep.order.callee, ep.order.perEpoch], ['permutation', 'np.random.permutation', true]);
		const c = ep.slices;
		assert.ok(c);
		assert.deepEqual([c.array, c.count, c.width, c.lastSize, c.exactlyOnce, c.dropped, c.empty, c.widthName], ['perm', 300, 200, 200, true, 0, 0, 'batch_size']);
		assert.equal(ep.evaluatesEachEpoch, true);
		assert.deepEqual(n.assumptions, []);
		assert.equal(n.evaluations, undefined, 'no `i % n == 0` check: accuracy is evaluated after each epoch instead');
		assert.equal(term(text, 'epoch in').term, 'epochIndex');
		assert.equal(term(text, 'it in').term, 'loopIndex');
		assert.equal(term(text, 'iter_per_epoch = ').term, 'iterPerEpoch');
		assert.equal(term(text, 'batch_mask = ').term, 'batchMask');
		const setup = trainingSetup(analysePython(text));
		assert.deepEqual([setup.names.epochVar, setup.names.epochs, setup.names.loopVar, setup.names.itersNum], ['epoch', 'epochs', 'it', undefined]);
		const p = hover(text, 'permutation(');
		assert.ok(p?.kind === 'withoutReplacement' && p.epochs?.itersNum.value === 6000, 'the permutation hover carries the epoch numbers');
	});

	it('slices by start offset over a Generator permutation: 469 slices, the last one short (96)', () => {
		const n = term(learner('train_epochs_short.py'), 'n_epochs').numbers;
		const c = n.epochLoop?.slices;
		assert.ok(c);
		assert.deepEqual([n.epochLoop?.epochs.value, n.iterPerEpoch.value, n.itersNum.value], [8, 469, 3752]);
		assert.deepEqual([c.count, c.width, c.lastSize, c.exactlyOnce], [469, 128, 96, true]);
		assert.deepEqual([n.trainSize.name, n.trainSize.value, n.batchSize.name, n.batchSize.value], ['n_train', 60000, 'bs', 128]);
		assert.deepEqual(n.epochLoop?.order && [n.epochLoop.order.callee, n.epochLoop.order.perEpoch], ['rng.permutation', true]);
		assert.deepEqual(n.assumptions, []);
	});

	it('whole batches only (n // batch): the tail of each shuffled order is left out', () => {
		const n = term(learner('train_epochs_floor.py'), 'max_epochs').numbers;
		const c = n.epochLoop?.slices;
		assert.ok(c);
		assert.deepEqual([n.iterPerEpoch.value, c.count, c.width, c.dropped, c.exactlyOnce, c.widthName], [520, 520, 96, 80, false, 'batch']);
		assert.deepEqual(n.epochLoop?.order && [n.epochLoop.order.api, n.epochLoop.order.callee], ['shuffle', 'shuffle_in_place']);
		assert.equal(n.itersNum.value, 2600);
	});

	it('with-replacement draws inside epochs, and the epoch loop\'s own count read from a parenthesized tuple', () => {
		const text = learner('train_epochs_choice.py');
		const n = term(text, 'num_epochs').numbers;
		assert.deepEqual([n.epochLoop?.batching, n.epochLoop?.epochs.value, n.iterPerEpoch.value, n.itersNum.value, n.batchSize.value], ['draws', 4, 500, 2000, 64]);
		assert.deepEqual(n.batchSize.changes, { line: 22, code: 'batch_size *= 2' });
		const c = hover(text, 'choice(');
		assert.ok(c?.kind === 'choice' && c.inTrainingLoop);
		assert.equal(c.drawsPerEpoch, 500 * 64);
	});

	it('an empty tail, overlapping slices, no shuffle and a float given to range() are all said', () => {
		const base = (inner: string, slice: string, extra = '') =>
			lines('import numpy as np', 'n, bs = 1000, 100', extra, 'for epoch in range(3):', `    for k in range(${inner}):`, `        mask = order[${slice}]`, '        grad = net.gradient(x[mask], t[mask])');
		const orderLine = 'order = np.arange(n)';
		const empty = term(base('12', 'k * bs:(k + 1) * bs', orderLine), 'mask').numbers.epochLoop;
		assert.deepEqual([empty?.slices?.empty, empty?.slices?.exactlyOnce, empty?.order], [2, false, undefined]);
		const overlap = term(base('19', 'k * 50:k * 50 + bs', orderLine), 'mask').numbers.epochLoop;
		assert.equal(overlap?.slices?.overlapping, true);
		const float = lines('n, bs = 1000, 100', 'steps = n / bs', 'for epoch in range(3):', '    order = np.random.permutation(n)', '    for k in range(steps):', '        mask = order[k * bs:(k + 1) * bs]');
		assert.equal(term(float, 'mask').numbers.epochLoop?.floatRange, 'steps');
	});

	it('capital names, epochs from 1, math.ceil, a subset x_train[:5000] and a slice clipped with min()', () => {
		const text = learner('train_epochs_math.py');
		const n = term(text, 'N_EPOCHS = ').numbers;
		const ep = n.epochLoop;
		assert.ok(ep?.slices);
		assert.equal(term(text, 'N_EPOCHS = ').term, 'epoch', 'N_EPOCHS names the count (range(1, N_EPOCHS + 1))');
		assert.deepEqual([ep.epochs.value, ep.epochValues, n.iterPerEpoch.value, n.itersNum.value], [12, { first: 1, step: 1, last: 12 }, 79, 948]);
		assert.deepEqual([ep.slices.population.value, ep.slices.width, ep.slices.lastSize, ep.slices.exactlyOnce], [5000, 64, 8, true]);
		assert.deepEqual([n.trainSize.value, n.batchSize.name, n.batchSize.value], [5000, 'BS', 64]);
		assert.deepEqual(n.assumptions, []);
		assert.equal(term(text, 'BS = ').term, 'batchSize');
	});

	it('the data\'s own length is assumed with its reason, and a loop over slice starts steps by the batch size', () => {
		const text = learner('train_epochs_len.py');
		const n = term(text, 'epochs, ').numbers;
		const ep = n.epochLoop;
		assert.ok(ep?.slices);
		assert.deepEqual([n.iterPerEpoch.value, ep.slices.count, ep.slices.lastSize, ep.slices.exactlyOnce, ep.innerValues], [235, 235, 96, true, { first: 0, step: 256, last: 59904 }]);
		const pop = ep.slices.population;
		assert.deepEqual([pop.value, pop.source, pop.expr, pop.assumed?.why], [60000, 'assumed', 'len(x_train)', 'runtime']);
		assert.deepEqual(n.assumptions.map((q) => q.expr), ['len(x_train)']);
		const m = analysePython('import math, numpy as np\na = math.ceil(7 / 2)\nb = np.floor(7 / 2)\nc = int(np.ceil(7 / 2))\n');
		assert.deepEqual(['a', 'b', 'c'].map((x) => m.valueOf(x, m.tokens.count)), [
			{ value: 4, isFloat: false },
			{ value: 3, isFloat: true },
			{ value: 4, isFloat: false },
		]);
	});

	it('shuffling the data in place while its labels are sliced with the same bounds is caught', () => {
		const src = lines(
			'import numpy as np',
			'epochs, batch_size = 10, 100',
			'for epoch in range(epochs):',
			'    np.random.shuffle(x_train)',
			'    for i in range(0, len(x_train), batch_size):',
			'        grad = network.gradient(x_train[i:i + batch_size], t_train[i:i + batch_size])',
		);
		assert.deepEqual(term(src, 'epochs, ').numbers.epochLoop?.misaligned, { shuffled: 'x_train', others: ['t_train'] });
		const indexed = src.replace('np.random.shuffle(x_train)', 'idx = np.random.permutation(len(x_train))').replace(/(\w_train)\[i:i \+ batch_size\]/g, '$1[idx[i:i + batch_size]]');
		assert.equal(term(indexed, 'epochs, ').numbers.epochLoop?.misaligned, undefined, 'one permutation for both is right');
	});

	it('a single loop is not an epoch loop, and the book\'s chapter-4 layout keeps its numbers', () => {
		const n = term(learner('train_tuple.py'), 'batch_size').numbers;
		assert.equal(n.epochLoop, undefined);
		assert.deepEqual([n.itersNum.value, n.batchSize.value, n.iterPerEpoch.value], [3000, 50, 1200]);
	});
});
