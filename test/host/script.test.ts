/**
 * "Minibatch Lab: Compare samplers on this script" in the real extension host, with Debian's Python: the book's script
 * and scripts in other styles match the reference exactly (from the palette, as a user runs it), a backprop bug is
 * flagged at the right evaluation, a crash names its line, Cancel leaves no Python process, the first runs build
 * mnist.pkl once, the CodeLens sits on the training loop, and Restricted Mode refuses (tagged @untrusted).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { ScriptSummary } from '../../src/extension/script/scriptReport';
import { bookFolder, bookPython, countPickleBuilds } from '../support/bookFolder';
import { panelStrings } from '../../src/shared/strings/panel';
import { fill } from '../../src/shared/strings/l10n';
import { bundleL10n, englishWords } from '../support/japanese';
import { browserBridgeAvailable, queryDom, showRealDialogs } from './browser';
import { clearNotifications, DIALOG, logText, logged } from './observe';
import { EXTENSION_ID, setSettings, snapshot, until, within } from './util';

interface ScriptState {
	running: boolean;
	liveProcesses: number;
	last?: ScriptSummary;
}
const state = () => vscode.commands.executeCommand<ScriptState>('minibatchLab._scriptState');
const SHIM_MARKER = "Minibatch Lab: runs a learner's training script";
const LIMIT_MS = 240_000;

/**
 * Processes whose command line holds `marker` and whose working directory is under `folder` (Linux: /proc). The folder
 * keeps other test runs on the same machine out: the shim runs in the script's folder, and its children inherit it.
 */
function processesWith(marker: string, folder: string): number[] {
	const found: number[] = [];
	const under = realpathSync(folder);
	for (const p of readdirSync('/proc')) {
		if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
		try {
			if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker) && readlinkSync(`/proc/${p}/cwd`).startsWith(under)) found.push(Number(p));
		} catch {
			// Gone meanwhile.
		}
	}
	return found;
}

async function open(path: string): Promise<vscode.TextEditor> {
	return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(path)), { preview: false });
}

/** Runs the command on a file with the panel form's options (iterations override, seeds, samplers). */
async function compare(path: string, options: Record<string, unknown> = {}): Promise<ScriptSummary> {
	const s = await within('the script comparison to end', vscode.commands.executeCommand<ScriptSummary | undefined>('minibatchLab.compareScript', vscode.Uri.file(path), options), LIMIT_MS);
	assert.ok(s, 'the command returned no results');
	return s;
}

