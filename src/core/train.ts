import type { Dataset } from './dataset';
import type { EpochStats, EvalPoint } from './types';

export type { EpochStats, EvalPoint };
import { withTrainSubset } from './dataset';
import { referenceKernel, type KernelFactory } from './kernel';
import { NumpyRandom } from './rng';
import { createSampler, type SamplerId } from './samplers';
import { iterPerEpoch, type TrainSettings } from './settings';
import { initParams, type Params } from './twoLayerNet';

export interface RunResult {
	sampler: SamplerId;
	seed: number;
	kernel: string;
	seconds: number;
	evals: EvalPoint[];
	/** Loss on each batch right after its update, as the book's train_loss_list. */
	losses: Float64Array;
	epochStats: EpochStats[];
	/** Set when training blew up (see DIVERGENCE); it stopped there. */
	diverged?: { iter: number; loss: number };
	cancelled?: boolean;
}

export interface TrainObserver {
	onEval?(p: EvalPoint): void;
	onLoss?(iter: number, loss: number): void;
	onEpoch?(s: EpochStats): void;
	/** Polled every iteration; returning true stops the run, which is then marked cancelled. */
	shouldStop?(iter: number): boolean;
}

/**
 * A run has diverged when its loss is NaN/∞, or when the mean loss of the last `window` batches is `factor` times
 * worse than guessing uniformly (ln classes): with a huge learning rate the book's 1e-7 keeps the loss finite
 * (≈16 at worst) while accuracy collapses to one class, and that should read as divergence, not as a result.
 */
export const DIVERGENCE = { window: 20, factor: 3 };

/** `np.random.seed(seed)` then the network's constructor: the weights every sampler of a comparison starts from, and the RNG after them. */
export function seededStart(seed: number, inputSize: number, hidden: number, classes: number): { rng: NumpyRandom; init: Params } {
	const rng = new NumpyRandom(seed);
	const init = initParams(rng, inputSize, hidden, classes);
	return { rng, init };
}

/** Tracks per-epoch sampler statistics with O(train_size) memory and no allocation per batch. */
class EpochTracker {
	private readonly counts: Uint32Array;
	private readonly batchStamp: Int32Array;
	private distinct = 0;
	private maxDraws = 0;
	private dupBatches = 0;
	private draws = 0;
	private batches = 0;
	private epoch = 0;
	private firstIter = 0;
	private batchNo = 0;
	readonly done: EpochStats[] = [];

	constructor(
		private readonly trainSize: number,
		readonly batchesPerEpoch: number,
	) {
		this.counts = new Uint32Array(trainSize);
		this.batchStamp = new Int32Array(trainSize).fill(-1);
	}

	add(iter: number, idx: Int32Array, len: number): EpochStats | undefined {
		if (this.batches === 0) this.firstIter = iter;
		const stamp = this.batchNo++;
		let dup = false;
		for (let r = 0; r < len; r++) {
			const k = idx[r];
			if (this.batchStamp[k] === stamp) dup = true;
			this.batchStamp[k] = stamp;
			const c = ++this.counts[k];
			if (c === 1) this.distinct++;
			if (c > this.maxDraws) this.maxDraws = c;
		}
		if (dup) this.dupBatches++;
		this.draws += len;
		this.batches++;
		return this.batches === this.batchesPerEpoch ? this.close(false) : undefined;
	}

	close(partial: boolean): EpochStats | undefined {
		if (this.batches === 0) return undefined;
		const s: EpochStats = {
			epoch: this.epoch++,
			firstIter: this.firstIter,
			batches: this.batches,
			draws: this.draws,
			coverage: this.distinct / this.trainSize,
			duplicateBatches: this.dupBatches,
			maxDraws: this.maxDraws,
			partial,
		};
		this.done.push(s);
		this.counts.fill(0);
		this.distinct = this.maxDraws = this.dupBatches = this.draws = this.batches = 0;
		return s;
	}
}

export interface TrainOptions {
	settings: TrainSettings;
	data: Dataset;
	sampler: SamplerId;
	kernel?: KernelFactory;
	observer?: TrainObserver;
	/**
	 * Evaluate after exactly these iterations (-1: before the first update) instead of the book's `i % iter_per_epoch == 0`,
	 * and stop after the last of them: how a learner's script that evaluates elsewhere is checked against the reference.
	 */
	evalAt?: readonly number[];
}

/** `ch04/train_neuralnet.py`'s loop with a pluggable sampler. */
export function trainRun({ settings, data: full, sampler: samplerId, kernel = referenceKernel, observer = {}, evalAt }: TrainOptions): RunResult {
	const started = performance.now();
	const data = withTrainSubset(full, settings.trainSize);
	const trainSize = data.train.count;
	const { rng, init } = seededStart(settings.seed, data.train.size, settings.hidden, data.classes);
	const net = kernel(data, init, settings.hidden);
	const sampler = createSampler(samplerId, trainSize, settings.batchSize, rng);
	const ipe = iterPerEpoch(trainSize, settings.batchSize);
	const tracker = new EpochTracker(trainSize, Math.ceil(trainSize / settings.batchSize));
	const idx = new Int32Array(settings.batchSize);
	const at = evalAt ? new Set(evalAt) : undefined;
	const iters = at ? Math.min(settings.iters, Math.max(-1, ...at) + 1) : settings.iters;
	const isEval = (i: number) => (at ? at.has(i) : i % ipe === 0);
	const losses = new Float64Array(iters);
	const evals: EvalPoint[] = [];
	const divergeAbove = DIVERGENCE.factor * Math.log(data.classes) * DIVERGENCE.window;
	let windowSum = 0;
	const result: RunResult = { sampler: samplerId, seed: settings.seed, kernel: net.name, seconds: 0, evals, losses, epochStats: tracker.done };
	const evaluate = (i: number) => {
		const p: EvalPoint = { iter: i, epoch: i / ipe, trainAcc: net.accuracy('train'), testAcc: net.accuracy('test') };
		evals.push(p);
		observer.onEval?.(p);
	};
	if (at?.has(-1)) evaluate(-1);

	for (let i = 0; i < iters; i++) {
		if (observer.shouldStop?.(i)) {
			result.cancelled = true;
			result.losses = losses.subarray(0, i);
			break;
		}
		const len = sampler.next(idx);
		const loss = net.step(idx, len, settings.lr);
		losses[i] = loss;
		observer.onLoss?.(i, loss);
		const closed = tracker.add(i, idx, len);
		if (closed) observer.onEpoch?.(closed);
		windowSum += loss - (i >= DIVERGENCE.window ? losses[i - DIVERGENCE.window] : 0);
		if (!Number.isFinite(loss) || (i + 1 >= DIVERGENCE.window && windowSum > divergeAbove)) {
			result.diverged = { iter: i, loss };
			result.losses = losses.subarray(0, i + 1);
			break;
		}
		if (isEval(i)) evaluate(i);
	}
	const last = tracker.close(true);
	if (last) observer.onEpoch?.(last);
	result.seconds = (performance.now() - started) / 1000;
	return result;
}

/** Mean coverage over full epochs (a short last epoch would drag it down), or the partial one when that is all there is. */
export function meanCoverage(stats: EpochStats[]): number {
	const full = stats.filter((s) => !s.partial);
	const use = full.length > 0 ? full : stats;
	return use.length === 0 ? 0 : use.reduce((a, s) => a + s.coverage, 0) / use.length;
}
