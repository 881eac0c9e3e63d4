import * as vscode from 'vscode';
import type { Dataset } from '../core/dataset';
import { ReasonError, reasonOf, SettingsError } from '../core/errors';
import { isReason } from '../core/reasons';
import { localizeReason } from '../shared/strings/reasons';
import type { WorkerHost } from '../runner/pool';
import { reportSettingsError } from './problems';
import type { GradJob, GradReport } from '../shared/protocol';
import { readRunRequest, SETTING_NAMES } from './config';
import { loadRunData } from './dataLoad';
import { discoverDataset } from './datasetDiscovery';
import { gradPanelHtml, GRAD_PANEL_FILES, GRAD_PANEL_ROOTS } from './gradPanelHtml';
import { gradStrings } from '../shared/strings/grad';
import { showError, showInfo, withProgress } from './notify';
import type { Platform } from './platform';

export const GRAD_VIEW_TYPE = 'minibatchLab.gradients';

export const GRAD_COMMAND = 'minibatchLab.compareGradients';

/**
 * Optional argument, for tests, the walkthrough and the panel's switch: a random subset of parameters, the book's full
 * passes, and the exact log(y) instead of the book's log(y + 1e-7) in the numerical gradient's loss.
 */
export interface GradCommandArgs {
	subset?: number;
	mode?: 'partial' | 'full';
	exactLog?: boolean;
}

/** The panel's switch: the same check again, with the other log. A command link, so the page needs no script. */
function exactLogToggle(scope: GradCommandArgs, report: GradReport): string {
	const again: GradCommandArgs = { ...(scope.subset !== undefined ? { subset: scope.subset } : {}), mode: report.mode, exactLog: !report.exactLog };
	return `command:${GRAD_COMMAND}?${encodeURIComponent(JSON.stringify([again]))}`;
}

export type GradOutcome = GradReport & { cancelled: boolean };

let panel: vscode.WebviewPanel | undefined;

/** The check in progress: one at a time. Closing the panel or deactivating stops it (its worker is terminated). */
interface ActiveCheck {
	/** Set when the panel was closed: the result, if one still comes, is not shown. */
	closed: boolean;
	/** Set when Cancel had to terminate the worker (no shared memory for the flag): nothing it finished comes back. */
	stoppedAtOnce?: boolean;
	stop(): void;
}
let active: ActiveCheck | undefined;

function show(extensionUri: vscode.Uri, report: GradReport, cancelled: boolean, scope: GradCommandArgs): void {
	if (!panel) {
		panel = vscode.window.createWebviewPanel(GRAD_VIEW_TYPE, vscode.l10n.t('Numerical gradient vs backprop'), vscode.ViewColumn.Active, {
			enableScripts: false,
			// The exact-log switch is a link to this one command; no other command link can run from the page.
			enableCommandUris: [GRAD_COMMAND],
			localResourceRoots: GRAD_PANEL_ROOTS.map((folder) => vscode.Uri.joinPath(extensionUri, folder)),
		});
		panel.onDidDispose(() => {
			panel = undefined;
			// Closing the panel during a check stops it, as closing the comparison panel cancels a run.
			if (active) {
				active.closed = true;
				active.stop();
			}
		});
	}
	const w = panel.webview;
	w.html = gradPanelHtml({
		cspSource: w.cspSource,
		styleUri: w.asWebviewUri(vscode.Uri.joinPath(extensionUri, GRAD_PANEL_FILES.style)).toString(),
		language: vscode.env.language,
		strings: gradStrings(vscode.l10n),
		report,
		cancelled,
		exactLogToggle: exactLogToggle(scope, report),
	});
	panel.reveal();
}

/**
 * Runs the check in a worker (dist/gradWorker.js, or dist/web/gradWorker.js in a browser): it is synchronous and takes
 * seconds to minutes, too long for the host thread. Settles only once the worker has exited, so no check outlives its
 * command; the worker counts in liveWorkers.
 */
function runWorker(workers: WorkerHost, job: Omit<GradJob, 'cancel'>, data: Dataset, title: string, check: ActiveCheck): Thenable<GradOutcome | undefined> {
	return withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
		const cancel = workers.sharedMemory ? new SharedArrayBuffer(4) : undefined;
		const worker = workers.grad();
		let stopping = false;
		const stop = () => {
			stopping = true;
			void worker.terminate();
		};
		check.stop = stop;
		let reported = 0;
		let kill: ReturnType<typeof setTimeout> | undefined;
		return new Promise<GradOutcome | undefined>((resolve, reject) => {
			token.onCancellationRequested(() => {
				if (!cancel) {
					// No flag a busy worker could read (a browser's workers share no memory): stop it now.
					check.stoppedAtOnce = true;
					return stop();
				}
				// The flag lets the worker report what it finished; terminate only if it does not answer.
				Atomics.store(new Int32Array(cancel), 0, 1);
				kill = setTimeout(stop, 5000);
			});
			worker.onMessage((m) => {
				if (m.type === 'progress') {
					const pct = (100 * m.done) / m.total;
					progress.report({ increment: pct - reported, message: vscode.l10n.t('Numerical gradient: {0} of {1} parameters', m.done.toLocaleString(), m.total.toLocaleString()) });
					reported = pct;
				} else if (m.type === 'done') resolve({ ...m.report, cancelled: m.cancelled });
				else reject(new ReasonError(isReason(m.cause) ? m.cause : { code: 'text', text: m.reason }));
			});
			worker.onDeath((reason) => (stopping ? resolve(undefined) : reject(new ReasonError(reason))));
			// Shared memory where there is some; a copy otherwise (the host may keep the dataset for the next run).
			worker.post({ type: 'start', job: { ...job, ...(cancel ? { cancel } : {}) }, data });
		}).finally(async () => {
			clearTimeout(kill);
			stopping = true;
			await worker.terminate();
		});
	});
}

