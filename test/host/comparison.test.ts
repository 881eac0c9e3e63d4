import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { browserBridgeAvailable, queryDom } from './browser';
import { liveWorkers, runComparison, setSettings, snapshot, until, within } from './util';


const isNumberCell = (s: string) => /^[\d.]+%?$/.test(s.trim());

describe('Run minibatch comparison', function () {
	this.timeout(180_000);

	before(async () => {
		await vscode.extensions.getExtension('minibatch-lab.minibatch-lab')!.activate();
		// One seed: these tests are about the single-run panel (test/host/seeds.test.ts covers several seeds).
		await setSettings({ iterations: 601, batchSize: 100, trainSize: 0, seed: 0, seedCount: 1, samplers: ['replacement', 'epoch-shuffle'], datasetPath: '' });
	});

	after(async () => {
		await setSettings({ iterations: undefined, batchSize: undefined, trainSize: undefined, seed: undefined, seedCount: undefined, samplers: undefined, learningRate: undefined });
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	it('is registered in the command palette', async () => {
		const all = await vscode.commands.getCommands(true);
		for (const id of ['minibatchLab.runComparison', 'minibatchLab.cancelComparison', 'minibatchLab.showLog']) assert.ok(all.includes(id), id);
		const pkg = vscode.extensions.getExtension('minibatch-lab.minibatch-lab')!.packageJSON as { contributes: { commands: { command: string; category?: string }[] } };
		assert.equal(pkg.contributes.commands.find((c) => c.command === 'minibatchLab.runComparison')?.category, 'Minibatch Lab');
	});

	it('fills the panel: a table row per sampler with numbers, and charts drawn with data', async () => {
		await runComparison();
		const snap = await until('a finished table', async () => {
			const s = await snapshot();
			return s && /^Done/.test(s.status) && s.tableRows.length === 2 && s.tableRows.every((r) => r.slice(2).some(isNumberCell)) ? s : undefined;
		});
		assert.match(snap.tableRows[0][0], /replacement/i);
		assert.match(snap.tableRows[1][0], /shuffle/i);
		assert.equal(snap.tableHead[1], 'N');
		for (const row of snap.tableRows) {
			assert.equal(row[1], '1', 'N = 1 seed');
			const acc = row.slice(2, 5).map((c) => parseFloat(c));
			assert.ok(acc.every((a) => a > 70 && a <= 100), `accuracies ${row.join(' | ')}`);
		}
		assert.match(snap.header, /601 iterations/);
		assert.match(snap.header, /MNIST \(bundled\)/);
		const acc = snap.charts.find((c) => c.id === 'accuracy');
		const loss = snap.charts.find((c) => c.id === 'loss');
		assert.ok(acc && acc.drawn && acc.datasets === 4 && acc.points >= 8, `accuracy chart ${JSON.stringify(acc)}`);
		assert.ok(loss && loss.drawn && loss.points > 100, `loss chart ${JSON.stringify(loss)}`);
		assert.equal(await liveWorkers(), 0);
	});

	it('shows the real DOM: a <table> with a row per sampler', async function () {
		if (!browserBridgeAvailable) this.skip();
		const rows = await queryDom({ target: 'webview', selector: 'table tbody tr', op: 'count' });
		assert.equal(rows, 2);
		const text = String(await queryDom({ target: 'webview', selector: 'table', op: 'text' }));
		assert.match(text, /with replacement/);
		assert.match(text, /100\.0%/, 'per-epoch shuffle covers every sample');
	});

	it('replays the history when the panel is hidden and shown again', async () => {
		// Hiding a webview destroys its page; showing it again must rebuild everything from the host's history.
		const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('minibatchLab.comparison'));
		assert.ok(tab, 'the comparison panel is open');
		const doc = await vscode.workspace.openTextDocument({ content: 'x = 1', language: 'python' });
		await vscode.window.showTextDocument(doc, { viewColumn: tab.group.viewColumn, preview: false });
		await until('the panel to be hidden', async () => !tab.group.activeTab?.label.includes('Minibatch'), 5000);
		await vscode.commands.executeCommand('minibatchLab.showPanel');
		const snap = await until('a replayed table', async () => {
			const s = await snapshot();
			return s && s.tableRows.length === 2 && s.tableRows.every((r) => r.slice(2).some(isNumberCell)) ? s : undefined;
		});
		assert.equal(snap.charts.find((c) => c.id === 'accuracy')?.drawn, true);
	});

	it('a revived panel shows the last results from the saved history', async () => {
		const before = await snapshot();
		assert.ok(await vscode.commands.executeCommand('minibatchLab._simulateRevive'));
		const snap = await until('a revived table', async () => {
			const s = await snapshot();
			return s && s.tableRows.length === 2 ? s : undefined;
		});
		assert.deepEqual(snap.tableRows, before?.tableRows);
		assert.equal(snap.header, before?.header);
		assert.equal(snap.charts.find((c) => c.id === 'loss')?.drawn, true);
	});

	// No wall-clock deadline (2 busy cores): each waits for the event itself, the run's end once its workers have exited,
	// under a generous limit, and checks the order: the command ends only after the last worker has gone.
	it('Cancel ends the run, and no worker outlives it', async () => {
		await setSettings({ iterations: 1_000_000 });
		const running = vscode.commands.executeCommand('minibatchLab.runComparison');
		await until('two live workers', async () => (await liveWorkers()) === 2, 60_000);
		await vscode.commands.executeCommand('minibatchLab.cancelComparison');
		await within('the cancelled run to end', running, 60_000);
		assert.equal(await liveWorkers(), 0, 'a worker outlived the cancelled run');
		const s = await until('the cancelled status', async () => {
			const x = await snapshot();
			return x && /cancel/i.test(x.status) ? x : undefined;
		});
		assert.match(s.status, /cancel/i);
	});

	it('closing the panel during a run cancels it, and no worker outlives it', async () => {
		const running = vscode.commands.executeCommand('minibatchLab.runComparison');
		await until('two live workers', async () => (await liveWorkers()) === 2, 60_000);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		await within('the run to end after its panel closed', running, 60_000);
		assert.equal(await liveWorkers(), 0, 'a worker outlived the run whose panel was closed');
		await setSettings({ iterations: 601 });
	});
});
