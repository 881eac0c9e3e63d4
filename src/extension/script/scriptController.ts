/**
 * "Minibatch Lab: Compare samplers on this script": the active Python file, once per sampler and seed, against the
 * reference. Running it is running the user's code: only on their command, never in Restricted Mode, and every process
 * it starts is killed on Cancel.
 */
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { showError, showInfo, showWarning } from '../notify';
import { SettingsError } from '../../core/errors';
import { localizeReason } from '../../shared/strings/reasons';
import { isSamplerId, type SamplerId } from '../../core/samplers';
import { DEFAULT_SAMPLERS, LIMITS, checkValue } from '../../core/settings';
import { consecutiveSeeds, DEFAULT_SEED_COUNT } from '../../core/stats';
import type { ScriptSettingKey } from '../../python/scriptPlan';
import { nodeWorkers } from '../../platform/nodeWorkers';
import type { ProcessHost } from '../../runner/processHost';
import { findPython, numpyInstallCommand, type PythonInfo } from '../../runner/pythonProbe';
import { isSingleLoop, prepareScript } from '../../runner/scriptPrepare';
import { ScriptSession, type ScriptRunResult, type ScriptSettings } from '../../runner/scriptSession';
import { instrumentText, missingText, noEvaluationText, numericalGradientText, probeText, problemText, runLabel } from '../../runner/scriptText';
import { checkSeedCount } from '../config';
import { iterPerEpoch } from '../../core/settings';
import { lossStride } from '../../shared/lossSeries';
import type { RunInfo } from '../../shared/protocol';
import { scriptStrings } from '../../shared/strings/script';
import type { ExternalRun, RunController } from '../controller';
import { openAt } from './openAt';
import { ScriptStream } from './scriptStream';
import { pickPython, PYTHON_PATH_SETTING } from './pythonPick';
import { ScriptProgressReporter } from './scriptProgress';
import { reportResults, type ScriptSummary } from './scriptReport';

/** The command's optional second argument: what the panel's form (and the tests) change for one run. */
export interface ScriptCommandOptions {
	/** The iterations override: rewrites the script's own literal. */
	iters?: number;
	seed?: number;
	seedCount?: number;
	samplers?: SamplerId[];
	/** Values for settings the script hides, instead of asking. */
	given?: Partial<ScriptSettings>;
}

const t = vscode.l10n.t;

/** What the command needs of the comparison's side: its run stream (history and panel), and the panel. */
export interface ScriptLab {
	readonly runs: RunController;
	showPanel(): void;
}

/** A prepared session: the panel's RunInfo for it, and how to run it into an external run. */
interface Prepared {
	session: ScriptSession;
	settings: ScriptSettings;
	info(runId: number): RunInfo;
	run(external: ExternalRun): Promise<ScriptRunResult[]>;
	summary(results: ScriptRunResult[]): ScriptSummary;
}

export class ScriptController implements vscode.Disposable {
	private current?: { session: ScriptSession; done: Promise<void> };
	/** The last session's results, for the tests and the panel. */
	last?: ScriptSummary;
	/** What the last run was started with: the panel's "Run again" repeats it with the form's values. */
	lastOptions?: { uri: vscode.Uri; options: ScriptCommandOptions; settings: ScriptSettings };

	constructor(
		private readonly extensionUri: vscode.Uri,
		private readonly log: vscode.LogOutputChannel,
		/** Undefined in the browser: no processes there. */
		private readonly host: ProcessHost | undefined,
		/** The panel's run stream (one run at a time, comparison or script), and how to show the panel. */
		private readonly lab: ScriptLab,
	) {}

	get running(): boolean {
		return this.current !== undefined;
	}

	cancel(): void {
		this.current?.session.cancel();
	}

	async waitIdle(): Promise<void> {
		await this.current?.done;
	}

	dispose(): void {
		this.cancel();
	}

	async run(target: vscode.Uri | undefined, options: ScriptCommandOptions = {}): Promise<ScriptSummary | undefined> {
		if (!this.host) {
			void showError(t('Comparing samplers on your script needs a local Python, which a browser cannot run: open the folder in VS Code on your computer, or in a GitHub Codespace.'));
			return undefined;
		}
		if (!vscode.workspace.isTrusted) {
			const manage = t('Manage Workspace Trust');
			void showError(t('Minibatch Lab does not run scripts in Restricted Mode: running your script runs its code, which an untrusted workspace forbids. Trust this workspace to compare samplers on it.'), manage)
				.then((pick) => pick === manage && vscode.commands.executeCommand('workbench.trust.manage'));
			this.log.warn('Refused to run a script: the workspace is in Restricted Mode.');
			return undefined;
		}
		const doc = await this.document(target);
		if (!doc) return undefined;
		const prepared = await this.prepare(doc, options);
		if (!prepared) return undefined;
		// The panel's run: a second request, the panel's Cancel and closing the panel stop this one like a comparison.
		const external = await this.lab.runs.beginExternal(prepared.info, () => prepared.session.cancel());
		if (!external) return undefined;
		this.lastOptions = { uri: doc.uri, options, settings: prepared.settings };
		this.lab.showPanel();
		let done!: () => void;
		this.current = { session: prepared.session, done: new Promise<void>((r) => (done = r)) };
		void vscode.commands.executeCommand('setContext', 'minibatchLab.scriptRunning', true);
		const started = performance.now();
		try {
			const results = await prepared.run(external);
			const summary = prepared.summary(results);
			const failed = results.filter((r) => r.error).length;
			await external.end(summary.cancelled ? 'cancelled' : failed === results.length ? 'failed' : 'done', (performance.now() - started) / 1000);
			this.last = reportResults(summary, this.log);
			return this.last;
		} finally {
			await external.end('cancelled', (performance.now() - started) / 1000);
			this.current = undefined;
			void vscode.commands.executeCommand('setContext', 'minibatchLab.scriptRunning', false);
			done();
		}
	}

