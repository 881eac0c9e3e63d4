import * as vscode from 'vscode';
import type { ExportFormat } from '../shared/protocol';
import type { RunController } from './controller';
import { resultsFromHistory, toCsv, toJson, toMarkdown, type ExportMeta, type Results } from './exportText';
import { showError, showInfo } from './notify';
import { isTestMode } from './testHooks';
import type { ComparisonPanel } from './panel';
import type { Platform } from './platform';
import { panelStrings } from '../shared/strings/panel';

/** The palette command behind each export button. */
export const EXPORT_COMMANDS: Record<ExportFormat, string> = {
	markdown: 'minibatchLab.copyResultsMarkdown',
	csv: 'minibatchLab.saveResultsCsv',
	json: 'minibatchLab.saveResultsJson',
	png: 'minibatchLab.saveChartPng',
};

/**
 * Test hook: `{ uri }` (a Uri or a file path) saves there without the dialog, only while VS Code runs the extension's
 * tests. Anywhere else any extension could write any file through it, so the argument is ignored and the dialog shows.
 */
function targetOf(arg: unknown, testMode: boolean): vscode.Uri | undefined {
	if (!testMode || typeof arg !== 'object' || arg === null || !('uri' in arg)) return undefined;
	const uri = (arg as { uri: unknown }).uri;
	if (uri instanceof vscode.Uri) return uri;
	return typeof uri === 'string' && uri !== '' ? vscode.Uri.file(uri) : undefined;
}

const PNG_DATA_URL = /^data:image\/png;base64,([A-Za-z0-9+/]+=*)$/;

/** Copy as Markdown, save as CSV / JSON, save the chart as PNG: from the controller's history, so the panel need not be open (except for the chart). */
export class ResultsExporter {
	constructor(
		private readonly context: vscode.ExtensionContext,
		private readonly controller: RunController,
		private readonly log: vscode.LogOutputChannel,
		/** Opens (or reveals) the panel, for the chart image. */
		private readonly showPanel: () => ComparisonPanel,
		private readonly platform: Platform,
	) {}

	register(): vscode.Disposable[] {
		const test = isTestMode(this.context);
		return [
			vscode.commands.registerCommand(EXPORT_COMMANDS.markdown, () => this.copyMarkdown()),
			vscode.commands.registerCommand(EXPORT_COMMANDS.csv, (arg?: unknown) => this.saveResults('csv', targetOf(arg, test))),
			vscode.commands.registerCommand(EXPORT_COMMANDS.json, (arg?: unknown) => this.saveResults('json', targetOf(arg, test))),
			vscode.commands.registerCommand(EXPORT_COMMANDS.png, (arg?: unknown) => this.saveChart(targetOf(arg, test))),
		];
	}

	private async results(): Promise<Results | undefined> {
		await this.controller.history.load();
		const r = resultsFromHistory(this.controller.history.all());
		if (!r) void showInfo(vscode.l10n.t('There are no results to export yet: run a minibatch comparison first.'));
		return r;
	}

	private meta(): ExportMeta {
		const pkg = this.context.extension.packageJSON as { name?: string; version?: string };
		return { extension: { name: pkg.name ?? 'minibatch-lab', version: pkg.version ?? '0.0.0' }, exportedAt: new Date().toISOString() };
	}

	/** Resolves to the Markdown it put on the clipboard, or undefined when there was nothing to copy. */
	async copyMarkdown(): Promise<string | undefined> {
		const r = await this.results();
		if (!r) return undefined;
		const lang = vscode.env.language.toLowerCase().startsWith('ja') ? 'ja' : 'en';
		const text = toMarkdown(r, panelStrings(vscode.l10n), lang, this.meta());
		await vscode.env.clipboard.writeText(text);
		void showInfo(vscode.l10n.t('Copied the comparison table as Markdown.'));
		return text;
	}