/** The three ways to run the check, in the order a study group would try them. */
async function pickScope(): Promise<GradCommandArgs | undefined> {
	const items: (vscode.QuickPickItem & { args: GradCommandArgs })[] = [
		{ label: vscode.l10n.t('Every parameter'), detail: vscode.l10n.t('All 39,760 parameters; each loss evaluation recomputes only what the nudged parameter changes (about a second).'), args: {} },
		{ label: vscode.l10n.t('Every parameter, whole forward passes'), detail: vscode.l10n.t("The book's way: two full forward passes per parameter (tens of seconds)."), args: { mode: 'full' } },
		{ label: vscode.l10n.t('A random subset of 2,000 parameters'), detail: vscode.l10n.t('Faster; the full time is extrapolated and labelled as an estimate.'), args: { subset: 2000, mode: 'full' } },
	];
	const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Compare numerical gradient with backprop'), placeHolder: vscode.l10n.t('What should be timed?') });
	return pick?.args;
}

export function registerGradientComparison(extensionUri: vscode.Uri, log: vscode.LogOutputChannel, platform: Platform): vscode.Disposable {
	const command = vscode.commands.registerCommand(GRAD_COMMAND, async (args?: GradCommandArgs): Promise<GradOutcome | undefined> => {
		let settings;
		try {
			settings = readRunRequest().settings;
		} catch (e) {
			reportSettingsError(log, e);
			return undefined;
		}
		if (active) {
			// One check at a time: a second would halve the speed of both and time neither fairly.
			log.info('A gradient check is already running; the new request was not started.');
			void showInfo(vscode.l10n.t('A gradient check is already running. Cancel it from its notification, or wait for its result.'));
			return undefined;
		}
		// From the palette or the walkthrough the user picks what to time; tests and scripts pass it as an argument.
		const picked = args ?? (await pickScope());
		if (!picked || active) return undefined;
		// Claimed before the next await, so a request arriving meanwhile is refused above.
		const check: ActiveCheck = { closed: false, stop: () => undefined };
		active = check;
		try {
			const dataset = await discoverDataset(extensionUri, log, platform);
			const subset = typeof picked.subset === 'number' && picked.subset > 0 ? Math.floor(picked.subset) : undefined;
			const job = { seed: settings.seed, hidden: settings.hidden, batchSize: settings.batchSize, mode: picked.mode === 'full' ? 'full' : 'partial', subset, exactLog: picked.exactLog === true } as const;
			log.info(`Gradient check on ${dataset.label}: ${JSON.stringify(job)}`);
			const workers = await platform.workers();
			const data = await loadRunData(platform, dataset, workers.sharedMemory, log);
			// Said here, naming the setting, rather than by the worker.
			if (settings.batchSize > data.train.count) throw new SettingsError(SETTING_NAMES.batchSize, { code: 'settings.batchSize', batchSize: settings.batchSize, n: data.train.count });
			if (check.closed) return undefined;
			const outcome = await runWorker(workers, job, data, vscode.l10n.t('Comparing numerical gradient with backprop'), check);
			if (check.closed) {
				log.info('Gradient check stopped: its panel was closed.');
				return undefined;
			}
			if (check.stoppedAtOnce) {
				const message = vscode.l10n.t(
					'Gradient check cancelled: in the browser it stops at once, without the part it finished, because workers there cannot share memory; pick the random subset of 2,000 parameters for a quick check.',
				);
				log.info(message);
				void showInfo(message);
				return undefined;
			}
			if (!outcome) return undefined;
			log.info(`Gradient check: numerical ${outcome.numericalSeconds.toFixed(3)} s${outcome.estimate ? ' (estimate)' : ''}${outcome.cancelled ? ` (cancelled after ${outcome.checked} of ${outcome.parameters} parameters)` : ''}, backprop ${outcome.backpropSeconds.toFixed(4)} s, ${outcome.exactLog ? 'exact log, ' : ''}norm-relative error ${outcome.normRelErr.toExponential(2)}, largest relative error ${outcome.maxRelErr.toExponential(2)}`);
			show(extensionUri, outcome, outcome.cancelled, { subset });
			return outcome;
		} catch (e) {
			// The log in English (what the CLI says); the notification in the display language.
			log.error(`Gradient check failed: ${e instanceof Error ? e.message : String(e)}`);
			void showError(vscode.l10n.t('Gradient check failed: {0}', localizeReason(vscode.l10n, reasonOf(e))));
			return undefined;
		} finally {
			active = undefined;
		}
	});
	return vscode.Disposable.from(command, {
		dispose: () => {
			active?.stop();
			panel?.dispose();
		},
	});
}