	/** The file to run: the argument, else the active editor's; it must be a saved Python file on disk. */
	private async document(target: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
		const uri = target ?? vscode.window.activeTextEditor?.document.uri;
		if (!uri) {
			void showInfo(t('Open a Python training script (such as the book\'s ch04/train_neuralnet.py) first, then compare samplers on it.'));
			return undefined;
		}
		const doc = await vscode.workspace.openTextDocument(uri);
		if (doc.uri.scheme !== 'file') {
			void showError(t('Save the script to a file first: it runs from its own folder, as python would run it.'));
			return undefined;
		}
		if (doc.languageId !== 'python' && !doc.fileName.endsWith('.py')) {
			void showError(t('{0} is not a Python file.', basename(doc.fileName)));
			return undefined;
		}
		return doc;
	}

	private async prepare(doc: vscode.TextDocument, options: ScriptCommandOptions): Promise<Prepared | undefined> {
		const host = this.host as ProcessHost;
		const path = doc.fileName;
		const file = basename(path);
		const c = vscode.workspace.getConfiguration('minibatchLab', doc.uri);
		let seeds: number[];
		let samplers: SamplerId[];
		try {
			const seed = checkValue('seed', options.seed ?? c.get<unknown>('seed', 0), 'minibatchLab.seed');
			seeds = consecutiveSeeds(seed, checkSeedCount(options.seedCount ?? c.get<unknown>('seedCount', DEFAULT_SEED_COUNT), seed, 'minibatchLab.seedCount', 'minibatchLab.seed'));
			const raw = options.samplers ?? c.get<unknown>('samplers');
			samplers = (Array.isArray(raw) ? raw.map(String) : []).filter(isSamplerId);
			if (samplers.length === 0) samplers = [...DEFAULT_SAMPLERS];
			if (options.iters !== undefined) checkValue('iters', options.iters, t('iterations'));
		} catch (e) {
			if (!(e instanceof SettingsError)) throw e;
			this.fail(localizeReason(vscode.l10n, e.reason));
			return undefined;
		}
		const given: Partial<ScriptSettings> = { ...options.given };
		const text = doc.getText();
		let prepared = safePrepare(() => prepareScript({ text, samplers, samplersExplicit: false, iters: options.iters, given }));
		// Ask once for each setting the script hides, then read again.
		while (prepared.ok === false && prepared.reason === 'missing') {
			for (const m of prepared.missing) {
				const value = await askFor(m.key, missingText(m, t));
				if (value === undefined) {
					this.log.info(`${file}: not run, the ${m.key} was not given.`);
					return undefined;
				}
				given[m.key] = value;
			}
			prepared = safePrepare(() => prepareScript({ text, samplers, samplersExplicit: false, iters: options.iters, given }));
		}
		if (prepared.ok === 'settings') {
			this.fail(prepared.message);
			return undefined;
		}
		if (!prepared.ok) {
			if (prepared.reason === 'problem') {
				const p = prepared.problem;
				this.fail(problemText(p, file, t), 'line' in p ? { path, line: p.line + 1 } : undefined);
			}
			else if (prepared.reason === 'instrument') this.fail(instrumentText(prepared.failure, prepared.sampler, t));
			return undefined;
		}
		const { plan, settings, variants } = prepared;
		for (const s of prepared.skipped) {
			this.log.warn(`${file}: ${instrumentText(s.failure, s.sampler, t)}`);
			void showWarning(instrumentText(s.failure, s.sampler, t));
		}
		if (plan.numericalGradientLine !== undefined) {
			const go = t('Run Anyway');
			const pick = await showWarning(numericalGradientText(plan.numericalGradientLine, settings.iters, settings.hidden, t), { modal: true }, go);
			if (pick !== go) return undefined;
		}
		const python = await this.python(doc.uri);
		if (!python) return undefined;
		this.log.info(`${file}: Python ${python.version} (${python.executable}), NumPy ${python.numpy}; settings ${JSON.stringify(settings)}; seeds ${seeds.join(', ')}; samplers ${variants.map((v) => v.sampler).join(', ')}`);
		const progress = new ScriptProgressReporter(file, settings.iters, variants.length * seeds.length, this.log);
		const S = scriptStrings(vscode.l10n);
		const samplersRun = variants.map((v) => v.sampler);
		const stride = lossStride(settings.iters, 2 * samplersRun.length * seeds.length);
		let stream: ScriptStream | undefined;
		const session = new ScriptSession({
			host,
			python: python.command,
			scriptPath: path,
			cwd: dirname(path),
			settings,
			seeds,
			variants,
			roles: plan.roles,
			singleLoop: isSingleLoop(plan),
			reference: {
				workers: nodeWorkers({ train: vscode.Uri.joinPath(this.extensionUri, 'dist', 'trainWorker.js').fsPath }),
				dataDir: vscode.Uri.joinPath(this.extensionUri, 'dist', 'data', 'mnist').fsPath,
				trainCount: 60000,
			},
			onScript: (job, e) => {
				progress.onScript(`${runLabel(job.sampler, t)}, seed ${job.seed}`, e);
				stream?.onScript(job, e);
			},
			onReference: (sampler, seed, m, pass) => {
				if (m.type === 'failed') this.log.error(`reference ${sampler} (seed ${seed}): ${m.reason}`);
				stream?.onReference(sampler, seed, m, pass);
			},
		});
		const origin = prepared.origin;
		const reference = session.referenceSettings(seeds[0]);
		return {
			session,
			settings,
			info: (runId) => ({
				id: runId,
				settings: reference,
				samplers: samplersRun,
				seeds,
				dataset: t('MNIST (bundled)'),
				datasetOrigin: 'bundled',
				startedAt: new Date().toISOString(),
				lossStride: stride,
				script: { file, path, python: { executable: python.executable, version: python.version, numpy: python.numpy }, settings, origin },
			}),
			run: async (external) => {
				stream = new ScriptStream(external, stride, settings.iters, iterPerEpoch(settings.trainSize, settings.batchSize), python, S, (o) => noEvaluationText(o.reachedLoop, o.iterations, t));
				const results = await progress.track(session, () => session.run());
				stream.results(results);
				return results;
			},
			summary: (results) => ({ path, file, python, settings, origin, seeds, results, cancelled: session.isCancelled }),
		};
	}

