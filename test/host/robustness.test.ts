import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { browserBridgeAvailable, queryDom } from './browser';
import { clearNotifications, errorToast, logged, logText } from './observe';
import { liveWorkers, peakWorkers, runComparison, setSettings, snapshot, until } from './util';
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
		await runComparison(100_000);
		const snap = await until('a finished table', async () => {
			const s = await snapshot();
			return s && /Done/i.test(s.status) ? s : undefined;
		});
		assert.ok(snap.header.includes('<img src=x onerror=alert(1)>'), `header: ${snap.header}`);
		assert.equal(snap.tableRows.length, 2);
		if (browserBridgeAvailable) assert.equal(await queryDom({ target: 'webview', selector: 'img', op: 'count' }), 0);
		assert.equal(await liveWorkers(), 0);
	});

	it('reports a corrupt file in the panel, naming it, before any worker starts', async () => {
		const dir = hostileFolder(mkdtempSync(join(root, 'bad-')));
		writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), 'not gzip at all');
		await setSettings({ datasetPath: dir });
		await clearNotifications();
		const since = (await logText()).length;
		await peakWorkers();
		await runComparison(100_000);
		// The same sentence in the log, the notification and the panel.
		await logged('the corrupt file', since, /\[error\].*train-labels-idx1-ubyte\.gz.*is named \.gz but is not gzip/);
		if (browserBridgeAvailable) {
			assert.match(await errorToast('train-labels-idx1-ubyte.gz'), /is named \.gz but is not gzip/);
			const panelError = String(await queryDom({ target: 'webview', selector: '#error', op: 'text' }));
			assert.match(panelError, /train-labels-idx1-ubyte\.gz: is named \.gz but is not gzip/);
		}
		// The host reads the dataset before it starts any worker (in a browser the workers cannot read files).
		assert.equal(await peakWorkers(), 0, 'no worker started');
		assert.equal(await liveWorkers(), 0);
	});

	it('a folder with both X and X.gz: the log says which one is read', async () => {
		const dir = hostileFolder(mkdtempSync(join(root, 'both-')));
		const gz = join(dir, 'train-labels-idx1-ubyte.gz');
		writeFileSync(gz.slice(0, -3), gunzipSync(readFileSync(gz)));
		await setSettings({ datasetPath: dir });
		const since = (await logText()).length;
		await runComparison(100_000);
		await logged('the note', since, new RegExp(`holds both train-labels-idx1-ubyte and train-labels-idx1-ubyte\\.gz; reading train-labels-idx1-ubyte$`, 'm'));
		assert.equal(await liveWorkers(), 0);
	});

	it('a file that is a loop of symbolic links: "cannot be resolved", not "missing", in the notification and the log', async () => {
		const dir = hostileFolder(mkdtempSync(join(root, 'loop-')));
		const file = join(dir, 'train-images-idx3-ubyte');
		rmSync(`${file}.gz`);
		symlinkSync('train-images-idx3-ubyte', file);
		await setSettings({ datasetPath: dir });
		await clearNotifications();
		const since = (await logText()).length;
		await runComparison(100_000);
		const [line] = await logged('the link', since, /\[error\] .*train-images-idx3-ubyte: .*$/m);
		assert.match(line, /train-images-idx3-ubyte: is a symbolic link that cannot be resolved \(a loop of symbolic links\)$/);
		assert.doesNotMatch(line, /missing/);
		if (browserBridgeAvailable) assert.match(await errorToast('symbolic link'), /train-images-idx3-ubyte: is a symbolic link that cannot be resolved/);
		assert.equal(await liveWorkers(), 0);
	});

	it('a folder with only mnist.pkl: says the idx .gz files are needed and that the book\'s dataset/mnist.py downloads them', async () => {
		const dir = mkdtempSync(join(root, 'pkl-'));
		writeFileSync(join(dir, 'mnist.pkl'), 'not really a pickle');
		await setSettings({ datasetPath: dir });
		await clearNotifications();
		const since = (await logText()).length;
		await runComparison(100_000);
		const line = await logged('the mnist.pkl message', since, /\[error\] (.*mnist\.pkl.*)/);
		assert.match(line[1], /train-images-idx3-ubyte\.gz/);
		assert.match(line[1], /dataset\/mnist\.py/);
		if (browserBridgeAvailable) {
			assert.match(await errorToast('mnist.pkl'), /dataset\/mnist\.py/);
			const panelError = String(await queryDom({ target: 'webview', selector: '#error', op: 'text' }));
			assert.match(panelError, /mnist\.pkl.*dataset\/mnist\.py/);
		}
		assert.equal(await liveWorkers(), 0);
	});
});
