import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ja from '../../l10n/bundle.l10n.ja.json';
import { analysePython, hoverAt } from '../../src/python';
import { formatHover, type Translate } from '../../src/extension/hover/hoverText';

// The texts of the new patterns, in English and in Japanese, with the file's own numbers.

const root = join(__dirname, '..', '..', '..');
const read = (...p: string[]) => readFileSync(join(root, 'test', 'fixtures', ...p), 'utf8');
const bundle = ja as Record<string, string>;
const fill = (m: string, args: (string | number)[]) => m.replace(/\{(\d+)\}/g, (x, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : x));
const en: Translate = (m, ...args) => fill(m, args);
/** Japanese, recording messages the bundle lacks. */
function japanese(): { t: Translate; missing: string[] } {
	const missing: string[] = [];
	return {
		missing,
		t: (m, ...args) => {
			if (!(m in bundle)) missing.push(m);
			return fill(bundle[m] ?? m, args);
		},
	};
}

function md(text: string, needle: string, t: Translate, nth = 0): string {
	let i = -1;
	for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
	assert.ok(i >= 0, needle);
	const info = hoverAt(analysePython(text), text, i + 1);
	assert.ok(info, `no hover at ${needle}`);
	return formatHover(info, t, { documentUri: 'file:///x.py' }).markdown;
}

