import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SamplerId } from '../core/samplers';
import type { TrainSettings } from '../core/settings';
import type { EpochStats, EvalPoint, RunSummary, WorkerJob, WorkerMessage } from '../shared/protocol';

/** Workers alive in this process; the fault tests check it returns to zero. */
let live = 0;
export function liveWorkers(): number {
	return live;
}

export interface RunOutcome {
	sampler: SamplerId;
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
	/** Defaults to the number of cores. */
	parallel?: number;
	lossEvery?: number;
	onMessage(sampler: SamplerId, m: WorkerMessage): void;
}

/**
 * One comparison: a worker per sampler, at most `parallel` at once. Cancel terminates them at once,
 * which is what keeps "Cancel stops every worker within 1 second" true even in the middle of an evaluation.
 */
export class Comparison {
	private readonly workers = new Set<Worker>();
	private cancelled = false;

	constructor(private readonly opts: ComparisonOptions) {}

	get isCancelled(): boolean {
		return this.cancelled;
	}

	async run(): Promise<RunOutcome[]> {
		const queue = [...this.opts.samplers];
		const outcomes = new Map<SamplerId, RunOutcome>();
		const width = Math.max(1, Math.min(this.opts.parallel ?? availableParallelism(), queue.length));
		const lane = async () => {
			for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
				outcomes.set(s, this.cancelled ? { sampler: s, cancelled: true, evals: [], epochStats: [], losses: [] } : await this.runOne(s));
			}
		};
		await Promise.all(Array.from({ length: width }, lane));
		return this.opts.samplers.map((s) => outcomes.get(s)!);
	}

	cancel(): void {
		this.cancelled = true;
		for (const w of this.workers) void w.terminate();
	}

	private runOne(sampler: SamplerId): Promise<RunOutcome> {
		const job: WorkerJob = {
			runKey: sampler,
			settings: this.opts.settings,
			sampler,
			dataDir: this.opts.dataDir,
			cancel: new SharedArrayBuffer(4),
			lossEvery: this.opts.lossEvery ?? 50,
		};
		const out: RunOutcome = { sampler, cancelled: false, evals: [], epochStats: [], losses: [] };
		return new Promise((resolve) => {
			let worker: Worker;
			try {
				worker = new Worker(this.opts.workerPath, { workerData: job });
			} catch (e) {
				resolve({ ...out, failure: `could not start a worker: ${(e as Error).message}` });
				return;
			}
			live++;
			this.workers.add(worker);
			let finished = false;
			worker.on('message', (m: WorkerMessage) => {
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
				this.opts.onMessage(sampler, m);
			});
			worker.on('error', (e) => {
				finished = true;
				out.failure ??= `the worker crashed: ${e.message}`;
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
