/**
 * Data in the browser: the workspace's book-style dataset/ read through workspace.fs and inflated with DecompressionStream,
 * and a dataset folder outside the workspace, which a browser cannot read: one sentence says so and what to do. Runs in
 * the `web` pass, whose workspace is a scratch folder (scripts/host/run-host-tests.mjs), so writing dataset/ into it is safe.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { clearNotifications, logged, logText, notificationText } from './observe';
import { EXTENSION_ID, liveWorkers, runComparison, setSettings, snapshot, until } from './util';

/** An idx file: magic, dims, bytes (as the book's dataset/mnist.py downloads them, before gzip). */
function idx(magic: number, dims: number[], data: Uint8Array): Uint8Array {
	const out = new Uint8Array(4 + 4 * dims.length + data.length);
	const view = new DataView(out.buffer);
	view.setUint32(0, magic);
	dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
	out.set(data, 4 + 4 * dims.length);
	return out;
}

/** gzip with the browser's own CompressionStream, as a real .gz download would be. */
async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
	const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
	return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Learnable images: class c lights the c-th band of rows. */
function images(labels: Uint8Array): Uint8Array {
	const px = new Uint8Array(labels.length * 784);
	labels.forEach((c, i) => {
		for (let r = 2 * c; r < 2 * c + 3; r++) for (let col = 4; col < 24; col++) px[i * 784 + r * 28 + col] = 200 + ((i * 7 + col) % 50);
	});
	return px;
}

const TRAIN = 300;
const TEST = 100;

describe('data in the browser @web', function () {
	this.timeout(180_000);
	const dataset = () => vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'dataset');

	before(async () => {
		await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
		await setSettings({ iterations: 61, batchSize: 50, trainSize: 0, seed: 0, seedCount: 1, samplers: ['replacement'], datasetPath: '' });
		const trainLabels = Uint8Array.from({ length: TRAIN }, (_, i) => i % 10);
		const testLabels = Uint8Array.from({ length: TEST }, (_, i) => (i * 3) % 10);
		const files: [string, Uint8Array][] = [
			['train-images-idx3-ubyte.gz', idx(0x803, [TRAIN, 28, 28], images(trainLabels))],
			['train-labels-idx1-ubyte.gz', idx(0x801, [TRAIN], trainLabels)],
			['t10k-images-idx3-ubyte.gz', idx(0x803, [TEST, 28, 28], images(testLabels))],
			['t10k-labels-idx1-ubyte.gz', idx(0x801, [TEST], testLabels)],
		];
		for (const [name, bytes] of files) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dataset(), name), await gzip(bytes));
	});

	after(async () => {
		await vscode.workspace.fs.delete(dataset(), { recursive: true });
		await setSettings({ iterations: undefined, batchSize: undefined, trainSize: undefined, seed: undefined, seedCount: undefined, samplers: undefined, datasetPath: undefined });
		await clearNotifications();
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	it('trains on the workspace’s dataset/ folder, read through workspace.fs and inflated with DecompressionStream', async () => {
		const since = (await logText()).length;
		await runComparison();
		const snap = await until('the finished table', async () => {
			const s = await snapshot();
			return s && /^Done/.test(s.status) && s.tableRows.length === 1 ? s : undefined;
		});
		assert.match(snap.header, /· dataset \(workspace\)$/);
		await logged('the load', since, new RegExp(`Loaded ${TRAIN} \\+ ${TEST} images from dataset \\(workspace\\) in \\d+\\.\\d\\d s\\n`));
		assert.equal(await liveWorkers(), 0);
	});

	it('a dataset folder outside the workspace: one sentence says why it cannot be read and what to do, and the workspace’s dataset/ is used', async () => {
		await clearNotifications();
		await setSettings({ datasetPath: '/srv/mnist' });
		await runComparison();
		const toast = String(await notificationText('In the browser'));
		assert.equal(
			toast,
			'In the browser Minibatch Lab can read only the files of the open workspace, so the dataset folder /srv/mnist cannot be used and dataset (workspace) is used instead; copy the four MNIST idx files into a dataset/ folder in the workspace, or open the folder in VS Code desktop or a Codespace.',
		);
		const snap = await until('the finished table', async () => {
			const s = await snapshot();
			return s && /^Done/.test(s.status) ? s : undefined;
		});
		assert.match(snap.header, /· dataset \(workspace\)$/);
	});
});

describe('the bundled MNIST in the browser @web', function () {
	this.timeout(180_000);

	before(async () => {
		await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
		await setSettings({ iterations: 61, batchSize: 100, trainSize: 0, seed: 0, seedCount: 1, samplers: ['sequential'], datasetPath: '' });
	});

	after(async () => {
		await setSettings({ iterations: undefined, batchSize: undefined, trainSize: undefined, seed: undefined, seedCount: undefined, samplers: undefined, datasetPath: undefined });
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	it('is fetched through workspace.fs once, by the first run, and kept for the next', async () => {
		await runComparison();
		const since = (await logText()).length;
		await runComparison();
		await logged('the kept dataset', since, /Using the MNIST \(bundled\) decoded for an earlier run\n/);
		assert.doesNotMatch((await logText()).slice(since), /Loaded \d+ \+ \d+ images from MNIST \(bundled\)/);
		const snap = (await snapshot())!;
		assert.match(snap.header, /· MNIST \(bundled\)$/);
	});
});
