import * as vscode from 'vscode';
import type { Dataset } from '../core/dataset';
import { ReasonError } from '../core/errors';
import { validateSettings } from '../core/settings';
import { consecutiveSeeds } from '../core/stats';
import { LossDownsampler, lossStride, type LossPoints } from '../shared/lossSeries';
import type { RunInfo, RunMessage, WorkerMessage } from '../shared/protocol';
import { Comparison, type RunOutcome } from '../runner/comparison';
import { SETTING_NAMES, type RunRequest } from './config';
import { discoverDataset } from './datasetDiscovery';
import { RunHistory } from './history';
import { panelStrings } from '../shared/strings/panel';
import { ENGLISH, fill, type L10n } from '../shared/strings/l10n';
import { localizeReason } from '../shared/strings/reasons';
import { showError, showWarning, withProgress } from './notify';
import type { Platform } from './platform';
import { textFileStore } from './workspaceFiles';
import { loadRunData } from './dataLoad';
import type { WorkerHost } from '../runner/pool';

/** A run the controller does not train itself (your own script): it emits into the history and the panel, then ends. */
export interface ExternalRun {
	readonly runId: number;
	emit(m: RunMessage): void;
	end(state: 'done' | 'cancelled' | 'failed', seconds: number): Promise<void>;
}

/** Owns the one run that may go at a time (a comparison, or your script's), its progress notification and its history. */
export class RunController implements vscode.Disposable {
	readonly history: RunHistory;
	private current?: { cancel(): void; done: Promise<void> };
	private starting = false;
	private runId = 0;
	private readonly messages = new vscode.EventEmitter<RunMessage>();
	/** Every run message as it is made: the panel subscribes while it is open (the history keeps them for its replay). */
	readonly onMessage = this.messages.event;
	private progressHook?: (runKey: string, iter: number) => void;

	constructor(
		private readonly extensionUri: vscode.Uri,
		storage: vscode.Uri,
		private readonly log: vscode.LogOutputChannel,
		private readonly platform: Platform,
	) {
		this.history = new RunHistory(textFileStore(vscode.Uri.joinPath(storage, 'last-run.json')), log);
	}

	get running(): boolean {
		return this.current !== undefined;
	}

	cancel(): void {
		if (!this.current) return;
		this.log.info('Cancelling the running comparison.');
		this.current.cancel();
	}

	async waitIdle(): Promise<void> {
		await this.current?.done;
	}

	private emit(m: RunMessage): void {
		this.history.push(m);
		this.messages.fire(m);
	}

	/** Validates, then trains; resolves when the comparison has ended. Errors are shown, logged and sent to the panel. */
	async start(req: RunRequest): Promise<void> {
		// Set before the first await: a double click or a burst of "Run again" would otherwise start one comparison each.
		if (!this.claimStart()) return;
		let done!: () => void;
		let comparison: Awaited<ReturnType<RunController['prepare']>>;
		try {
			if (!(await this.stopCurrent())) return;
			comparison = await this.prepare(req);
			if (!comparison) return;
			const c = comparison.comparison;
			this.current = { cancel: () => c.cancel(), done: new Promise((r) => (done = r)) };
		} finally {
			this.starting = false;
		}
		void vscode.commands.executeCommand('setContext', 'minibatchLab.running', true);
		try {
			await this.execute(comparison.comparison, comparison.runId, comparison.req);
		} finally {
			this.current = undefined;
			void vscode.commands.executeCommand('setContext', 'minibatchLab.running', false);
			done();
		}
	}

	/** False (and logged) while another start is between its first await and its run: that request is ignored. */
	private claimStart(): boolean {
		if (this.starting) {
			this.log.info('A run is already starting; this request is ignored.');
			return false;
		}
		this.starting = true;
		return true;
	}

	/** With a run going: asks whether to restart, and stops it if so. True when nothing runs any more. */
	private async stopCurrent(): Promise<boolean> {
		if (!this.current) return true;
		const restart = vscode.l10n.t('Restart');
		const pick = await showWarning(vscode.l10n.t('A minibatch comparison is running. Restart it with the new settings?'), { modal: true }, restart);
		if (pick !== restart) return false;
		this.cancel();
		await this.waitIdle();
		return true;
	}

