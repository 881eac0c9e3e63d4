import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { GradOutcome } from '../../src/extension/gradCommand';
import { browserBridgeAvailable, queryDom } from './browser';
import { clearNotifications, logged, logText, notificationText } from './observe';
import { EXTENSION_ID, liveWorkers, peakWorkers, until, within } from './util';

describe('Numerical gradient vs backprop', function () {
	this.timeout(120_000);

	before(async () => {
		await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
	});

	after(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	it('checks a random subset, extrapolates the time and shows the panel', async () => {
		const r = await vscode.commands.executeCommand<GradOutcome | undefined>('minibatchLab.compareGradients', { subset: 2000 });
		assert.ok(r, 'the command returns its result');
		assert.equal(r.cancelled, false);
		assert.equal(r.parameters, 39760);
		assert.equal(r.checked, 2000);
		assert.equal(r.estimate, true);
		assert.ok(r.numericalSeconds > r.measuredSeconds);
		assert.ok(r.ratio > 1, `ratio ${r.ratio}`);
		assert.ok(r.maxRelErr < 1e-3, `maxRelErr ${r.maxRelErr}`);
		assert.deepEqual(Object.keys(r.avgAbsDiff).sort(), ['W1', 'W2', 'b1', 'b2']);
		assert.ok(Number.isFinite(r.avgAbsDiff.W1) && r.avgAbsDiff.W1 < 1e-6);
		// The tab model follows the panel asynchronously.
		await until('a gradient panel tab', async () =>
			vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('minibatchLab.gradients')),
		);
	});

	it('runs every parameter when no subset is given', async () => {
		const r = await vscode.commands.executeCommand<GradOutcome | undefined>('minibatchLab.compareGradients', {}); // {}: every parameter, without the quick pick
		assert.ok(r);
		assert.equal(r.checked, r.parameters);
		assert.equal(r.estimate, false);
		assert.ok(r.ratio > 1 && r.maxRelErr < 1e-3);
		for (const k of ['W1', 'b1', 'W2', 'b2'] as const) assert.ok(Number.isFinite(r.avgAbsDiff[k]) && Number.isFinite(r.maxRelErrBy[k]), k);
	});
});

