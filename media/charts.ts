/**
 * The two canvases: accuracy per epoch (train dashed, test solid) and the smoothed loss per iteration.
 * With several seeds each sampler's line is the mean over seeds, with a ±1 std band and optional faint per-seed lines.
 */
import { Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartDataset, type ChartOptions } from 'chart.js';
import { mean, sampleStd } from '../src/core/stats';
import type { SamplerId, TrackSource } from '../src/shared/protocol';
import { epochsPerIter, trackKey, tracksOf, type PanelModel, type SamplerTrack } from './model';
import { fill, type PanelStrings } from './strings';
import { withAlpha, type Palette } from './theme';

// Only what a line chart on linear axes needs (Filler for the std bands), so esbuild drops the rest of chart.js.
Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip, Filler);

type Point = { x: number; y: number };
/** mean lines: train, test, loss; the band's two edges; one faint line per seed. */
type Role = 'train' | 'test' | 'loss' | 'bandHigh' | 'bandLow' | 'seed';
type LineSet = ChartDataset<'line', Point[]> & {
	sampler: SamplerId;
	role: Role;
	/** Your script's mean lines (dotted, with hollow diamonds) beside the reference's. */
	source: TrackSource;
	/** For a seed line: its seed. */
	seed?: number;
	/** For a mean line: the std and the number of seeds behind each point, for the tooltip. */
	spread?: { std: number | null; n: number }[];
};
type LineChart = Chart<'line', Point[]>;

const isMeanLine = (set: { role?: Role }) => set.role === 'train' || set.role === 'test' || set.role === 'loss';

/** Mean and sample std over seeds at each x; the band only where two or more seeds have a value. */
export function meanCurve(series: readonly (readonly Point[])[]): { mean: Point[]; spread: { std: number | null; n: number }[]; high: Point[]; low: Point[] } {
	const byX = new Map<number, number[]>();
	for (const points of series) {
		for (const p of points) {
			const ys = byX.get(p.x);
			if (ys) ys.push(p.y);
			else byX.set(p.x, [p.y]);
		}
	}
	const out = { mean: [] as Point[], spread: [] as { std: number | null; n: number }[], high: [] as Point[], low: [] as Point[] };
	for (const x of [...byX.keys()].sort((a, b) => a - b)) {
		const ys = byX.get(x)!;
		const m = mean(ys);
		const sd = ys.length >= 2 ? sampleStd(ys) : null;
		out.mean.push({ x, y: m });
		out.spread.push({ std: sd, n: ys.length });
		if (sd !== null) {
			out.high.push({ x, y: m + sd });
			out.low.push({ x, y: m - sd });
		}
	}
	return out;
}

const TRAIN_DASH = [6, 4];
/** Your script's lines: dotted, so the reference's line shows through where they coincide. */
const SCRIPT_DASH = [2, 3];

/** At most this many plotted loss points per sampler, whatever the iteration count. */
const MAX_LOSS_POINTS = 1500;

/** EMA span in iterations: about 1% of the run, so 10000 iterations average over ~100 batches. */
export function emaSpan(iters: number): number {
	return Math.min(500, Math.max(10, Math.round(iters / 100)));
}

/**
 * Incremental, bias-corrected EMA of one sampler's loss points, plotted every `stride` points. A point covers
 * `lossStride` iterations (RunInfo.lossStride) and is drawn at their middle.
 */
class LossSmoother {
	points: Point[] = [];
	private upTo = 0;
	private ema = 0;
	private weight = 0;
	private tail = false;

	constructor(
		private readonly decay: number,
		private readonly stride: number,
		private readonly lossStride: number,
	) {}

	private x(point: number): number {
		return point * this.lossStride + (this.lossStride - 1) / 2;
	}

	update(t: SamplerTrack): void {
		if (t.lossDirtyFrom < this.upTo) this.reset();
		t.lossDirtyFrom = Infinity;
		if (this.tail) {
			this.points.pop();
			this.tail = false;
		}
		const n = t.lossCount;
		for (let i = this.upTo; i < n; i++) {
			const v = t.losses[i];
			if (typeof v === 'number') {
				this.ema = this.decay * this.ema + (1 - this.decay) * v;
				this.weight = this.decay * this.weight + (1 - this.decay);
			}
			if (this.weight > 0 && (i + 1) % this.stride === 0) this.points.push({ x: this.x(i), y: this.ema / this.weight });
		}
		this.upTo = Math.max(this.upTo, n);
		// The newest iteration is drawn too, and replaced on the next update unless it falls on a stride.
		if (n > 0 && n % this.stride !== 0 && this.weight > 0) {
			this.points.push({ x: this.x(n - 1), y: this.ema / this.weight });
			this.tail = true;
		}
	}

