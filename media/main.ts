/**
 * The comparison panel's script. The host owns the results and replays them after every (re)load, so this page keeps
 * only small UI state (the form draft, the zoom toggle): everything it shows is rebuilt from the message stream.
 */
import { EXPORT_FORMATS, type ExportFormat, type FromWebview, type PanelSnapshot, type ToWebview } from '../src/shared/protocol';
import { Charts, emaSpan } from './charts';
import { SettingsForm, type FormDraft } from './form';
import { apply, describeRun, emptyModel, lossIterations, noChanges, progress, tracksOf, type Changes, type PanelModel } from './model';
import { fill, pageLang, readStrings } from './strings';
import { ScriptResults } from './scriptResults';
import { ComparisonTable, fmtAcc } from './table';
import { readPalette, themeClass, watchTheme } from './theme';

interface UiState {
	draft?: FormDraft;
	zoomed?: boolean;
	/** The faint per-seed lines; off by default. */
	showSeeds?: boolean;
}

const vscode = acquireVsCodeApi<UiState>();
/** Every word on the page, from the host; VS Code's display language also picks the verdict's first language. */
const S = readStrings();
const lang = pageLang();
const post = (m: FromWebview) => vscode.postMessage(m);

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
	const e = document.getElementById(id);
	if (!(e instanceof type)) throw new Error(`panel page is missing #${id}`);
	return e;
}

const settingsLine = byId('run-settings', HTMLElement);
const statusLine = byId('status', HTMLElement);
// The visible status changes every frame while training; screen readers hear only the changes of state.
const announce = byId('status-announce', HTMLElement);
let announced = '';
const errorLine = byId('error', HTMLElement);
errorLine.dataset.label = S.page.errorLabel;
const cancelButton = byId('cancel', HTMLButtonElement);
const zoomButton = byId('acc-zoom', HTMLButtonElement);
const seedsLabel = byId('show-seeds-label', HTMLElement);
const seedsBox = byId('show-seeds', HTMLInputElement);
const accNote = byId('acc-note', HTMLElement);
const lossNote = byId('loss-note', HTMLElement);
const exportButtons = [...document.querySelectorAll<HTMLButtonElement>('button[data-export]')];
const accCanvas = byId('accuracy', HTMLCanvasElement);
const lossCanvas = byId('loss', HTMLCanvasElement);

const model: PanelModel = emptyModel();
const charts = new Charts(accCanvas, lossCanvas, readPalette(), S);
const table = new ComparisonTable(byId('comparison', HTMLTableElement), byId('table-empty', HTMLElement), byId('table-notes', HTMLElement), byId('pairs', HTMLElement), S);
const scriptResults = new ScriptResults(byId('script-results', HTMLElement), S, (sampler, seed) => post({ type: 'openScriptError', sampler, seed }));
const form = new SettingsForm(
	byId('settings', HTMLFormElement),
	S,
	(values) => post({ type: 'runAgain', values }),
	(draft) => vscode.setState({ ...vscode.getState(), draft }),
	(problems) => post({ type: 'formRefused', problems }),
);

function statusText(): string {
	const T = S.status;
	const seconds = model.seconds !== undefined ? fill(S.seconds, model.seconds.toFixed(1)) : '';
	const failed = [...model.tracks.values()].filter((t) => t.failure !== undefined);
	switch (model.state) {
		case 'idle':
			return model.error ? T.notStarted : fill(T.idle, S.form.runAgain, `Minibatch Lab: ${T.command}`);
		case 'running': {
			const samplers = model.run?.samplers.length ?? 0;
			const pct = Math.floor(100 * progress(model));
			const seeds = model.seeds.length;
			if (seeds > 1) return samplers === 1 ? fill(T.runningOneSeeds, pct, seeds) : fill(T.runningSeeds, pct, samplers, seeds);
			return samplers === 1 ? fill(T.runningOne, pct) : fill(T.running, pct, samplers);
		}
		case 'cancelling':
			return T.cancelling;
		case 'done':
			return failed.length === 0 ? fill(T.done, seconds) : failed.length === 1 ? fill(T.doneOneFailed, seconds) : fill(T.doneFailed, seconds, failed.length);
		case 'cancelled':
			return fill(T.cancelled, seconds);
		case 'failed': {
			const reasons = failed.map((t) => fill(T.failure, model.seeds.length > 1 ? fill(T.who, S.samplers[t.sampler], t.seed) : S.samplers[t.sampler], t.failure ?? '')).join('; ');
			return reasons ? fill(T.failedWhy, seconds, reasons) : fill(T.failed, seconds);
		}
	}
}

