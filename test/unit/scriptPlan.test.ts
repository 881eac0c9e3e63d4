// The own-script planner and instrumentation, without Python: what is read from a script and what a run executes.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HOOK, instrument, lineMap, type Instrumented } from '../../src/python/instrument';
import { applyTextEdits, samplingActions } from '../../src/python/rewrite';
import { planScript } from '../../src/python/scriptPlan';
import { prepareScript } from '../../src/runner/scriptPrepare';

const root = join(__dirname, '..', '..', '..');
const book = readFileSync(join(root, 'test', 'fixtures', 'book', 'ch04', 'train_neuralnet.py'), 'utf8');
const style = (name: string) => readFileSync(join(root, 'test', 'fixtures', 'scripts', name), 'utf8');

function variant(text: string, sampler: 'replacement' | 'epoch-shuffle' | 'sequential', iters?: number): Instrumented {
	const v = instrument(planScript(text), sampler, iters);
	assert.ok(typeof v !== 'string', `no ${sampler} variant: ${String(v)}`);
	return v;
}

/** The text with every hook call unwrapped: what the learner wrote (plus the override). */
function unwrap(source: string): string {
	let out = source;
	for (;;) {
		const at = out.indexOf(`${HOOK}.`);
		if (at < 0) return out;
		const open = out.indexOf('(', at);
		let depth = 0;
		let close = open;
		for (; close < out.length; close++) {
			if (out[close] === '(') depth++;
			else if (out[close] === ')' && --depth === 0) break;
		}
		out = out.slice(0, at) + out.slice(open + 1, close) + out.slice(close + 1);
	}
}