	private reset(): void {
		this.points.length = 0;
		this.upTo = this.ema = this.weight = 0;
		this.tail = false;
	}
}

const pct = (v: number) => `${v.toFixed(2)}%`;

function baseOptions(xTitle: string, yTitle: string): ChartOptions<'line'> {
	return {
		animation: false,
		parsing: false,
		normalized: true,
		responsive: true,
		maintainAspectRatio: false,
		interaction: { mode: 'nearest', axis: 'x', intersect: false },
		elements: { line: { tension: 0 } },
		scales: {
			x: { type: 'linear', min: 0, title: { display: true, text: xTitle }, ticks: { maxRotation: 0 } },
			y: { type: 'linear', title: { display: true, text: yTitle } },
		},
		plugins: {
			legend: {
				position: 'bottom',
				// Hiding a sampler's test (or loss) line hides its band and seed lines too, which would float alone otherwise.
				onClick: (_e, item, legend) => {
					const chart = legend.chart;
					const index = item.datasetIndex ?? -1;
					const set = chart.data.datasets[index] as LineSet | undefined;
					if (!set) return;
					const show = !chart.isDatasetVisible(index);
					chart.setDatasetVisibility(index, show);
					if (set.role === 'test' || set.role === 'loss') {
						(chart.data.datasets as LineSet[]).forEach((d, j) => {
							// null hands visibility back to the dataset's own `hidden` (the seed lines' checkbox).
							if (d.sampler === set.sampler && !isMeanLine(d)) chart.getDatasetMeta(j).hidden = show ? (null as unknown as boolean) : true;
						});
					}
					chart.update('none');
				},
				labels: {
					usePointStyle: true,
					pointStyle: 'line',
					pointStyleWidth: 36,
					padding: 14,
					// With point-style legends chart.js reads the point's style, which has no dash: take width and dash from the line.
					generateLabels: (chart) =>
						Chart.defaults.plugins.legend.labels.generateLabels(chart).filter((item) => isMeanLine((chart.data.datasets[item.datasetIndex ?? -1] ?? {}) as LineSet)).map((item) => {
							const set = chart.data.datasets[item.datasetIndex ?? -1] as LineSet | undefined;
							if (!set) return item;
							return { ...item, lineWidth: typeof set.borderWidth === 'number' ? set.borderWidth : item.lineWidth, lineDash: set.source === 'script' ? SCRIPT_DASH : set.role === 'train' ? TRAIN_DASH : [] };
						}),
				},
			},
			// The bands and the per-seed lines would crowd the tooltip; the mean line's label carries the std instead.
			tooltip: { enabled: true, filter: (item) => isMeanLine(item.dataset as LineSet) },
		},
	};
}

export class Charts {
	readonly accuracy: LineChart;
	readonly loss: LineChart;
	private smoothers = new Map<string, LossSmoother>();
	private palette: Palette;
	/** The last half of the epochs with a fitted y axis, where the samplers differ by tenths of a percent. */
	zoomed = false;
	/** Faint per-seed lines under the means. */
	showSeeds = false;