/** The palette, as a user opens it with the script in the active editor: Ctrl+Shift+P, the title, Enter (a click here). */
async function fromPalette(path: string): Promise<ScriptSummary> {
	await open(path);
	const before = (await state()).last;
	await vscode.commands.executeCommand('workbench.action.quickOpen', '>Minibatch Lab: Compare samplers on this script');
	await queryDom({ selector: '.quick-input-list .monaco-list-row:has-text("Minibatch Lab: Compare samplers on this script")', op: 'click', timeoutMs: 20_000 });
	return until('the palette run to end', async () => {
		const s = await state();
		return !s.running && s.last && s.last !== before && s.last.path === path ? s.last : undefined;
	}, LIMIT_MS, 500);
}

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

	it('no Python at minibatchLab.pythonPath: one sentence naming it, and nothing runs', async function () {
		const missing = join(book, 'no-such-python');
		await setSettings({ pythonPath: missing });
		try {
			const since = (await logText()).length;
			const before = (await state()).last;
			const result = await vscode.commands.executeCommand('minibatchLab.compareScript', vscode.Uri.file(join(book, 'ch04', 'fstrings.py')));
			assert.equal(result, undefined);
			const st = await state();
			assert.deepEqual([st.running, st.liveProcesses, st.last === before], [false, 0, true]);
			const sentence = `No Python found (tried ${missing}): install Python 3 with NumPy, or say which Python to use.`;
			await until('the sentence in the log', async () => (await logText()).slice(since).includes(sentence), 30_000, 250);
			if (browserBridgeAvailable) {
				const n = await queryDom({ selector: '.notification-toast .notification-list-item-message', hasText: 'No Python found', op: 'wait', timeoutMs: 30_000 });
				assert.equal(n, 1);
			}
		} finally {
			await clearNotifications();
			await setSettings({ pythonPath: need.require() });
		}
	});

	it('the editor title button and the editor context menu run the command on that Python file', async function () {
		if (!browserBridgeAvailable) this.skip();
		await clearNotifications();
		const path = join(book, 'ch04', 'fstrings.py');
		await open(path);
		const ended = async (before: ScriptSummary | undefined, what: string) =>
			until(what, async () => {
				const s = await state();
				return !s.running && s.last && s.last !== before ? s.last : undefined;
			}, LIMIT_MS, 500);
		let before = (await state()).last;
		await queryDom({ selector: '.editor-actions .action-label[aria-label*="Compare samplers on this script"]', op: 'click', timeoutMs: 20_000 });
		let s = await ended(before, 'the run from the title button');
		assert.deepEqual([s.path, s.results.length, s.results.every((r) => r.reference.identical)], [path, 2, true]);
		await clearNotifications();
		await open(path);
		before = s;
		await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
		await vscode.commands.executeCommand('editor.action.showContextMenu');
		await queryDom({ selector: '.monaco-menu .action-label', hasText: 'Compare samplers on this script', op: 'wait', timeoutMs: 20_000 });
		// A click that lands as the menu opens can be swallowed (the menu stays open, seen in code-server 4.100.3): click
		// again while it is still open, at most three times.
		for (let k = 0; k < 3 && (await queryDom({ selector: '.monaco-menu .action-label', hasText: 'Compare samplers on this script', op: 'count' })) === 1; k++) {
			await queryDom({ selector: '.monaco-menu .action-label', hasText: 'Compare samplers on this script', op: 'click', timeoutMs: 20_000 });
			await new Promise((r) => setTimeout(r, 2000));
		}
		s = await ended(before, 'the run from the context menu');
		assert.deepEqual([s.path, s.results.length, s.results.every((r) => r.reference.identical)], [path, 2, true]);
		await clearNotifications();
	});

	it('runs the script as itself (its folder as cwd and sys.path[0], its real __file__, __name__ "__main__") and never modifies it', async () => {
		const out = mkdtempSync(join(tmpdir(), 'mbl-as-itself-'));
		folders.push(out);
		const path = join(book, 'ch04', 'as_itself.py');
		const probe = [
			'import json, os, sys',
			`with open(os.path.join(${JSON.stringify(out)}, '%d.json' % os.getpid()), 'w') as f:`,
			"    json.dump({'cwd': os.getcwd(), 'path0': sys.path[0], 'file': __file__, 'name': __name__, 'argv': sys.argv}, f)",
		].join('\n');
		writeFileSync(path, `${probe}\n${readFileSync(join(book, 'ch04', 'fstrings.py'), 'utf8')}`);
		const bytes = readFileSync(path);
		const mtime = statSync(path).mtimeMs;
		const editor = await open(path);
		const s = await compare(path, { iters: 61 });
		for (const r of s.results) assert.deepEqual([r.sampler, r.error, r.reference.identical], [r.sampler, null, true]);
		const seen = readdirSync(out).map((f) => JSON.parse(readFileSync(join(out, f), 'utf8')) as Record<string, unknown>);
		assert.equal(seen.length, 2, 'one probe per run, with replacement and the rewritten per-epoch shuffle');
		const folder = join(book, 'ch04');
		for (const p of seen) assert.deepEqual(p, { cwd: realpathSync(folder), path0: folder, file: path, name: '__main__', argv: [path] });
		// The per-epoch shuffle ran the rewrite, and the iterations override changed its steps: both in memory only.
		assert.ok(readFileSync(path).equals(bytes), 'the file on disk is unchanged');
		assert.equal(statSync(path).mtimeMs, mtime);
		assert.deepEqual([editor.document.isDirty, editor.document.getText()], [false, bytes.toString('utf8')]);
	});

	it('seed and seed count come from the settings, and each run matches what the CLI’s reference prints for it', async () => {
		await setSettings({ seed: 5, seedCount: 2 });
		try {
			const s = await compare(join(book, 'ch04', 'fstrings.py'));
			assert.deepEqual(s.seeds, [5, 6]);
			const cli = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'compare', '--iters', '121', '--train-size', '6000', '--seed', '5', '--seeds', '2', '--json'], { encoding: 'utf8', timeout: LIMIT_MS });
			assert.equal(cli.status, 0, cli.stderr);
			const runs = (JSON.parse(cli.stdout) as { runs: { sampler: string; seed: number; evals: { iter: number; trainAcc: number; testAcc: number }[] }[] }).runs;
			assert.equal(s.results.length, 4);
			for (const r of s.results) {
				const ref = runs.find((x) => x.sampler === r.sampler && x.seed === r.seed);
				assert.ok(ref, `${r.sampler} ${r.seed}`);
				const cliEvals = ref.evals.map((e) => ({ iter: e.iter, trainAcc: e.trainAcc, testAcc: e.testAcc }));
				assert.deepEqual([r.error, r.reference.identical, r.evals], [null, true, cliEvals], `${r.sampler} seed ${r.seed}`);
			}
			// The book's script with seed 5, as measured by hand with NumPy 1.24 (the numbers, at iteration 600).
			await setSettings({ seedCount: 1 });
			const book5 = await compare(join(book, 'ch04', 'train_neuralnet.py'), { iters: 601, samplers: ['replacement'] });
			assert.deepEqual(book5.results[0].evals, [
				{ iter: 0, trainAcc: 0.09736666666666667, testAcc: 0.0982 },
				{ iter: 600, trainAcc: 0.7717333333333334, testAcc: 0.7775 },
			]);
			assert.equal(book5.results[0].reference.identical, true);
		} finally {
			await setSettings({ seed: 0, seedCount: 1 });
		}
	});

	it('NumPy missing for that Python: one sentence naming the interpreter and the install command, which a button copies', async function () {
		if (!browserBridgeAvailable) this.skip();
		// A Python that cannot see its site-packages.
		const bare = join(book, 'bare-python');
		writeFileSync(bare, `#!/bin/sh\nexec ${need.require()} -S "$@"\n`);
		chmodSync(bare, 0o755);
		const executable = spawnSync(need.require(), ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
		const install = executable === '/usr/bin/python3' ? 'sudo apt-get install python3-numpy' : `${executable} -m pip install numpy`;
		await clearNotifications();
		await setSettings({ pythonPath: bare });
		try {
			const before = (await state()).last;
			assert.equal(await vscode.commands.executeCommand('minibatchLab.compareScript', vscode.Uri.file(join(book, 'ch04', 'fstrings.py'))), undefined);
			const st = await state();
			assert.deepEqual([st.running, st.liveProcesses, st.last === before], [false, 0, true]);
			const toast = '.notification-toast:has(.codicon-error)';
			const text = String(await queryDom({ selector: `${toast} .notification-list-item-message`, hasText: 'NumPy is missing', op: 'text', timeoutMs: 30_000 }));
			assert.match(text, new RegExp(`^NumPy is missing for ${executable.replace(/[.*+?^$()|[\]\\]/g, '\\$&')} \\(Python 3\\.[\\d.]+\\): install it with ${install.replace(/[.*+?^$()|[\]\\]/g, '\\$&')}$`));
			await vscode.env.clipboard.writeText('');
			await queryDom({ selector: `${toast} .monaco-button`, hasText: 'Copy Install Command', op: 'click' });
			await until('the install command on the clipboard', async () => (await vscode.env.clipboard.readText()) === install, 10_000, 200);
		} finally {
			await clearNotifications();
			await setSettings({ pythonPath: need.require() });
		}
	});

	it('a setting the script hides is asked for, naming it and its line, and the reference trains with the value given', async function () {
		if (!browserBridgeAvailable) this.skip();
		const path = join(book, 'ch04', 'hidden_lr.py');
		writeFileSync(path, readFileSync(join(book, 'ch04', 'train_neuralnet.py'), 'utf8').replace('learning_rate = 0.1', 'learning_rate = float(sys.argv[1]) if len(sys.argv) > 1 else 0.1'));
		const run = vscode.commands.executeCommand<ScriptSummary | undefined>('minibatchLab.compareScript', vscode.Uri.file(path), { iters: 61, samplers: ['replacement'] });
		try {
			const prompt = String(await queryDom({ selector: '.quick-input-widget .quick-input-message', hasText: 'learning rate', op: 'text', timeoutMs: 30_000 }));
			assert.match(prompt, /^The script does not give its learning rate as a number Minibatch Lab can read \(line 17: float\(sys\.argv\[1\]\)/);
			await queryDom({ selector: '.quick-input-widget .quick-input-box input', op: 'fill', value: '0.1' });
			await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
		} catch (e) {
			// Nothing left asking for the next tests.
			await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
			throw e;
		}
		const s = await within('the run with the value given', run, LIMIT_MS);
		assert.ok(s);
		assert.deepEqual([s.settings.lr, s.origin.lr], [0.1, 'given']);
		assert.deepEqual([s.results[0].error, s.results[0].reference.identical, s.results[0].evals.length], [null, true, 1]);
	});

	it('a loop calling numerical_gradient is warned about first, with the estimate: Cancel runs nothing, Run Anyway runs it', async function () {
		if (!browserBridgeAvailable) this.skip();
		const path = join(book, 'ch04', 'numgrad.py');
		// Never taken, so the run stays quick: the warning comes from reading the file.
		writeFileSync(path, readFileSync(join(book, 'ch04', 'fstrings.py'), 'utf8').replace('    g = net.gradient(xb, yb)', '    g = net.numerical_gradient(xb, yb) if step < 0 else net.gradient(xb, yb)'));
		const options = { iters: 1, samplers: ['replacement'] };
		await showRealDialogs(true);
		try {
			const before = (await state()).last;
			const refused = vscode.commands.executeCommand<ScriptSummary | undefined>('minibatchLab.compareScript', vscode.Uri.file(path), options);
			const text = String(await queryDom({ selector: DIALOG, op: 'text', timeoutMs: 30_000 }));
			assert.match(text, /Line 21 calls numerical_gradient: each iteration then evaluates the loss 2 × 39,760 = 79,520 times, so 1 iterations take about [\d.]+ to [\d.]+ hours\./);
			await queryDom({ selector: `${DIALOG} .monaco-button`, hasText: 'Cancel', op: 'click' });
			assert.equal(await within('the declined run', refused, 30_000), undefined);
			const st = await state();
			assert.deepEqual([st.running, st.liveProcesses, st.last === before], [false, 0, true]);
			const run = vscode.commands.executeCommand<ScriptSummary | undefined>('minibatchLab.compareScript', vscode.Uri.file(path), options);
			await queryDom({ selector: `${DIALOG} .monaco-button`, hasText: 'Run Anyway', op: 'click', timeoutMs: 30_000 });
			const s = await within('the run after Run Anyway', run, LIMIT_MS);
			assert.deepEqual([s?.results.length, s?.results[0].error, s?.results[0].reference.identical], [1, null, true]);
		} finally {
			if (await queryDom({ selector: DIALOG, op: 'count' })) await queryDom({ selector: `${DIALOG} .monaco-button`, hasText: 'Cancel', op: 'click' });
			await showRealDialogs(false);
			await clearNotifications();
		}
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
		const text = String(await queryDom({ selector: '.notification-toast .notification-list-item-message', hasText: 'Restricted Mode', op: 'text', timeoutMs: 30_000 }));
		assert.match(text, /^Minibatch Lab does not run scripts in Restricted Mode: running your script runs its code/);
		await clearNotifications();
	});
});

