import { isReason, reasonText, type Reason } from '../core/reasons';
import type { SamplerId } from '../core/samplers';
import type { TrainSettings } from '../core/settings';
import { shareDataset } from '../core/sharedDataset';
import type { EpochStats, EvalPoint, RunSummary, SharedDataset, WorkerJob, WorkerMessage } from '../shared/protocol';
import { runKey } from '../shared/runFold';
import { OOM_LIMITS, takeFault, type InjectedFault } from './faults';
import type { TrainWorker, WorkerHost, WorkerLimits } from './pool';

export { liveWorkers, takePeakLiveWorkers } from './pool';

export interface RunOutcome {
	sampler: SamplerId;
	/** The seed this run trained with (its initial weights and batches). */
	seed: number;
	summary?: RunSummary;
	/** Why the run failed, in English (the CLI, the log, the exports)… */
	failure?: string;
	/** …and as data, for the extension to say in the display language. */
	cause?: Reason;
	cancelled: boolean;
	evals: EvalPoint[];
	epochStats: EpochStats[];
}

export interface ComparisonOptions {
	/** How workers start here: src/platform/nodeWorkers.ts in Node, src/extension/webWorkers.ts in a browser. */
	workers: WorkerHost;
	/** The folder the first worker decodes, unless `data` is given (a browser's workers cannot read files). */
	dataDir?: string;
	/** A dataset already decoded into shared memory (the CLI decodes it to check it): no worker decodes it again. The first worker still encodes it for the wasm kernel. */
	data?: SharedDataset;
	settings: TrainSettings;
	samplers: SamplerId[];
	/**
	 * Every sampler runs once per seed, with `settings.seed` replaced by it, so per seed all samplers start from the
	 * same initial weights. Defaults to `[settings.seed]`.
	 */
	seeds?: number[];
	/** Defaults to the host's lanes (the number of cores). */
	parallel?: number;
	/** See WorkerJob.lossEveryMs; defaults to 250. */
	lossEveryMs?: number;
	/** Evaluate after exactly these iterations instead of every epoch (see trainRun's `evalAt`). */
	evalAt?: number[];
	/** Tests only (./faults.ts); defaults to the fault armed by the internal test command, if any. */
	fault?: InjectedFault;
	onMessage(sampler: SamplerId, m: WorkerMessage, seed: number): void;
}

type Job = { sampler: SamplerId; seed: number };

/**
 * One comparison: a lane per core (at most `parallel`), each with one worker that trains its runs one after another.
 * The first worker decodes the dataset into shared memory and encodes it for the wasm kernel; every other worker gets
 * that copy, so memory does not grow with the lanes (where workers share no memory, a browser's, the host loads it and
 * each worker gets a copy). Outcomes come back seed by seed, samplers in the given order within each seed. Cancel
 * terminates every worker at once, which is what keeps "Cancel stops every worker within 1 second" true even in the
 * middle of an evaluation. A worker that dies fails only its current run; its lane starts a new one for the next.
 */
export class Comparison {
	private readonly workers = new Set<TrainWorker>();
	/** Workers that have the dataset (sent to them, or decoded by them). */
	private readonly withData = new WeakSet<TrainWorker>();
	private cancelled = false;
	private readonly fault?: InjectedFault;
	private spawned = 0;
	private decodes = 0;
	/** The shared dataset, once a worker has decoded it, or why it could not. */
	private data?: Promise<{ data: SharedDataset } | { failure: Reason; final: boolean }>;

	constructor(private readonly opts: ComparisonOptions) {
		this.fault = opts.fault ?? takeFault();
	}

	get isCancelled(): boolean {
		return this.cancelled;
	}

	/** Workers started and dataset decodes so far (the pool's economy, for tests and the benchmark). */
	get counts(): { workers: number; decodes: number } {
		return { workers: this.spawned, decodes: this.decodes };
	}

	async run(): Promise<RunOutcome[]> {
		const seeds = this.opts.seeds ?? [this.opts.settings.seed];
		if (seeds.length === 0) throw new RangeError('Comparison: seeds is empty');
		// Seed-major, so the runs of one seed (a pair) tend to finish together.
		const jobs: Job[] = seeds.flatMap((seed) => this.opts.samplers.map((sampler) => ({ sampler, seed })));
		const outcomes: RunOutcome[] = new Array(jobs.length);
		let next = 0;
		const width = Math.max(1, Math.min(this.opts.parallel ?? this.opts.workers.lanes, jobs.length));
		const lane = async () => {
			let worker: TrainWorker | undefined;
			try {
				for (let k = next++; k < jobs.length; k = next++) {
					const job = jobs[k];
					const blank: RunOutcome = { ...job, cancelled: false, evals: [], epochStats: [] };
					if (this.cancelled) {
						outcomes[k] = { ...blank, cancelled: true };
						continue;
					}
					// An out-of-memory job (fault tests) gets a worker with a small heap of its own.
					const limits = this.faultOf(job.sampler) === 'oom' ? OOM_LIMITS : undefined;
					if (worker && (worker.deathReason !== undefined || worker.limits !== limits)) {
						await worker.terminate();
						worker = undefined;
						if (this.cancelled) {
							outcomes[k] = { ...blank, cancelled: true };
							continue;
						}
					}
					try {
						worker ??= this.spawn(limits);
					} catch (e) {
						outcomes[k] = { ...blank, ...failed({ code: 'worker.spawn', detail: (e as Error).message }) };
						continue;
					}
					const failure = await this.provideData(worker);
					outcomes[k] = failure !== undefined ? this.ended(blank, failure) : await this.runOn(worker, job, blank);
				}
			} finally {
				await worker?.terminate();
			}
		};
		await Promise.all(Array.from({ length: width }, lane));
		return outcomes;
	}