describe('own script: reading the book’s ch04/train_neuralnet.py', () => {
	const plan = planScript(book);

	it('finds the training loop, the sampler and every setting, with the lines that set them', () => {
		assert.equal(plan.problem, undefined);
		assert.equal(plan.asWritten, 'replacement');
		assert.equal(plan.loopLine, 24);
		const s = plan.settings;
		assert.deepEqual([s.iters.value, s.iters.name, s.iters.line], [10000, 'iters_num', 13]);
		assert.deepEqual([s.batchSize.value, s.batchSize.name, s.batchSize.line], [100, 'batch_size', 15]);
		assert.deepEqual([s.lr.value, s.lr.name, s.lr.line], [0.1, 'learning_rate', 16]);
		assert.deepEqual([s.hidden.value, s.hidden.source, s.hidden.line], [50, 'read', 11]);
		// x_train.shape[0] after load_mnist: the MNIST training set, known without running anything.
		assert.deepEqual([s.trainSize.value, s.trainSize.source, s.trainSize.expr], [60000, 'dataset', 'x_train.shape[0]']);
		assert.deepEqual(plan.roles, { trainSize: 'train_size', batchSize: 'batch_size', lr: 'learning_rate', iters: 'iters_num', net: 'network' });
		assert.deepEqual(
			plan.accuracyCalls.map((c) => [book.slice(c.start, c.end), c.kind]),
			[
				['network.accuracy(x_train, t_train)', 'train'],
				['network.accuracy(x_test, t_test)', 'test'],
			],
		);
		assert.deepEqual(plan.lossArgs.map((r) => book.slice(r.start, r.end)), ['loss']);
		// The book's numerical_gradient line is commented out.
		assert.equal(plan.numericalGradientLine, undefined);
	});

	it('as written: the same lines, only hooks wrapped around what it reports, and the override on iters_num', () => {
		const v = variant(book, 'replacement', 601);
		assert.equal(v.lineMap, undefined);
		assert.equal(v.source.split('\n').length, book.split('\n').length);
		assert.equal(unwrap(v.source), book.replace('iters_num = 10000', 'iters_num = 601'));
		assert.match(v.source, /for i in _minibatch_lab\.loop\(range\(iters_num\)\):/);
		assert.match(v.source, /batch_mask = _minibatch_lab\.batch\(np\.random\.choice\(train_size, batch_size\)\)/);
		assert.match(v.source, /train_acc = _minibatch_lab\.acc_train\(network\.accuracy\(x_train, t_train\)\)/);
		assert.match(v.source, /train_loss_list\.append\(_minibatch_lab\.loss\(loss\)\)/);
	});

	it('per-epoch shuffle: the quick fix’s rewrite in memory, with a map from each line back to the file’s', () => {
		const v = variant(book, 'epoch-shuffle');
		const fix = samplingActions(planScript(book).model).find((a) => a.direction === 'apply');
		assert.ok(fix);
		assert.equal(unwrap(v.source), applyTextEdits(book, fix.edits));
		const lines = v.source.split('\n');
		assert.ok(v.lineMap);
		assert.equal(v.lineMap.length, lines.length);
		// Every line of the user's file keeps its text at the line the map names.
		const orig = book.split('\n');
		for (let k = 0; k < lines.length; k++) {
			const mapped = orig[v.lineMap[k] - 1];
			if (unwrap(lines[k]) === mapped) continue;
			// Inserted lines map to the `for` line (the helper) or the replaced batch_mask line.
			assert.ok(['for i in range(iters_num):', '    batch_mask = np.random.choice(train_size, batch_size)'].includes(mapped), `line ${k + 1} → ${v.lineMap[k]}: ${mapped}`);
		}
		assert.equal(v.lineMap[lines.findIndex((l) => l.includes('network.gradient(x_batch'))], orig.findIndex((l) => l.includes('network.gradient(x_batch')) + 1);
		assert.match(v.source, /batch_mask = _minibatch_lab\.batch\(batch_mask_list\[i % batches_per_epoch\]\) {2}# original: /);
	});

	it('sequential: the same rewrite over the identity order', () => {
		const v = variant(book, 'sequential');
		assert.match(v.source, /order = __import__\('numpy'\)\.arange\(train_size\)/);
		assert.doesNotMatch(v.source, /permutation/);
	});

	it('a file already rewritten by the quick fix runs as a per-epoch shuffle, and back to np.random.choice for with replacement', () => {
		const fix = samplingActions(planScript(book).model).find((a) => a.direction === 'apply');
		assert.ok(fix);
		const rewritten = applyTextEdits(book, fix.edits);
		const plan2 = planScript(rewritten);
		assert.equal(plan2.asWritten, 'epoch-shuffle');
		assert.deepEqual([plan2.settings.trainSize.value, plan2.settings.batchSize.value], [60000, 100]);
		assert.equal(unwrap(variant(rewritten, 'replacement').source), book);
		assert.equal(unwrap(variant(rewritten, 'epoch-shuffle').source), rewritten);
		assert.match(variant(rewritten, 'sequential').source, /arange\(train_size\)/);
	});
});

describe('own script: other styles', () => {
	it('f-strings and short names: the accuracy calls inside the f-string are captured; lr from the update', () => {
		const text = style('fstrings.py');
		const plan = planScript(text);
		assert.equal(plan.problem, undefined);
		assert.deepEqual(
			plan.accuracyCalls.map((c) => [text.slice(c.start, c.end), c.kind]),
			[
				['net.accuracy(x_tr, y_tr)', 'train'],
				['net.accuracy(x_te, y_te)', 'test'],
			],
		);
		const s = plan.settings;
		assert.deepEqual([s.iters.value, s.batchSize.value, s.lr.value, s.lr.name, s.hidden.value, s.trainSize.value], [121, 100, 0.1, 'eta', 50, 6000]);
		assert.match(variant(text, 'replacement').source, /\{_minibatch_lab\.acc_train\(net\.accuracy\(x_tr, y_tr\)\):\.4f\}/);
	});

	it('a train() function with constants and an evaluate() helper', () => {
		const text = style('train_function.py');
		const plan = planScript(text);
		const s = plan.settings;
		assert.deepEqual([s.iters.value, s.iters.name, s.batchSize.value, s.lr.value, s.hidden.value, s.trainSize.value], [121, 'ITERATIONS', 100, 0.1, 50, 6000]);
		// The helper's call does not say train or test: the order within an evaluation does.
		assert.deepEqual(plan.accuracyCalls.map((c) => c.kind), ['']);
		assert.equal(plan.roles.net, 'model');
	});

	it('an epoch loop: iterations are epochs × batches, and the override asks for the script’s own epoch count', () => {
		const text = style('epoch_loop.py');
		const plan = planScript(text);
		assert.equal(plan.settings.iters.value, 180);
		assert.equal(plan.itersTarget, undefined);
		assert.equal(instrument(plan, 'replacement', 50), 'itersOverride');
		const v = variant(text, 'epoch-shuffle');
		assert.match(v.source, /for j in _minibatch_lab\.loop\(range\(iter_per_epoch\)\):/);
		assert.match(v.source, /train_loss_list\.append\(_minibatch_lab\.loss\(network\.loss/);
	});
});

describe('own script: what cannot be run, and what must be given', () => {
	const head = 'import numpy as np\nx_train = np.zeros((10, 4))\n';

	it('no training loop, a Generator, replace=False, no accuracy', () => {
		assert.equal(planScript(`${head}print(1)\n`).problem?.kind, 'noLoop');
		assert.deepEqual(planScript(`${head}rng = np.random.default_rng(0)\nfor i in range(10):\n    m = rng.choice(10, 2)\n`).problem, { kind: 'generator', line: 4 });
		assert.deepEqual(planScript(`${head}for i in range(10):\n    m = np.random.choice(10, 2, replace=False)\n`).problem, { kind: 'withoutReplacement', line: 3 });
		assert.equal(planScript(`${head}for i in range(10):\n    m = np.random.choice(10, 2)\n`).problem?.kind, 'noAccuracy');
	});

	it('a setting the script hides is named with its line, never guessed; a given value fills it', () => {
		const text = `${head}def train(lr):\n    for i in range(10):\n        m = np.random.choice(10, 2)\n        w -= lr * g\n        print(net.accuracy(x_train, t), net.accuracy(x_test, t))\nnet = TwoLayerNet(4, 3, 2)\ntrain(0.5)\n`;
		const p = prepareScript({ text, samplers: ['replacement'], samplersExplicit: false });
		assert.ok(!p.ok && p.reason === 'missing');
		assert.deepEqual(p.missing.map((m) => [m.key, m.name, m.line]), [['lr', 'lr', 5]]);
		const given = prepareScript({ text, samplers: ['replacement'], samplersExplicit: false, given: { lr: 0.5, batchSize: 7 } });
		assert.ok(given.ok);
		assert.deepEqual([given.settings.lr, given.origin.lr, given.settings.batchSize, given.origin.batchSize, given.ignoredGiven], [0.5, 'given', 2, 'script', ['batchSize']]);
	});

	it('numerical_gradient in the loop is found (a warning before starting)', () => {
		const text = book.replace('    #grad = network.numerical_gradient(x_batch, t_batch)\n    grad = network.gradient(x_batch, t_batch)', '    grad = network.numerical_gradient(x_batch, t_batch)');
		assert.equal(planScript(text).numericalGradientLine, 30);
	});

	it('a sampler the script cannot be rewritten to: left out by default, an error when asked for', () => {
		const text = book.replace('batch_mask = np.random.choice(train_size, batch_size)', 'x_batch = x_train[np.random.choice(train_size, batch_size)]; batch_mask = None');
		const byDefault = prepareScript({ text, samplers: ['replacement', 'epoch-shuffle'], samplersExplicit: false });
		assert.ok(byDefault.ok);
		assert.deepEqual(byDefault.skipped, [{ sampler: 'epoch-shuffle', failure: 'noRewrite' }]);
		const asked = prepareScript({ text, samplers: ['replacement', 'epoch-shuffle'], samplersExplicit: true });
		assert.ok(!asked.ok && asked.reason === 'instrument' && asked.sampler === 'epoch-shuffle');
	});
});

describe('own script: line maps', () => {
	it('maps inserted and removed lines, with \\n, \\r\\n and \\r', () => {
		for (const eol of ['\n', '\r\n', '\r']) {
			const text = ['a', 'b', 'c', 'd'].join(eol);
			const b = text.indexOf('b');
			const c = text.indexOf('c');
			// Two lines inserted before b; c and the line break after it removed.
			const edits = [
				{ start: b, end: b, newText: `x${eol}y${eol}` },
				{ start: c, end: c + 1 + eol.length, newText: '' },
			];
			const out = applyTextEdits(text, edits);
			assert.equal(out, ['a', 'x', 'y', 'b', 'd'].join(eol));
			assert.deepEqual(lineMap(text, edits), [1, 2, 2, 2, 4], JSON.stringify(eol));
		}
	});
});