	/**
	 * Starts a run trained elsewhere (your own script, src/extension/script/): it replaces the last run in the history and
	 * the panel, and the panel's Cancel, closing the panel and a second request stop it through `cancel`.
	 */
	async beginExternal(info: (runId: number) => RunInfo, cancel: () => void): Promise<ExternalRun | undefined> {
		if (!this.claimStart()) return undefined;
		let done!: () => void;
		try {
			if (!(await this.stopCurrent())) return undefined;
			this.current = { cancel, done: new Promise((r) => (done = r)) };
		} finally {
			this.starting = false;
		}
		const runId = ++this.runId;
		void vscode.commands.executeCommand('setContext', 'minibatchLab.running', true);
		this.history.reset({ type: 'runStarted', run: info(runId) });
		this.messages.fire(this.history.all()[0]);
		let ended = false;
		return {
			runId,
			emit: (m) => this.emit(m),
			end: async (state, seconds) => {
				if (ended) return;
				ended = true;
				this.emit({ type: 'finished', runId, state, seconds });
				this.current = undefined;
				void vscode.commands.executeCommand('setContext', 'minibatchLab.running', false);
				done();
				const saveError = await this.history.save();
				if (saveError) this.log.warn(`Could not save the run for later replay: ${saveError}`);
			},
		};
	}

	/** `shown` in the display language for the notification and the panel, `logged` in English for the log. */
	private fail(shown: string, logged: string): void {
		this.log.error(logged);
		this.emit({ type: 'error', message: shown });
		void showError(shown, vscode.l10n.t('Open Settings'), vscode.l10n.t('Show Log')).then((pick) => {
			if (pick === vscode.l10n.t('Open Settings')) void vscode.commands.executeCommand('workbench.action.openSettings', 'minibatchLab');
			else if (pick === vscode.l10n.t('Show Log')) this.log.show();
		});
	}

	/** Finds and checks the dataset and the settings; returns the comparison and the request as validated (the caller's stays as it was). */
	private async prepare(req: RunRequest): Promise<{ comparison: Comparison; runId: number; req: RunRequest } | undefined> {
		const choice = await discoverDataset(this.extensionUri, this.log, this.platform, req.dataset);
		let settings = req.settings;
		let workers: WorkerHost;
		let data: Dataset;
		try {
			workers = await this.platform.workers();
			data = await loadRunData(this.platform, choice, workers.sharedMemory, this.log);
			settings = validateSettings(req.settings, SETTING_NAMES, data.train.count);
		} catch (e) {
			// A dataset, a setting, or workers that cannot start here (DatasetError, SettingsError, WorkerStartError).
			if (e instanceof ReasonError) {
				this.fail(vscode.l10n.t('Minibatch Lab cannot start: {0}', localizeReason(vscode.l10n, e.reason)), `Minibatch Lab cannot start: ${e.message}`);
				return undefined;
			}
			throw e;
		}
		const runId = ++this.runId;
		const seeds = consecutiveSeeds(settings.seed, req.seedCount);
		const stride = lossStride(settings.iters, req.samplers.length * seeds.length);
		this.history.reset({
			type: 'runStarted',
			run: { id: runId, settings, samplers: req.samplers, seeds, dataset: choice.label, datasetOrigin: choice.origin, startedAt: new Date().toISOString(), lossStride: stride },
		});
		this.messages.fire(this.history.all()[0]);
		this.log.info(`Run ${runId}: ${JSON.stringify(settings)} samplers=${req.samplers.join(',')} seeds=${seeds.length} data=${choice.dir} (${choice.origin})${stride > 1 ? ` loss points of ${stride} iterations` : ''}`);
		// The workers send every iteration's loss; the host keeps (and the panel gets) one point per stride.
		const downsamplers = new Map<string, LossDownsampler>();
		const losses = (key: string) => downsamplers.get(key) ?? downsamplers.set(key, new LossDownsampler(stride, settings.iters)).get(key)!;
		const comparison = new Comparison({
			workers,
			data,
			settings,
			samplers: req.samplers,
			seeds,
			parallel: req.parallel,
			onMessage: (sampler, m, seed) => this.onWorker(runId, sampler, seed, m, losses(m.runKey)),
		});
		return { comparison, runId, req: { ...req, settings } };
	}

