/**
 * The comparison page is not trusted: forged and malformed messages, posted into the real panel as its own script would
 * post them, are each refused and logged, and none starts a run. The host's second check, requestFromForm, refuses
 * values of the wrong type that get past the first, naming the field.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { SettingsError } from '../../src/core/errors';
import { requestFromForm, type RunRequest } from '../../src/extension/config';
import type { FormValues } from '../../src/shared/protocol';
import { browserBridgeAvailable, queryDom } from './browser';
import { clearNotifications, logged, logText } from './observe';
import { EXTENSION_ID, liveWorkers, peakWorkers, setSettings, snapshot, until } from './util';

const VALUES: FormValues = { iters: 601, batchSize: 100, lr: 0.1, hidden: 50, seed: 0, seedCount: 1, samplers: ['replacement', 'epoch-shuffle'], dataset: '' };
const runAgain = (values: Record<string, unknown>) => ({ type: 'runAgain', values });
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const IGNORED = 'Ignored a malformed message from the panel: ';

/** Each forged message and the line the host must log for it; none may start a run. */
const FORGED: [what: string, message: unknown, logLine: RegExp][] = [
	['a bare string', 'runAgain', new RegExp(escape(`[warning] ${IGNORED}"runAgain"`))],
	['an unknown type', { type: 'start', values: VALUES }, new RegExp(escape(`[warning] ${IGNORED}{"type":"start"`))],
	['a misspelt type', { type: 'runagain', values: VALUES }, new RegExp(escape(`[warning] ${IGNORED}{"type":"runagain"`))],
	['values as a string', runAgain(JSON.stringify(VALUES) as unknown as Record<string, unknown>), new RegExp(escape(`[warning] ${IGNORED}{"type":"runAgain","values":"{`))],
	['a number as a string', runAgain({ ...VALUES, iters: '601' }), new RegExp(escape(`[warning] ${IGNORED}{"type":"runAgain","values":{"iters":"601"`))],
	['a missing field', runAgain({ ...VALUES, seed: undefined }), new RegExp(escape(`[warning] ${IGNORED}{"type":"runAgain"`))],
	['an oversized sampler name', runAgain({ ...VALUES, samplers: ['x'.repeat(10_000)] }), new RegExp(escape(`[warning] ${IGNORED}{"type":"runAgain"`))],
	['an unknown export format', { type: 'export', format: 'exe' }, new RegExp(escape(`[warning] ${IGNORED}{"type":"export","format":"exe"}`))],
	['a huge number of iterations', runAgain({ ...VALUES, iters: 1e308 }), /\[error\] Iterations must be a whole number from 1 to 1000000; got 1e\+308\.$/m],
	['a negative batch size', runAgain({ ...VALUES, batchSize: -1 }), /\[error\] Batch size must be a whole number from 1 to 60000; got -1\.$/m],
	['a fractional hidden size', runAgain({ ...VALUES, hidden: 0.5 }), /\[error\] Hidden size must be a whole number from 1 to 4096; got 0\.5\.$/m],
	['2^53 seeds', runAgain({ ...VALUES, seedCount: 2 ** 53 }), /\[error\] Seeds must be a whole number from 1 to 100; got 9007199254740992\.$/m],
	['an unknown sampler', runAgain({ ...VALUES, samplers: ['replacement', 'bogus'] }), /\[error\] Samplers has unknown sampler "bogus"; choose from replacement, epoch-shuffle, sequential\.$/m],
	['no sampler', runAgain({ ...VALUES, samplers: [] }), /\[error\] Samplers is empty; choose one or more of replacement, epoch-shuffle, sequential\.$/m],
	// Last, so that once its line is in the log every earlier message has been handled (the host takes them in order).
	['an empty refusal', { type: 'formRefused', problems: [] }, new RegExp(escape(`[warning] ${IGNORED}{"type":"formRefused","problems":[]}`))],
];

describe('forged messages from the comparison page', function () {
	this.timeout(120_000);

	before(async () => {
		await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
		await setSettings({ iterations: 601, seedCount: 1, samplers: ['replacement', 'epoch-shuffle'], datasetPath: '' });
		// One webview, so the bridge's webview target is this panel.
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	after(async () => {
		await setSettings({ iterations: undefined, seedCount: undefined, samplers: undefined });
		await clearNotifications();
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	it('each is refused and logged, in order, and none starts a run or a worker', async function () {
		if (!browserBridgeAvailable) this.skip();
		await vscode.commands.executeCommand('minibatchLab.showPanel');
		await until('the panel', async () => snapshot());
		await queryDom({ target: 'webview', selector: '#field-batchSize', op: 'wait', timeoutMs: 30_000 });
		assert.equal(await liveWorkers(), 0);
		await peakWorkers();
		const shown = await snapshot();
		const since = (await logText()).length;

		for (const [, message] of FORGED) await queryDom({ target: 'webview', selector: 'html', op: 'post', message });

		const [last] = FORGED.slice(-1);
		await logged(`the refusal of ${last[0]}`, since, last[2]);
		const log = (await logText()).slice(since);
		let at = 0;
		for (const [what, , line] of FORGED) {
			const m = line.exec(log.slice(at));
			assert.ok(m, `no refusal of ${what} after the previous one in the log:\n${log}`);
			at += m.index + m[0].length;
		}
		assert.equal(log.split(IGNORED).length - 1, FORGED.filter(([, , l]) => l.source.includes('Ignored')).length, 'one "Ignored" line per malformed message');
		assert.equal(log.match(/ Run \d+: /), null, `no run started:\n${log}`);
		assert.equal(await peakWorkers(), 0, 'no worker started during the whole test');
		assert.equal(await liveWorkers(), 0);
		const now = await snapshot();
		assert.deepEqual([now?.header, now?.tableRows, now?.status], [shown?.header, shown?.tableRows, shown?.status], 'the panel shows no new run');
	});

	it('requestFromForm refuses values of the wrong type, naming the field, should one get past the page check', () => {
		const base: RunRequest = { settings: { iters: 601, batchSize: 100, lr: 0.1, hidden: 50, seed: 0 }, seedCount: 1, samplers: ['replacement'] };
		const forged: [Record<string, unknown>, RegExp][] = [
			[{ iters: '601' }, /^Iterations must be a whole number from 1 to 1000000; got "601"\.$/],
			[{ lr: null }, /^Learning rate must be a number greater than 0 to 1000; got null\.$/],
			[{ seed: -1 }, /^Seed must be a whole number from 0 to 4294967295; got -1\.$/],
			[{ seedCount: 1.5 }, /^Seeds must be a whole number from 1 to 100; got 1\.5\.$/],
			[{ seed: 4294967295, seedCount: 2 }, /^Seed 4294967295 with Seeds 2 would go past the largest seed, 4294967295/],
			[{ samplers: ['replacement', 'sequential', 'shuffle'] }, /^Samplers has unknown sampler "shuffle"/],
		];
		for (const [values, message] of forged) {
			assert.throws(
				() => requestFromForm({ ...VALUES, ...values } as FormValues, base),
				(e: unknown) => e instanceof SettingsError && message.test(e.message),
				JSON.stringify(values),
			);
		}
		// What gets through is exactly the form's values on top of the settings; nothing else from the page.
		assert.deepEqual(requestFromForm({ ...VALUES, dataset: '  /data/mnist  ' }, base), {
			settings: { iters: 601, batchSize: 100, lr: 0.1, hidden: 50, seed: 0 },
			seedCount: 1,
			samplers: ['replacement', 'epoch-shuffle'],
			dataset: '/data/mnist',
			parallel: undefined,
		});
	});
});