	private async python(resource: vscode.Uri): Promise<PythonInfo | undefined> {
		const choice = await pickPython(resource, this.log);
		const found = await findPython(this.host as ProcessHost, choice.candidates, dirname(resource.fsPath));
		if (found.ok) return found.info;
		const f = found.failure;
		const message = probeText(f, t) + (choice.source === 'setting' || f.kind === 'noNumpy' ? '' : ` ${t('Set minibatchLab.pythonPath to the Python you use.')}`);
		this.log.error(message);
		const open = t('Open Settings');
		const copy = t('Copy Install Command');
		const items = f.kind === 'noNumpy' ? [copy, open] : [open];
		void showError(message, ...items).then((pick) => {
			if (pick === open) void vscode.commands.executeCommand('workbench.action.openSettings', PYTHON_PATH_SETTING);
			else if (pick === copy && f.kind === 'noNumpy') void vscode.env.clipboard.writeText(numpyInstallCommand(f.executable));
		});
		return undefined;
	}

	private fail(message: string, at?: { path: string; line: number }): void {
		this.log.error(message);
		const show = t('Show Line');
		void showError(message, ...(at ? [show] : [])).then((pick) => {
			if (pick === show && at) void openAt(at.path, at.line);
		});
	}
}

/** prepareScript, with the script's own out-of-range values (a SettingsError naming the variable) as a message. */
function safePrepare(f: () => ReturnType<typeof prepareScript>): ReturnType<typeof prepareScript> | { ok: 'settings'; message: string } {
	try {
		return f();
	} catch (e) {
		if (e instanceof SettingsError) return { ok: 'settings', message: localizeReason(vscode.l10n, e.reason) };
		throw e;
	}
}

const LIMIT_KEY: Record<ScriptSettingKey, keyof typeof LIMITS> = { iters: 'iters', batchSize: 'batchSize', lr: 'lr', hidden: 'hidden', trainSize: 'trainSize' };

/** An input box for one hidden setting, checked against the same limits as the settings. */
async function askFor(key: ScriptSettingKey, why: string): Promise<number | undefined> {
	const raw = await vscode.window.showInputBox({
		title: t('Minibatch Lab: Compare samplers on this script'),
		prompt: `${why} ${t('Enter the value your script uses, so the reference trains with it too.')}`,
		ignoreFocusOut: true,
		validateInput: (v) => {
			try {
				checkValue(LIMIT_KEY[key], v.trim() === '' ? NaN : Number(v), t('This value'));
				return undefined;
			} catch (e) {
				return e instanceof SettingsError ? localizeReason(vscode.l10n, e.reason) : (e as Error).message;
			}
		},
	});
	return raw === undefined ? undefined : Number(raw);
}