function chartLabel(kind: 'accuracy' | 'loss'): string {
	const C = S.charts;
	const parts: string[] = [];
	const several = model.seeds.length > 1;
	for (const s of model.run?.samplers ?? []) {
		const tracks = tracksOf(model, s);
		// With several seeds, the first seed's run speaks for the sampler in this short text; the table has the means.
		const t = tracks.find((x) => x.evals.length > 0) ?? tracks[0];
		if (!t) continue;
		const last = t.evals[t.evals.length - 1];
		const who = several ? fill(S.status.who, S.samplers[s], t.seed) : S.samplers[s];
		if (kind === 'accuracy' && last) parts.push(fill(C.ariaTestAt, who, fmtAcc(last.testAcc), last.epoch.toFixed(1)));
		if (kind === 'loss' && t.lossCount > 0) parts.push(fill(C.ariaIterations, who, lossIterations(model, t)));
	}
	const name = kind === 'accuracy' ? (several ? fill(C.ariaAccuracySeeds, model.seeds.length) : C.ariaAccuracy) : C.ariaLoss;
	return fill(C.aria, name, parts.length ? parts.join('; ') : C.ariaNoData);
}

/** The settings line; for your script's run, which script and Python first. */
function headerText(): string {
	const run = model.run!;
	const line = describeRun(run, S.run);
	const sc = run.script;
	return sc ? `${fill(S.script.page.header, sc.file, sc.python.version, sc.python.numpy)} ${line}` : line;
}

let pending: Changes = noChanges();

/** Applies everything that changed since the last frame: DOM text first, then one chart.update per canvas. */
function render(): void {
	const c = pending;
	pending = noChanges();
	if (c.reset) {
		charts.reset(model);
		const iters = model.run?.settings.iters;
		const n = model.seeds.length;
		const several = n > 1;
		seedsLabel.hidden = !several;
		const C = S.charts;
		accNote.textContent = several ? fill(C.accNoteSeeds, n) : C.accNote;
		if (iters) lossNote.textContent = several ? fill(C.lossNoteEmaSeeds, emaSpan(iters), n) : fill(C.lossNoteEma, emaSpan(iters));
		else lossNote.textContent = several ? fill(C.lossNoteSeeds, n) : C.lossNote;
	}
	if (c.header) settingsLine.textContent = model.run ? headerText() : S.page.noRunYet;
	if (c.status) {
		statusLine.textContent = statusText();
		const key = `${model.run?.id ?? ''}:${model.state}`;
		if (key !== announced) {
			announced = key;
			announce.textContent = model.state === 'running' ? S.status.started : model.state === 'idle' ? '' : statusLine.textContent;
		}
		const running = model.state === 'running' || model.state === 'cancelling';
		cancelButton.hidden = !running;
		cancelButton.disabled = model.state === 'cancelling';
		errorLine.hidden = !model.error;
		errorLine.textContent = model.error ?? '';
	}
	if (c.table) {
		table.render(model, lang);
		scriptResults.render(model);
		// Anything trained can be exported; the statistics in it cover the runs that have ended.
		const any = [...model.tracks.values()].some((t) => t.evals.length > 0 || t.summary !== undefined);
		for (const b of exportButtons) b.disabled = !any;
	}
	if (c.accuracy) {
		charts.updateAccuracy(model);
		accCanvas.setAttribute('aria-label', chartLabel('accuracy'));
	}
	if (c.loss) {
		charts.updateLoss(model);
		lossCanvas.setAttribute('aria-label', chartLabel('loss'));
	}
	if (c.accuracy || c.reset) charts.accuracy.update('none');
	if (c.loss || c.reset) charts.loss.update('none');
}

