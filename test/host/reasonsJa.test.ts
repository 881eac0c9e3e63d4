/**
 * Reasons from the core and the worker pool in Japanese, in the real host (the `ja` launch): a bad setting, a corrupt
 * dataset file, a failed worker and a failed gradient check, where a user sees them (the notification and the panel),
 * with the setting or the file named as it is; the log keeps the English sentence the CLI prints. The expected text is
 * built from the extension's own bundle and the core's reason, so an English or a missing translation fails.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { reasonText, type Reason } from '../../src/core/reasons';
import { fill, type L10n } from '../../src/shared/strings/l10n';
import { panelStrings } from '../../src/shared/strings/panel';
import { localizeReason } from '../../src/shared/strings/reasons';
import { bundleL10n, englishWords } from '../support/japanese';
import { syntheticDataset, writeMnistFolder } from '../support/synthetic';
import { browserBridgeAvailable, queryDom } from './browser';
import { clearNotifications, errorToast, logged, logText } from './observe';
import { EXTENSION_ID, liveWorkers, runComparison, setSettings, snapshot, until } from './util';

const SHORT = { iterations: 601, batchSize: 100, learningRate: 0.1, hiddenSize: 50, seed: 0, seedCount: 1, trainSize: 0, samplers: ['replacement', 'epoch-shuffle'], datasetPath: '' };
const UNSET = Object.fromEntries(Object.keys(SHORT).map((k) => [k, undefined]));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A template as a pattern: its placeholders match anything. */
const pattern = (template: string) => new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\d+\}/g, '.+')}$`);
const hasJapanese = (s: string) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(s);

describe('reasons from the core and the workers in Japanese @ja', function () {
	this.timeout(180_000);
	let JA: L10n;
	let root: string;
	/** The sentence the notification and the panel show when a comparison cannot start. */
	const cannotStart = (r: Reason) => fill(JA.t('Minibatch Lab cannot start: {0}'), localizeReason(JA, r));

	before(async function () {
		if (!browserBridgeAvailable) this.skip();
		const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
		await ext.activate();
		JA = bundleL10n(JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'l10n', 'bundle.l10n.ja.json')))) as Record<string, string>);
		root = mkdtempSync(join(tmpdir(), 'mbl-reasons-ja-'));
		await setSettings(SHORT);
		await vscode.commands.executeCommand('minibatchLab.showPanel');
		await until('the panel', async () => snapshot());
	});

	after(async () => {
		await vscode.commands.executeCommand('minibatchLab._injectFault', undefined);
		await setSettings(UNSET);
		await clearNotifications();
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		if (root) rmSync(root, { recursive: true, force: true });
	});

	/** Runs a comparison that must not start; returns what the notification and the panel said, and checks the log. */
	async function refused(r: Reason, key: string): Promise<{ toast: string; panel: string }> {
		await clearNotifications();
		const since = (await logText()).length;
		await runComparison(100_000);
		const expected = cannotStart(r);
		const toast = await errorToast(key);
		// The line may still hold the previous test's reason for a moment: wait for this one, then compare what is there.
		const inPanel = () => queryDom({ target: 'webview', selector: '#error', op: 'text' });
		await until('the reason in the panel', async () => (await inPanel()) === expected, 20_000).catch(() => undefined);
		const panel = String(await inPanel());
		// The label the style sheet draws before the sentence comes from the bundle too.
		assert.equal(await queryDom({ target: 'webview', selector: '#error', op: 'attr', name: 'data-label' }), JA.t('Error:'));
		// The log is for reports and searches: the English sentence, as the CLI says it.
		await logged('the English reason', since, new RegExp(`\\[error\\] (Minibatch Lab cannot start: )?${escape(reasonText(r))}$`, 'm'));
		assert.equal(await liveWorkers(), 0);
		return { toast, panel };
	}

	it('a setting the dataset refuses: the notification and the panel say it in Japanese, naming the setting', async () => {
		await setSettings({ ...SHORT, trainSize: 500, batchSize: 501 });
		const r: Reason = { code: 'settings.batchSize', setting: 'minibatchLab.batchSize', batchSize: 501, n: 500 };
		const { toast, panel } = await refused(r, 'minibatchLab.batchSize');
		const expected = cannotStart(r);
		assert.ok(hasJapanese(localizeReason(JA, r)), localizeReason(JA, r));
		assert.equal(toast, expected);
		assert.equal(panel, expected);
		assert.deepEqual(englishWords(expected, ['Minibatch Lab', 'minibatchLab.batchSize']), [], expected);
	});

	it('a setting out of its range: the notification in Japanese, naming the setting and the range', async () => {
		await setSettings({ ...SHORT, batchSize: 0 });
		await clearNotifications();
		await runComparison(60_000);
		const r: Reason = { code: 'settings.range', setting: 'minibatchLab.batchSize', integer: true, exclusiveMin: false, min: 1, max: 60000, got: '0' };
		assert.equal(await errorToast('minibatchLab.batchSize'), cannotStart(r));
		assert.equal(await liveWorkers(), 0);
	});

	it('a corrupt images file: the notification and the panel say it in Japanese, naming the file', async () => {
		const dir = writeMnistFolder(syntheticDataset(600, 200, 6, 2));
		const file = join(dir, 'train-images-idx3-ubyte.gz');
		writeFileSync(file, 'not gzip at all');
		try {
			// The host reads the images' headers before any worker starts, so this one is said before a run.
			await setSettings({ ...SHORT, batchSize: 10, datasetPath: dir });
			const r: Reason = { code: 'gzip.notGzip', file };
			const { toast, panel } = await refused(r, 'train-images-idx3-ubyte.gz');
			const expected = cannotStart(r);
			assert.ok(expected.includes(file) && hasJapanese(localizeReason(JA, r)), expected);
			assert.equal(toast, expected);
			assert.equal(panel, expected);
			assert.deepEqual(englishWords(expected, ['Minibatch Lab', file, '.gz', 'gzip', 'HTML']), [], expected);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('a labels file with a label out of range, found when the host decodes: the notification and the panel in Japanese', async () => {
		const data = syntheticDataset(600, 200, 6, 2);
		data.train.labels[7] = 10;
		const dir = writeMnistFolder(data);
		try {
			await setSettings({ ...SHORT, batchSize: 10, datasetPath: dir });
			const r: Reason = { code: 'data.label', file: join(dir, 'train-labels-idx1-ubyte.gz'), label: 10, index: 7, max: 9 };
			const { toast, panel } = await refused(r, 'train-labels-idx1-ubyte.gz');
			const expected = cannotStart(r);
			assert.ok(hasJapanese(localizeReason(JA, r)), expected);
			assert.equal(toast, expected);
			assert.equal(panel, expected);
			assert.deepEqual(englishWords(expected, ['Minibatch Lab', r.file]), [], expected);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('a gradient check on a corrupt dataset: its notification in Japanese, naming the file', async () => {
		const dir = writeMnistFolder(syntheticDataset(600, 200, 6, 2));
		const file = join(dir, 't10k-images-idx3-ubyte.gz');
		writeFileSync(file, 'not gzip at all');
		try {
			await setSettings({ ...SHORT, batchSize: 10, datasetPath: dir });
			await clearNotifications();
			assert.equal(await vscode.commands.executeCommand('minibatchLab.compareGradients', { subset: 10 }), undefined);
			const expected = fill(JA.t('Gradient check failed: {0}'), localizeReason(JA, { code: 'gzip.notGzip', file }));
			assert.ok(hasJapanese(expected));
			assert.equal(await errorToast('t10k-images-idx3-ubyte.gz'), expected);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('a worker that runs out of memory: its row, the status, the notification and the panel say it in Japanese', async () => {
		await setSettings(SHORT);
		await clearNotifications();
		const since = (await logText()).length;
		await vscode.commands.executeCommand('minibatchLab._injectFault', { sampler: 'replacement', kind: 'oom' });
		await runComparison();
		const S = panelStrings(JA);
		const why = localizeReason(JA, { code: 'worker.oom' });
		assert.ok(hasJapanese(why), why);
		const done = pattern(S.status.doneOneFailed);
		const snap = await until('the finished table', async () => {
			const s = await snapshot();
			return s && done.test(s.status) && s.tableRows.length === 2 ? s : undefined;
		}, 60_000);
		assert.deepEqual(snap.tableRows[0], [S.samplers.replacement, '0', fill(S.table.failed, why)]);
		const sentence = fill(JA.t('{0} failed: {1}'), S.samplers.replacement, why);
		assert.equal(await errorToast(why), sentence);
		assert.equal(await queryDom({ target: 'webview', selector: '#error', op: 'text' }), sentence);
		await logged('the English reason', since, new RegExp(`\\[error\\] .* failed: ${escape(reasonText({ code: 'worker.oom' }))}$`, 'm'));
		assert.equal(await liveWorkers(), 0);
	});
});
