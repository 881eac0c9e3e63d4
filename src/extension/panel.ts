import * as vscode from 'vscode';
import { parseFromWebview, type ExportFormat, type FormScript, type FormValues, type FromWebview, type PanelSnapshot, type RunMessage, type SamplerId, type ToWebview } from '../shared/protocol';
import type { RunController } from './controller';
import { panelHtml, PANEL_FILES, PANEL_ROOTS } from './panelHtml';
import { panelStrings } from '../shared/strings/panel';
import { localizeRunMessage } from '../shared/strings/reasons';

export const VIEW_TYPE = 'minibatchLab.comparison';

/** Live run messages are posted to the page at most this often; the curves redraw at about the same rate anyway. */
const POST_EVERY_MS = 250;

/** What the panel asks of the rest of the extension. */
export interface PanelHooks {
	form(): FormValues;
	/** When the panel shows your script's run: "Run again" runs the script again, and the form says so. */
	formScript(): FormScript | undefined;
	onRunAgain(v: FormValues): void;
	onExport(format: ExportFormat): void;
	onOpenScriptError(sampler: SamplerId, seed: number): void;
}

type Reply = Extract<FromWebview, { requestId: number }> | { type: 'snapshot'; snapshot: PanelSnapshot };

/** The one comparison panel. Holds no results itself: it shows and replays what the controller keeps. */
export class ComparisonPanel implements vscode.Disposable {
	static current: ComparisonPanel | undefined;
	private readonly disposables: vscode.Disposable[] = [];
	/** Requests to the page (snapshot, chart image) by request id. */
	private readonly requests = new Map<number, (m: Reply) => void>();
	private nextRequest = 1;
	/** The page has loaded and asked for the replay; false while hidden, since hiding destroys the page. */
	private pageReady = false;
	private readyWaiters: (() => void)[] = [];
	/** Run messages waiting for the next post. */
	private queue: RunMessage[] = [];
	private flushTimer: ReturnType<typeof setTimeout> | undefined;

	static createOrShow(extensionUri: vscode.Uri, controller: RunController, log: vscode.LogOutputChannel, hooks: PanelHooks): ComparisonPanel {
		if (ComparisonPanel.current) {
			ComparisonPanel.current.panel.reveal(undefined, true);
			return ComparisonPanel.current;
		}
		const panel = vscode.window.createWebviewPanel(VIEW_TYPE, vscode.l10n.t('Minibatch comparison'), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(extensionUri));
		return (ComparisonPanel.current = new ComparisonPanel(panel, extensionUri, controller, log, hooks));
	}

