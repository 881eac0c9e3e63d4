import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analysePython, applyTextEdits, samplingActions, samplingActionsAt, type SamplingAction } from '../../src/python';

const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'python', name), 'utf8');

function only(text: string, direction: SamplingAction['direction']): SamplingAction {
	const actions = samplingActions(analysePython(text));
	assert.deepEqual(
		actions.map((a) => a.direction),
		[direction],
	);
	return actions[0];
}

/** Applies the fix, checks the reverse is offered and restores the text exactly; returns the rewritten text. */
function roundTrip(text: string): string {
	const applied = applyTextEdits(text, only(text, 'apply').edits);
	assert.notEqual(applied, text);
	const restored = applyTextEdits(applied, only(applied, 'reverse').edits);
	assert.equal(restored, text, 'apply then reverse must give back the original text');
	return applied;
}

const BOOK_LOOP = [
	'import numpy as np',
	'train_size = 1000',
	'batch_size = 300',
	'iter_per_epoch = max(train_size / batch_size, 1)',
	'for i in range(10):',
	'    batch_mask = np.random.choice(train_size, batch_size)',
	'    x_batch = x_train[batch_mask]',
	'',
];

describe('sampling quick fix: rewrite', () => {
	it('rewrites the book script the way the study group did, with the file\'s names and indentation', () => {
		const text = fixture('train_neuralnet.py');
		const applied = roundTrip(text);
		const expected = [
			'iter_per_epoch = max(train_size / batch_size, 1)',
			'',
			'def make_batch_mask_list(train_size, batch_size):',
			'    # One epoch without replacement: a shuffled np.arange(train_size) cut into slices; the last may be shorter.',
			'    order = np.random.permutation(train_size)',
			'    return [order[k:k + batch_size] for k in range(0, train_size, batch_size)]',
			'',
			'# An int, to index the list: iter_per_epoch is a float (600.0) and need not be whole.',
			'batches_per_epoch = (train_size + batch_size - 1) // batch_size',
			'for i in range(iters_num):',
			'    if i % batches_per_epoch == 0:',
			'        batch_mask_list = make_batch_mask_list(train_size, batch_size)',
			'    batch_mask = batch_mask_list[i % batches_per_epoch]  # original: batch_mask = np.random.choice(train_size, batch_size)',
			'    x_batch = x_train[batch_mask]',
		].join('\n');
		assert.ok(applied.includes(expected), applied);
		// The book's evaluation check is left alone.
		assert.ok(applied.includes('    if i % iter_per_epoch == 0:\n'));
		// Nothing more to apply once rewritten.
		assert.equal(samplingActions(analysePython(applied)).filter((a) => a.direction === 'apply').length, 0);
	});

	it('keeps tabs, the numpy alias, other names and a trailing comment (variant script)', () => {
		const text = fixture('train_variant.py');
		const applied = roundTrip(text);
		assert.ok(applied.includes('\tdef make_batch_mask_list(train_size, batch_size):\n\t\t# One epoch'));
		assert.ok(applied.includes('\t\torder = numpy.random.permutation(train_size)\n'));
		assert.ok(applied.includes('\tbatches_per_epoch = (n_train + bs - 1) // bs\n\tfor step in range(steps):\n'));
		assert.ok(applied.includes('\t\tif step % batches_per_epoch == 0:\n\t\t\tmask_list = make_batch_mask_list(n_train, bs)\n'));
		assert.ok(applied.includes('\t\tmask = mask_list[step % batches_per_epoch]  # original: mask = numpy.random.choice(n_train, bs)  # with replacement, as in the book\n'));
	});

	it('keeps CRLF line endings and introduces no bare LF', () => {
		const text = fixture('train_neuralnet.py').replace(/\r?\n/g, '\r\n');
		const applied = roundTrip(text);
		assert.equal(/[^\r]\n/.test(applied), false);
	});

	it('picks fresh names when the file already uses the helper names', () => {
		const text = ['batch_mask_list = []', 'def make_batch_mask_list(): pass', ...BOOK_LOOP].join('\n');
		const applied = roundTrip(text);
		assert.ok(applied.includes('def make_batch_mask_list_2(train_size, batch_size):'));
		assert.ok(applied.includes('batch_mask_list_2 = make_batch_mask_list_2(train_size, batch_size)'));
	});

	it('wraps argument expressions that need parentheses in the epoch length', () => {
		const text = BOOK_LOOP.join('\n').replace('choice(train_size, batch_size)', 'choice(x_train.shape[0], batch_size * 2)');
		const applied = roundTrip(text);
		assert.ok(applied.includes('batches_per_epoch = (x_train.shape[0] + (batch_size * 2) - 1) // (batch_size * 2)\n'), applied);
		assert.ok(applied.includes('make_batch_mask_list(x_train.shape[0], batch_size * 2)'));
	});

	it('works inside a nested function body and with two-space indents', () => {
		const text = ['def train(x_train):', '  n = len(x_train)', '  for it in range(50):', '    m = np.random.choice(n, 7)', '    step(x_train[m])', '  return 1', ''].join('\n');
		const applied = roundTrip(text);
		assert.ok(applied.includes('  def make_batch_mask_list(train_size, batch_size):\n    # One epoch'));
		assert.ok(applied.includes('    if it % batches_per_epoch == 0:\n      m_list = make_batch_mask_list(n, 7)\n    m = m_list[it % batches_per_epoch]'));
	});

	it('offers nothing when the shape does not match', () => {
		const variants: [string, (s: string) => string][] = [
			['replace=False', (s) => s.replace('batch_size)', 'batch_size, replace=False)')],
			['explicit third argument', (s) => s.replace('batch_size)', 'batch_size, True)')],
			['a Generator', (s) => s.replace('np.random.choice', 'rng.choice')],
			['the stdlib random', (s) => s.replace('np.random.choice', 'random.choice')],
			['nested in an if', (s) => s.replace('    batch_mask = np.random', '    if True:\n        batch_mask = np.random')],
			['not in a loop', (s) => s.replace('for i in range(10):\n    batch_mask', 'if True:\n    batch_mask')],
			['a loop not starting at 0', (s) => s.replace('range(10)', 'range(1, 10)')],
			['a loop over a list', (s) => s.replace('range(10)', 'data')],
			['arguments that change in the loop', (s) => s.replace('choice(train_size, batch_size)', 'choice(train_size, i + 1)')],
			['a name assigned in the loop', (s) => s.replace('    batch_mask', '    bs = 3\n    batch_mask').replace('choice(train_size, batch_size)', 'choice(train_size, bs)')],
			['a second statement on the line', (s) => s.replace('batch_size)\n', 'batch_size); y = 1\n')],
			['a multi-line call', (s) => s.replace('choice(train_size, batch_size)', 'choice(train_size,\n        batch_size)')],
			['a tuple target', (s) => s.replace('    batch_mask = ', '    batch_mask, other = ')],
			['an indexed call', (s) => s.replace('batch_size)\n', 'batch_size)[0]\n')],
			['a one-line loop body', (s) => s.replace('for i in range(10):\n    batch_mask', 'for i in range(10): batch_mask')],
		];
		for (const [what, edit] of variants) {
			const text = edit(BOOK_LOOP.join('\n'));
			assert.notEqual(text, BOOK_LOOP.join('\n'), `${what}: the edit did not change the text`);
			assert.deepEqual(samplingActions(analysePython(text)), [], what);
		}
	});

	it('does not offer the reverse once the generated code was edited, or for a foreign "# original:" comment', () => {
		const text = fixture('train_neuralnet.py');
		const applied = applyTextEdits(text, only(text, 'apply').edits);
		const edited = applied.replace('the last may be shorter', 'the last one may be shorter');
		assert.deepEqual(samplingActions(analysePython(edited)), []);
		const foreign = 'for i in range(3):\n    x = y[i % n]  # original: something else\n';
		assert.deepEqual(samplingActions(analysePython(foreign)), []);
	});

	it('places the action at the choice statement and the loop header, not elsewhere', () => {
		const text = fixture('train_neuralnet.py');
		const model = analysePython(text);
		const stmt = text.indexOf('batch_mask = np.random.choice');
		assert.equal(samplingActionsAt(model, stmt + 20).length, 1);
		assert.equal(samplingActionsAt(model, text.indexOf('for i in range') + 2).length, 1);
		assert.equal(samplingActionsAt(model, text.indexOf('import numpy')).length, 0);
		assert.equal(samplingActionsAt(model, text.indexOf('x_batch = x_train')).length, 0);
		const action = samplingActionsAt(model, stmt)[0];
		assert.deepEqual(action.anchor, { start: stmt, end: stmt + 'batch_mask = np.random.choice(train_size, batch_size)'.length });
	});

	it('applyTextEdits rejects overlapping edits', () => {
		assert.equal(applyTextEdits('abcdef', [{ start: 4, end: 5, newText: 'X' }, { start: 0, end: 1, newText: '' }]), 'bcdXf');
		assert.throws(() => applyTextEdits('abc', [{ start: 0, end: 2, newText: '' }, { start: 1, end: 3, newText: '' }]), RangeError);
	});
});
