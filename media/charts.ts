/** The two canvases: accuracy per epoch (train dashed, test solid) and the smoothed loss per iteration. */
import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartDataset, type ChartOptions } from 'chart.js';
import { SAMPLER_LABELS } from '../src/core/samplers';
import type { SamplerId } from '../src/shared/protocol';
import { epochsPerIter, type PanelModel, type SamplerTrack } from './model';
import type { Palette } from './theme';

// Only what a line chart on linear axes needs, so esbuild drops the rest of chart.js.
Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

type Point = { x: number; y: number };
type LineSet = ChartDataset<'line', Point[]> & { sampler: SamplerId; role: 'train' | 'test' | 'loss' };
type LineChart = Chart<'line', Point[]>;

const TRAIN_DASH = [6, 4];

/** At most this many plotted loss points per sampler, whatever the iteration count. */
const MAX_LOSS_POINTS = 1500;

/** EMA span in iterations: about 1% of the run, so 10000 iterations average over ~100 batches. */
export function emaSpan(iters: number): number {
	return Math.min(500, Math.max(10, Math.round(iters / 100)));
}

/** Incremental, bias-corrected EMA of one sampler's losses, sampled every `stride` iterations. */
class LossSmoother {
	points: Point[] = [];
	private upTo = 0;
	private ema = 0;
	private weight = 0;
	private tail = false;

	constructor(
		private readonly decay: number,
		private readonly stride: number,
	) {}

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
			if (this.weight > 0 && (i + 1) % this.stride === 0) this.points.push({ x: i, y: this.ema / this.weight });
		}
		this.upTo = Math.max(this.upTo, n);
		// The newest iteration is drawn too, and replaced on the next update unless it falls on a stride.
		if (n > 0 && n % this.stride !== 0 && this.weight > 0) {
			this.points.push({ x: n - 1, y: this.ema / this.weight });
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
				labels: {
					usePointStyle: true,
					pointStyle: 'line',
					pointStyleWidth: 36,
					padding: 14,
					// With point-style legends chart.js reads the point's style, which has no dash: take width and dash from the line.
					generateLabels: (chart) =>
						Chart.defaults.plugins.legend.labels.generateLabels(chart).map((item) => {
							const set = chart.data.datasets[item.datasetIndex ?? -1] as LineSet | undefined;
							if (!set) return item;
							return { ...item, lineWidth: typeof set.borderWidth === 'number' ? set.borderWidth : item.lineWidth, lineDash: set.role === 'train' ? TRAIN_DASH : [] };
						}),
				},
			},
			tooltip: { enabled: true },
		},
	};
}

export class Charts {
	readonly accuracy: LineChart;
	readonly loss: LineChart;
	private smoothers = new Map<SamplerId, LossSmoother>();
	private palette: Palette;
	/** The last half of the epochs with a fitted y axis, where the samplers differ by tenths of a percent. */
	zoomed = false;

	constructor(accCanvas: HTMLCanvasElement, lossCanvas: HTMLCanvasElement, palette: Palette) {
		this.palette = palette;
		const accOptions = baseOptions('epoch', 'accuracy (%)');
		accOptions.scales!.y = { ...accOptions.scales!.y, min: 0, max: 100 };
		// The run ends mid-epoch (16.67 for the book); a tick there would crowd the last whole epoch.
		accOptions.scales!.x = { ...accOptions.scales!.x, ticks: { maxRotation: 0, includeBounds: false } };
		// Index mode lines up train and test of every sampler at the same evaluation.
		accOptions.interaction = { mode: 'index', intersect: false };
		accOptions.plugins!.tooltip = { callbacks: { title: (items) => (items.length ? `epoch ${(items[0].parsed.x ?? 0).toFixed(2)}` : ''), label: (item) => `${item.dataset.label}: ${pct(item.parsed.y ?? NaN)}` } };
		this.accuracy = new Chart(accCanvas, { type: 'line', data: { datasets: [] }, options: accOptions });

		const lossOptions = baseOptions('iteration', 'loss');
		lossOptions.scales!.y = { ...lossOptions.scales!.y, beginAtZero: true };
		lossOptions.plugins!.tooltip = { callbacks: { title: (items) => (items.length ? `iteration ${items[0].parsed.x ?? 0}` : ''), label: (item) => `${item.dataset.label}: ${(item.parsed.y ?? NaN).toFixed(3)}` } };
		this.loss = new Chart(lossCanvas, { type: 'line', data: { datasets: [] }, options: lossOptions });
		this.applyTheme(palette);
	}

