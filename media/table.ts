/**
 * The sampler-comparison table: one row per sampler with mean ± std over its seeds (live while training), then the
 * paired difference in final test accuracy for each pair of samplers, with the 95% CI and the verdict from stats.ts.
 */
import { formatInterval, formatSigned, type MeanStd, type PairedComparison, type SamplerAggregate, type SeedStats } from '../src/core/stats';
import type { SamplerId } from '../src/shared/protocol';
import type { TrackSource } from '../src/shared/protocol';
import { modelStats, tracksOf, type PanelModel, type SamplerTrack } from './model';
import { fill, type PanelStrings } from './strings';
import { samplerCssColor } from './theme';

export type Lang = 'en' | 'ja';

/** The columns, in order; N is a symbol, the same in every language. */
function columns(S: PanelStrings['table']): string[] {
	return [S.sampler, 'N', S.finalTrain, S.finalTest, S.bestTest, S.wallTime, S.coverage, S.duplicates, S.maxDraws];
}
const COLUMN_COUNT = 9;

const DASH = '—';
const ok = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
export const fmtAcc = (v: number | undefined) => (ok(v) ? `${(100 * v).toFixed(2)}%` : DASH);
const fmtPct1 = (v: number | undefined) => (ok(v) ? `${(100 * v).toFixed(1)}%` : DASH);
const fmtSec = (v: number | undefined) => (ok(v) ? v.toFixed(1) : DASH);
const fmtInt = (v: number | undefined) => (ok(v) ? String(Math.round(v)) : DASH);
/** A mean of counts: whole when it is whole (every seed drew the same), else one decimal. */
const fmtMeanCount = (v: number | undefined) => (ok(v) ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : DASH);

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

/**
 * "94.12% ± 0.21%", the ± part quieter; just the value when there is no spread (one seed). Each part stays whole,
 * so a narrow column breaks only between the mean and its ± part.
 */
function pmCell(m: MeanStd, fmt: (v: number) => string, single: (v: number) => string = fmt): HTMLTableCellElement {
	if (m.std === null) return cell(single(m.mean));
	const td = cell('');
	td.append(el('span', fmt(m.mean), 'mean'), ' ', el('span', `± ${fmt(m.std)}`, 'pm'));
	return td;
}

export class ComparisonTable {
	private readonly head: HTMLTableRowElement;
	private readonly body: HTMLTableSectionElement;

	constructor(
		table: HTMLTableElement,
		private readonly empty: HTMLElement,
		private readonly notes: HTMLElement,
		private readonly pairs: HTMLElement,
		private readonly S: PanelStrings,
	) {
		const caption = el('caption', S.table.caption, 'visually-hidden');
		const head = el('thead');
		this.head = el('tr');
		for (const c of columns(S.table)) {
			const th = el('th', c);
			th.scope = 'col';
			if (c === 'N') th.title = S.table.nTitle;
			this.head.append(th);
		}
		head.append(this.head);
		this.body = el('tbody');
		table.replaceChildren(caption, head, this.body);
	}

	render(model: PanelModel, lang: Lang): void {
		const stats = modelStats(model);
		const samplers = model.run?.samplers ?? [];
		const rows = stats ? samplers.map((s, i) => this.row(model, s, stats.samplers[i], 'reference')) : [];
		// Your script's rows under the reference's, in the same columns.
		const scriptStats = model.run?.script ? modelStats(model, 'script') : undefined;
		if (scriptStats) {
			const scriptRows = samplers.map((s, i) => this.row(model, s, scriptStats.samplers[i], 'script'));
			scriptRows[0]?.classList.add('script-first');
			rows.push(...scriptRows);
		}
		// An empty-state row would read as a sampler row to the snapshot and to screen readers.
		this.empty.hidden = rows.length > 0;
		this.body.replaceChildren(...rows);
		this.renderNotes(stats);
		this.renderPairs(model, stats, lang);
	}