	constructor(
		accCanvas: HTMLCanvasElement,
		lossCanvas: HTMLCanvasElement,
		palette: Palette,
		private readonly S: PanelStrings,
	) {
		this.palette = palette;
		const C = S.charts;
		const accOptions = baseOptions(C.epoch, C.accuracy);
		accOptions.scales!.y = { ...accOptions.scales!.y, min: 0, max: 100 };
		// The run ends mid-epoch (16.67 for the book); a tick there would crowd the last whole epoch.
		accOptions.scales!.x = { ...accOptions.scales!.x, ticks: { maxRotation: 0, includeBounds: false } };
		// Index mode lines up train and test of every sampler at the same evaluation.
		accOptions.interaction = { mode: 'index', intersect: false };
		accOptions.plugins!.tooltip = {
			...accOptions.plugins!.tooltip,
			callbacks: { title: (items) => (items.length ? fill(C.epochAt, (items[0].parsed.x ?? 0).toFixed(2)) : ''), label: (item) => `${item.dataset.label}: ${withSpread(item.dataset as LineSet, item.dataIndex, item.parsed.y ?? NaN, pct)}` },
		};
		this.accuracy = new Chart(accCanvas, { type: 'line', data: { datasets: [] }, options: accOptions });

		const lossOptions = baseOptions(C.iteration, C.loss);
		lossOptions.scales!.y = { ...lossOptions.scales!.y, beginAtZero: true };
		lossOptions.plugins!.tooltip = {
			...lossOptions.plugins!.tooltip,
			callbacks: { title: (items) => (items.length ? fill(C.iterationAt, items[0].parsed.x ?? 0) : ''), label: (item) => `${item.dataset.label}: ${withSpread(item.dataset as LineSet, item.dataIndex, item.parsed.y ?? NaN, (v) => v.toFixed(3))}` },
		};
		this.loss = new Chart(lossCanvas, { type: 'line', data: { datasets: [] }, options: lossOptions });
		this.applyTheme(palette);
	}

	/**
	 * A new run: per sampler a train and a test line (accuracy) and a loss line, no points yet. With several seeds also
	 * the band around the test and loss means and one hidden-by-default line per seed; with one seed the charts are as before.
	 */
	reset(model: PanelModel): void {
		const run = model.run;
		this.besideScript = run?.script !== undefined;
		this.smoothers.clear();
		const acc: LineSet[] = [];
		const loss: LineSet[] = [];
		if (run) {
			// The span is in iterations; the host sends a point per lossStride iterations.
			const span = Math.max(1, emaSpan(run.settings.iters) / run.lossStride);
			const stride = Math.max(1, Math.ceil(run.settings.iters / run.lossStride / MAX_LOSS_POINTS));
			const several = model.seeds.length > 1;
			for (const s of run.samplers) {
				acc.push(this.line(s, 'train'), this.line(s, 'test'));
				loss.push(this.line(s, 'loss'));
				if (several) {
					acc.push(this.line(s, 'bandHigh'), this.line(s, 'bandLow'), ...model.seeds.map((seed) => this.line(s, 'seed', seed)));
					loss.push(this.line(s, 'bandHigh'), this.line(s, 'bandLow'), ...model.seeds.map((seed) => this.line(s, 'seed', seed)));
				}
				for (const seed of model.seeds) this.smoothers.set(trackKey(s, seed), new LossSmoother(1 - 2 / (span + 1), stride, run.lossStride));
			}
			// Your script's runs beside the reference's: their mean lines only, after them in the legend.
			if (run.script) {
				for (const s of run.samplers) {
					acc.push(this.line(s, 'train', undefined, 'script'), this.line(s, 'test', undefined, 'script'));
					loss.push(this.line(s, 'loss', undefined, 'script'));
					for (const seed of model.seeds) this.smoothers.set(trackKey(s, seed, 'script'), new LossSmoother(1 - 2 / (span + 1), stride, run.lossStride));
				}
			}
			this.loss.options.scales!.x!.max = run.settings.iters;
		}
		this.accuracy.options.scales!.x!.max = undefined;
		this.accuracy.data.datasets = acc;
		this.loss.data.datasets = loss;
	}

	/** Beside your script's lines, the reference's say so. */
	private besideScript = false;

	private line(sampler: SamplerId, role: Role, seed?: number, source: TrackSource = 'reference'): LineSet {
		const name = source === 'script' ? this.S.script.runs[sampler] : this.besideScript ? fill(this.S.script.reference, this.S.samplers[sampler]) : this.S.samplers[sampler];
		const C = this.S.charts;
		const label = role === 'loss' ? name : role === 'seed' ? fill(C.seedLine, name, seed ?? '') : role === 'bandHigh' || role === 'bandLow' ? fill(C.band, name) : fill(role === 'train' ? C.train : C.test, name);
		const set: LineSet = { label, data: [], sampler, role, seed, source };
		this.style(set);
		return set;
	}