// At most ~5 redraws a second: a replay delivers hundreds of loss chunks at once, and they should cost one frame.
const MIN_FRAME_MS = 200;
let scheduled = false;
let lastFrame = -Infinity;
function schedule(): void {
	if (scheduled) return;
	scheduled = true;
	const wait = Math.max(0, lastFrame + MIN_FRAME_MS - performance.now());
	setTimeout(
		() =>
			requestAnimationFrame(() => {
				scheduled = false;
				lastFrame = performance.now();
				render();
			}),
		wait,
	);
}

function snapshot(requestId: number): PanelSnapshot {
	render();
	return {
		requestId,
		tableHead: table.headText(),
		tableRows: table.rowsText(),
		pairs: table.pairsText(),
		header: settingsLine.textContent ?? '',
		charts: [charts.accuracy, charts.loss].map((chart) => ({
			id: chart.canvas.id,
			datasets: chart.data.datasets.length,
			points: Charts.points(chart),
			drawn: Charts.drawn(chart),
			texts: Charts.texts(chart),
		})),
		status: statusLine.textContent ?? '',
		theme: themeClass(),
		seedLines: { shown: !seedsLabel.hidden, checked: seedsBox.checked },
		exportEnabled: exportButtons.length > 0 && exportButtons.every((b) => !b.disabled),
		scriptVerdicts: scriptResults.texts(),
	};
}

function isMessage(v: unknown): v is ToWebview {
	return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
	const m = e.data;
	if (!isMessage(m)) return;
	switch (m.type) {
		case 'form':
			form.setValues(m.values, vscode.getState()?.draft);
			form.setScript(m.script);
			return;
		case 'snapshot':
			post({ type: 'snapshot', snapshot: snapshot(m.requestId) });
			return;
		case 'chartImage':
			// Draw what has arrived first, so the image matches the table.
			render();
			post({ type: 'chartImage', requestId: m.requestId, dataUrl: charts.accuracyPng() });
			return;
		default:
			apply(model, m, pending);
			schedule();
	}
});

cancelButton.addEventListener('click', () => {
	if (model.state !== 'running') return;
	model.state = 'cancelling';
	pending.status = true;
	render();
	post({ type: 'cancel' });
});

function setZoom(on: boolean): void {
	charts.zoomed = on;
	zoomButton.setAttribute('aria-pressed', String(on));
	pending.accuracy = true;
}
zoomButton.addEventListener('click', () => {
	const on = !charts.zoomed;
	vscode.setState({ ...vscode.getState(), zoomed: on });
	setZoom(on);
	render();
});
setZoom(vscode.getState()?.zoomed === true);

function setShowSeeds(on: boolean): void {
	charts.showSeeds = on;
	seedsBox.checked = on;
	pending.accuracy = pending.loss = true;
}
seedsBox.addEventListener('change', () => {
	vscode.setState({ ...vscode.getState(), showSeeds: seedsBox.checked });
	setShowSeeds(seedsBox.checked);
	render();
});
setShowSeeds(vscode.getState()?.showSeeds === true);

const isFormat = (v: string | undefined): v is ExportFormat => (EXPORT_FORMATS as readonly (string | undefined)[]).includes(v);
for (const b of exportButtons) {
	b.addEventListener('click', () => {
		const format = b.dataset.export;
		if (isFormat(format)) post({ type: 'export', format });
	});
}

watchTheme(() => charts.applyTheme(readPalette()));

pending.table = pending.status = true;
render();
post({ type: 'ready' });