describe('pattern hovers in English', () => {
	it('tuple assignment and an imported choice: the file\'s own numbers, no assumption', () => {
		const text = read('python', 'learner', 'train_tuple.py');
		const b = md(text, 'batch_size = ', en);
		assert.ok(b.includes('`batch_size = 50`'), b);
		assert.ok(!/Assumed/.test(b), b);
		const iters = md(text, 'iters_num, ', en);
		assert.ok(iters.includes('`iters_num = 3000`') && iters.includes('3,000 iterations ≈ 2.5 epochs'), iters);
		const c = md(text, 'choice(train_size', en);
		assert.ok(c.startsWith('`choice` (`numpy.random.choice`) samples with replacement by default'), c);
		assert.ok(c.includes('A batch of 50 from 60,000 contains a repeat with probability 2.0%.'), c);
	});

	it('the epoch loop: totals, every sample once, a new order each epoch', () => {
		const text = read('python', 'learner', 'train_epochs.py');
		const e = md(text, 'epochs = ', en);
		assert.ok(e.startsWith('`epochs` is the number of epochs: the outer loop runs 20 times, and each epoch runs the inner loop 300 times, so training makes 20 × 300 = 6,000 updates in all.'), e);
		assert.ok(e.includes('- 20 epochs × 300 iterations = 6,000 iterations'));
		assert.ok(e.includes('- each epoch cuts `perm` into 300 slices of 200: every sample is used exactly once per epoch'));
		assert.ok(e.includes('- `np.random.permutation` makes a new order at the start of every epoch'));
		assert.ok(e.includes('- accuracy is evaluated after each epoch: 20 times'));
		assert.ok(!/Assumed|10,000|iters_num/.test(e), e);
		const it = md(text, 'it in', en);
		assert.ok(it.startsWith('`it` counts the iterations of one epoch, from 0 to 299, and starts again at 0 in every epoch. Each iteration takes the next slice of 200 samples and makes one update.'), it);
		const ep = md(text, 'epoch in', en);
		assert.ok(ep.startsWith('`epoch` counts epochs from 0 to 19.'), ep);
		const mask = md(text, 'batch_mask = ', en);
		assert.ok(mask.includes('the slice `perm[it * batch_size:(it + 1) * batch_size]` of this epoch\'s order'), mask);
		const p = md(text, 'permutation(', en);
		assert.ok(p.includes('20 epochs × 300 iterations = 6,000 iterations'), p);
	});

	it('a short last slice, a dropped tail, draws and a changing batch size are each said', () => {
		const short = md(read('python', 'learner', 'train_epochs_short.py'), 'n_epochs', en);
		assert.ok(short.includes('each epoch cuts `order` into 469 slices: 468 of 128 and a last, shorter one of 96; every sample is used exactly once per epoch'), short);
		assert.ok(short.includes('`len(range(0, n_train, bs))` = `len(range(0, 60000, 128))` → 469'), short);
		const floor = md(read('python', 'learner', 'train_epochs_floor.py'), 'max_epochs', en);
		assert.ok(floor.includes('520 slices of 96 use 49,920 of the 50,000 samples per epoch: the last 80 of each new order are left out, different ones each epoch'), floor);
		const draws = read('python', 'learner', 'train_epochs_choice.py');
		const d = md(draws, 'num_epochs', en);
		assert.ok(d.includes('each epoch draws 500 × 64 = 32,000 indices with replacement: about 41.3% of the 60,000 samples are seen per epoch'), d);
		assert.ok(d.includes('_`batch_size` changes inside the loop (`batch_size *= 2`, line 23), so it is not one number: the figures use its value before the loop, 64._'), d);
	});

	it('chapter 3: batch processing, its passes and why it is faster, with no training words', () => {
		const text = read('book', 'ch03', 'neuralnet_mnist_batch.py');
		const b = md(text, 'batch_size = 100', en);
		assert.ok(b.startsWith('`batch_size` is the batch size of batch processing: the network takes 100 images at once and computes their outputs in one forward pass. Nothing is learned in this loop: no gradient, no update.'), b);
		assert.ok(b.includes('- 10,000 images in batches of 100: 100 forward passes instead of 10,000'));
		assert.ok(b.includes('Why batches are faster: the network multiplies all 100 images by its weights in one large matrix product instead of 100 small ones.'));
		assert.ok(b.includes('_Assumed `len(x)` = 10,000: it is only known when the script runs. 10,000 is the size of the MNIST test set._'), b);
		const x = md(text, 'x_batch = ', en);
		assert.ok(x.includes('Here that pass is `predict(network, x_batch)`. No gradient is computed: this is inference, not training.'), x);
		const i = md(text, 'i in range', en);
		assert.ok(i.startsWith('`i` is where each batch starts: 0, 100, …, 9,900. The loop makes 100 forward passes of 100 images'), i);
		for (const s of [b, x, i]) assert.ok(!/iteration|epoch|estimate the gradient|iters_num/i.test(s), s);
	});

	it('the book\'s Trainer, chapter 6 and the overfitting loop', () => {
		const trainer = md(read('book', 'common', 'trainer.py'), 'i in range', en);
		assert.ok(trainer.includes('`i` counts iterations from 0 to 11,999'), trainer);
		assert.ok(trainer.includes('_`epochs=20` is the default of a parameter of `__init__`: a caller can pass another value._'), trainer);
		assert.ok(trainer.includes('_Assumed `self.train_size` = 60,000: `x_train` is a parameter of `__init__` without a default, so its value comes from the caller.'), trainer);
		assert.ok(!trainer.includes('iters_num'), trainer);
		const cmp = md(read('book', 'ch06', 'optimizer_compare_mnist.py'), 'i in range', en);
		assert.ok(cmp.includes('the block under `if i % 100 == 0:` runs 20 times: `i` = 0, 100, …, 1900'), cmp);
		assert.ok(!/accuracy|marks the start of an epoch/.test(cmp), cmp);
		const over = md(read('book', 'ch06', 'overfit_weight_decay.py'), 'i in range', en);
		assert.ok(over.includes('`epoch_cnt >= max_epochs` ends the loop (line 55): after 201 evaluations, so 601 iterations run, not the 1,000,000,000 of its range'), over);
		assert.ok(over.includes('`i` counts iterations from 0 to 600'), over);
	});

	it('epochs counted from 1, a clipped last slice, slice starts and an assumed data length', () => {
		const math = read('python', 'learner', 'train_epochs_math.py');
		const e = md(math, 'e in range', en);
		assert.ok(e.startsWith('`e` counts epochs from 1 to 12. Each epoch runs the inner loop 79 times: 12 × 79 = 948 iterations in all.'), e);
		assert.ok(e.includes('each epoch cuts `idx` into 79 slices: 78 of 64 and a last, shorter one of 8; every sample is used exactly once per epoch'), e);
		assert.ok(e.includes('`n_batches = math.ceil(len(X) / BS)` → 79'), e);
		const len = read('python', 'learner', 'train_epochs_len.py');
		const s = md(len, 'start in', en);
		assert.ok(s.startsWith('`start` is where each slice starts: 0, 256, …, 59,904, and starts again at 0 in every epoch.'), s);
		assert.ok(s.includes('_Assumed `len(x_train)` = 60,000: it is only known when the script runs. 60,000 is the size of the MNIST training set._'), s);
		const { t, missing } = japanese();
		const j = md(len, 'start in', t);
		assert.deepEqual(missing, []);
		assert.ok(j.includes('`start` は各スライスの先頭の位置で、0, 256, …, 59,904 と進み'), j);
		assert.ok(md(math, 'e in range', t).includes('`e` はエポックの番号で、1 から 12 まで進みます'));
	});

	it('chapter 6: one minibatch for every network; a shuffle of the data alone is called out (English and Japanese)', () => {
		const { t, missing } = japanese();
		const cmp = read('book', 'ch06', 'optimizer_compare_mnist.py');
		assert.ok(md(cmp, 'i in range', en).startsWith('`i` counts iterations from 0 to 1,999: each one draws one minibatch and updates every network of `optimizers.keys()` on it once.'));
		assert.ok(md(cmp, 'x_batch = ', en).includes('each iteration updates every network of `optimizers.keys()` once, all on the same minibatch'));
		assert.ok(md(cmp, 'i in range', t).includes('`optimizers.keys()` のネットワークをそれぞれ 1 回更新します'));
		const src = ['import numpy as np', 'epochs, batch_size = 10, 100', 'for epoch in range(epochs):', '    np.random.shuffle(x_train)', '    for i in range(0, len(x_train), batch_size):', '        grad = network.gradient(x_train[i:i + batch_size], t_train[i:i + batch_size])', ''].join('\n');
		const e = md(src, 'shuffle(', en);
		assert.ok(e.includes('`np.random.shuffle(x_train)` shuffles `x_train` alone: `t_train` is sliced with the same bounds but keeps its old order, so each batch pairs images with the wrong labels.'), e);
		assert.ok(md(src, 'epochs, ', t).includes('`np.random.shuffle(x_train)` がシャッフルするのは `x_train` だけです'));
		assert.deepEqual(missing, []);
	});

	it('a float given to range() is called out', () => {
		const src = ['import numpy as np', 'n, bs = 1000, 100', 'steps = n / bs', 'for epoch in range(3):', '    order = np.random.permutation(n)', '    for k in range(steps):', '        mask = order[k * bs:(k + 1) * bs]', ''].join('\n');
		assert.ok(md(src, 'mask', en).includes('`steps` is a float (10.0): `range()` needs an int, so this loop raises TypeError.'));
	});
});

