/**
 * The Japanese display language in the real host. Runs only in the `ja` launch (scripts/host/run-host-tests.mjs PASSES),
 * where code-server starts with --locale ja and a minimal language pack, so VS Code really runs in Japanese: the extension's
 * l10n bundle and package.nls.ja.json must take effect. Expected text comes from those files, filled in with the numbers
 * of the fixture, so rewording a translation does not break the test but an English or missing string does.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { browserBridgeAvailable, queryDom } from './browser';
import { EXTENSION_ID, hoverText, openPythonCell, positionOf } from './util';

/** vscode.l10n.t's substitution: `{0}`, `{1}` … replaced by the arguments. */
function fill(template: string, ...args: string[]): string {
	return template.replace(/\{(\d+)\}/g, (m, i: string) => args[Number(i)] ?? m);
}

/** The same cell as in the English notebook test, plus an epoch computation and a softmax line. */
const CELL = [
	'import numpy as np',
	'train_size = 60000',
	'batch_size = 100',
	'iters_num = 10000',
	'iter_per_epoch = max(train_size / batch_size, 1)',
	'batch_mask = np.random.choice(train_size, batch_size)',
	'x = np.zeros((batch_size, 10))',
	'y = x - np.max(x, axis=1, keepdims=True)',
	'',
].join('\n');

