import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ja from '../../l10n/bundle.l10n.ja.json';
import { analyseCells, analysePython, hoverAt, hoverInCell, samplingActionsAt, trainingSetup, type HoverInfo } from '../../src/python';
import { formatHover, type Translate } from '../../src/extension/hover/hoverText';

// Training scripts in styles the book does not use: the hovers give each file's own numbers, and where they cannot read
// a value they name the name they could not read and why, never a name the file does not have.

const root = join(__dirname, '..', '..', '..');
const learner = (name: string) => readFileSync(join(root, 'test', 'fixtures', 'python', 'learner', name), 'utf8');
const bundle = ja as Record<string, string>;
const fill = (m: string, args: (string | number)[]) => m.replace(/\{(\d+)\}/g, (x, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : x));
const en: Translate = (m, ...args) => fill(m, args);
const missing: string[] = [];
const jp: Translate = (m, ...args) => {
	if (!(m in bundle)) missing.push(m);
	return fill(bundle[m] ?? m, args);
};

function hover(text: string, needle: string): ReturnType<typeof hoverAt> {
	const i = text.indexOf(needle);
	assert.ok(i >= 0, needle);
	return hoverAt(analysePython(text), text, i + 1);
}

function md(text: string, needle: string, t: Translate): string {
	const i = text.indexOf(needle);
	assert.ok(i >= 0, needle);
	const info = hoverAt(analysePython(text), text, i + 1);
	assert.ok(info, `no hover at ${needle}`);
	return formatHover(info, t, { documentUri: 'file:///x.py' }).markdown;
}

/** The Japanese footnotes that state an assumption. */
const assumedJa = (s: string) => s.split('\n').filter((l) => l.includes('仮定')).join('\n');

/** Hovers on every one of `needles`, in one language. */
const all = (text: string, needles: string[], t: Translate) => needles.map((n) => md(text, n, t));

describe('hover styles: names the file gives, in English', () => {
	it('an aliased permutation of a size read from the array: the size is named as computed at run time', () => {
		const text = learner('train_alias_perm.py');
		for (const h of all(text, ['mb)', 'steps =', 'n_epochs,', 'idx =', 'N ='], en)) {
			assert.ok(!h.includes('train_size'), `the file has no train_size: ${h}`);
			assert.ok(h.includes('_Assumed `N` = 60,000: `x_tr.shape[0]` is only known when the script runs. 60,000 is the size of the MNIST training set._'), h);
			assert.ok(h.includes('7 epochs × 937 iterations = 6,559 iterations'), h);
		}
		assert.ok(md(text, 'N =', en).startsWith('`N` is the number of training samples'));
	});

	it('a function: the batch size and the data come from the caller, and the hover says so', () => {
		const text = learner('train_function.py');
		const h = md(text, 'batch_size,', en);
		assert.ok(h.includes('_Assumed `batch_size` = 100: `batch_size` is a parameter of `train` without a default, so its value comes from the caller.'), h);
		assert.ok(h.includes('_Assumed `n` = 60,000: `x` is a parameter of `train` without a default, so its value comes from the caller.'), h);
		assert.ok(h.includes('5 epochs × 600 iterations = 3,000 iterations'), h);
		assert.ok(!/does not set it|iters_num|10,000/.test(h), h);
	});

	it('scikit-learn\'s shuffle each epoch and an epoch variable `ep`: an epoch loop, with the file\'s names', () => {
		const text = learner('train_sklearn.py');
		const h = md(text, 'mbs =', en);
		assert.ok(h.includes('`mbs = 250`'), h);
		assert.ok(h.includes('12 epochs × 240 iterations = 2,880 iterations'), h);
		assert.ok(h.includes('- `shuffle` makes a new order at the start of every epoch'), h);
		assert.ok(h.includes('_Assumed `train_n` = 60,000: `x_train.shape[0]` is only known when the script runs.'), h);
		assert.ok(!/does not set it|`12` →/.test(h), h);
	});

	it('range(n // bs) and range(0, n, bs) name the sizes in a loop without an epoch loop around it', () => {
		const text = ['import numpy as np', 'count = 48000', 'width = 300', 'for j in range(count // width):', '    xb = x[j*width:(j+1)*width]', '    g = net.gradient(xb, t[j*width:(j+1)*width])', ''].join('\n');
		const h = md(text, 'width =', en);
		assert.ok(h.includes('`width = 300`') && h.includes('max(48000 / 300, 1)'), h);
		assert.ok(!/Assumed `(?:train_size|batch_size)`/.test(h), h);
		const n = trainingSetup(analysePython(text)).numbers;
		assert.deepEqual([n.trainSize.name, n.trainSize.value, n.batchSize.name, n.batchSize.value, n.itersNum.value], ['count', 48000, 'width', 300, 160]);
		const ceil = trainingSetup(analysePython(text.replace('count // width', 'math.ceil(len(x) / width)'))).numbers;
		assert.deepEqual([ceil.trainSize.expr, ceil.trainSize.assumed?.why, ceil.batchSize.name], ['len(x)', 'runtime', 'width']);
	});
});