	private style(set: LineSet): void {
		const colour = this.palette.sampler[set.sampler];
		const hc = this.palette.highContrast;
		set.borderColor = set.backgroundColor = set.pointBackgroundColor = colour;
		set.borderDash = set.role === 'train' ? TRAIN_DASH : [];
		set.pointRadius = set.role === 'test' ? (hc ? 3 : 2.5) : 0;
		set.pointHoverRadius = isMeanLine(set) ? (set.role === 'loss' ? 3 : 4) : 0;
		set.borderWidth = set.role === 'train' ? (hc ? 2.5 : 1.5) : hc ? 3 : 2;
		// Drawn in this order, bottom to top: bands, per-seed lines, means (chart.js draws a lower `order` on top).
		set.order = isMeanLine(set) ? 0 : set.role === 'seed' ? 1 : 2;
		set.fill = false;
		if (set.role === 'bandHigh' || set.role === 'bandLow') {
			set.borderWidth = 0;
			set.borderColor = 'transparent';
			// The upper edge fills down to the lower one, which follows it in the dataset list.
			if (set.role === 'bandHigh') set.fill = '+1';
			set.backgroundColor = withAlpha(colour, hc ? 0.3 : this.palette.dark ? 0.2 : 0.16);
		} else if (set.role === 'seed') {
			set.borderWidth = hc ? 1.5 : 1;
			set.borderColor = withAlpha(colour, hc ? 0.7 : 0.45);
			set.hidden = !this.showSeeds;
		}
		if (set.source === 'script') {
			set.borderDash = SCRIPT_DASH;
			set.pointStyle = 'rectRot';
			set.pointRadius = set.role === 'loss' ? 0 : set.role === 'test' ? (hc ? 5 : 4.5) : hc ? 4 : 3.5;
			set.pointBorderWidth = hc ? 2 : 1.5;
			// Hollow: the reference's point stays visible inside the diamond when both agree.
			set.pointBackgroundColor = this.palette.background;
			set.pointBorderColor = colour;
		}
	}

	/** Copies the model's points into the datasets (cheap: evals are few, losses are smoothed incrementally). */
	updateAccuracy(model: PanelModel): void {
		const points = (t: SamplerTrack, key: 'trainAcc' | 'testAcc') => t.evals.filter((p) => Number.isFinite(p[key])).map((p) => ({ x: p.epoch, y: 100 * p[key] }));
		this.setCurves(this.accuracy, model, (sampler, source) => {
			const tracks = tracksOf(model, sampler, source);
			return { train: meanCurve(tracks.map((t) => points(t, 'trainAcc'))), test: meanCurve(tracks.map((t) => points(t, 'testAcc'))), seeds: new Map(tracks.map((t) => [t.seed, points(t, 'testAcc')])) };
		});
		// Pin the x axis to the whole run once the epoch length is known, so the curves grow instead of rescaling.
		const perIter = epochsPerIter(model);
		const iters = model.run?.settings.iters;
		const x = this.accuracy.options.scales!.x!;
		const y = this.accuracy.options.scales!.y!;
		x.max = perIter && iters ? Math.max(1, Math.ceil((iters - 1) * perIter * 100) / 100) : undefined;
		const from = x.max !== undefined ? Math.floor(x.max / 2) : 0;
		const visible = (this.accuracy.data.datasets as LineSet[]).filter((d) => !d.hidden);
		const later = this.zoomed && from > 0 ? visible.flatMap((d) => d.data.filter((p) => p.x >= from).map((p) => p.y)) : [];
		if (later.length) {
			x.min = from;
			y.min = Math.max(0, Math.floor(Math.min(...later) - 0.5));
			y.max = Math.min(100, Math.ceil(Math.max(...later) + 0.5));
		} else {
			x.min = 0;
			y.min = 0;
			y.max = 100;
		}
	}

	updateLoss(model: PanelModel): void {
		for (const t of model.tracks.values()) this.smoothers.get(trackKey(t.sampler, t.seed, t.source))?.update(t);
		this.setCurves(this.loss, model, (sampler, source) => {
			const series = new Map(tracksOf(model, sampler, source).map((t) => [t.seed, this.smoothers.get(trackKey(sampler, t.seed, source))?.points ?? []]));
			return { loss: meanCurve([...series.values()]), seeds: series };
		});
	}

