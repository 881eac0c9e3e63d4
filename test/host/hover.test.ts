import * as assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { hoverText, openPythonCell, positionOf } from './util';

const folder = () => vscode.workspace.workspaceFolders![0].uri;

describe('Python hovers and the sampling quick fix', function () {
	this.timeout(60_000);
	let train: vscode.TextDocument;
	let functions: vscode.TextDocument;

	before(async () => {
		train = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'train_neuralnet.py'));
		functions = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'functions.py'));
		await vscode.window.showTextDocument(train);
	});

	it('explains iter_per_epoch with the file’s own numbers and the assumed train_size', async () => {
		const text = await hoverText(train.uri, positionOf(train, 'iter_per_epoch ='));
		assert.match(text, /600/);
		assert.match(text, /16\.7/);
		assert.match(text, /60,000|60000/);
		assert.match(text, /x_train\.shape\[0\]/, 'says which value it assumed');
	});

	it('explains batch_size and the loop variable i', async () => {
		assert.match(await hoverText(train.uri, positionOf(train, 'batch_size = 100')), /100/);
		assert.match(await hoverText(train.uri, positionOf(train, 'for i in', 0, 4)), /iteration|イテレーション/i);
	});

	it('gives np.random.choice’s figures: duplicates and 63.2% coverage, with a link to the comparison', async () => {
		const text = await hoverText(train.uri, positionOf(train, 'choice(', 0, 2));
		assert.match(text, /63\.2/);
		assert.match(text, /7\.9/);
		assert.match(text, /command:minibatchLab\.runComparison/);
	});

	it('shows keepdims shapes from the book’s softmax', async () => {
		const text = await hoverText(functions.uri, positionOf(functions, 'keepdims', 1, 2));
		assert.match(text, /\(100, 10\)/);
		assert.match(text, /\(100, 1\)/);
		assert.match(text, /\(100,\)/);
	});

	it('adds nothing at unrelated spots (an import, a comment, a string)', async () => {
		for (const [needle, delta] of [['numpy as np', 2], ['# Chapter', 3], ['train acc, test acc', 3]] as const) {
			assert.equal(await hoverText(train.uri, positionOf(train, needle, 0, delta)), '', needle);
		}
	});

	it('hovers inside a Python notebook cell', async () => {
		const doc = await openPythonCell('import numpy as np\ntrain_size = 60000\nbatch_size = 100\nbatch_mask = np.random.choice(train_size, batch_size)\n');
		assert.equal(doc.languageId, 'python');
		assert.match(await hoverText(doc.uri, positionOf(doc, 'choice(', 0, 2)), /63\.2/);
		assert.equal(await hoverText(doc.uri, positionOf(doc, 'import', 0, 2)), '');
	});

	it('offers the quick fix on the book pattern, and its reverse gives back the original text', async () => {
		const doc = await vscode.workspace.openTextDocument({ language: 'python', content: train.getText() });
		const original = doc.getText();
		const at = positionOf(doc, 'np.random.choice', 0, 4);
		const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(at, at))) ?? [];
		const apply = actions.find((a) => /without replacement|非復元/i.test(a.title));
		assert.ok(apply?.edit, `actions: ${actions.map((a) => a.title).join(', ')}`);
		assert.ok(await vscode.workspace.applyEdit(apply.edit));
		assert.match(doc.getText(), /def make_batch_mask_list/);
		assert.notEqual(doc.getText(), original);
		const back = positionOf(doc, 'batch_mask =', 0, 2);
		const reverse = ((await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(back, back))) ?? []).find(
			(a) => a !== undefined && !/without replacement|非復元/i.test(a.title),
		);
		assert.ok(reverse?.edit, 'a reverse action on the rewritten line');
		assert.ok(await vscode.workspace.applyEdit(reverse.edit));
		assert.equal(doc.getText(), original);
	});

	it('offers nothing where the shape does not match', async () => {
		const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'import numpy as np\nidx = np.random.choice(10, 3)\n' });
		const at = positionOf(doc, 'choice', 0, 2);
		const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(at, at))) ?? [];
		assert.equal(actions.filter((a) => /replacement|復元/i.test(a.title)).length, 0);
	});
});
