import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { browserBridgeAvailable, queryDom } from './browser';
import { liveWorkers, setSettings, snapshot, until } from './util';
import { syntheticDataset, writeMnistFolder } from '../support/synthetic';

/** A small learnable dataset in a folder whose name is an HTML injection attempt. */
function hostileFolder(root: string): string {
	const dir = join(root, '<img src=x onerror=alert(1)>');
	mkdirSync(dir);
	const src = writeMnistFolder(syntheticDataset(600, 200, 6, 2));
	for (const f of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) {
		writeFileSync(join(dir, f), readFileSync(join(src, f)));
	}
	rmSync(src, { recursive: true });
	return dir;
}

describe('robustness in the real host', function () {
	this.timeout(120_000);
	let root: string;

	before(async () => {
		root = mkdtempSync(join(tmpdir(), 'mbl-host-'));
		await setSettings({ iterations: 130, batchSize: 10, hiddenSize: 8, learningRate: 2, seed: 0, seedCount: 1, trainSize: 0, samplers: ['replacement', 'epoch-shuffle'] });
	});

	after(async () => {
		await setSettings({ iterations: undefined, batchSize: undefined, hiddenSize: undefined, learningRate: undefined, seed: undefined, seedCount: undefined, trainSize: undefined, samplers: undefined, datasetPath: undefined });
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		rmSync(root, { recursive: true, force: true });
	});

	it('shows a dataset folder named <img src=x onerror=alert(1)> as text, never as HTML', async () => {
		const dir = hostileFolder(root);
		await setSettings({ datasetPath: dir });
		await vscode.commands.executeCommand('minibatchLab.runComparison');
		const snap = await until('a finished table', async () => {
			const s = await snapshot();
			return s && /Done/i.test(s.status) ? s : undefined;
		});
		assert.ok(snap.header.includes('<img src=x onerror=alert(1)>'), `header: ${snap.header}`);
		assert.equal(snap.tableRows.length, 2);
		if (browserBridgeAvailable) assert.equal(await queryDom({ target: 'webview', selector: 'img', op: 'count' }), 0);
		assert.equal(await liveWorkers(), 0);
	});

	it('reports a corrupt file in the panel, naming it, and leaves no worker', async () => {
		const dir = hostileFolder(mkdtempSync(join(root, 'bad-')));
		writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), 'not gzip at all');
		await setSettings({ datasetPath: dir });
		await vscode.commands.executeCommand('minibatchLab.runComparison');
		const snap = await until('the failure in the table', async () => {
			const s = await snapshot();
			return s && s.tableRows.some((r) => r.join(' ').includes('train-labels-idx1-ubyte.gz')) ? s : undefined;
		});
		const text = snap.tableRows.map((r) => r.join(' ')).join('\n');
		assert.match(text, /is named \.gz but is not gzip/);
		assert.equal(await liveWorkers(), 0);
	});
});
