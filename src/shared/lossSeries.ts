/**
 * The extension host keeps one copy of a run's losses (its history, which the panel replays and the export reads), and
 * that copy must not grow with the iteration count: at the settings' limits (1,000,000 iterations × 300 runs) one value
 * per iteration would be gigabytes. So the host averages them into points of `lossStride` consecutive iterations, with
 * a stated cap: at most LOSS_POINTS_PER_RUN points per (sampler, seed) run and LOSS_POINTS_TOTAL over a comparison
 * (about 8 to 24 MB of numbers). The book's 10,000 iterations keep every iteration (stride 1) for up to 100 runs.
 * Pure: the host folds with it, the panel and the export read `RunInfo.lossStride`.
 */
export const LOSS_POINTS_PER_RUN = 10_000;
export const LOSS_POINTS_TOTAL = 1_000_000;

/** Iterations per loss point for a comparison of `runs` runs of `iters` iterations each. */
export function lossStride(iters: number, runs: number): number {
	const perRun = Math.max(1, Math.min(LOSS_POINTS_PER_RUN, Math.floor(LOSS_POINTS_TOTAL / Math.max(1, runs))));
	return Math.max(1, Math.ceil(iters / perRun));
}

/** Loss points from `fromIter` (a multiple of the stride), consecutive. */
export interface LossPoints {
	fromIter: number;
	losses: (number | null)[];
}

/**
 * One run's per-iteration losses in, points out: each point is the mean of `stride` consecutive iterations (the last one
 * may cover fewer), null when any of them was not finite (a diverged run). With stride 1 every loss passes unchanged.
 */
export class LossDownsampler {
	private point = -1;
	private sum = 0;
	private count = 0;
	private finite = true;

	constructor(
		readonly stride: number,
		private readonly iters: number,
	) {}

	/** The points these losses (iterations `fromIter`, `fromIter + 1`, …) complete, in order. */
	add(fromIter: number, losses: readonly number[]): LossPoints[] {
		const out: LossPoints[] = [];
		for (let i = 0; i < losses.length; i++) {
			const iter = fromIter + i;
			const k = Math.floor(iter / this.stride);
			if (k !== this.point) {
				this.emit(out);
				this.point = k;
			}
			const v = losses[i];
			if (typeof v === 'number' && Number.isFinite(v)) this.sum += v;
			else this.finite = false;
			this.count++;
			if ((iter + 1) % this.stride === 0 || iter + 1 >= this.iters) this.emit(out);
		}
		return out;
	}

	/** The partial point of a run that ended early (failed, diverged or cancelled mid-point). */
	flush(): LossPoints[] {
		const out: LossPoints[] = [];
		this.emit(out);
		return out;
	}

	private emit(out: LossPoints[]): void {
		if (this.count === 0) return;
		const value = this.finite ? this.sum / this.count : null;
		const last = out[out.length - 1];
		const iter = this.point * this.stride;
		if (last && last.fromIter + last.losses.length * this.stride === iter) last.losses.push(value);
		else out.push({ fromIter: iter, losses: [value] });
		this.sum = 0;
		this.count = 0;
		this.finite = true;
	}
}