	private onWorker(runId: number, sampler: RunRequest['samplers'][number], seed: number, m: WorkerMessage, losses: LossDownsampler): void {
		const who = `${sampler} (seed ${seed})`;
		const emitLosses = (points: LossPoints[]) => {
			for (const p of points) this.emit({ type: 'loss', runId, sampler, seed, fromIter: p.fromIter, losses: p.losses });
		};
		switch (m.type) {
			case 'loaded':
				this.log.info(`${who}: loaded ${m.trainCount} + ${m.testCount} images from ${m.source} in ${m.seconds.toFixed(2)} s; kernel ${m.kernel}${m.fallbackReason ? ` (fallback: ${m.fallbackReason})` : ''}`);
				break;
			case 'eval':
				this.emit({ type: 'eval', runId, sampler, seed, point: m.point });
				break;
			case 'loss':
				emitLosses(losses.add(m.fromIter, m.losses));
				this.progressHook?.(m.runKey, m.fromIter + m.losses.length);
				break;
			case 'done':
				emitLosses(losses.flush());
				this.log.info(`${who}: ${m.cancelled ? 'cancelled' : 'done'} in ${m.summary.seconds.toFixed(2)} s, kernel ${m.summary.kernel}, test ${m.summary.finalTestAcc}`);
				if (!m.cancelled) this.emit({ type: 'runDone', runId, seed, summary: m.summary });
				break;
			case 'failed':
				emitLosses(losses.flush());
				this.log.error(`${who}: ${m.reason}`);
				break;
			case 'epoch':
				break;
		}
	}

	private async execute(comparison: Comparison, runId: number, req: RunRequest): Promise<void> {
		const started = performance.now();
		const runs = req.samplers.length * req.seedCount;
		const total = req.settings.iters * runs;
		const doneIters = new Map<string, number>();
		const outcomes = await withProgress(
			{ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Minibatch Lab'), cancellable: true },
			async (progress, token) => {
				token.onCancellationRequested(() => comparison.cancel());
				let reported = 0;
				this.progressHook = (runKey, iter) => {
					doneIters.set(runKey, iter);
					const pct = (100 * [...doneIters.values()].reduce((a, b) => a + b, 0)) / total;
					if (pct - reported >= 1 || pct >= 100) {
						const message =
							req.seedCount === 1
								? vscode.l10n.t('Training {0} sampler(s): {1}%', req.samplers.length, Math.floor(pct))
								: vscode.l10n.t('Training {0} sampler(s) × {1} seeds: {2}%', req.samplers.length, req.seedCount, Math.floor(pct));
						progress.report({ increment: pct - reported, message });
						reported = pct;
					}
				};
				try {
					return await comparison.run();
				} finally {
					this.progressHook = undefined;
				}
			},
		);
		const seconds = (performance.now() - started) / 1000;
		for (const o of outcomes) if (o.failure) this.emit({ type: 'runFailed', runId, sampler: o.sampler, seed: o.seed, reason: o.failure, ...(o.cause ? { cause: o.cause } : {}) });
		const failed = outcomes.filter((o) => o.failure);
		const state = comparison.isCancelled ? 'cancelled' : failed.length === outcomes.length ? 'failed' : 'done';
		this.emit({ type: 'finished', runId, state, seconds });
		this.log.info(`Run ${runId} ${state} in ${seconds.toFixed(2)} s`);
		const saveError = await this.history.save();
		if (saveError) this.log.warn(`Could not save the run for later replay: ${saveError}`);
		if (failed.length > 0) {
			// One sentence however many failed: in the display language, and in English for the log.
			const sentence = (l10n: L10n, why: (o: RunOutcome) => string) => {
				const labels = panelStrings(l10n).samplers;
				const name = (o: RunOutcome) => (req.seedCount === 1 ? labels[o.sampler] : fill(l10n.t('{0} (seed {1})'), labels[o.sampler], o.seed));
				return failed.map((o) => fill(l10n.t('{0} failed: {1}'), name(o), why(o))).join('; ');
			};
			this.fail(
				sentence(vscode.l10n, (o) => (o.cause ? localizeReason(vscode.l10n, o.cause) : (o.failure ?? ''))),
				sentence(ENGLISH, (o) => o.failure ?? ''),
			);
		}
	}

	dispose(): void {
		this.cancel();
		this.messages.dispose();
	}
}
