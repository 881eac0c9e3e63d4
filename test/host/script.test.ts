/**
 * "Minibatch Lab: Compare samplers on this script" in the real extension host, with Debian's Python: the book's script
 * and scripts in other styles match the reference exactly (from the palette, as a user runs it), a backprop bug is
 * flagged at the right evaluation, a crash names its line, Cancel leaves no Python process, the first runs build
 * mnist.pkl once, the CodeLens sits on the training loop, and Restricted Mode refuses (tagged @untrusted). The editor's
 * ways in and the refusals before a run: ./scriptEditor.test.ts.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { ScriptSummary } from '../../src/extension/script/scriptReport';
import { bookFolder, bookPython, countPickleBuilds } from '../support/bookFolder';
import { browserBridgeAvailable, queryDom } from './browser';
import { clearNotifications, logText, logged, notificationText } from './observe';
import { compare, fromPalette, LIMIT_MS, open, processesWith, SHIM_MARKER, state } from './scriptSupport';
import { EXTENSION_ID, setSettings, snapshot, until, within } from './util';

describe('Compare samplers on this script', function () {
	this.timeout(LIMIT_MS + 60_000);
	const need = bookPython();
	let root = '';
	let book = '';
	const folders: string[] = [];

	before(async function () {
		if (need.options.skip) this.skip();
		await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
		root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
		book = bookFolder(root);
		folders.push(book);
		await setSettings({ pythonPath: need.require(), seed: 0, seedCount: 1, samplers: ['replacement', 'epoch-shuffle'] });
	});

	after(async () => {
		await setSettings({ pythonPath: undefined, seed: undefined, seedCount: undefined, samplers: undefined });
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		for (const f of folders) rmSync(f, { recursive: true, force: true });
	});

	it('puts a CodeLens on the training loop’s for line of the book’s script', async () => {
		const editor = await open(join(book, 'ch04', 'train_neuralnet.py'));
		const lenses = await until('the CodeLens', async () => {
			const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
			return l?.find((x) => x.command?.command === 'minibatchLab.compareScript') ? l : undefined;
		});
		const lens = lenses.find((x) => x.command?.command === 'minibatchLab.compareScript') as vscode.CodeLens;
		assert.equal(editor.document.lineAt(lens.range.start.line).text, 'for i in range(iters_num):');
		assert.match(lens.command?.title ?? '', /Compare samplers on this script/);
	});

	it('the book’s unchanged ch04/train_neuralnet.py matches exactly (iterations override 601)', async () => {
		const s = await compare(join(book, 'ch04', 'train_neuralnet.py'), { iters: 601 });
		assert.deepEqual(s.settings, { iters: 601, batchSize: 100, lr: 0.1, hidden: 50, trainSize: 60000 });
		assert.deepEqual(s.results.map((r) => r.sampler), ['replacement', 'epoch-shuffle']);
		for (const r of s.results) assert.deepEqual([r.error, r.reference.identical, r.evals.length], [null, true, 2], r.sampler);
		assert.deepEqual(s.results[0].evals[1], { iter: 600, trainAcc: 0.7823333333333333, testAcc: 0.7915 });
		assert.equal((await state()).liveProcesses, 0);
		// The panel: the reference's rows, your script's beside them, a verdict per run and both curves.
		const snap = await until('the panel with the verdicts', async () => {
			const p = await snapshot();
			return p && p.scriptVerdicts.length === 2 && p.scriptVerdicts.every((v) => v.verdict) ? p : undefined;
		});
		assert.deepEqual(
			snap.tableRows.map((r) => r[0]),
			['reference · with replacement (book)', 'reference · per-epoch shuffle', 'your script · with replacement', 'your script · per-epoch shuffle'],
		);
		assert.equal(snap.tableRows[2][3], snap.tableRows[0][3], 'the same final train accuracy as the reference');
		assert.deepEqual(
			snap.scriptVerdicts.map((v) => [v.who, v.verdict, v.error]),
			[
				['your script · with replacement, seed 0', 'identical to the reference at all 2 evaluations', ''],
				['your script · per-epoch shuffle, seed 0', 'identical to the reference at all 2 evaluations', ''],
			],
		);
		assert.match(snap.header, /^Your script train_neuralnet\.py \(Python 3\.[\d.]+, NumPy [\d.]+\) against the reference\. /);
		const acc = snap.charts.find((c) => c.id === 'accuracy');
		assert.ok(acc && acc.drawn && acc.texts.includes('your script · with replacement · test'), JSON.stringify(acc));
	});

	it('Run again in the panel runs the script again, with the form’s iterations rewriting its iters_num and the form’s seeds', async function () {
		if (!browserBridgeAvailable) this.skip();
		const before = (await state()).last;
		assert.equal(before?.file, 'train_neuralnet.py');
		// A notification over the panel would take the click.
		await clearNotifications();
		await vscode.commands.executeCommand('minibatchLab.showPanel');
		const note = String(await queryDom({ target: 'webview', selector: '#form-script-note', op: 'text', timeoutMs: 30_000 }));
		assert.match(note, /^Run again runs train_neuralnet\.py again: iterations/);
		assert.equal(await queryDom({ target: 'webview', selector: '#field-lr', op: 'attr', name: 'readonly' }), '');
		await queryDom({ target: 'webview', selector: '#field-iters', op: 'fill', value: '61' });
		await queryDom({ target: 'webview', selector: '#field-seed', op: 'fill', value: '3' });
		await queryDom({ target: 'webview', selector: '#field-seedCount', op: 'fill', value: '2' });
		await queryDom({ target: 'webview', selector: '#settings button[type="submit"]', op: 'click' });
		const s = await until('the second run', async () => {
			const x = await state();
			return !x.running && x.last && x.last !== before ? x.last : undefined;
		}, LIMIT_MS, 500);
		assert.equal(s.path, before?.path);
		assert.deepEqual([s.settings.iters, s.origin.iters, s.seeds], [61, 'override', [3, 4]]);
		assert.deepEqual(s.results.map((r) => `${r.sampler} ${r.seed}`).sort(), ['epoch-shuffle 3', 'epoch-shuffle 4', 'replacement 3', 'replacement 4']);
		for (const r of s.results) assert.deepEqual([r.error, r.reference.identical, r.evals.length], [null, true, 1]);
	});

	for (const file of ['fstrings.py', 'train_function.py', 'epoch_loop.py']) {
		it(`from the palette, a script in another style (${file}) matches exactly`, async function () {
			if (!browserBridgeAvailable) this.skip();
			const s = await fromPalette(join(book, 'ch04', file));
			for (const r of s.results) {
				assert.equal(r.error, null, `${r.sampler}: ${JSON.stringify(r.error)}`);
				assert.equal(r.reference.identical, true, `${r.sampler}: ${JSON.stringify(r.reference)}`);
				assert.equal(r.evals.length, 3);
			}
			const n = await queryDom({ selector: '.notification-toast .notification-list-item-message', hasText: `${file}: every run matches the reference (2 identical, 0 within rounding).`, op: 'wait', timeoutMs: 30_000 });
			assert.equal(n, 1);
			await clearNotifications();
		});
	}

	it('a wrong sigmoid derivative is flagged at the first evaluation that differs', async () => {
		const s = await compare(join(book, 'ch04', 'wrong_sigmoid_grad.py'), { samplers: ['replacement'] });
		const r = s.results[0];
		assert.equal(r.reference.match, false);
		const first = r.evals.findIndex((e, k) => Math.abs((e.trainAcc ?? 0) - r.referenceEvals[k].trainAcc) > 2e-4 || Math.abs((e.testAcc ?? 0) - r.referenceEvals[k].testAcc) > 2e-4);
		assert.ok(first > 0);
		assert.equal(r.reference.firstDifference?.iter, r.evals[first].iter);
		const since = (await logText()).length;
		await logged('the verdict', since - 5000, new RegExp(`differs from iteration ${r.evals[first].iter}: yours`));
	});

	it('a crash names its exception and line, as a notification with Go to Line, and keeps the evaluations so far', async function () {
		await clearNotifications();
		const path = join(book, 'ch04', 'crash.py');
		const s = await compare(path);
		for (const r of s.results) {
			assert.deepEqual(r.error && { type: r.error.type, file: r.error.file, line: r.error.line }, { type: 'ZeroDivisionError', file: path, line: 22 });
			assert.equal(r.evals.length, 1);
		}
		// The panel keeps the evaluation made before the crash, says where it raised, and links there.
		const snap = await until('the crash in the panel', async () => {
			const p = await snapshot();
			return p && p.scriptVerdicts.length === 2 && p.scriptVerdicts.every((v) => v.error) ? p : undefined;
		});
		assert.deepEqual(
			snap.scriptVerdicts.map((v) => [v.verdict, v.link]),
			[
				['identical to the reference at its one evaluation', 'Go to crash.py, line 22'],
				['identical to the reference at its one evaluation', 'Go to crash.py, line 22'],
			],
		);
		assert.match(snap.scriptVerdicts[0].error, /^ZeroDivisionError: division by zero \(crash\.py, line 22\)/);
		if (!browserBridgeAvailable) return;
		const toast = '.notification-toast:has(.codicon-error)';
		const text = String(await queryDom({ selector: `${toast} .notification-list-item-message`, hasText: 'ZeroDivisionError', op: 'text', timeoutMs: 30_000 }));
		assert.match(text, /with replacement, seed 0: ZeroDivisionError: division by zero \(crash\.py, line 22\) \(2 runs failed in all; see the log\.\)/);
		await queryDom({ selector: `${toast} .monaco-button`, hasText: 'Go to Line', op: 'click' });
		await until('the editor at line 22', async () => {
			const e = vscode.window.activeTextEditor;
			return e?.document.fileName === path && e.selection.active.line === 21;
		});
		await clearNotifications();
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		await clearNotifications();
		await vscode.commands.executeCommand('minibatchLab.showPanel');
		await queryDom({ target: 'webview', selector: '.script-link', op: 'click', timeoutMs: 30_000 });
		await until('the editor at line 22 from the panel', async () => {
			const e = vscode.window.activeTextEditor;
			return e?.document.fileName === path && e.selection.active.line === 21;
		});
	});

	it('the progress shows the time left, and Cancel stops every Python process, including one the script started', async function () {
		const marker = `mbl-host-cancel-${process.pid}`;
		const path = join(book, 'ch04', 'long.py');
		writeFileSync(
			path,
			readFileSync(join(book, 'ch04', 'fstrings.py'), 'utf8')
				.replace('steps = 121', 'steps = 1000000')
				.replace('import numpy as np', `import numpy as np\nimport subprocess\nsubprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)  # ${marker}'])`),
		);
		const run = vscode.commands.executeCommand<ScriptSummary | undefined>('minibatchLab.compareScript', vscode.Uri.file(path), { seedCount: 2, iters: 20000 });
		try {
			await until('two runs training', async () => (await state()).liveProcesses >= 2 && processesWith(marker, book).length >= 1, 60_000, 250);
			if (!browserBridgeAvailable) await vscode.commands.executeCommand('minibatchLab.cancelScript');
			else {
				// The time left is given once 2% of the iterations are done (1,600 of 4 runs × 20,000 here).
				await until('the time left in the progress notification', async () => {
					const texts = (await queryDom({ selector: '.notification-toast .notification-list-item-message', op: 'texts' })) as string[];
					return texts.some((x) => /long\.py: \d+% · about .+ left/.test(x));
				}, 120_000, 250);
				await queryDom({ selector: '.notification-toast .monaco-button', hasText: 'Cancel', op: 'click', timeoutMs: 30_000 });
			}
		} catch (e) {
			// Leave nothing running for the next tests.
			await vscode.commands.executeCommand('minibatchLab.cancelScript');
			throw e;
		}
		const s = await within('the cancelled run to end', run, 60_000);
		assert.equal(s?.cancelled, true);
		assert.equal((await state()).liveProcesses, 0);
		await until('no process left', async () => processesWith(marker, book).length === 0 && processesWith(SHIM_MARKER, book).length === 0, 10_000);
		await clearNotifications();
	});

	it('closing the panel mid-run stops every Python process', async () => {
		const path = join(book, 'ch04', 'long.py');
		const run = vscode.commands.executeCommand<ScriptSummary | undefined>('minibatchLab.compareScript', vscode.Uri.file(path), { seedCount: 2 });
		await until('two runs training', async () => (await state()).liveProcesses >= 2, 60_000, 250);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		const s = await within('the run to end after its panel closed', run, 60_000);
		assert.equal(s?.cancelled, true);
		assert.equal((await state()).liveProcesses, 0);
		await until('no process left', async () => processesWith(SHIM_MARKER, book).length === 0, 10_000);
		await clearNotifications();
	});
	it('parallel first runs build dataset/mnist.pkl once', async () => {
		const fresh = bookFolder(root);
		folders.push(fresh);
		const builds = countPickleBuilds(fresh);
		const s = await compare(join(fresh, 'ch04', 'fstrings.py'), { iters: 1, seedCount: 2 });
		assert.equal(s.results.length, 4);
		for (const r of s.results) assert.equal(r.error, null, JSON.stringify(r.error));
		assert.equal(builds(), 1);
	});
});

describe('Compare samplers on this script @untrusted', function () {
	this.timeout(60_000);

	it('refuses in Restricted Mode, saying why, and starts no process', async function () {
		assert.equal(vscode.workspace.isTrusted, false);
		await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
		const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
		const since = (await logText()).length;
		const result = await vscode.commands.executeCommand('minibatchLab.compareScript', vscode.Uri.file(join(root, 'test', 'fixtures', 'book', 'ch04', 'train_neuralnet.py')));
		assert.equal(result, undefined);
		const st = await state();
		assert.deepEqual([st.running, st.liveProcesses, st.last], [false, 0, undefined]);
		await logged('the refusal', since, /Refused to run a script: the workspace is in Restricted Mode\./);
		if (!browserBridgeAvailable) return;
		const text = String(await notificationText('Restricted Mode'));
		assert.match(text, /^Minibatch Lab does not run scripts in Restricted Mode: running your script runs its code/);
		await clearNotifications();
	});
});