	cancel(): void {
		this.cancelled = true;
		for (const w of this.workers) void w.terminate();
	}

	private faultOf(sampler: SamplerId): InjectedFault['kind'] | undefined {
		return this.fault?.sampler === sampler ? this.fault.kind : undefined;
	}

	private spawn(limits: WorkerLimits | undefined): TrainWorker {
		const w = this.opts.workers.train(limits);
		this.spawned++;
		this.workers.add(w);
		return w;
	}

	/** A run that ended before training: cancelled if the comparison was, else failed with the reason. */
	private ended(blank: RunOutcome, failure: Reason): RunOutcome {
		return this.cancelled ? { ...blank, cancelled: true } : { ...blank, ...failed(failure) };
	}

	/** Gets the dataset to this worker: decoded by it if no worker has yet, else the shared copy. Returns a failure. */
	private async provideData(w: TrainWorker): Promise<Reason | undefined> {
		while (!this.withData.has(w)) {
			if (w.deathReason !== undefined) return w.deathReason;
			const mine = !this.data;
			if (!this.data) this.data = this.decodeOn(w);
			const pending = this.data;
			const got = await pending;
			if ('data' in got) {
				if (w.deathReason !== undefined) return w.deathReason;
				if (!mine) w.post({ type: 'share', data: got.data });
				this.withData.add(w);
			} else {
				// A decoder that died (not the data's fault) leaves the decoding to the next worker that asks.
				if (!got.final && this.data === pending) this.data = undefined;
				if (got.final || mine || this.cancelled) return got.failure;
			}
		}
		return undefined;
	}

	private decodeOn(w: TrainWorker): Promise<{ data: SharedDataset } | { failure: Reason; final: boolean }> {
		return new Promise((resolve) => {
			const settle = (r: { data: SharedDataset } | { failure: Reason; final: boolean }) => {
				w.onMessage(() => undefined);
				w.onDeath(() => undefined);
				resolve(r);
			};
			w.onMessage((m) => {
				if (m.type === 'shared') settle({ data: m.data });
				else if (m.type === 'loadFailed') settle({ failure: causeOf(m), final: true });
			});
			w.onDeath((reason) => settle({ failure: reason, final: false }));
			if (this.opts.data) w.post({ type: 'load', dataDir: this.opts.dataDir ?? this.opts.data.source, data: shareDataset(this.opts.data) });
			else if (this.opts.dataDir === undefined) settle({ failure: { code: 'text', text: 'Comparison: neither data nor dataDir was given' }, final: true });
			else {
				this.decodes++;
				w.post({ type: 'load', dataDir: this.opts.dataDir });
			}
		});
	}

	/** Trains one (seed, sampler) run on this worker; resolves when it is done, failed, or the worker died. */
	private runOn(worker: TrainWorker, { sampler, seed }: Job, out: RunOutcome): Promise<RunOutcome> {
		const fault = this.faultOf(sampler);
		const job: WorkerJob = {
			runKey: runKey(sampler, seed),
			settings: { ...this.opts.settings, seed },
			sampler,
			...(this.opts.workers.sharedMemory ? { cancel: new SharedArrayBuffer(4) } : {}),
			lossEveryMs: this.opts.lossEveryMs ?? 250,
			...(fault ? { fault } : {}),
			...(this.opts.evalAt ? { evalAt: this.opts.evalAt } : {}),
		};
		return new Promise((resolve) => {
			worker.onMessage((m) => {
				if (m.type === 'shared' || m.type === 'loadFailed' || m.runKey !== job.runKey) return;
				// The injected kill: the worker waits after posting its losses at FAULT_ITER, and is terminated here.
				if (fault === 'kill' && m.type === 'loss') void worker.terminate();
				switch (m.type) {
					case 'eval':
						out.evals.push(m.point);
						break;
					case 'epoch':
						out.epochStats.push(m.stats);
						break;
					case 'done':
						out.summary = m.summary;
						out.cancelled = m.cancelled;
						break;
					case 'failed':
						Object.assign(out, failed(causeOf(m)));
						break;
				}
				this.opts.onMessage(sampler, m, seed);
				if (m.type === 'done' || m.type === 'failed') settle();
			});
			// The worker outlives the run: once it has ended, what happens to the worker is the next run's business.
			const settle = () => {
				worker.onMessage(() => undefined);
				worker.onDeath(() => undefined);
				resolve(out);
			};
			worker.onDeath((reason) => {
				if (this.cancelled) out.cancelled = true;
				else if (out.failure === undefined) Object.assign(out, failed(reason));
				settle();
			});
			worker.post({ type: 'run', job });
		});
	}
}

/** A failed outcome's two fields: the English sentence and the reason it comes from. */
function failed(cause: Reason): Pick<RunOutcome, 'failure' | 'cause'> {
	return { failure: reasonText(cause), cause };
}

/** The reason a worker sent, or its sentence as text when it sent none this build knows. */
function causeOf(m: { reason: string; cause?: unknown }): Reason {
	return isReason(m.cause) ? m.cause : { code: 'text', text: m.reason };
}
