/**
 * The extension with its Node entry removed, in the browser's web worker host, used as a learner would: mouse on a word for
 * the hover, Ctrl+. for the quick fix, the command palette for the comparison and an export, whose save dialog is answered
 * with Enter. Everything goes through the real workbench's DOM (the runner's browser bridge), nothing through the extension's API.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { browserBridgeAvailable, queryDom } from './browser';
import { EXTENSION_ID, liveWorkers, setSettings, snapshot, until } from './util';

const HOVER = '.monaco-hover:not(.hidden)';

describe('as a learner uses it, in the browser @web', function () {
	this.timeout(180_000);

	before(async function () {
		if (!browserBridgeAvailable) this.skip();
		await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
		await setSettings({ iterations: 601, batchSize: 100, trainSize: 0, seed: 0, seedCount: 2, samplers: ['replacement', 'epoch-shuffle'], datasetPath: '' });
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		await vscode.commands.executeCommand('workbench.action.closePanel');
	});

	after(async () => {
		// The fixture is the repository's file: the quick fix's edit must never be saved.
		if (vscode.window.activeTextEditor?.document.isDirty) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
		await setSettings({ iterations: undefined, batchSize: undefined, trainSize: undefined, seed: undefined, seedCount: undefined, samplers: undefined, datasetPath: undefined });
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	it('opens the book’s script from the Explorer and reads the np.random.choice hover with the mouse', async () => {
		await queryDom({ selector: '.explorer-folders-view .monaco-list-row', hasText: 'train_neuralnet.py', op: 'click', timeoutMs: 30_000 });
		await until('the script in the editor', async () => vscode.window.activeTextEditor?.document.fileName.endsWith('train_neuralnet.py'));
		await queryDom({ selector: '.part.editor .view-line span:visible', hasText: 'choice', op: 'hover', timeoutMs: 30_000 });
		const text = String(await queryDom({ selector: HOVER, hasText: '63.2%', op: 'text', timeoutMs: 30_000 }));
		assert.match(text, /np\.random\.choice samples with replacement/);
		assert.match(text, /7\.9%/);
	});

	it('applies the quick fix with Ctrl+. on the book’s line, as the learner picks it from the menu', async () => {
		const editor = vscode.window.activeTextEditor!;
		const original = editor.document.getText();
		// A click on the call puts the cursor (and the focus) there.
		await queryDom({ selector: '.part.editor .view-line span:visible', hasText: 'choice', op: 'click', timeoutMs: 30_000 });
		await until('the cursor on the book’s line', async () => editor.document.lineAt(editor.selection.active.line).text.includes('np.random.choice('));
		await queryDom({ selector: '.monaco-editor', op: 'keys', keys: [{ chord: 'Control+.' }] });
		// The menu opens with the preferred fix selected: Enter takes it.
		await queryDom({ selector: '.context-view', hasText: 'Sample without replacement (reshuffle every epoch)', op: 'wait', timeoutMs: 30_000 });
		await queryDom({ selector: '.monaco-editor', op: 'keys', keys: [{ chord: 'Enter' }] });
		await until('the rewritten loop', async () => /def make_batch_mask_list/.test(editor.document.getText()));
		assert.notEqual(editor.document.getText(), original);
		await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
	});

	it('runs the comparison from the command palette, and the panel shows the table and the verdict', async () => {
		await queryDom({ selector: '.monaco-workbench', op: 'keys', keys: [{ chord: 'F1' }] });
		await queryDom({ selector: '.quick-input-widget input', op: 'wait', timeoutMs: 15_000 });
		await queryDom({ selector: '.quick-input-widget input', op: 'keys', keys: [{ text: 'Minibatch Lab: Run minibatch comparison' }] });
		await queryDom({ selector: '.quick-input-list .monaco-list-row', hasText: 'Run minibatch comparison', op: 'click', timeoutMs: 15_000 });
		const snap = await until(
			'the finished table',
			async () => {
				const s = await snapshot();
				return s && /^Done/.test(s.status) && s.tableRows.length === 2 && s.pairs.length === 1 ? s : undefined;
			},
			150_000,
		);
		assert.match(snap.header, /601 iterations · batch 100 · lr 0\.1 · seeds 0–1 · MNIST \(bundled\)/);
		const rows = await queryDom({ target: 'webview', selector: 'table tbody tr', op: 'count' });
		assert.equal(rows, 2);
		assert.match(String(await queryDom({ target: 'webview', selector: '#pairs', op: 'text' })), /epoch-shuffle − replacement/);
		await until('no live workers', async () => (await liveWorkers()) === 0, 30_000);
	});

	it('saves the results as JSON from the palette through the save dialog, under the name it offers', async () => {
		const folder = vscode.workspace.workspaceFolders![0].uri;
		const before = new Set((await vscode.workspace.fs.readDirectory(folder)).map(([name]) => name));
		await queryDom({ selector: '.monaco-workbench', op: 'keys', keys: [{ chord: 'F1' }] });
		await queryDom({ selector: '.quick-input-widget input', op: 'wait', timeoutMs: 15_000 });
		await queryDom({ selector: '.quick-input-widget input', op: 'keys', keys: [{ text: 'Minibatch Lab: Save results as JSON' }] });
		await queryDom({ selector: '.quick-input-list .monaco-list-row', hasText: 'Save results as JSON', op: 'click', timeoutMs: 15_000 });
		// The browser's save dialog is VS Code's own: a path in the quick input, the offered name in the workspace folder.
		const offered = await until('the save dialog', async () => {
			const value = await queryDom({ selector: '.quick-input-widget input', op: 'value', timeoutMs: 15_000 }).catch(() => null);
			return typeof value === 'string' && /minibatch-comparison-.*\.json$/.test(value) ? value : undefined;
		});
		await queryDom({ selector: '.quick-input-widget input', op: 'keys', keys: [{ chord: 'Enter' }] });
		const name = offered.split('/').pop()!;
		assert.ok(!before.has(name), `${name} was there before`);
		const saved = vscode.Uri.joinPath(folder, name);
		const text = await until('the saved file', async () => {
			const bytes = await vscode.workspace.fs.readFile(saved).then((b) => b, () => undefined);
			return bytes && bytes.length > 0 ? new TextDecoder().decode(bytes) : undefined;
		});
		try {
			const json = JSON.parse(text) as { runs?: unknown[]; run?: { settings?: { iters?: number } } };
			assert.equal(json.run?.settings?.iters, 601);
			assert.ok(Array.isArray(json.runs) && json.runs.length === 4, `${json.runs?.length} runs`);
		} finally {
			await vscode.workspace.fs.delete(saved);
		}
	});
});