	/** Called by the serializer after a window reload: same panel, fresh page, history from disk. */
	static async revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, controller: RunController, log: vscode.LogOutputChannel, hooks: PanelHooks): Promise<ComparisonPanel> {
		ComparisonPanel.current?.dispose();
		panel.webview.options = webviewOptions(extensionUri);
		await controller.history.load();
		return (ComparisonPanel.current = new ComparisonPanel(panel, extensionUri, controller, log, hooks));
	}

	private constructor(
		readonly panel: vscode.WebviewPanel,
		extensionUri: vscode.Uri,
		private readonly controller: RunController,
		private readonly log: vscode.LogOutputChannel,
		private readonly hooks: PanelHooks,
	) {
		const webview = panel.webview;
		const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
		webview.html = panelHtml({
			cspSource: webview.cspSource,
			nonce,
			scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, PANEL_FILES.script)).toString(),
			styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, PANEL_FILES.style)).toString(),
			title: vscode.l10n.t('Minibatch comparison'),
			language: vscode.env.language,
			strings: panelStrings(vscode.l10n),
		});
		this.disposables.push(
			controller.onMessage((m) => this.post(m)),
			panel.onDidDispose(() => this.dispose()),
			panel.onDidChangeViewState(() => {
				if (!panel.visible) this.pageReady = false;
			}),
			webview.onDidReceiveMessage((raw: unknown) => {
				const m = parseFromWebview(raw);
				if (!m) {
					this.log.warn(`Ignored a malformed message from the panel: ${JSON.stringify(raw)?.slice(0, 200)}`);
					return;
				}
				switch (m.type) {
					case 'ready':
						this.replay();
						this.pageReady = true;
						for (const w of this.readyWaiters.splice(0)) w();
						break;
					case 'runAgain':
						this.hooks.onRunAgain(m.values);
						break;
					case 'cancel':
						this.controller.cancel();
						break;
					case 'export':
						this.hooks.onExport(m.format);
						break;
					case 'snapshot':
						this.answer(m.snapshot.requestId, m);
						break;
					case 'chartImage':
						this.answer(m.requestId, m);
						break;
					case 'openScriptError':
						this.hooks.onOpenScriptError(m.sampler, m.seed);
						break;
					case 'formRefused':
						// Nothing runs; the log keeps what the form showed, as it does for a setting the host refuses.
						this.log.warn(`Run again refused by the panel's form: ${m.problems.join(' ')}`);
						break;
				}
			}),
		);
	}

	/** The form first, then every message of the last run, in order. */
	private replay(): void {
		void this.panel.webview.postMessage({ type: 'form', values: this.hooks.form(), script: this.hooks.formScript() } satisfies ToWebview);
		// The replay includes whatever was queued: the history is written before the event fires.
		this.queue = [];
		const history = this.controller.history.all();
		if (history.length > 0) void this.panel.webview.postMessage({ type: 'batch', messages: history.map((m) => localizeRunMessage(vscode.l10n, m)) } satisfies ToWebview);
	}

	/** Queues a run message; the start and the end of a run go out at once, the stream in between a few times a second. */
	post(m: RunMessage): void {
		// A hidden webview drops messages; it reloads on show and asks for a replay with 'ready'.
		if (!this.panel.visible) return;
		this.queue.push(localizeRunMessage(vscode.l10n, m));
		if (m.type === 'runStarted' || m.type === 'finished' || m.type === 'error') this.flush();
		else this.flushTimer ??= setTimeout(() => this.flush(), POST_EVERY_MS);
	}

	private flush(): void {
		if (this.flushTimer) clearTimeout(this.flushTimer);
		this.flushTimer = undefined;
		const messages = this.queue.splice(0);
		if (messages.length === 0 || !this.panel.visible) return;
		void this.panel.webview.postMessage(messages.length === 1 ? messages[0] : ({ type: 'batch', messages } satisfies ToWebview));
	}

	/** Asks the page what its DOM shows (used by the in-host tests). */
	async snapshot(timeoutMs = 5000): Promise<PanelSnapshot> {
		const reply = await this.request((requestId) => ({ type: 'snapshot', requestId }), timeoutMs, 'the snapshot request');
		if (reply.type !== 'snapshot') throw new Error('the panel answered a snapshot request with something else');
		return reply.snapshot;
	}

	/** The accuracy chart as a PNG data URL, as the page draws it now; waits for a page that is still loading. */
	async chartImage(timeoutMs = 15000): Promise<string> {
		await this.whenReady(timeoutMs);
		const reply = await this.request((requestId) => ({ type: 'chartImage', requestId }), timeoutMs, 'the chart image request');
		if (reply.type !== 'chartImage') throw new Error('the panel answered a chart request with something else');
		return reply.dataUrl;
	}

	/** Resolves once the page has loaded and had its replay (a revealed panel reloads its page). */
	private whenReady(timeoutMs: number): Promise<void> {
		if (this.pageReady && this.panel.visible) return Promise.resolve();
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('the panel did not load')), timeoutMs);
			this.readyWaiters.push(() => {
				clearTimeout(timer);
				resolve();
			});
		});
	}

	private request(message: (requestId: number) => ToWebview, timeoutMs: number, what: string): Promise<Reply> {
		const requestId = this.nextRequest++;
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.requests.delete(requestId);
				reject(new Error(`the panel did not answer ${what}`));
			}, timeoutMs);
			this.requests.set(requestId, (m) => {
				clearTimeout(timer);
				resolve(m);
			});
			// Whatever the page has not been sent yet comes first, so the answer reflects it.
			this.flush();
			void this.panel.webview.postMessage(message(requestId));
		});
	}

	private answer(requestId: number, m: Reply): void {
		this.requests.get(requestId)?.(m);
		this.requests.delete(requestId);
	}

	dispose(): void {
		if (ComparisonPanel.current !== this) return;
		ComparisonPanel.current = undefined;
		// Closing the panel during a run cancels it: nobody is watching any more.
		if (this.controller.running) this.controller.cancel();
		if (this.flushTimer) clearTimeout(this.flushTimer);
		this.panel.dispose();
		for (const d of this.disposables.splice(0)) d.dispose();
	}
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
	return {
		enableScripts: true,
		localResourceRoots: PANEL_ROOTS.map((folder) => vscode.Uri.joinPath(extensionUri, folder)),
	};
}