describe('the exact-log switch in the gradient panel', function () {
	this.timeout(180_000);

	before(async function () {
		if (!browserBridgeAvailable) this.skip();
		await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	after(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	/** What the panel shows now: the switch's state and the two errors. */
	const panel = async () => ({
		on: await queryDom({ target: 'webview', selector: '#exact-log', op: 'attr', name: 'aria-checked' }),
		norm: Number(await queryDom({ target: 'webview', selector: '#norm-rel-err', op: 'text' })),
		max: Number(await queryDom({ target: 'webview', selector: '#max-rel-err', op: 'text' })),
		note: String(await queryDom({ target: 'webview', selector: '.note', op: 'text' })),
	});

	it('a click runs the same check with log(y): both errors fall, the note says what remains; a second click goes back', async () => {
		const r = await within('the first check', vscode.commands.executeCommand<GradOutcome | undefined>('minibatchLab.compareGradients', {}), 120_000);
		assert.ok(r && !r.exactLog, 'the book\'s log first');
		assert.ok(r.normRelErr > 1e-7 && r.normRelErr < 1e-6, `norm-relative error ${r.normRelErr}`);
		const book = await until('the switch, off', async () => {
			const p = await panel().catch(() => undefined);
			return p?.on === 'false' ? p : undefined;
		}, 60_000);
		assert.equal(book.norm, Number(r.normRelErr.toExponential(2)));
		assert.match(book.note, /That 1e-7 causes most of the difference/);

		const since = (await logText()).length;
		await queryDom({ target: 'webview', selector: '#exact-log', op: 'click' });
		const exact = await until('the check again, with the exact log', async () => {
			const p = await panel().catch(() => undefined);
			return p?.on === 'true' ? p : undefined;
		}, 120_000);
		await logged('the exact-log check', since, /Gradient check: numerical .* exact log, norm-relative error/);
		assert.ok(exact.norm < book.norm / 100, `norm-relative error ${book.norm} → ${exact.norm}`);
		assert.ok(exact.max < book.max / 10, `largest relative error ${book.max} → ${exact.max}`);
		assert.match(exact.note, /What remains is rounding in the central difference/);

		await queryDom({ target: 'webview', selector: '#exact-log', op: 'click' });
		const back = await until('the book\'s log again', async () => {
			const p = await panel().catch(() => undefined);
			return p?.on === 'false' ? p : undefined;
		}, 120_000);
		assert.equal(back.norm, book.norm, 'the same check as the first: the same numbers');
		await until('no live workers', async () => (await liveWorkers()) === 0, 60_000);
	});
});

describe('the gradient check\'s worker: cancel, close the panel, run twice', function () {
	this.timeout(180_000);
	/** The progress notification's Cancel button, as a user clicks it. */
	const clickCancel = () => queryDom({ selector: '.notification-toast .monaco-button', hasText: 'Cancel', op: 'click', timeoutMs: 30_000 });
	const gradTab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('minibatchLab.gradients'));
	/** The book's way, whole forward passes: tens of seconds, so each test stops it long before it ends. */
	const startFull = () => vscode.commands.executeCommand<GradOutcome | undefined>('minibatchLab.compareGradients', { mode: 'full' });

	before(async function () {
		if (!browserBridgeAvailable) this.skip();
		await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
		await until('no live workers', async () => (await liveWorkers()) === 0, 60_000);
	});

	afterEach(async () => {
		await clearNotifications();
		await until('no live workers', async () => (await liveWorkers()) === 0, 60_000);
	});

	after(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	it('Cancel mid-run: the command ends only after its worker, which counted as live, has exited; the panel shows what was checked @node', async () => {
		await peakWorkers();
		const running = startFull();
		await until('the gradient worker among the live workers', async () => (await liveWorkers()) === 1, 60_000);
		await clickCancel();
		const r = await within('the cancelled check to end', running, 60_000);
		assert.equal(await liveWorkers(), 0, 'the worker exited before the command ended');
		assert.ok(r, 'a cancelled check still reports what it finished');
		assert.equal(r.cancelled, true);
		assert.ok(r.checked > 0 && r.checked < r.parameters, `checked ${r.checked} of ${r.parameters}`);
		assert.equal(await peakWorkers(), 1);
		await until('the gradient panel', async () => gradTab());
		assert.match(String(await queryDom({ target: 'webview', selector: '.warning', op: 'text' })), new RegExp(`${r.checked.toLocaleString('en-US')} of 39,760`));
	});

	it('Cancel mid-run in the browser stops the worker at once and says why nothing it finished is shown @web', async () => {
		await peakWorkers();
		const since = (await logText()).length;
		const running = startFull();
		await until('the gradient worker among the live workers', async () => (await liveWorkers()) === 1, 60_000);
		await clickCancel();
		assert.equal(await within('the cancelled check to end', running, 60_000), undefined);
		assert.equal(await liveWorkers(), 0, 'the worker was terminated before the command ended');
		assert.equal(await peakWorkers(), 1);
		await logged('the explanation', since, /Gradient check cancelled: in the browser it stops at once, without the part it finished, because workers there cannot share memory/);
		assert.match(
			String(await notificationText('Gradient check cancelled')),
			/pick the random subset of 2,000 parameters for a quick check\.$/,
		);
	});

	it('closing the panel mid-run stops the check: its worker is gone when the command ends, and the panel does not come back', async () => {
		// The panel of a finished check (in Node the cancelled one above left it open).
		if (!gradTab()) await within('a quick check', vscode.commands.executeCommand('minibatchLab.compareGradients', { subset: 100 }), 60_000);
		await until('a gradient panel', async () => gradTab());
		const since = (await logText()).length;
		const running = startFull();
		await until('the gradient worker among the live workers', async () => (await liveWorkers()) === 1, 60_000);
		// The tab as the host knows it now: a Tab object read while the panel was still opening can be gone ("Invalid tab").
		await until('the panel closed', async () => {
			const tab = gradTab();
			return tab ? vscode.window.tabGroups.close(tab).then(() => true, () => false) : false;
		});
		assert.equal(await within('the check to end after its panel closed', running, 60_000), undefined);
		assert.equal(await liveWorkers(), 0, 'the worker exited before the command ended');
		await logged('the stop', since, /Gradient check stopped: its panel was closed\./);
		assert.equal(gradTab(), undefined, 'no panel reopened');
	});

	it('a second request during a check is refused, saying so; only one worker ever runs', async () => {
		await peakWorkers();
		const since = (await logText()).length;
		const first = startFull();
		await until('the gradient worker among the live workers', async () => (await liveWorkers()) === 1, 60_000);
		const second = await within('the second request to be answered', vscode.commands.executeCommand<GradOutcome | undefined>('minibatchLab.compareGradients', { subset: 100 }), 30_000);
		assert.equal(second, undefined);
		assert.match(
			String(await notificationText('already running')),
			/^A gradient check is already running\. Cancel it from its notification, or wait for its result\.$/,
		);
		await logged('the refusal', since, /A gradient check is already running; the new request was not started\./);
		assert.equal(await liveWorkers(), 1, 'the first check goes on');
		await clickCancel();
		const r = await within('the first check to end', first, 60_000);
		// A browser's worker is terminated at once (no shared flag), so nothing comes back there.
		if (typeof process === 'undefined') assert.equal(r, undefined);
		else assert.equal(r?.cancelled, true);
		assert.equal(await liveWorkers(), 0);
		assert.equal(await peakWorkers(), 1, 'never two gradient workers at once');
	});
});
