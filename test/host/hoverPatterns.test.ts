/**
 * Hovers in the real host on files written the way learners write them (a tuple assignment, an epoch loop over the
 * slices of a per-epoch permutation) and on the book's chapter-3 inference batches. The files are opened from the
 * extension's own test fixtures, as real `.py` files. The `@ja` tests run in the Japanese launch; their expected text
 * comes from the l10n bundle, filled with the file's numbers.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { EXTENSION_ID, hoverText, positionOf } from './util';

/** Opens a fixture as a real `.py` file, with the extension active (its hover provider registered). */
async function fixture(...path: string[]): Promise<vscode.TextDocument> {
	const ext = vscode.extensions.getExtension(EXTENSION_ID);
	assert.ok(ext, `${EXTENSION_ID} not found`);
	await ext.activate();
	const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(ext.extensionUri, 'test', 'fixtures', ...path));
	assert.equal(doc.languageId, 'python');
	return doc;
}

describe('Hovers on Python as learners write it', function () {
	this.timeout(60_000);
	let tuple: vscode.TextDocument;
	let epochs: vscode.TextDocument;
	let inference: vscode.TextDocument;

	before(async () => {
		tuple = await fixture('python', 'learner', 'train_tuple.py');
		epochs = await fixture('python', 'learner', 'train_epochs.py');
		inference = await fixture('book', 'ch03', 'neuralnet_mnist_batch.py');
		await vscode.window.showTextDocument(epochs);
	});

	it('a tuple assignment: batch_size is the file’s 50, nothing is assumed, and the imported choice is explained', async () => {
		const b = await hoverText(tuple.uri, positionOf(tuple, 'batch_size = 3000'));
		assert.match(b, /`batch_size = 50`/);
		assert.doesNotMatch(b, /Assumed/);
		const i = await hoverText(tuple.uri, positionOf(tuple, 'iters_num, batch_size'));
		assert.match(i, /`iters_num = 3000`/);
		assert.match(i, /3,000 iterations ≈ 2\.5 epochs/);
		const c = await hoverText(tuple.uri, positionOf(tuple, 'choice(train_size', 0, 2));
		assert.match(c, /`choice` \(`numpy\.random\.choice`\) samples with replacement/);
		assert.match(c, /A batch of 50 from 60,000 contains a repeat with probability 2\.0%/);
	});

	it('an epoch loop: 20 epochs × 300 iterations = 6,000, every sample used exactly once per epoch', async () => {
		const e = await hoverText(epochs.uri, positionOf(epochs, 'epochs = 20'));
		assert.match(e, /20 epochs × 300 iterations = 6,000 iterations/);
		assert.match(e, /each epoch cuts `perm` into 300 slices of 200: every sample is used exactly once per epoch/);
		assert.match(e, /`np\.random\.permutation` makes a new order at the start of every epoch/);
		assert.doesNotMatch(e, /Assumed|10,000/);
		const it = await hoverText(epochs.uri, positionOf(epochs, 'it in range', 0, 1));
		assert.match(it, /counts the iterations of one epoch, from 0 to 299, and starts again at 0 in every epoch/);
		const ipe = await hoverText(epochs.uri, positionOf(epochs, 'iter_per_epoch = 300'));
		assert.match(ipe, /the inner loop runs 300 times in each of the 20 epochs, 6,000 iterations in all/);
	});

	it('chapter 3’s inference batches are batch processing, not training', async () => {
		const b = await hoverText(inference.uri, positionOf(inference, 'batch_size = 100'));
		assert.match(b, /batch size of batch processing: the network takes 100 images at once/);
		assert.match(b, /10,000 images in batches of 100: 100 forward passes instead of 10,000/);
		assert.match(b, /Why batches are faster/);
		const x = await hoverText(inference.uri, positionOf(inference, 'x_batch = '));
		assert.match(x, /No gradient is computed: this is inference, not training/);
		for (const text of [b, x]) assert.doesNotMatch(text, /iteration|epoch|estimate the gradient|iters_num/i);
	});
});

/** A new untitled Jupyter notebook with one Python code cell per source; returns the cells' documents. */
async function notebook(...sources: string[]): Promise<vscode.TextDocument[]> {
	const ext = vscode.extensions.getExtension(EXTENSION_ID);
	assert.ok(ext);
	await ext.activate();
	const cells = sources.map((s) => new vscode.NotebookCellData(vscode.NotebookCellKind.Code, s, 'python'));
	const nb = await vscode.workspace.openNotebookDocument('jupyter-notebook', new vscode.NotebookData(cells));
	return nb.getCells().map((c) => c.document);
}