describe('Japanese display language @ja', function () {
	this.timeout(60_000);
	let ext: vscode.Extension<unknown>;
	let ja: Record<string, string>;
	let nlsJa: Record<string, string>;
	/** The Japanese for an English runtime string, failing clearly when the bundle lacks it. */
	const t = (key: string, ...args: string[]) => {
		assert.ok(key in ja, `bundle.l10n.ja.json has no "${key}"`);
		return fill(ja[key], ...args);
	};
	const readJson = async (...path: string[]) =>
		JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, ...path)))) as Record<string, string>;

	before(async () => {
		ext = vscode.extensions.getExtension(EXTENSION_ID)!;
		assert.ok(ext, `${EXTENSION_ID} not found`);
		await ext.activate();
		ja = await readJson('l10n', 'bundle.l10n.ja.json');
		nlsJa = await readJson('package.nls.ja.json');
	});

	it('runs with Japanese as VS Code’s display language', () => {
		assert.match(vscode.env.language, /^ja\b/, `vscode.env.language is ${vscode.env.language}`);
	});

	describe('hovers in a .py file', () => {
		let train: vscode.TextDocument;
		let functions: vscode.TextDocument;
		const folder = () => vscode.workspace.workspaceFolders![0].uri;

		before(async () => {
			train = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'train_neuralnet.py'));
			functions = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'functions.py'));
		});

		it('keepdims: the explanation and the shape table in Japanese', async () => {
			const text = await hoverText(functions.uri, positionOf(functions, 'keepdims', 1, 2));
			assert.ok(text.includes(t('keepdims=True keeps each reduced axis as an axis of size 1. The result keeps the number of dimensions of the input, so it broadcasts back against it.')), text);
			assert.ok(text.includes(`| ${t('Expression')} | ${t('Shape')} |`), text);
			assert.match(text, /\(100, 1\)/);
			assert.doesNotMatch(text, /keeps each reduced axis/, 'no English left');
		});

		it('np.random.choice: with replacement, the duplicate chance and the coverage in Japanese, with the Japanese links', async () => {
			const text = await hoverText(train.uri, positionOf(train, 'choice(', 0, 2));
			assert.ok(text.includes(t('A batch of {0} from {1} contains a repeat with probability {2}.', '100', '60,000', '7.9%')), text);
			assert.ok(text.includes(t('One epoch of draws ({0} × {1} = {2}) sees about {3} of the {4} samples (1 − 1/e); the rest wait for later epochs.', '600', '100', '60,000', '63.2%', '60,000')), text);
			assert.ok(text.includes(`[${t('▶ Run minibatch comparison')}](command:minibatchLab.runComparison)`), text);
			assert.ok(text.includes(`[${t('Sample without replacement (reshuffle every epoch)')}](command:minibatchLab.applySamplingFix`), text);
			assert.doesNotMatch(text, /samples with replacement|Run minibatch comparison/, 'no English left');
		});

		it('iter_per_epoch: what an epoch is, with the file’s numbers, in Japanese', async () => {
			const text = await hoverText(train.uri, positionOf(train, 'iter_per_epoch ='));
			assert.ok(text.includes(t('{0} is the number of iterations in one epoch: training set size ÷ batch size. The loop uses it to evaluate accuracy once per epoch.', '`iter_per_epoch`')), text);
			assert.ok(text.includes(t('{0} iterations ≈ {1} epochs', '10,000', '16.7')), text);
			assert.ok(text.includes(t('each epoch draws {0} × {1} = {2} samples', '600', '100', '60,000')), text);
			assert.ok(text.includes(t('60,000 is the size of the MNIST training set.')), 'the assumed train_size is explained in Japanese');
		});

		it('adds nothing at unrelated spots (an import, a comment, a string)', async () => {
			for (const [needle, delta] of [['numpy as np', 2], ['# Chapter', 3], ['train acc, test acc', 3]] as const) {
				assert.equal(await hoverText(train.uri, positionOf(train, needle, 0, delta)), '', needle);
			}
		});
	});

	describe('hovers in a notebook cell', () => {
		let cell: vscode.TextDocument;
		before(async () => {
			cell = await openPythonCell(CELL);
			assert.equal(cell.languageId, 'python');
		});

		it('np.random.choice, keepdims and iter_per_epoch get the Japanese hovers', async () => {
			const choice = await hoverText(cell.uri, positionOf(cell, 'choice(', 0, 2));
			assert.ok(choice.includes(t('A batch of {0} from {1} contains a repeat with probability {2}.', '100', '60,000', '7.9%')), choice);
			const keepdims = await hoverText(cell.uri, positionOf(cell, 'keepdims', 0, 2));
			assert.ok(keepdims.includes(t('keepdims=True keeps each reduced axis as an axis of size 1. The result keeps the number of dimensions of the input, so it broadcasts back against it.')), keepdims);
			assert.ok(keepdims.includes(t('Shape of {0} from line {1}: {2}', '`x`', '7', '`x = np.zeros((batch_size, 10))`')), keepdims);
			const epoch = await hoverText(cell.uri, positionOf(cell, 'iter_per_epoch ='));
			assert.ok(epoch.includes(t('{0} iterations ≈ {1} epochs', '10,000', '16.7')), epoch);
		});

		it('adds nothing at unrelated spots', async () => {
			assert.equal(await hoverText(cell.uri, positionOf(cell, 'import', 0, 2)), '');
			assert.equal(await hoverText(cell.uri, positionOf(cell, 'zeros', 0, 2)), '');
		});
	});

	describe('contributions from package.nls.ja.json', () => {
		after(() => vscode.commands.executeCommand('workbench.action.closeQuickOpen'));

		it('the command palette lists the commands by their Japanese titles', async function () {
			if (!browserBridgeAvailable) this.skip();
			const row = (title: string) => `.quick-input-list .monaco-list-row:has-text("Minibatch Lab: ${title}")`;
			for (const key of ['command.runComparison', 'command.compareGradients', 'command.compareScript']) {
				assert.ok(nlsJa[key], `package.nls.ja.json has no ${key}`);
				// Filtered by the title: the palette's list is virtual, so a row scrolled out of view is not in the DOM.
				await vscode.commands.executeCommand('workbench.action.quickOpen', `>Minibatch Lab: ${nlsJa[key]}`);
				const n = await queryDom({ selector: row(nlsJa[key]), op: 'wait', timeoutMs: 20_000 });
				assert.equal(n, 1, `${key}: "${nlsJa[key]}"`);
			}
		});
	});
});