	private row(model: PanelModel, sampler: SamplerId, agg: SamplerAggregate, source: TrackSource): HTMLTableRowElement {
		const tr = this.rowOf(model, sampler, agg, source);
		if (source === 'script') tr.classList.add('script-row');
		return tr;
	}

	/** The row's label: the sampler's, "reference · …" beside a script's rows, or "your script · …". */
	private label(model: PanelModel, sampler: SamplerId, source: TrackSource): string {
		if (source === 'script') return this.S.script.runs[sampler];
		return model.run?.script ? fill(this.S.script.reference, this.S.samplers[sampler]) : this.S.samplers[sampler];
	}

	private rowOf(model: PanelModel, sampler: SamplerId, agg: SamplerAggregate, source: TrackSource): HTMLTableRowElement {
		const tr = el('tr');
		const th = el('th');
		th.scope = 'row';
		const swatch = el('span', undefined, 'swatch');
		swatch.setAttribute('aria-hidden', 'true');
		// CSSOM writes are allowed under `style-src` without 'unsafe-inline'; the var() follows theme switches by itself.
		swatch.style.backgroundColor = samplerCssColor(sampler);
		th.append(swatch, this.label(model, sampler, source));
		tr.append(th);

		const tracks = tracksOf(model, sampler, source);
		const total = tracks.length;
		const n = agg.seeds.length;
		const running = model.state === 'running' || model.state === 'cancelling';
		const T = this.S.table;
		const nText = n < total && (running || n > 0) ? fill(T.nOf, n, total) : String(n);

		if (n === 0) {
			const failed = tracks.filter((t) => t.failure !== undefined);
			if (failed.length === total && total > 0) {
				const reasons = [...new Set(failed.map((t) => t.failure))].join('; ');
				tr.append(cell(String(0)), cell(fill(T.failed, reasons), 'failed', COLUMN_COUNT - 2));
				return tr;
			}
			const diverged = tracks.filter((t) => t.summary?.diverged);
			if (!running && diverged.length > 0) {
				const d = diverged[0].summary!.diverged!;
				const text = total === 1 ? fill(T.divergedAt, d.iter) : fill(T.divergedIn, diverged.length, total);
				const s = diverged[0].summary!;
				tr.append(cell(String(0)), cell(text, 'diverged', 3));
				if (total === 1) tr.append(cell(fmtSec(s.seconds)), cell(fmtPct1(s.meanCoverage)), cell(fmtInt(s.duplicateBatches)), cell(fmtInt(s.maxDraws)));
				else tr.append(cell(DASH), cell(DASH), cell(DASH), cell(DASH));
				return tr;
			}
			return this.provisional(tr, tracks, model, total);
		}
		const m = agg.metrics;
		tr.append(
			cell(nText),
			pmCell(m.finalTrainAcc, fmtAcc),
			pmCell(m.finalTestAcc, fmtAcc),
			pmCell(m.bestTestAcc, fmtAcc),
			pmCell(m.seconds, fmtSec),
			pmCell(m.meanCoverage, fmtPct1),
			pmCell(m.duplicateBatches, fmtMeanCount, fmtInt),
			pmCell(m.maxDraws, fmtMeanCount, fmtInt),
		);
		if (n < total && running) tr.className = 'partial';
		return tr;
	}

	/** No seed of this sampler has finished: the latest evaluation (averaged over the seeds that have one), marked as provisional. */
	private provisional(tr: HTMLTableRowElement, tracks: SamplerTrack[], model: PanelModel, total: number): HTMLTableRowElement {
		const lasts = tracks.map((t) => t.evals[t.evals.length - 1]).filter((p) => p !== undefined);
		const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
		const best = avg(tracks.map((t) => t.evals.reduce((b, p) => (ok(p.testAcc) ? Math.max(b, p.testAcc) : b), -Infinity)).filter(ok));
		const T = this.S.table;
		const note = model.state === 'running' || model.state === 'cancelling' ? T.running : model.state === 'cancelled' ? T.cancelled : DASH;
		tr.className = 'provisional';
		tr.append(
			cell(total > 1 ? fill(T.nOf, 0, total) : DASH),
			cell(fmtAcc(avg(lasts.map((p) => p.trainAcc).filter(ok)))),
			cell(fmtAcc(avg(lasts.map((p) => p.testAcc).filter(ok)))),
			cell(fmtAcc(best)),
			cell(note, 'note'),
			cell(DASH),
			cell(DASH),
			cell(DASH),
		);
		return tr;
	}

