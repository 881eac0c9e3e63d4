import type { Dataset, ImageSet } from '../core/dataset';
import { reasonOf } from '../core/errors';
import { reasonText } from '../core/reasons';
import { gradientCheck, gradientCheckStart, type GradientBatch } from '../core/gradientCheck';
import { LOSS_DELTA, type WasmSource } from '../core/fastKernel';
import type { Params } from '../core/twoLayerNet';
import type { GradJob, GradReport, GradWorkerMessage } from '../shared/protocol';

/**
 * The loss does not change when input pixels and the rows of W1 are permuted together. Putting `rows` random pixels
 * first makes "the first rows × hidden parameters" a random sample: the image corners (always 0, nearly free in
 * partial mode) would otherwise make the extrapolated time far too small.
 */
function permutePixels(batch: GradientBatch, params: Params, rows: number): { batch: GradientBatch; params: Params } {
	const { set } = batch;
	const len = batch.len ?? batch.indices.length;
	const hidden = params.b1.length;
	const order = Array.from({ length: set.size }, (_, i) => i);
	for (let i = 0; i < rows; i++) {
		const j = i + Math.floor(Math.random() * (set.size - i));
		[order[i], order[j]] = [order[j], order[i]];
	}
	const pixels = new Uint8Array(len * set.size);
	const labels = new Uint8Array(len);
	for (let r = 0; r < len; r++) {
		const from = batch.indices[r] * set.size;
		for (let p = 0; p < set.size; p++) pixels[r * set.size + p] = set.pixels[from + order[p]];
		labels[r] = set.labels[batch.indices[r]];
	}
	const W1 = new Float64Array(params.W1.length);
	for (let p = 0; p < set.size; p++) W1.set(params.W1.subarray(order[p] * hidden, (order[p] + 1) * hidden), p * hidden);
	const small: ImageSet = { count: len, size: set.size, pixels, labels };
	return { batch: { set: small, indices: Int32Array.from({ length: len }, (_, i) => i), len }, params: { ...params, W1 } };
}

/**
 * The check itself, whatever the host: on the dataset the host sent, with kernel.wasm from wherever the host has it.
 * The Node entry (gradWorker.ts) and the browser's (web/gradWorker.ts) only wire it to their message port.
 */
export function runGradientCheck(job: GradJob, data: Dataset, wasm: WasmSource | undefined, post: (m: GradWorkerMessage) => void): void {
	// Without shared memory there is no flag: the host terminates the worker to cancel.
	const cancel = new Int32Array(job.cancel ?? new ArrayBuffer(4));
	try {
		if (job.batchSize > data.train.count) throw new Error(`the batch size is ${job.batchSize} but the dataset has only ${data.train.count} training images`);
		let { batch, params } = gradientCheckStart(data, job.seed, job.hidden, job.batchSize);
		const total = params.W1.length + params.b1.length + params.W2.length + params.b2.length;
		// A subset is drawn as whole rows of W1 (98.6% of the parameters), so it needs nothing from the kernel.
		const rows = job.subset !== undefined && job.subset < total ? Math.min(data.train.size, Math.max(1, Math.ceil(job.subset / job.hidden))) : 0;
		const limit = rows > 0 ? rows * job.hidden : total;
		if (rows > 0) ({ batch, params } = permutePixels(batch, params, rows));
		let shown = -1;
		let reached = 0;
		const r = gradientCheck(batch, params, {
			mode: job.mode,
			wasm,
			delta: job.exactLog ? 0 : LOSS_DELTA,
			progressEvery: rows > 0 ? job.hidden : 500,
			onProgress: (done) => {
				reached = done;
				const pct = Math.floor((100 * Math.min(done, limit)) / limit);
				if (pct === shown) return;
				shown = pct;
				post({ type: 'progress', done: Math.min(done, limit), total: limit });
			},
			shouldStop: () => Atomics.load(cancel, 0) !== 0 || (limit < total && reached >= limit),
		});
		const cancelled = Atomics.load(cancel, 0) !== 0;
		const checked = r.numerical.done;
		const estimate = checked < total;
		const report: GradReport = {
			seed: job.seed,
			hidden: job.hidden,
			batchSize: job.batchSize,
			mode: job.mode,
			engine: r.numerical.engine,
			parameters: total,
			checked,
			measuredSeconds: r.numerical.seconds,
			numericalSeconds: estimate && checked > 0 ? (r.numerical.seconds * total) / checked : r.numerical.seconds,
			estimate,
			backpropSeconds: r.backpropSeconds,
			ratio: 0,
			lossEvaluations: r.numerical.lossEvaluations,
			exactLog: job.exactLog,
			maxRelErr: r.maxRelErr,
			normRelErr: r.normRelErr,
			avgAbsDiff: r.avgAbsDiff,
			maxRelErrBy: r.maxRelErrBy,
			normRelErrBy: r.normRelErrBy,
		};
		report.ratio = report.numericalSeconds / report.backpropSeconds;
		post({ type: 'done', report, cancelled });
	} catch (e) {
		const cause = reasonOf(e);
		post({ type: 'failed', reason: reasonText(cause), cause });
	}
}