const RANDINT = ['import numpy as np', 'N, B = 50000, 128', 'n_iters = 4000', 'for it in range(n_iters):', '    idx = np.random.randint(0, N, B)', '    grads = net.gradient(X[idx], T[idx])', ''].join('\n');

describe('hover styles: randint draws, in English', () => {
	it('np.random.randint(0, N, B) and rng.integers(N, size=B) name the sizes as choice(N, B) does', () => {
		const h = md(RANDINT, 'B =', en);
		assert.ok(h.startsWith('`B` is the batch size') && h.includes('`B = 128`') && h.includes('max(50000 / 128, 1)'), h);
		assert.ok(!/Assumed `(?:train_size|batch_size)`/.test(h), h);
		assert.ok(md(RANDINT, 'idx =', en).startsWith("`idx` holds the indices of this iteration's minibatch: 128 numbers from 0 to 49,999."));
		const gen = RANDINT.replace('np.random.randint(0, N, B)', 'rng.integers(N, size=B)').replace('import numpy as np', 'import numpy as np\nrng = np.random.default_rng(1)');
		const n = trainingSetup(analysePython(gen)).numbers;
		assert.deepEqual([n.trainSize.name, n.trainSize.value, n.batchSize.name, n.batchSize.value, n.itersNum.value], ['N', 50000, 'B', 128, 4000]);
		const stdlib = trainingSetup(analysePython(RANDINT.replace('np.random.randint(0, N, B)', 'random.randint(0, N)').replace('import numpy as np', 'import random'))).numbers;
		assert.notEqual(stdlib.trainSize.name, 'N', "the standard library's randint is not numpy's");
	});
});

const LOOP = ['train_size = 60000', 'for i in range(ITERS):', '    batch_mask = np.random.choice(train_size, BATCH)', '    grads = net.gradient(X[batch_mask], T[batch_mask])', ''];
const CONFIGS: Record<string, string> = {
	class: ['import numpy as np', 'class Config:', '    batch_size = 64', '    iters_num = 1500', 'cfg = Config()', ...LOOP].join('\n').replace('ITERS', 'cfg.iters_num').replace('BATCH', 'cfg.batch_size'),
	dict: ['import numpy as np', "hp = {'batch_size': 64, 'iters': 1500}", ...LOOP].join('\n').replace('ITERS', "hp['iters']").replace('BATCH', "hp['batch_size']"),
	dictCall: ['import numpy as np', 'hp = dict(batch_size=64, iters=1500)', ...LOOP].join('\n').replace('ITERS', "hp['iters']").replace('BATCH', "hp['batch_size']"),
	argparse: ['import argparse', 'import numpy as np', 'p = argparse.ArgumentParser()', "p.add_argument('--batch-size', type=int, default=64)", "p.add_argument('--iters', type=int, default=1500)", 'args = p.parse_args()', ...LOOP]
		.join('\n')
		.replace('ITERS', 'args.iters')
		.replace('BATCH', 'args.batch_size'),
};