	/** Runs left out of the numbers, and why. */
	private renderNotes(stats: SeedStats | undefined): void {
		const T = this.S.table;
		const left = stats ? stats.samplers.flatMap((a) => a.excluded.map((e) => fill(T.leftOutRun, this.S.samplers[a.sampler], e.seed, T.reasons[e.reason]))) : [];
		this.notes.hidden = left.length === 0 || (stats?.seeds.length ?? 0) < 2;
		this.notes.textContent = left.length ? fill(T.leftOut, left.join('; ')) : '';
	}

	/** One block per sampler pair: the numbers, the verdict in the display language, the other language below it. */
	private renderPairs(model: PanelModel, stats: SeedStats | undefined, lang: Lang): void {
		const pairs = stats?.pairs ?? [];
		this.pairs.hidden = pairs.length === 0;
		if (!stats || pairs.length === 0) {
			this.pairs.replaceChildren();
			return;
		}
		const level = `${+(stats.level * 100).toFixed(1)}%`;
		const P = this.S.pairs;
		const heading = el('h3', P.heading, 'pairs-title');
		const how = el('p', [fill(P.how, level), ...(model.state === 'running' ? [P.whileTraining] : [])].join(' '), 'muted pairs-how');
		this.pairs.replaceChildren(heading, how, ...pairs.map((p) => this.pair(p, level, lang)));
	}

	private pair(p: PairedComparison, level: string, lang: Lang): HTMLElement {
		const box = el('div', undefined, 'pair');
		const title = el('p', undefined, 'pair-title');
		// The ids, as the verdict names them.
		title.append(el('code', p.a), ' − ', el('code', p.b));
		const P = this.S.pairs;
		const parts = p.n === 0 ? [P.noSeed] : [fill(P.mean, formatSigned(p.meanDiff, 4))];
		if (p.sdDiff !== null) parts.push(fill(P.sd, p.sdDiff.toFixed(4)));
		if (p.ci) parts.push(fill(P.ci, level, formatInterval(p.ci.low, p.ci.high)), fill(P.t, p.ci.t.toFixed(3), p.ci.df));
		if (p.n > 0) parts.push(`N = ${p.n}`);
		title.append(el('span', `: ${parts.join(', ')}`, 'pair-numbers'));
		const other: Lang = lang === 'ja' ? 'en' : 'ja';
		const verdict = el('p', p.verdict[lang], 'verdict');
		verdict.lang = lang;
		const alt = el('p', p.verdict[other], 'verdict-other muted');
		alt.lang = other;
		box.append(title, verdict, alt);
		return box;
	}

	headText(): string[] {
		return [...this.head.cells].map((c) => c.textContent?.trim() ?? '');
	}

	/** The body rows as text cells, for the snapshot. */
	rowsText(): string[][] {
		return [...this.body.rows].map((r) => [...r.cells].map((c) => c.textContent?.trim() ?? ''));
	}

	pairsText(): { title: string; numbers: string; verdict: string; verdictLang: string; other: string }[] {
		return [...this.pairs.querySelectorAll<HTMLElement>('.pair')].map((b) => {
			const title = b.querySelector('.pair-title');
			const verdict = b.querySelector<HTMLElement>('.verdict');
			return {
				title: [...(title?.querySelectorAll('code') ?? [])].map((c) => c.textContent ?? '').join(' − '),
				numbers: (title?.querySelector('.pair-numbers')?.textContent ?? '').replace(/^:\s*/, ''),
				verdict: verdict?.textContent ?? '',
				verdictLang: verdict?.lang ?? '',
				other: b.querySelector('.verdict-other')?.textContent ?? '',
			};
		});
	}
}
