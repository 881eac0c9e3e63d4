/** The sampler-comparison table: one row per sampler, live while training, final once its summary arrives. */
import { SAMPLER_LABELS } from '../src/core/samplers';
import type { PanelModel, SamplerTrack } from './model';
import { samplerCssColor } from './theme';

const COLUMNS = [
	'Sampler',
	'Final train acc',
	'Final test acc',
	'Best test acc',
	'Wall time (s)',
	'Mean coverage per epoch',
	'Batches with a duplicate',
	'Most draws of one sample',
];

const DASH = '—';
const ok = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
export const fmtAcc = (v: number | undefined) => (ok(v) ? `${(100 * v).toFixed(2)}%` : DASH);
const fmtPct1 = (v: number | undefined) => (ok(v) ? `${(100 * v).toFixed(1)}%` : DASH);
const fmtSec = (v: number | undefined) => (ok(v) ? v.toFixed(1) : DASH);
const fmtInt = (v: number | undefined) => (ok(v) ? String(Math.round(v)) : DASH);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
	const e = document.createElement(tag);
	if (text !== undefined) e.textContent = text;
	if (className) e.className = className;
	return e;
}

function cell(text: string, className = 'num', span = 1): HTMLTableCellElement {
	const td = el('td', text, className);
	if (span > 1) td.colSpan = span;
	return td;
}

export class ComparisonTable {
	private readonly body: HTMLTableSectionElement;

	constructor(
		table: HTMLTableElement,
		private readonly empty: HTMLElement,
	) {
		const caption = el('caption', 'Sampler comparison, one row per sampler', 'visually-hidden');
		const head = el('thead');
		const row = el('tr');
		for (const c of COLUMNS) {
			const th = el('th', c);
			th.scope = 'col';
			row.append(th);
		}
		head.append(row);
		this.body = el('tbody');
		table.replaceChildren(caption, head, this.body);
	}

	render(model: PanelModel): void {
		const rows = [...model.tracks.values()].map((t) => this.row(t, model));
		// An empty-state row would read as a sampler row to the snapshot and to screen readers.
		this.empty.hidden = rows.length > 0;
		this.body.replaceChildren(...rows);
	}

	private row(t: SamplerTrack, model: PanelModel): HTMLTableRowElement {
		const tr = el('tr');
		const th = el('th');
		th.scope = 'row';
		const swatch = el('span', undefined, 'swatch');
		swatch.setAttribute('aria-hidden', 'true');
		// CSSOM writes are allowed under `style-src` without 'unsafe-inline'; the var() follows theme switches by itself.
		swatch.style.backgroundColor = samplerCssColor(t.sampler);
		th.append(swatch, SAMPLER_LABELS[t.sampler]);
		tr.append(th);

		if (t.failure !== undefined) {
			tr.append(cell(`failed: ${t.failure}`, 'failed', COLUMNS.length - 1));
			return tr;
		}
		const s = t.summary;
		if (s) {
			if (s.diverged) tr.append(cell(`diverged at iteration ${s.diverged.iter}`, 'diverged', 3));
			else tr.append(cell(fmtAcc(s.finalTrainAcc)), cell(fmtAcc(s.finalTestAcc)), cell(fmtAcc(s.bestTestAcc)));
			tr.append(cell(fmtSec(s.seconds)), cell(fmtPct1(s.meanCoverage)), cell(fmtInt(s.duplicateBatches)), cell(fmtInt(s.maxDraws)));
			return tr;
		}
		// Still training (or stopped without a summary): the latest evaluation, marked as provisional.
		const last = t.evals[t.evals.length - 1];
		const best = t.evals.reduce((m, p) => (ok(p.testAcc) ? Math.max(m, p.testAcc) : m), -Infinity);
		const note = model.state === 'running' || model.state === 'cancelling' ? 'running…' : model.state === 'cancelled' ? 'cancelled' : DASH;
		tr.className = 'provisional';
		tr.append(cell(fmtAcc(last?.trainAcc)), cell(fmtAcc(last?.testAcc)), cell(fmtAcc(ok(best) ? best : undefined)), cell(note, 'note'), cell(DASH), cell(DASH), cell(DASH));
		return tr;
	}

	/** The body rows as text cells, for the snapshot. */
	rowsText(): string[][] {
		return [...this.body.rows].map((r) => [...r.cells].map((c) => c.textContent?.trim() ?? ''));
	}
}
