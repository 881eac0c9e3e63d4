import * as vscode from 'vscode';
import { BOOK_DEFAULTS, DEFAULT_SAMPLERS } from '../core/settings';
import { DEFAULT_SEED_COUNT } from '../core/stats';
import { liveWorkers, takePeakLiveWorkers } from '../runner/comparison';
import { armFault } from '../runner/faults';
import { formValues, readRunRequest, requestFromForm, type RunRequest } from './config';
import { RunController } from './controller';
import { EXPORT_COMMANDS, ResultsExporter } from './exportCommands';
import { registerGradientComparison } from './gradCommand';
import { ComparisonPanel, VIEW_TYPE, type PanelHooks } from './panel';
import type { Platform } from './platform';
import type { FormValues } from '../shared/protocol';
import { openScriptError } from './script/openAt';
import type { ScriptCommandOptions, ScriptLab } from './script/scriptController';
import { reportSettingsError } from './problems';
import { registerTestHooks } from './testHooks';

/** Your own script's command, where there are processes to run it (the Node entry registers it; a browser has none). */
export type RegisterScripts = (lab: ScriptLab) => { run(uri: vscode.Uri, options: ScriptCommandOptions): Promise<unknown> };

/** The comparison, its panel and exports, and the gradient check. Kept cheap: nothing heavy starts until a command runs. */
export function registerLab(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, platform: Platform, registerScripts?: RegisterScripts): void {
	const controller = new RunController(context.extensionUri, context.globalStorageUri, log, platform);
	let last: RunRequest | undefined;

	/** The run the panel shows, when it compares your script: then "Run again" runs that script again. */
	const scriptRun = () => {
		const first = controller.history.all()[0];
		return first?.type === 'runStarted' && first.run.script ? first.run : undefined;
	};
	const currentForm = (): FormValues => {
		const sr = scriptRun();
		if (sr?.script) {
			const s = sr.script.settings;
			return { iters: s.iters, batchSize: s.batchSize, lr: s.lr, hidden: s.hidden, seed: sr.seeds[0], seedCount: sr.seeds.length, samplers: sr.samplers, dataset: '' };
		}
		return formValues(last ?? safeRead() ?? { settings: { ...BOOK_DEFAULTS }, seedCount: DEFAULT_SEED_COUNT, samplers: [...DEFAULT_SAMPLERS] });
	};
	const safeRead = (): RunRequest | undefined => {
		try {
			return readRunRequest();
		} catch {
			return undefined;
		}
	};
	const run = async (req: RunRequest) => {
		last = req;
		showPanel();
		await controller.start(req);
	};
	const onRunAgain = (values: Parameters<typeof requestFromForm>[0]) => {
		const sr = scriptRun()?.script;
		if (sr && scripts) {
			// The form's iterations rewrite the script's own iters_num, unless they are the script's own value.
			const iters = sr.origin.iters === 'script' && values.iters === sr.settings.iters ? undefined : values.iters;
			void scripts.run(vscode.Uri.file(sr.path), { iters, seed: values.seed, seedCount: values.seedCount, samplers: values.samplers });
			return;
		}
		try {
			void run(requestFromForm(values, last ?? readRunRequest()));
		} catch (e) {
			reportSettingsError(log, e);
		}
	};
	const hooks: PanelHooks = {
		form: currentForm,
		formScript: () => {
			const sr = scriptRun()?.script;
			return sr ? { file: sr.file } : undefined;
		},
		onRunAgain,
		onOpenScriptError: (sampler, seed) => void openScriptError(controller.history.all(), sampler, seed),
		onExport: (format) => void vscode.commands.executeCommand(EXPORT_COMMANDS[format]),
	};
	const serializer: vscode.WebviewPanelSerializer = {
		deserializeWebviewPanel: async (panel) => {
			await ComparisonPanel.revive(panel, context.extensionUri, controller, log, hooks);
		},
	};
	const showPanel = () => ComparisonPanel.createOrShow(context.extensionUri, controller, log, hooks);
	const exporter = new ResultsExporter(context, controller, log, showPanel, platform);
	const scripts = registerScripts?.({ runs: controller, showPanel });

	context.subscriptions.push(
		controller,
		{ dispose: () => ComparisonPanel.current?.dispose() },
		vscode.commands.registerCommand('minibatchLab.runComparison', async () => {
			let req: RunRequest;
			try {
				req = readRunRequest();
			} catch (e) {
				reportSettingsError(log, e);
				return;
			}
			await run(req);
		}),
		vscode.commands.registerCommand('minibatchLab.cancelComparison', () => controller.cancel()),
		vscode.commands.registerCommand('minibatchLab.showPanel', async () => {
			await controller.history.load();
			showPanel();
		}),
		...exporter.register(),
		registerGradientComparison(context.extensionUri, log, platform),
		vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, serializer),
		...registerTestHooks(context, {
			'minibatchLab._snapshot': () => ComparisonPanel.current?.snapshot(),
			'minibatchLab._liveWorkers': () => liveWorkers(),
			'minibatchLab._peakWorkers': () => takePeakLiveWorkers(),
			// The fault tests: see src/runner/faults.ts.
			'minibatchLab._injectFault': (fault: unknown) => armFault(fault),
			// What a window reload does to the panel (a fresh page, the in-memory history gone), without reloading the window.
			'minibatchLab._simulateRevive': async () => {
				if (controller.running) return false;
				ComparisonPanel.current?.dispose();
				controller.history.forget();
				const panel = vscode.window.createWebviewPanel(VIEW_TYPE, vscode.l10n.t('Minibatch comparison'), vscode.ViewColumn.Active, {});
				await serializer.deserializeWebviewPanel(panel, undefined);
				return true;
			},
		}),
	);
}