	/** A new run: one train and one test line per sampler, one loss line per sampler, no points yet. */
	reset(model: PanelModel): void {
		const run = model.run;
		this.smoothers.clear();
		const acc: LineSet[] = [];
		const loss: LineSet[] = [];
		if (run) {
			const span = emaSpan(run.settings.iters);
			const stride = Math.max(1, Math.ceil(run.settings.iters / MAX_LOSS_POINTS));
			for (const s of run.samplers) {
				acc.push(this.line(s, 'train'), this.line(s, 'test'));
				loss.push(this.line(s, 'loss'));
				this.smoothers.set(s, new LossSmoother(1 - 2 / (span + 1), stride));
			}
			this.loss.options.scales!.x!.max = run.settings.iters;
		}
		this.accuracy.options.scales!.x!.max = undefined;
		this.accuracy.data.datasets = acc;
		this.loss.data.datasets = loss;
	}

	private line(sampler: SamplerId, role: LineSet['role']): LineSet {
		const label = role === 'loss' ? SAMPLER_LABELS[sampler] : `${SAMPLER_LABELS[sampler]} · ${role}`;
		const set: LineSet = { label, data: [], sampler, role };
		this.style(set);
		return set;
	}

	private style(set: LineSet): void {
		const colour = this.palette.sampler[set.sampler];
		const hc = this.palette.highContrast;
		set.borderColor = set.backgroundColor = set.pointBackgroundColor = colour;
		set.borderWidth = set.role === 'train' ? (hc ? 2.5 : 1.5) : hc ? 3 : 2;
		set.borderDash = set.role === 'train' ? TRAIN_DASH : [];
		set.pointRadius = set.role === 'test' ? (hc ? 3 : 2.5) : 0;
		set.pointHoverRadius = set.role === 'loss' ? 3 : 4;
	}

	/** Copies the model's points into the datasets (cheap: evals are few, losses are smoothed incrementally). */
	updateAccuracy(model: PanelModel): void {
		for (const set of this.accuracy.data.datasets as LineSet[]) {
			const t = model.tracks.get(set.sampler);
			if (!t) continue;
			const key = set.role === 'train' ? 'trainAcc' : 'testAcc';
			set.data = t.evals.filter((p) => Number.isFinite(p[key])).map((p) => ({ x: p.epoch, y: 100 * p[key] }));
		}
		// Pin the x axis to the whole run once the epoch length is known, so the curves grow instead of rescaling.
		const perIter = epochsPerIter(model);
		const iters = model.run?.settings.iters;
		const x = this.accuracy.options.scales!.x!;
		const y = this.accuracy.options.scales!.y!;
		x.max = perIter && iters ? Math.max(1, Math.ceil((iters - 1) * perIter * 100) / 100) : undefined;
		const from = x.max !== undefined ? Math.floor(x.max / 2) : 0;
		const later = this.zoomed && from > 0 ? (this.accuracy.data.datasets as LineSet[]).flatMap((d) => d.data.filter((p) => p.x >= from).map((p) => p.y)) : [];
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
		for (const set of this.loss.data.datasets as LineSet[]) {
			const t = model.tracks.get(set.sampler);
			const sm = this.smoothers.get(set.sampler);
			if (!t || !sm) continue;
			sm.update(t);
			set.data = sm.points;
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

	/** For the snapshot: does the canvas hold any painted pixel? */
	static drawn(chart: LineChart): boolean {
		const canvas = chart.canvas;
		const ctx = canvas.getContext('2d');
		if (!ctx || canvas.width === 0 || canvas.height === 0) return false;
		const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
		for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
		return false;
	}

	static points(chart: LineChart): number {
		return chart.data.datasets.reduce((n, d) => n + d.data.length, 0);
	}
}
