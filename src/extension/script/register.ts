/** The own-script feature's commands and CodeLens, registered by the entry that has processes (or none, in a browser). */
import * as vscode from 'vscode';
import { planScript } from '../../python/scriptPlan';
import type { ProcessHost } from '../../runner/processHost';
import { ScriptController, type ScriptCommandOptions, type ScriptLab } from './scriptController';
import { registerTestHooks } from '../testHooks';

export const COMPARE_SCRIPT_COMMAND = 'minibatchLab.compareScript';

/** A CodeLens on the training loop's `for` line, in saved Python files; one plan per document version. */
class LoopLens implements vscode.CodeLensProvider {
	private readonly cache = new WeakMap<vscode.TextDocument, { version: number; line?: number }>();
	private readonly changed = new vscode.EventEmitter<void>();
	readonly onDidChangeCodeLenses = this.changed.event;

	refresh(): void {
		this.changed.fire();
	}

	provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
		if (!vscode.workspace.getConfiguration('minibatchLab', doc.uri).get<boolean>('codeLens', true)) return [];
		let hit = this.cache.get(doc);
		if (!hit || hit.version !== doc.version) {
			const plan = planScript(doc.getText());
			hit = { version: doc.version, line: plan.asWritten && !plan.problem ? plan.loopLine : undefined };
			this.cache.set(doc, hit);
		}
		if (hit.line === undefined) return [];
		const range = new vscode.Range(hit.line, 0, hit.line, 0);
		return [new vscode.CodeLens(range, { title: vscode.l10n.t('$(beaker) Compare samplers on this script'), command: COMPARE_SCRIPT_COMMAND, arguments: [doc.uri] })];
	}
}

export function registerScriptCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, host: ProcessHost | undefined, lab: ScriptLab): ScriptController {
	const controller = new ScriptController(context.extensionUri, log, host, lab);
	const lens = new LoopLens();
	context.subscriptions.push(
		controller,
		vscode.commands.registerCommand(COMPARE_SCRIPT_COMMAND, async (target?: unknown, options?: ScriptCommandOptions) => {
			// From a menu or the CodeLens: the file's Uri. From the palette: nothing (the active editor).
			const uri = target instanceof vscode.Uri ? target : undefined;
			return controller.run(uri, typeof options === 'object' && options !== null ? options : {});
		}),
		vscode.commands.registerCommand('minibatchLab.cancelScript', () => controller.cancel()),
		vscode.languages.registerCodeLensProvider({ language: 'python', scheme: 'file' }, lens),
		vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('minibatchLab.codeLens') && lens.refresh()),
		// The last session's results and the Python processes alive now.
		...registerTestHooks(context, { 'minibatchLab._scriptState': () => ({ running: controller.running, liveProcesses: host?.live() ?? 0, last: controller.last }) }),
	);
	return controller;
}