	/** Resolves to the path written, or undefined when there was nothing to save or the user cancelled. */
	async saveResults(format: 'csv' | 'json', target?: vscode.Uri): Promise<string | undefined> {
		const r = await this.results();
		if (!r) return undefined;
		const filters = format === 'csv' ? { [vscode.l10n.t('CSV')]: ['csv'] } : { [vscode.l10n.t('JSON')]: ['json'] };
		const uri = target ?? (await this.ask(this.defaultName(r, format), filters));
		if (!uri) return undefined;
		const text = format === 'csv' ? toCsv(r, this.meta()) : toJson(r, this.meta());
		return this.write(uri, new TextEncoder().encode(text), vscode.l10n.t('Saved the results to {0}', this.shown(uri)));
	}

	async saveChart(target?: vscode.Uri): Promise<string | undefined> {
		const r = await this.results();
		if (!r) return undefined;
		let dataUrl: string;
		try {
			dataUrl = await this.showPanel().chartImage();
		} catch (e) {
			this.log.error(`Chart image: ${(e as Error).message}`);
			void showError(vscode.l10n.t('Could not get the chart from the panel: {0}', (e as Error).message));
			return undefined;
		}
		const m = PNG_DATA_URL.exec(dataUrl);
		if (!m) {
			this.log.error(`Chart image: the panel sent ${dataUrl.slice(0, 40)}…, not a PNG data URL`);
			void showError(vscode.l10n.t('The panel has no chart to save yet.'));
			return undefined;
		}
		const uri = target ?? (await this.ask(this.defaultName(r, 'png'), { [vscode.l10n.t('PNG image')]: ['png'] }));
		if (!uri) return undefined;
		return this.write(uri, Uint8Array.from(atob(m[1]), (c) => c.charCodeAt(0)), vscode.l10n.t('Saved the chart to {0}', this.shown(uri)));
	}

	/** minibatch-comparison-2025-05-01-1432.csv: the run's start time, so several exports of one run share a name. */
	private defaultName(r: Results, ext: string): string {
		const stamp = r.run.startedAt.replace(/:\d\d(\.\d+)?Z?$/, '').replace(/[T:]/g, '-').replace(/-(\d\d)-(\d\d)$/, '-$1$2');
		const what = ext === 'png' ? 'accuracy' : 'comparison';
		return `minibatch-${what}-${stamp}.${ext}`;
	}

	private ask(name: string, filters: Record<string, string[]>): Thenable<vscode.Uri | undefined> {
		const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? this.platform.home;
		return vscode.window.showSaveDialog({ defaultUri: folder && vscode.Uri.joinPath(folder, name), filters, saveLabel: vscode.l10n.t('Save') });
	}

	private shown(uri: vscode.Uri): string {
		return uri.scheme === 'file' ? uri.fsPath : uri.toString(true);
	}

	private async write(uri: vscode.Uri, bytes: Uint8Array, done: string): Promise<string | undefined> {
		try {
			await vscode.workspace.fs.writeFile(uri, bytes);
		} catch (e) {
			this.log.error(`Could not write ${this.shown(uri)}: ${(e as Error).message}`);
			void showError(vscode.l10n.t('Could not save {0}: {1}', this.shown(uri), (e as Error).message));
			return undefined;
		}
		this.log.info(`Saved ${this.shown(uri)} (${bytes.length} bytes)`);
		const open = vscode.l10n.t('Open');
		const reveal = vscode.l10n.t('Reveal');
		// revealFileInOS needs a local file; a file in the workspace can always be shown in the Explorer instead.
		const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
		const canReveal = inWorkspace || (uri.scheme === 'file' && vscode.env.remoteName === undefined && vscode.env.uiKind === vscode.UIKind.Desktop);
		void showInfo(done, ...(canReveal ? [open, reveal] : [open])).then((pick) => {
			if (pick === open) void vscode.commands.executeCommand('vscode.open', uri);
			else if (pick === reveal) void vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
		});
		return this.shown(uri);
	}
}