describe('Compare samplers on this script @ja', function () {
	this.timeout(LIMIT_MS + 60_000);
	const need = bookPython();
	let book = '';

	before(async function () {
		if (need.options.skip || !browserBridgeAvailable) this.skip();
		await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
		book = bookFolder(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath);
		await setSettings({ pythonPath: need.require(), seed: 0, seedCount: 1 });
	});

	after(async () => {
		await setSettings({ pythonPath: undefined, seed: undefined, seedCount: undefined });
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		if (book) rmSync(book, { recursive: true, force: true });
	});

	it('the panel’s rows, verdicts and hint, and the notification, are in Japanese', async () => {
		const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
		const JA = bundleL10n(JSON.parse(readFileSync(join(ext.extensionPath, 'l10n', 'bundle.l10n.ja.json'), 'utf8')) as Record<string, string>);
		const P = panelStrings(JA);
		const S = P.script;
		await clearNotifications();
		const s = await compare(join(book, 'ch04', 'wrong_sigmoid_grad.py'));
		assert.deepEqual(s.results.map((r) => r.reference.match), [false, false]);
		const snap = await until('the panel with the verdicts', async () => {
			const p = await snapshot();
			return p && p.scriptVerdicts.length === 2 && p.scriptVerdicts.every((v) => v.verdict) ? p : undefined;
		});
		assert.deepEqual(snap.tableRows.map((r) => r[0]).slice(2), [S.runs.replacement, S.runs['epoch-shuffle']]);
		assert.deepEqual(snap.scriptVerdicts.map((v) => v.who), [fill(S.page.who, S.runs.replacement, 0), fill(S.page.who, S.runs['epoch-shuffle'], 0)]);
		for (const [k, v] of snap.scriptVerdicts.entries()) {
			const d = s.results[k].reference.firstDifference!;
			assert.equal(v.verdict, fill(S.verdict.differs, d.iter, d.trainAcc!.toFixed(4), d.testAcc!.toFixed(4), d.referenceTrainAcc.toFixed(4), d.referenceTestAcc.toFixed(4)));
			assert.equal(v.hint, d.iter > 0 ? S.verdict.hintLater : S.verdict.hintFirst);
		}
		const page = String(await queryDom({ target: 'webview', selector: '#script-results', op: 'text', timeoutMs: 20_000 }));
		assert.deepEqual(englishWords(page, ['wrong_sigmoid_grad.py', 'Python', 'NumPy', 'np.random.seed', 'normalize=True', 'params -= lr * grad', 'W1', 'W2']), [], page);
		const toast = String(await queryDom({ selector: '.notification-toast .notification-list-item-message', hasText: 'wrong_sigmoid_grad.py', op: 'text', timeoutMs: 30_000 }));
		assert.deepEqual(englishWords(toast, ['wrong_sigmoid_grad.py']), [], toast);
		await clearNotifications();
	});
});
