import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { LIMITS } from '../core/settings';
import { parseFromWebview, type FormValues, type PanelSnapshot, type ToWebview } from '../shared/protocol';
import type { RunController } from './controller';
import { panelHtml } from './panelHtml';

export const VIEW_TYPE = 'minibatchLab.comparison';

/** The one comparison panel. Holds no results itself: it shows and replays what the controller keeps. */
export class ComparisonPanel implements vscode.Disposable {
	static current: ComparisonPanel | undefined;
	private readonly disposables: vscode.Disposable[] = [];
	private readonly snapshots = new Map<number, (s: PanelSnapshot) => void>();
	private nextSnapshot = 1;

	static createOrShow(extensionUri: vscode.Uri, controller: RunController, log: vscode.LogOutputChannel, form: () => FormValues, onRunAgain: (v: FormValues) => void): ComparisonPanel {
		if (ComparisonPanel.current) {
			ComparisonPanel.current.panel.reveal(undefined, true);
			return ComparisonPanel.current;
		}
		const panel = vscode.window.createWebviewPanel(VIEW_TYPE, vscode.l10n.t('Minibatch comparison'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri));
		return (ComparisonPanel.current = new ComparisonPanel(panel, extensionUri, controller, log, form, onRunAgain));
	}

	/** Called by the serializer after a window reload: same panel, fresh page, history from disk. */
	static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, controller: RunController, log: vscode.LogOutputChannel, form: () => FormValues, onRunAgain: (v: FormValues) => void): ComparisonPanel {
		ComparisonPanel.current?.dispose();
		panel.webview.options = webviewOptions(extensionUri);
		controller.history.load();
		return (ComparisonPanel.current = new ComparisonPanel(panel, extensionUri, controller, log, form, onRunAgain));
	}

	private constructor(
		readonly panel: vscode.WebviewPanel,
		extensionUri: vscode.Uri,
		private readonly controller: RunController,
		private readonly log: vscode.LogOutputChannel,
		private readonly form: () => FormValues,
		onRunAgain: (v: FormValues) => void,
	) {
		const webview = panel.webview;
		const nonce = randomBytes(16).toString('base64');
		webview.html = panelHtml({
			cspSource: webview.cspSource,
			nonce,
			scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
			styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'style.css')).toString(),
			title: vscode.l10n.t('Minibatch comparison'),
		});
		controller.setSink((m) => this.post(m));
		this.disposables.push(
			panel.onDidDispose(() => this.dispose()),
			webview.onDidReceiveMessage((raw: unknown) => {
				const m = parseFromWebview(raw);
				if (!m) {
					this.log.warn(`Ignored a malformed message from the panel: ${JSON.stringify(raw)?.slice(0, 200)}`);
					return;
				}
				switch (m.type) {
					case 'ready':
						this.replay();
						break;
					case 'runAgain':
						onRunAgain(m.values);
						break;
					case 'cancel':
						this.controller.cancel();
						break;
					case 'snapshot':
						this.snapshots.get(m.snapshot.requestId)?.(m.snapshot);
						this.snapshots.delete(m.snapshot.requestId);
						break;
				}
			}),
		);
	}

	/** The form first, then every message of the last run, in order. */
	private replay(): void {
		const limits = Object.fromEntries(Object.entries(LIMITS).map(([k, l]) => [k, { min: l.min, max: l.max, integer: l.integer }]));
		void this.panel.webview.postMessage({ type: 'form', values: this.form(), limits } satisfies ToWebview);
		for (const m of this.controller.history.all()) void this.panel.webview.postMessage(m);
	}

	post(m: ToWebview): void {
		// A hidden webview drops messages; it reloads on show and asks for a replay with 'ready'.
		if (this.panel.visible) void this.panel.webview.postMessage(m);
	}

	/** Asks the page what its DOM shows (used by the in-host tests). */
	snapshot(timeoutMs = 5000): Promise<PanelSnapshot> {
		const requestId = this.nextSnapshot++;
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.snapshots.delete(requestId);
				reject(new Error('the panel did not answer the snapshot request'));
			}, timeoutMs);
			this.snapshots.set(requestId, (s) => {
				clearTimeout(timer);
				resolve(s);
			});
			void this.panel.webview.postMessage({ type: 'snapshot', requestId } satisfies ToWebview);
		});
	}

	dispose(): void {
		if (ComparisonPanel.current !== this) return;
		ComparisonPanel.current = undefined;
		// Closing the panel during a run cancels it: nobody is watching any more.
		if (this.controller.running) this.controller.cancel();
		this.controller.setSink(() => undefined);
		this.panel.dispose();
		for (const d of this.disposables.splice(0)) d.dispose();
	}
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
	return {
		enableScripts: true,
		localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
	};
}