describe('hover styles: settings in a class, a dict or argparse, in English', () => {
	for (const [style, text] of Object.entries(CONFIGS)) {
		it(`${style}: the file's 64 and 1,500, not the book's 100 and 10,000`, () => {
			const n = trainingSetup(analysePython(text)).numbers;
			assert.deepEqual([n.batchSize.value, n.itersNum.value, n.batchSize.source, n.itersNum.source], [64, 1500, 'literal', 'literal']);
			const h = md(text, 'i in', en);
			assert.ok(h.includes('1,500 iterations ≈ 1.6 epochs') && h.includes('max(60000 / 64, 1)'), h);
			assert.ok(!/Assumed `(?:cfg|hp|args)/.test(h), h);
			if (style === 'argparse') assert.ok(h.includes('_`64` is the default of the command-line option `--batch-size`: a run can pass another value._'), h);
		});
	}
});

const TQDM = ['import numpy as np', 'from tqdm import tqdm', 'epochs, bs, n = 8, 200, 60000', 'for epoch in tqdm(range(epochs), desc="epoch"):', '    perm = np.random.permutation(n)', '    for i in range(n // bs):', '        m = perm[i*bs:(i+1)*bs]', '        g = net.gradient(x[m], t[m])', ''].join('\n');

describe('hover styles: loops in a progress bar, in English', () => {
	it('tqdm(range(epochs)) is the epoch loop and trange(iters) the iterations: 8 × 300 and 3,000', () => {
		const h = md(TQDM, 'epochs,', en);
		assert.ok(h.startsWith('`epochs` is the number of epochs: the outer loop runs 8 times, and each epoch runs the inner loop 300 times'), h);
		assert.ok(h.includes('each epoch cuts `perm` into 300 slices of 200'), h);
		const steps = ['import numpy as np', 'from tqdm import trange', 'iters_num, batch_size, train_size = 3000, 64, 60000', 'for i in trange(iters_num):', '    batch_mask = np.random.choice(train_size, batch_size)', ''].join('\n');
		assert.ok(md(steps, 'i in', en).startsWith('`i` counts iterations from 0 to 2,999'));
		const n = trainingSetup(analysePython(steps.replace('trange(iters_num)', 'tqdm.tqdm(range(0, iters_num, 2), total=1500)'))).numbers;
		assert.equal(n.itersNum.value, 1500);
	});
});

const FROM_ONE = ['import numpy as np', 'train_size = 60000; batch_size = 100; iters_num = 10000', 'iter_per_epoch = max(train_size / batch_size, 1)', 'for i in range(1, iters_num + 1):', '    batch_mask = np.random.choice(train_size, batch_size)', '    if i % iter_per_epoch == 0:', '        print(net.accuracy(x_test, t_test))', ''].join('\n');

describe('hover styles: a loop counted from 1, in English', () => {
	it('range(1, iters_num + 1): i runs from 1 to 10,000 and accuracy is evaluated 16 times, first at 600', () => {
		const h = md(FROM_ONE, 'i in', en);
		assert.ok(h.startsWith('`i` counts iterations from 1 to 10,000'), h);
		assert.ok(h.includes('accuracy is evaluated 16 times: `i` = 600, 1200, …, 9600'), h);
		const stepped = trainingSetup(analysePython(FROM_ONE.replace('range(1, iters_num + 1)', 'range(0, iters_num, 2)'))).numbers;
		assert.equal(stepped.itersNum.value, 5000, 'a step of 2 halves the iterations');
	});
});

const STAR = ['import numpy as np', 'from config import *', 'for i in range(iters_num):', '    batch_mask = np.random.choice(train_size, batch_size)', '    grads = net.gradient(X[batch_mask], T[batch_mask])', ''].join('\n');

describe('hover styles: settings from a star import, in English', () => {
	it('names the module a name the file uses but never sets comes from', () => {
		const h = md(STAR, 'i in', en);
		assert.ok(h.includes('_Assumed `iters_num` = 10,000: this file does not set it, so it comes from `config` (`from config import *`), another file.'), h);
		assert.ok(h.includes('_Assumed `batch_size` = 100: this file does not set it, so it comes from `config`'), h);
		assert.ok(!/Assumed `(?:iters_num|batch_size|train_size)` = [\d,]+: this file does not set it\. /.test(h), h);
		const numpyStar = trainingSetup(analysePython(STAR.replace('from config import *', 'from numpy import *'))).numbers;
		assert.equal(numpyStar.itersNum.assumed?.why, 'missing', "numpy's names are not the settings");
	});
});

const DICT_EPOCHS = ['import numpy as np', 'cfg = {"epochs": 4, "batch": 250}', 'N = 60000', 'for epoch in range(cfg["epochs"]):', '    order = np.random.permutation(N)', '    for i in range(N // cfg["batch"]):', '        sel = order[i * cfg["batch"]:(i + 1) * cfg["batch"]]', '        g = net.gradient(x[sel], t[sel])', ''].join('\n');

describe('hover styles: settings in a container used inside the loops, in English', () => {
	it('range(cfg["epochs"]) and N // cfg["batch"]: 4 × 240 = 960, slices of 250, and cfg itself is no count', () => {
		const h = md(DICT_EPOCHS, 'N =', en);
		assert.ok(h.includes('4 epochs × 240 iterations = 960 iterations') && h.includes('each epoch cuts `order` into 240 slices of 250'), h);
		assert.ok(!/Assumed/.test(h), h);
		assert.equal(hover(DICT_EPOCHS, 'cfg ='), undefined, 'cfg is not the number of epochs');
		const cls = DICT_EPOCHS.replace('cfg = {"epochs": 4, "batch": 250}', 'class C:\n    epochs = 4\n    batch = 250').replaceAll('cfg["epochs"]', 'C.epochs').replaceAll('cfg["batch"]', 'C.batch');
		const n = trainingSetup(analysePython(cls)).numbers;
		assert.deepEqual([n.epochLoop?.epochs.value, n.iterPerEpoch.value, n.batchSize.value, n.itersNum.value], [4, 240, 250, 960]);
	});
});

const GENERATOR = [
	'import numpy as np',
	'def batches(x, t, bs):',
	'    idx = np.random.permutation(len(x))',
	'    for s in range(0, len(x), bs):',
	'        j = idx[s:s + bs]',
	'        yield x[j], t[j]',
	'for epoch in range(5):',
	'    for xb, tb in batches(x_train, t_train, 64):',
	'        grads = net.gradient(xb, tb)',
	'',
].join('\n');

describe('hover styles: a batch generator, in English', () => {
	it('a loop that yields its slices is not called inference', () => {
		for (const needle of ['bs):', 's in', 'j =']) {
			const h = hover(GENERATOR, needle);
			assert.notEqual(h?.kind, 'batchProcessing', `${needle}: ${h ? formatHover(h, en).markdown : ''}`);
		}
	});
});

describe('hover styles: while loops, in English', () => {
	it('epochs counted by a while loop from 1 with <=: the outer loop runs 12 times, 195 slices each', () => {
		const text = learner('train_while_epochs.py');
		const h = md(text, 'max_epochs =', en);
		assert.ok(h.startsWith('`max_epochs` is the number of epochs: the outer loop runs 12 times, and each epoch runs the inner loop 195 times, so training makes 12 × 195 = 2,340 updates in all.'), h);
		assert.ok(h.includes('`len(range(1, max_epochs + 1))` = `len(range(1, 12 + 1))` → 12'), h);
		assert.ok(h.includes('195 slices of 256 use 49,920 of the 50,000 samples per epoch'), h);
		assert.ok(md(text, 'epoch <=', en).startsWith('`epoch` counts epochs from 1 to 12.'));
		for (const needle of ['batch =', 'data_n =', 'i in', 'm = ']) assert.ok(!/Assumed|10,000/.test(md(text, needle, en)), needle);
	});

	it('iterations counted by a while loop: the bound is the count, and a check after the increment sees 500 … 3000', () => {
		const text = learner('train_while_steps.py');
		const s = md(text, 'step <', en);
		assert.ok(s.startsWith('`step` counts iterations from 0 to 2,999'), s);
		assert.ok(s.includes('accuracy is evaluated 6 times: `step` = 500, 1000, …, 3000'), s);
		assert.ok(s.includes('3,000 iterations ≈ 1.6 epochs'), s);
		const m = md(text, 'max_iter =', en);
		assert.ok(m.startsWith('`max_iter` is the number of iterations') && m.includes('`max_iter = 3000`'), m);
		assert.ok(!/Assumed `(?:iters_num|step|max_iter)`/.test(s + m), s + m);
		const before = text.replace('    step += 1\n', '').replace('print(step, network.accuracy(x_test, t_test))', 'print(step, network.accuracy(x_test, t_test))\n    step += 1');
		assert.ok(md(before, 'step <', en).includes('accuracy is evaluated 6 times: `step` = 0, 500, …, 2500'));
	});
});

const WHILE_TRUE = [
	'import numpy as np',
	'from config import MAX_STEPS',
	'i = 0',
	'batch_size, train_size = 32, 60000',
	'while True:',
	'    batch_mask = np.random.choice(train_size, batch_size)',
	'    grad = network.gradient(x_train[batch_mask], t_train[batch_mask])',
	'    i += 1',
	'    if i >= MAX_STEPS:',
	'        break',
	'',
].join('\n');

describe('hover styles: a while True loop ended by a counter, in English', () => {
	it('names the imported bound it could not read, and not the book\'s iters_num', () => {
		const h = md(WHILE_TRUE, 'i +=', en);
		assert.ok(h.startsWith('`i` counts iterations from 0 to 9,999'), h);
		assert.ok(h.includes('_Assumed `MAX_STEPS` = 10,000: `MAX_STEPS` is imported from `config`, another file.'), h);
		assert.ok(!/iters_num|`break` on line/.test(h), h);
		const literal = md(WHILE_TRUE.replace('from config import MAX_STEPS', 'MAX_STEPS = 1200'), 'MAX_STEPS:', en);
		assert.ok(literal.includes('`MAX_STEPS = 1200`') && literal.includes('1,200 iterations ≈ 0.6 epochs') && !literal.includes('Assumed `MAX_STEPS`'), literal);
		const inline = md(['n = 0', 'while True:', '    if n == 2000: break', '    m = np.random.choice(60000, 128)', '    n += 1', ''].join('\n'), 'n ==', en);
		assert.ok(inline.startsWith('`n` counts iterations from 0 to 1,999'), inline);
	});
});

const CELLS = [
	'import numpy as np\n(x_train, t_train), (x_test, t_test) = load_mnist(one_hot_label=True)\n',
	'iters_num, batch_size = 2400, 48\ntrain_size = 60000\n',
	'for i in range(iters_num):\n    batch_mask = np.random.choice(train_size, batch_size)\n    grad = network.gradient(x_train[batch_mask], t_train[batch_mask])\n',
	'for j in range(500):\n    lr = 0.1\n    lr *= 0.99\n    network.params[\'W1\'] -= lr * grad[\'W1\']\n',
];

function cellHover(cells: string[], index: number, needle: string): HoverInfo {
	const at = cells[index].indexOf(needle);
	assert.ok(at >= 0, needle);
	const info = hoverInCell(analyseCells(cells), index, at + 1);
	assert.ok(info, `no hover at ${needle}`);
	return info;
}

describe('hover styles: notebook cells, in English', () => {
	it('the loop in one cell reads the settings of the cell above it; offsets and the fix link are the cell\'s own', () => {
		const info = cellHover(CELLS, 2, 'batch_size)');
		const h = formatHover(info, en, { documentUri: 'vscode-notebook-cell:/x.ipynb#c', documentVersion: 1 }).markdown;
		assert.ok(h.includes('`batch_size = 48`') && h.includes('max(60000 / 48, 1)'), h);
		assert.ok(!/Assumed `(?:batch_size|iters_num|train_size)`/.test(h), h);
		const start = CELLS[2].indexOf('batch_size)');
		assert.deepEqual(info.range, { start, end: start + 'batch_size'.length });
		const choice = cellHover(CELLS, 2, 'choice(');
		assert.ok(choice.kind === 'choice' && choice.fix, 'the choice hover carries the quick fix');
		assert.ok(samplingActionsAt(analysePython(CELLS[2]), choice.fix.offset).length > 0, 'its offset finds the fix in the cell alone');
		assert.equal(hoverInCell(analyseCells(CELLS), 1, CELLS[1].length + 5), undefined, 'past the cell: nothing');
	});

	it('line numbers count within the cell, as the editor shows them', () => {
		const cells = [CELLS[0], CELLS[1], 'for i in range(iters_num):\n    batch_mask = np.random.choice(train_size, batch_size)\n    batch_size *= 2\n'];
		const h = formatHover(cellHover(cells, 2, 'batch_size)'), en).markdown;
		assert.ok(h.includes('changes inside the loop (`batch_size *= 2`, line 3)'), h);
	});
});

describe('hover styles: names the file gives, in Japanese', () => {
	it('the same files render fully in Japanese, with the file\'s names in the notes', () => {
		missing.length = 0;
		const alias = md(learner('train_alias_perm.py'), 'mb)', jp);
		const fn = md(learner('train_function.py'), 'batch_size,', jp);
		const sk = md(learner('train_sklearn.py'), 'mbs =', jp);
		const whileEpochs = md(learner('train_while_epochs.py'), 'max_epochs =', jp);
		const whileSteps = md(learner('train_while_steps.py'), 'step <', jp);
		const whileTrue = md(WHILE_TRUE, 'i +=', jp);
		const randint = md(RANDINT, 'B =', jp);
		assert.ok(randint.includes('`B = 128`') && !/`(?:train_size|batch_size|B)`/.test(assumedJa(randint)), randint);
		const fromOne = md(FROM_ONE, 'i in', jp);
		assert.ok(fromOne.includes('1 から 10,000 まで進みます'), fromOne);
		const star = md(STAR, 'i in', jp);
		assert.ok(star.includes('別のファイル `config` から来る（`from config import *`）'), star);
		const dictEpochs = md(DICT_EPOCHS, 'N =', jp);
		assert.ok(dictEpochs.includes('4 エポック × 240 イテレーション = 960 イテレーション') && !dictEpochs.includes('仮定'), dictEpochs);
		const tqdm = md(TQDM, 'epochs,', jp);
		assert.ok(tqdm.includes('8 エポック × 300 イテレーション = 2,400 イテレーション'), tqdm);
		const argparse = md(CONFIGS.argparse, 'i in', jp);
		assert.ok(argparse.includes('`64` はコマンドラインオプション `--batch-size` のデフォルト値です') && !/`args/.test(assumedJa(argparse)), argparse);
		const cell = formatHover(cellHover(CELLS, 2, 'batch_size)'), jp).markdown;
		assert.ok(cell.includes('`batch_size = 48`') && !/`(?:train_size|batch_size|iters_num)`/.test(assumedJa(cell)), cell);
		assert.ok(whileTrue.includes('`MAX_STEPS`') && whileTrue.includes('`config`') && !whileTrue.includes('iters_num'), whileTrue);
		assert.deepEqual(missing, []);
		assert.ok(whileEpochs.includes('12 エポック × 195 イテレーション = 2,340 イテレーション'), whileEpochs);
		assert.ok(whileSteps.includes('`step` = 500, 1000, …, 3000') && !whileSteps.includes('仮定しています。10,000'), whileSteps);
		for (const s of [whileEpochs, whileSteps]) assert.doesNotMatch(s, /\b(?:the|is|are|each)\b/, `English left in: ${s}`);
		assert.ok(alias.includes('`N`') && alias.includes('`x_tr.shape[0]`') && !alias.includes('train_size'), alias);
		assert.ok(alias.includes('7 エポック × 937 イテレーション = 6,559 イテレーション'), alias);
		assert.ok(fn.includes('`batch_size` は `train` のデフォルト値のない引数'), fn);
		assert.ok(sk.includes('12 エポック × 240 イテレーション = 2,880 イテレーション') && sk.includes('`train_n`'), sk);
		for (const s of [alias, fn, sk]) assert.doesNotMatch(s, /\b(?:the|is|are|each)\b/, `English left in: ${s}`);
	});
});