describe('pattern hovers in Japanese', () => {
	it('every new hover renders fully in Japanese with the numbers intact', () => {
		const { t, missing } = japanese();
		const cases: [string[], string][] = [
			[['python', 'learner', 'train_tuple.py'], 'batch_size = '],
			[['python', 'learner', 'train_tuple.py'], 'choice(train_size'],
			[['python', 'learner', 'train_epochs.py'], 'epochs = '],
			[['python', 'learner', 'train_epochs.py'], 'it in'],
			[['python', 'learner', 'train_epochs.py'], 'epoch in'],
			[['python', 'learner', 'train_epochs.py'], 'batch_mask = '],
			[['python', 'learner', 'train_epochs.py'], 'permutation('],
			[['python', 'learner', 'train_epochs_short.py'], 'n_epochs'],
			[['python', 'learner', 'train_epochs_floor.py'], 'max_epochs'],
			[['python', 'learner', 'train_epochs_choice.py'], 'num_epochs'],
			[['python', 'learner', 'train_epochs_choice.py'], 'i in'],
			[['book', 'ch03', 'neuralnet_mnist_batch.py'], 'batch_size = 100'],
			[['book', 'ch03', 'neuralnet_mnist_batch.py'], 'i in range'],
			[['book', 'ch03', 'neuralnet_mnist_batch.py'], 'x_batch = '],
			[['book', 'common', 'trainer.py'], 'i in range'],
			[['book', 'ch06', 'optimizer_compare_mnist.py'], 'i in range'],
			[['book', 'ch06', 'overfit_weight_decay.py'], 'i in range'],
		];
		const out = cases.map(([file, needle]) => md(read(...file), needle, t));
		assert.deepEqual(missing, []);
		assert.ok(out[0].includes('`batch_size = 50`') && !out[0].includes('仮定'), out[0]);
		assert.ok(out[2].includes('20 エポック × 300 イテレーション = 6,000 イテレーション'), out[2]);
		assert.ok(out[2].includes('各エポックで `perm` を 200 個ずつ 300 個のスライスに切り分けます。どのデータもエポックごとにちょうど 1 回ずつ使われます'), out[2]);
		assert.ok(out[3].includes('エポックごとに 0 に戻ります'), out[3]);
		assert.ok(out[7].includes('最後に短い 96 個のスライス'), out[7]);
		assert.ok(out[8].includes('並べ直した順序の最後の 80 個は使われません'), out[8]);
		assert.ok(out[9].includes('ループの中で変わる（23 行目の `batch_size *= 2`）'), out[9]);
		assert.ok(out[11].includes('バッチ処理のバッチサイズ') && out[11].includes('順伝播は 10,000 回ではなく 100 回') && out[11].includes('バッチ処理が速い理由'), out[11]);
		assert.ok(out[11].includes('10,000 は MNIST のテストデータの枚数です。'), out[11]);
		assert.ok(!/イテレーション|エポック|勾配を求める/.test(out[11] + out[12]), out[11]);
		assert.ok(out[13].includes('これは学習ではなく推論です'), out[13]);
		assert.ok(out[14].includes('`epochs=20` は `__init__` の引数のデフォルト値です'), out[14]);
		assert.ok(out[15].includes('`if i % 100 == 0:` のブロックは 20 回実行されます'), out[15]);
		assert.ok(out[16].includes('`epoch_cnt >= max_epochs` でループが終わります（55 行目）'), out[16]);
		for (const s of out) assert.doesNotMatch(s, /\b(?:the|is|are|each)\b/, `English left in: ${s}`);
	});
});