const CELLS = [
	'import numpy as np\n',
	'iters_num, batch_size = 2400, 48\ntrain_size = 60000\n',
	'for i in range(iters_num):\n    batch_mask = np.random.choice(train_size, batch_size)\n    grad = network.gradient(x_train[batch_mask], t_train[batch_mask])\n',
];

describe('Hovers on Python as learners write it: while loops and notebook cells', function () {
	this.timeout(60_000);

	it('epochs counted by a while loop: 12 epochs × 195 iterations, nothing assumed', async () => {
		const doc = await fixture('python', 'learner', 'train_while_epochs.py');
		const e = await hoverText(doc.uri, positionOf(doc, 'max_epochs = 12'));
		assert.match(e, /the outer loop runs 12 times, and each epoch runs the inner loop 195 times/);
		assert.match(e, /12 epochs × 195 iterations = 2,340 iterations/);
		assert.doesNotMatch(e, /Assumed|10,000/);
	});

	it('a notebook: the loop in one cell gets the settings of the cell above', async () => {
		const docs = await notebook(...CELLS);
		const b = await hoverText(docs[2].uri, positionOf(docs[2], 'batch_size)'));
		assert.match(b, /`batch_size = 48`/);
		assert.match(b, /max\(60000 \/ 48, 1\)/);
		assert.doesNotMatch(b, /Assumed `(?:batch_size|iters_num|train_size)`/);
		const i = await hoverText(docs[1].uri, positionOf(docs[1], 'iters_num,'));
		assert.match(i, /2,400 iterations ≈ 1\.9 epochs/);
	});
});

describe('Hovers on Python as learners write it, in Japanese @ja', function () {
	this.timeout(60_000);
	let ja: Record<string, string>;
	const t = (key: string, ...args: string[]) => {
		assert.ok(key in ja, `bundle.l10n.ja.json has no "${key}"`);
		return ja[key].replace(/\{(\d+)\}/g, (m, i: string) => args[Number(i)] ?? m);
	};

	before(async () => {
		const ext = vscode.extensions.getExtension(EXTENSION_ID);
		assert.ok(ext);
		ja = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'l10n', 'bundle.l10n.ja.json')))) as Record<string, string>;
	});

	it('chapter 3’s inference batches: batch processing in Japanese, no training words', async () => {
		const doc = await fixture('book', 'ch03', 'neuralnet_mnist_batch.py');
		const b = await hoverText(doc.uri, positionOf(doc, 'batch_size = 100'));
		assert.ok(b.includes(t('{0} is the batch size of batch processing: the network takes {1} images at once and computes their outputs in one forward pass. Nothing is learned in this loop: no gradient, no update.', '`batch_size`', '100')), b);
		assert.ok(b.includes(t('{0} images in batches of {1}: {2} forward passes instead of {0}', '10,000', '100', '100')), b);
		const x = await hoverText(doc.uri, positionOf(doc, 'x_batch = '));
		assert.ok(x.includes(t('Here that pass is {0}. No gradient is computed: this is inference, not training.', '`predict(network, x_batch)`')), x);
		for (const text of [b, x]) {
			assert.doesNotMatch(text, /イテレーション|エポック/);
			assert.doesNotMatch(text, /batch processing|forward pass/, 'no English left');
		}
	});

	// The notebook check runs in the English pass only: with it here, the Japanese panel test that follows found two webviews.
	it('a while loop over epochs in Japanese', async () => {
		const doc = await fixture('python', 'learner', 'train_while_epochs.py');
		const e = await hoverText(doc.uri, positionOf(doc, 'max_epochs = 12'));
		assert.ok(e.includes(t('{0} epochs × {1} iterations = {2} iterations', '12', '195', '2,340')), e);
		assert.doesNotMatch(e, /仮定/);
	});

	it('the epoch loop and the tuple assignment in Japanese', async () => {
		const epochs = await fixture('python', 'learner', 'train_epochs.py');
		const e = await hoverText(epochs.uri, positionOf(epochs, 'epochs = 20'));
		assert.ok(e.includes(t('{0} epochs × {1} iterations = {2} iterations', '20', '300', '6,000')), e);
		assert.ok(e.includes(t('each epoch cuts {0} into {1} slices of {2}: every sample is used exactly once per epoch', '`perm`', '300', '200')), e);
		const tuple = await fixture('python', 'learner', 'train_tuple.py');
		const b = await hoverText(tuple.uri, positionOf(tuple, 'batch_size = 3000'));
		assert.ok(b.includes('`batch_size = 50`'), b);
		assert.doesNotMatch(b, /仮定/);
	});
});