	/** Sets every dataset of a chart from per-sampler curves: the mean lines, the band around the test (or loss) mean, the seeds. */
	private setCurves(chart: LineChart, model: PanelModel, curves: (s: SamplerId, source: TrackSource) => { train?: MeanCurve; test?: MeanCurve; loss?: MeanCurve; seeds: Map<number, Point[]> }): void {
		const cache = new Map<string, ReturnType<typeof curves>>();
		const of = (s: SamplerId, source: TrackSource) => {
			const key = `${source}:${s}`;
			return cache.get(key) ?? cache.set(key, curves(s, source)).get(key)!;
		};
		for (const set of chart.data.datasets as LineSet[]) {
			if (!model.run?.samplers.includes(set.sampler)) continue;
			const c = of(set.sampler, set.source);
			const banded = c.test ?? c.loss;
			switch (set.role) {
				case 'train':
				case 'test':
				case 'loss': {
					const m = c[set.role];
					set.data = m?.mean ?? [];
					set.spread = m?.spread;
					break;
				}
				case 'bandHigh':
					set.data = banded?.high ?? [];
					break;
				case 'bandLow':
					set.data = banded?.low ?? [];
					break;
				case 'seed':
					set.data = c.seeds.get(set.seed ?? NaN) ?? [];
					set.hidden = !this.showSeeds;
					break;
			}
		}
	}

	draw(): void {
		this.accuracy.update('none');
		this.loss.update('none');
	}

	applyTheme(palette: Palette): void {
		this.palette = palette;
		for (const chart of [this.accuracy, this.loss]) {
			const o = chart.options;
			o.color = palette.foreground;
			o.font = { family: palette.fontFamily, size: palette.fontSize };
			for (const axis of [o.scales!.x!, o.scales!.y!]) {
				axis.ticks = { ...axis.ticks, color: palette.foreground };
				axis.grid = { ...axis.grid, color: palette.grid, tickColor: palette.grid };
				axis.border = { ...axis.border, color: palette.grid };
				if (axis.title) axis.title.color = palette.foreground;
			}
			for (const set of chart.data.datasets as LineSet[]) this.style(set);
		}
		this.draw();
	}

	/**
	 * The accuracy chart as a PNG for a write-up: drawn again at twice the screen's pixel density, with a margin, on the
	 * theme's background (a bare canvas is transparent, which reads badly once pasted elsewhere).
	 */
	accuracyPng(): string {
		const chart = this.accuracy;
		const before = chart.options.devicePixelRatio;
		const ratio = Math.max(2, window.devicePixelRatio || 1);
		chart.options.devicePixelRatio = ratio;
		chart.resize();
		try {
			const src = chart.canvas;
			if (src.width === 0 || src.height === 0) return '';
			const margin = Math.round(12 * ratio);
			const out = document.createElement('canvas');
			out.width = src.width + 2 * margin;
			out.height = src.height + 2 * margin;
			const ctx = out.getContext('2d');
			if (!ctx) return '';
			ctx.fillStyle = this.palette.background;
			ctx.fillRect(0, 0, out.width, out.height);
			ctx.drawImage(src, margin, margin);
			return out.toDataURL('image/png');
		} finally {
			chart.options.devicePixelRatio = before;
			chart.resize();
		}
	}

	/** For the snapshot: does the canvas hold any painted pixel? */
	static drawn(chart: LineChart): boolean {
		const canvas = chart.canvas;
		const ctx = canvas.getContext('2d');
		if (!ctx || canvas.width === 0 || canvas.height === 0) return false;
		const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
		for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
		return false;
	}

	/** For the snapshot: the words drawn on the canvas, axis titles and the legend's entries. */
	static texts(chart: LineChart): string[] {
		const scales = chart.options.scales ?? {};
		const titles = [scales.x, scales.y].map((a) => (a && 'title' in a && a.title && typeof a.title.text === 'string' ? a.title.text : ''));
		const legend = (chart.legend?.legendItems ?? []).map((i) => i.text);
		return [...titles, ...legend].filter(Boolean);
	}

	static points(chart: LineChart): number {
		return chart.data.datasets.reduce((n, d) => n + d.data.length, 0);
	}
}

type MeanCurve = ReturnType<typeof meanCurve>;

/** "94.12% ± 0.21% (N = 3)" for a mean over several seeds; just the value otherwise. */
function withSpread(set: LineSet, index: number, y: number, fmt: (v: number) => string): string {
	const s = set.spread?.[index];
	return s && s.std !== null ? `${fmt(y)} ± ${fmt(s.std)} (N = ${s.n})` : fmt(y);
}
