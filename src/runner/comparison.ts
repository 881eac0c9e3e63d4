import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SamplerId } from '../core/samplers';
import type { TrainSettings } from '../core/settings';
import type { EpochStats, EvalPoint, RunSummary, WorkerJob, WorkerMessage } from '../shared/protocol';
import { runKey } from '../shared/runFold';
import { OOM_LIMITS, takeFault, type InjectedFault } from './faults';

/** Workers alive in this process; the fault tests check it returns to zero. */
let live = 0;
export function liveWorkers(): number {
	return live;
}

/** The most workers alive at once since the last call, which starts the count again from those alive now. */
let peak = 0;
export function takePeakLiveWorkers(): number {
	const p = peak;
	peak = live;
	return p;
}

export interface RunOutcome {
	sampler: SamplerId;
	/** The seed this run trained with (its initial weights and batches). */
	seed: number;
	summary?: RunSummary;
	failure?: string;
	cancelled: boolean;
	evals: EvalPoint[];
	epochStats: EpochStats[];
	losses: number[];
}

export interface ComparisonOptions {
	workerPath: string;
	dataDir: string;
	settings: TrainSettings;
	samplers: SamplerId[];
	/**
	 * Every sampler runs once per seed, with `settings.seed` replaced by it, so per seed all samplers start from the
	 * same initial weights. Defaults to `[settings.seed]`.
	 */
	seeds?: number[];
	/** Defaults to the number of cores. */
	parallel?: number;
	/** See WorkerJob.lossEveryMs; defaults to 250. */
	lossEveryMs?: number;
	/** Tests only (./faults.ts); defaults to the fault armed by the internal test command, if any. */
	fault?: InjectedFault;
	onMessage(sampler: SamplerId, m: WorkerMessage, seed: number): void;
}

/**
 * One comparison: a worker per (seed, sampler) run, at most `parallel` at once.
 * Outcomes come back seed by seed, samplers in the given order within each seed. Cancel terminates them at once,
 * which is what keeps "Cancel stops every worker within 1 second" true even in the middle of an evaluation.
 */
export class Comparison {
	private readonly workers = new Set<Worker>();
	private cancelled = false;
	private readonly fault?: InjectedFault;

	constructor(private readonly opts: ComparisonOptions) {
		this.fault = opts.fault ?? takeFault();
	}

	get isCancelled(): boolean {
		return this.cancelled;
	}

	async run(): Promise<RunOutcome[]> {
		const seeds = this.opts.seeds ?? [this.opts.settings.seed];
		if (seeds.length === 0) throw new RangeError('Comparison: seeds is empty');
		// Seed-major, so the runs of one seed (a pair) tend to finish together.
		const jobs = seeds.flatMap((seed) => this.opts.samplers.map((sampler) => ({ sampler, seed })));
		const outcomes: RunOutcome[] = new Array(jobs.length);
		let next = 0;
		const width = Math.max(1, Math.min(this.opts.parallel ?? availableParallelism(), jobs.length));
		const lane = async () => {
			for (let k = next++; k < jobs.length; k = next++) {
				const { sampler, seed } = jobs[k];
				outcomes[k] = this.cancelled ? { sampler, seed, cancelled: true, evals: [], epochStats: [], losses: [] } : await this.runOne(sampler, seed);
			}
		};
		await Promise.all(Array.from({ length: width }, lane));
		return outcomes;
	}

	cancel(): void {
		this.cancelled = true;
		for (const w of this.workers) void w.terminate();
	}

	private runOne(sampler: SamplerId, seed: number): Promise<RunOutcome> {
		const fault = this.fault?.sampler === sampler ? this.fault.kind : undefined;
		const job: WorkerJob = {
			runKey: runKey(sampler, seed),
			settings: { ...this.opts.settings, seed },
			sampler,
			dataDir: this.opts.dataDir,
			cancel: new SharedArrayBuffer(4),
			lossEveryMs: this.opts.lossEveryMs ?? 250,
			...(fault ? { fault } : {}),
		};
		const out: RunOutcome = { sampler, seed, cancelled: false, evals: [], epochStats: [], losses: [] };
		return new Promise((resolve) => {
			let worker: Worker;
			try {
				worker = new Worker(this.opts.workerPath, { workerData: job, ...(fault === 'oom' ? { resourceLimits: OOM_LIMITS } : {}) });
			} catch (e) {
				resolve({ ...out, failure: `could not start a worker: ${(e as Error).message}` });
				return;
			}
			peak = Math.max(peak, ++live);
			this.workers.add(worker);
			let finished = false;
			worker.on('message', (m: WorkerMessage) => {
				// The injected kill: the worker waits after posting its losses at FAULT_ITER, and is terminated here.
				if (fault === 'kill' && m.type === 'loss') void worker.terminate();
				switch (m.type) {
					case 'eval':
						out.evals.push(m.point);
						break;
					case 'epoch':
						out.epochStats.push(m.stats);
						break;
					case 'loss':
						for (const l of m.losses) out.losses.push(l);
						break;
					case 'done':
						finished = true;
						out.summary = m.summary;
						out.cancelled = m.cancelled;
						break;
					case 'failed':
						finished = true;
						out.failure = m.reason;
						break;
				}
				this.opts.onMessage(sampler, m, seed);
			});
			worker.on('error', (e: Error & { code?: string }) => {
				finished = true;
				out.failure ??= e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'the worker ran out of memory' : `the worker crashed: ${e.message}`;
			});
			worker.on('exit', (code) => {
				live--;
				this.workers.delete(worker);
				if (this.cancelled) out.cancelled = true;
				else if (!finished) out.failure = `the worker stopped unexpectedly (exit code ${code})`;
				resolve(out);
			});
		});
	}
}
