/**
 * Bad settings, bad form input, worker faults, a second request during a run, and divergence, in the real host. Each is
 * checked where a user sees it: the notification and the panel (read from the browser's DOM), and the "Minibatch Lab"
 * log. Bad input starts no worker at all; after a fault no worker is left, and there are never more than the pool's.
 */
import * as assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { after, afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { FAULT_ITER, type FaultKind } from '../../src/runner/faults';
import { browserBridgeAvailable, queryDom, showRealDialogs } from './browser';
import { clearNotifications, DIALOG, errorToast, logged, logText } from './observe';
import { liveWorkers, peakWorkers, runComparison, setSettings, snapshot, until, within } from './util';

const SAMPLERS = ['replacement', 'epoch-shuffle'];
/** The comparison's pool: a worker per (seed, sampler), at most one per core. */
const WIDTH = Math.min(availableParallelism(), SAMPLERS.length);
/** A short valid run on the bundled MNIST, one seed. */
const SHORT = { iterations: 601, batchSize: 100, learningRate: 0.1, hiddenSize: 50, seed: 0, seedCount: 1, trainSize: 0, samplers: SAMPLERS, datasetPath: '', parallelRuns: 0 };
const UNSET = Object.fromEntries(Object.keys(SHORT).map((k) => [k, undefined]));

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What tells one run from another in the panel: the header (the run's settings) and the table. */
async function panelRun(): Promise<{ header: string; rows: string[][] } | undefined> {
	const s = await snapshot();
	return s && { header: s.header, rows: s.tableRows };
}

describe('faults in the real host', function () {
	this.timeout(240_000);

	before(async () => {
		await vscode.extensions.getExtension('minibatch-lab.minibatch-lab')!.activate();
		await setSettings(SHORT);
	});

	after(async () => {
		await vscode.commands.executeCommand('minibatchLab._injectFault', undefined);
		if (browserBridgeAvailable) await showRealDialogs(false);
		await setSettings(UNSET);
		await clearNotifications();
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	describe('bad settings through the command', () => {
		/** Each bad value, and the sentence that must name its setting and the allowed range. */
		const cases: { what: string; values: Record<string, unknown>; message: string; inPanel?: boolean }[] = [
			{ what: 'batch 0', values: { batchSize: 0 }, message: 'minibatchLab.batchSize must be a whole number from 1 to 60000; got 0.' },
			{
				what: 'a batch larger than the training set',
				values: { trainSize: 500, batchSize: 501 },
				message: 'minibatchLab.batchSize is 501 but training uses only 500 images; use a batch size from 1 to 500.',
				// Checked against the dataset once it is found, so the panel is open and says it too.
				inPanel: true,
			},
			{ what: 'learning rate 0', values: { learningRate: 0 }, message: 'minibatchLab.learningRate must be a number greater than 0 to 1000; got 0.' },
			{ what: 'a negative learning rate', values: { learningRate: -0.1 }, message: 'minibatchLab.learningRate must be a number greater than 0 to 1000; got -0.1.' },
			{ what: '0 iterations', values: { iterations: 0 }, message: 'minibatchLab.iterations must be a whole number from 1 to 1000000; got 0.' },
			{ what: 'hidden size 0', values: { hiddenSize: 0 }, message: 'minibatchLab.hiddenSize must be a whole number from 1 to 4096; got 0.' },
			{ what: 'a string for a number', values: { batchSize: '100' }, message: 'minibatchLab.batchSize must be a whole number from 1 to 60000; got "100".' },
			{ what: 'a fraction for a whole number', values: { iterations: 1.5 }, message: 'minibatchLab.iterations must be a whole number from 1 to 1000000; got 1.5.' },
			{ what: 'above the range', values: { hiddenSize: 4097 }, message: 'minibatchLab.hiddenSize must be a whole number from 1 to 4096; got 4097.' },
			{ what: '0 seeds', values: { seedCount: 0 }, message: 'minibatchLab.seedCount must be a whole number from 1 to 100; got 0.' },
			{
				what: 'a negative number of parallel runs',
				values: { parallelRuns: -1 },
				message: 'minibatchLab.parallelRuns must be a whole number from 0 (one run per CPU core) to 64; got -1.',
			},
			{
				what: 'an unknown sampler',
				values: { samplers: ['nope'] },
				message: 'minibatchLab.samplers has unknown sampler "nope"; choose from replacement, epoch-shuffle, sequential.',
			},
		];

		before(async () => {
			// The panel shows the last run; a bad request must leave it showing that.
			await vscode.commands.executeCommand('minibatchLab.showPanel');
			await until('the panel', async () => snapshot());
		});

		for (const c of cases) {
			const setting = c.message.split(' ')[0];
			it(`${c.what}: refused before any worker starts, naming ${setting} and its range`, async () => {
				await setSettings({ ...SHORT, ...c.values });
				await clearNotifications();
				assert.equal(await liveWorkers(), 0);
				await peakWorkers();
				const shown = await panelRun();
				assert.ok(shown, 'the panel is open');
				const log = (await logText()).length;

				await runComparison(60_000);

				const sentence = `Minibatch Lab cannot start: ${c.message}`;
				if (browserBridgeAvailable) {
					assert.equal(await errorToast(c.message), sentence);
					if (c.inPanel) assert.equal(await queryDom({ target: 'webview', selector: '#error', op: 'text' }), sentence);
				}
				await logged(c.what, log, new RegExp(`\\[error\\] (Minibatch Lab cannot start: )?${escape(c.message)}$`, 'm'));
				assert.equal(await liveWorkers(), 0);
				assert.equal(await peakWorkers(), 0, 'no worker started');
				assert.deepEqual(await panelRun(), shown, 'the panel shows no new run');
			});
		}

		it('bad form input: each field names itself and its range, and nothing runs', async function () {
			if (!browserBridgeAvailable) this.skip();
			await setSettings(SHORT);
			await vscode.commands.executeCommand('minibatchLab.showPanel');
			await queryDom({ target: 'webview', selector: '#field-batchSize', op: 'wait', timeoutMs: 30_000 });
			const shown = await panelRun();
			const log = await logText();
			await peakWorkers();
			const fields: [id: string, text: string, message: string][] = [
				['iters', 'abc', 'Iterations must be a whole number from 1 to 1000000; got "abc".'],
				['batchSize', '0', 'Batch size must be a whole number from 1 to 60000; got "0".'],
				['lr', '-1', 'Learning rate must be a number greater than 0 and at most 1000; got "-1".'],
				['hidden', '', 'Hidden size is empty: enter a whole number from 1 to 4096.'],
				['seedCount', '101', 'Seeds must be a whole number from 1 to 100; got "101".'],
			];
			try {
				for (const [id, text] of fields) await queryDom({ target: 'webview', selector: `#field-${id}`, op: 'fill', value: text });
				await queryDom({ target: 'webview', selector: '#settings button[type=submit]', op: 'click' });
				for (const [id, , message] of fields) {
					assert.equal(await queryDom({ target: 'webview', selector: `#field-${id}-msg`, op: 'text' }), message);
					assert.equal(await queryDom({ target: 'webview', selector: `#field-${id}`, op: 'attr', name: 'aria-invalid' }), 'true');
				}
				// The outcome itself: the page reports the refusal and the host logs it. The page sends that instead of a run
				// request, and the host handles the page's messages in order, so no request can still be on its way.
				const refusal = await logged('the form\'s refusal', log.length, /\[warning\] Run again refused by the panel's form: (.*)$/m);
				for (const [, , message] of fields) assert.ok(refusal[1].includes(message), `the log names "${message}": ${refusal[1]}`);
				assert.equal((await logText()).slice(log.length).match(/ Run \d+: /), null, 'no run started');
				assert.deepEqual(await panelRun(), shown, 'the panel shows no new run');
				assert.equal(await peakWorkers(), 0, 'no worker started during the whole test');
			} finally {
				await queryDom({ target: 'webview', selector: '#settings button', hasText: 'Revert', op: 'click' });
			}
		});
	});

	describe('worker faults', () => {
		const faults: [what: string, kind: FaultKind, reason: string][] = [
			['throws', 'throw', `injected fault at iteration ${FAULT_ITER}`],
			['runs out of memory', 'oom', 'the worker ran out of memory'],
			['is killed mid-run', 'kill', 'the worker stopped unexpectedly (exit code 1)'],
		];
		for (const [what, kind, reason] of faults) {
			it(`a worker that ${what}: its row says failed with the reason, the other sampler still reports, no worker is left`, async () => {
				await setSettings(SHORT);
				await clearNotifications();
				assert.equal(await liveWorkers(), 0);
				await peakWorkers();
				const log = (await logText()).length;
				await vscode.commands.executeCommand('minibatchLab._injectFault', { sampler: 'replacement', kind });

				await runComparison();

				const snap = await until(
					'the finished table',
					async () => {
						const s = await snapshot();
						return s && /^Done/.test(s.status) && s.tableRows.length === 2 ? s : undefined;
					},
					60_000,
				);
				const [bad, good] = snap.tableRows;
				assert.deepEqual(bad, ['with replacement (book)', '0', `failed: ${reason}`]);
				assert.equal(good[0], 'per-epoch shuffle');
				assert.equal(good[1], '1');
				for (const c of good.slice(2, 5)) assert.match(c, /^\d+\.\d\d%$/, `accuracies of the other sampler: ${good.join(' | ')}`);
				assert.match(snap.status, /^Done in [\d.]+ s; 1 run failed\.$/);
				const sentence = `with replacement (book) failed: ${reason}`;
				if (browserBridgeAvailable) {
					assert.equal(await errorToast(sentence), sentence);
					assert.equal(await queryDom({ target: 'webview', selector: '#error', op: 'text' }), sentence);
				}
				await logged('the failure', log, new RegExp(`\\[error\\] ${escape(sentence)}$`, 'm'));
				assert.equal(await liveWorkers(), 0);
				const peak = await peakWorkers();
				assert.ok(peak <= WIDTH, `at most ${WIDTH} workers at once, saw ${peak}`);
			});
		}
	});

	describe('a second request during a run', () => {
		/** The first run: long enough never to finish here, short enough that its loss curve moves. */
		const LONG = 200_000;

		before(function () {
			// VS Code refuses modals while extension tests run; only the bridge can let one show, and click it.
			if (!browserBridgeAvailable) this.skip();
		});

		afterEach(async () => {
			// A test that failed with the modal open must not leave it over the workbench.
			if (await queryDom({ selector: DIALOG, op: 'count' })) await queryDom({ selector: `${DIALOG} .monaco-button`, hasText: 'Cancel', op: 'click' });
			await showRealDialogs(false);
			await vscode.commands.executeCommand('minibatchLab.cancelComparison');
			await until('no live workers', async () => (await liveWorkers()) === 0, 30_000);
		});

		/** Starts the long run and waits until all its workers train. The command's promise is wrapped: returned bare, it would be awaited. */
		async function startLong(): Promise<{ running: Thenable<unknown> }> {
			await setSettings({ ...SHORT, iterations: LONG });
			assert.equal(await liveWorkers(), 0);
			await peakWorkers();
			const running = vscode.commands.executeCommand('minibatchLab.runComparison');
			await until('the first run training', async () => (await liveWorkers()) === WIDTH, 60_000);
			await until('the first run in the panel', async () => (await snapshot())?.header.includes(`${LONG} iterations`));
			return { running };
		}

		/** Requests a run with `iterations` while one is running, and waits for the modal; the request's promise is wrapped as above. */
		async function askAgain(iterations: number): Promise<{ again: Thenable<unknown> }> {
			await showRealDialogs(true);
			await setSettings({ iterations });
			const again = vscode.commands.executeCommand('minibatchLab.runComparison');
			const text = String(await queryDom({ selector: DIALOG, op: 'text', timeoutMs: 30_000 }));
			assert.match(text, /A minibatch comparison is running\. Restart it with the new settings\?/);
			return { again };
		}

		it('Restart cancels the old run and starts the new one, never with more workers than the pool', async () => {
			const log = (await logText()).length;
			const { running: first } = await startLong();
			const { again: second } = await askAgain(LONG - 1);
			await queryDom({ selector: `${DIALOG} .monaco-button`, hasText: 'Restart', op: 'click' });
			await within('the first run to end after the restart', first, 60_000);
			await until(
				'the new run in the panel',
				async () => {
					const s = await snapshot();
					return s && s.header.includes(`${LONG - 1} iterations`) && /^Running/.test(s.status);
				},
				60_000,
			);
			await until('the new run training', async () => (await liveWorkers()) === WIDTH, 60_000);
			const [, oldRun, newRun] = await logged('the restart', log, new RegExp(`Run (\\d+): \\{"iters":${LONG},[^\\n]*\\n[\\s\\S]*Run \\1 cancelled in [\\s\\S]*Run (\\d+): \\{"iters":${LONG - 1},`));
			assert.equal(Number(newRun), Number(oldRun) + 1);
			assert.equal(await queryDom({ selector: DIALOG, op: 'count' }), 0, 'the modal has closed');
			await vscode.commands.executeCommand('minibatchLab.cancelComparison');
			await within('the new run to end after the cancel', second, 60_000);
			assert.equal(await liveWorkers(), 0);
			const peak = await peakWorkers();
			assert.ok(peak <= WIDTH, `at most ${WIDTH} workers at once, saw ${peak}`);
		});

		it('dismissing the modal keeps the first run going', async () => {
			const before = (await logText()).length;
			const { running: first } = await startLong();
			// The log lags behind (it goes through a file): wait for the first run's line, so only later lines count.
			const firstRun = await logged('the first run', before, / Run \d+: /);
			const log = before + firstRun.index + firstRun[0].length;
			const { again: second } = await askAgain(LONG - 2);
			await queryDom({ selector: `${DIALOG} .monaco-button`, hasText: 'Cancel', op: 'click' });
			await within('the dismissed request to end', second, 30_000);
			await showRealDialogs(false);
			const s = await snapshot();
			assert.ok(s && s.header.includes(`${LONG} iterations`), `header: ${s?.header}`);
			assert.match(s.status, /^Running/);
			assert.equal(await liveWorkers(), WIDTH);
			const points = s.charts.find((c) => c.id === 'loss')?.points ?? 0;
			await until('the first run to go on training', async () => ((await snapshot())?.charts.find((c) => c.id === 'loss')?.points ?? 0) > points, 60_000);
			assert.equal(await liveWorkers(), WIDTH);
			assert.equal((await logText()).slice(log).match(/ Run \d+: /), null, 'no second run started');
			await vscode.commands.executeCommand('minibatchLab.cancelComparison');
			await within('the first run to end after the cancel', first, 60_000);
			assert.equal(await liveWorkers(), 0);
			const peak = await peakWorkers();
			assert.ok(peak <= WIDTH, `at most ${WIDTH} workers at once, saw ${peak}`);
		});
	});

	describe('starts in a burst', () => {
		it('three starts without waiting make one comparison; Cancel leaves no worker', async () => {
			await setSettings({ ...SHORT, iterations: 200_000 });
			assert.equal(await liveWorkers(), 0);
			await peakWorkers();
			const before = (await logText()).length;
			const starts = [1, 2, 3].map(() => vscode.commands.executeCommand('minibatchLab.runComparison'));
			await until('the run training', async () => (await liveWorkers()) >= WIDTH, 60_000);
			await logged('the run', before, / Run \d+: /);
			assert.equal(await liveWorkers(), WIDTH, 'the workers of one comparison');
			await vscode.commands.executeCommand('minibatchLab.cancelComparison');
			await within('every start to end after the cancel', Promise.all(starts), 60_000);
			assert.equal(await liveWorkers(), 0);
			assert.equal((await logText()).slice(before).match(/ Run \d+: /g)?.length, 1, 'one comparison started');
			const peak = await peakWorkers();
			assert.ok(peak <= WIDTH, `at most ${WIDTH} workers at once, saw ${peak}`);
		});
	});

	describe('divergence', () => {
		it('lr 100: "diverged at iteration N" in the panel, not an accuracy nor a crash, and no worker left', async () => {
			await setSettings({ ...SHORT, learningRate: 100 });
			assert.equal(await liveWorkers(), 0);
			const log = (await logText()).length;
			await runComparison();
			const snap = await until(
				'the finished table',
				async () => {
					const s = await snapshot();
					return s && /^Done/.test(s.status) && s.tableRows.length === 2 ? s : undefined;
				},
				60_000,
			);
			for (const row of snap.tableRows) {
				assert.equal(row[1], '0', `a diverged run is left out of the numbers: ${row.join(' | ')}`);
				assert.match(row[2], /^diverged at iteration \d+$/);
				assert.equal(row.length, 7, 'the three accuracy columns are one cell');
				assert.ok(!row.some((c) => /^\d+\.\d\d%$/.test(c)), `no accuracy: ${row.join(' | ')}`);
			}
			assert.match(snap.status, /^Done in [\d.]+ s\.$/);
			if (browserBridgeAvailable) assert.equal(await queryDom({ target: 'webview', selector: 'td.diverged', op: 'count' }), 2);
			// Not a crash: the run ends "done" and logs no error.
			const [run] = await logged('the run', log, /Run (\d+): \{[^\n]*"lr":100,[\s\S]*Run \1 done in/);
			assert.ok(!run.includes('[error]'), `errors logged:\n${run}`);
			assert.equal(await liveWorkers(), 0);
		});
	});
});
