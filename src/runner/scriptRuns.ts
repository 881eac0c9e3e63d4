/**
 * The learner's script, once per (seed, sampler): a Python process each, as many at once as there are cores. The first
 * run goes alone until its training loop starts, so whatever the script caches on first use (the book's
 * dataset/mnist.pkl) is written once, before the others read it. Cancel kills every process group.
 */
import type { SamplerId } from '../core/samplers';
import type { ScriptError, ScriptEval } from '../core/scriptCheck';

export type { ScriptError };
import type { EpochStats } from '../core/types';
import type { Instrumented } from '../python/instrument';
import type { ChildProcessHandle, ProcessHost } from './processHost';
import shimSource from './python/run_script.py';

export interface ScriptJob {
	readonly sampler: SamplerId;
	readonly seed: number;
	readonly variant: Instrumented;
}

/** What the shim reads from the script's variables when its training loop starts. */
export type RuntimeSettings = Partial<Record<'loopLength' | 'trainSize' | 'batchSize' | 'lr' | 'iters' | 'hidden', number>>;

export interface ScriptRunOutcome {
	sampler: SamplerId;
	seed: number;
	evals: ScriptEval[];
	/** losses[k] is the loss the script appended at iteration lossFrom + k. */
	losses: number[];
	lossFrom: number;
	epochStats: EpochStats[];
	/** Wall time of the script itself (from the shim), or of the process when it did not say. */
	seconds: number;
	/** Iterations the training loop ran. */
	iterations: number;
	error: ScriptError | null;
	cancelled: boolean;
	/** True once the training loop was entered. */
	reachedLoop: boolean;
	runtime?: RuntimeSettings;
	python?: { version: string; numpy: string; executable: string };
	/** The end of the script's own output (stdout and stderr), for the log. */
	output: string;
}

export type ScriptRunEvent =
	| { type: 'started' }
	| { type: 'loop'; runtime?: RuntimeSettings }
	| { type: 'progress'; iter: number }
	| { type: 'eval'; point: ScriptEval }
	| { type: 'loss'; fromIter: number; losses: number[] }
	| { type: 'epoch'; stats: EpochStats }
	| { type: 'output'; text: string }
	| { type: 'finished'; outcome: ScriptRunOutcome };

export interface ScriptRunsOptions {
	host: ProcessHost;
	python: string;
	scriptPath: string;
	/** The script's folder: the working directory. */
	cwd: string;
	jobs: readonly ScriptJob[];
	/** Defaults to the host's cores. */
	parallel?: number;
	/** The static settings, for the shim's coverage counts when the script's own variables cannot be read. */
	trainSize?: number;
	batchSize?: number;
	roles: Readonly<Record<string, string>>;
	onEvent(job: ScriptJob, e: ScriptRunEvent): void;
}

const OUTPUT_TAIL = 64 * 1024;

/** One BLAS thread per process: parallel runs would otherwise fight over the cores. A user's own setting wins. */
function threadEnv(): Record<string, string> {
	const env: Record<string, string> = { MPLBACKEND: 'Agg', PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' };
	for (const k of ['OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'VECLIB_MAXIMUM_THREADS', 'NUMEXPR_NUM_THREADS']) {
		if (process.env[k] === undefined) env[k] = '1';
	}
	return env;
}

export class ScriptRuns {
	private readonly live = new Set<ChildProcessHandle>();
	private cancelled = false;

	constructor(private readonly opts: ScriptRunsOptions) {}

	get isCancelled(): boolean {
		return this.cancelled;
	}

	cancel(): void {
		this.cancelled = true;
		for (const c of this.live) c.kill();
	}

	async run(): Promise<ScriptRunOutcome[]> {
		const jobs = this.opts.jobs;
		const outcomes: ScriptRunOutcome[] = new Array(jobs.length);
		if (jobs.length === 0) return outcomes;
		// The first run alone until its loop starts (or it ends), then everything at once up to the width.
		let gateOpen!: () => void;
		const gate = new Promise<void>((r) => (gateOpen = r));
		const first = this.runOne(jobs[0], gateOpen).then((o) => {
			gateOpen();
			outcomes[0] = o;
		});
		await gate;
		let next = 1;
		const width = Math.max(1, Math.min(this.opts.parallel ?? this.opts.host.cores(), jobs.length));
		const lane = async () => {
			for (let k = next++; k < jobs.length; k = next++) outcomes[k] = await this.runOne(jobs[k]);
		};
		// The first run's lane takes more jobs once it ends.
		await Promise.all([first.then(lane), ...Array.from({ length: width - 1 }, lane)]);
		return outcomes;
	}

	private runOne(job: ScriptJob, onLoop?: () => void): Promise<ScriptRunOutcome> {
		const out: ScriptRunOutcome = {
			sampler: job.sampler,
			seed: job.seed,
			evals: [],
			losses: [],
			lossFrom: 0,
			epochStats: [],
			seconds: 0,
			iterations: 0,
			error: null,
			cancelled: false,
			reachedLoop: false,
			output: '',
		};
		if (this.cancelled) return Promise.resolve({ ...out, cancelled: true });
		const emit = (e: ScriptRunEvent) => this.opts.onEvent(job, e);
		const started = performance.now();
		const payload = {
			source: job.variant.source,
			path: this.opts.scriptPath,
			seed: job.seed,
			lineMap: job.variant.lineMap ?? null,
			roles: this.opts.roles,
			trainSize: this.opts.trainSize ?? null,
			batchSize: this.opts.batchSize ?? null,
			ownGroup: true,
		};
		const child = this.opts.host.spawn({ executable: this.opts.python, args: ['-c', shimSource], cwd: this.opts.cwd, env: threadEnv(), input: JSON.stringify(payload) });
		this.live.add(child);
		emit({ type: 'started' });
		let done = false;
		let shimSeconds: number | undefined;
		child.onStdoutLine((line) => {
			let m: ShimMessage;
			try {
				m = JSON.parse(line) as ShimMessage;
			} catch {
				return;
			}
			this.onMessage(m, out, emit, onLoop);
			if (m.t === 'done') {
				done = true;
				shimSeconds = m.seconds;
				out.iterations = m.iterations;
			}
		});
		child.onStderr((text) => {
			out.output = (out.output + text).slice(-OUTPUT_TAIL);
			emit({ type: 'output', text });
		});
		return new Promise((resolve) => {
			child.onExit((exit) => {
				this.live.delete(child);
				out.seconds = shimSeconds ?? (performance.now() - started) / 1000;
				if (this.cancelled && !done) out.cancelled = true;
				else if (exit.spawnError) out.error = { type: 'PythonNotStarted', message: exit.spawnError.message, file: this.opts.scriptPath, line: null };
				else if (!done && !out.error) {
					const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
					out.error = { type: 'PythonStopped', message: `Python stopped unexpectedly (${how})`, file: this.opts.scriptPath, line: null };
				}
				emit({ type: 'finished', outcome: out });
				resolve(out);
			});
		});
	}

	private onMessage(m: ShimMessage, out: ScriptRunOutcome, emit: (e: ScriptRunEvent) => void, onLoop?: () => void): void {
		switch (m.t) {
			case 'start':
				out.python = { version: m.python, numpy: m.numpy, executable: m.executable };
				break;
			case 'settings':
				out.runtime = m.values;
				break;
			case 'loop':
				out.reachedLoop = true;
				emit({ type: 'loop', runtime: out.runtime });
				onLoop?.();
				break;
			case 'progress':
				emit({ type: 'progress', iter: m.iter });
				break;
			case 'eval': {
				const point: ScriptEval = { iter: m.iter, trainAcc: m.trainAcc, testAcc: m.testAcc };
				out.evals.push(point);
				emit({ type: 'eval', point });
				break;
			}
			case 'loss':
				if (out.losses.length === 0) out.lossFrom = m.from;
				for (const l of m.losses) out.losses.push(l);
				emit({ type: 'loss', fromIter: m.from, losses: m.losses });
				break;
			case 'epoch':
				out.epochStats.push(m.stats);
				emit({ type: 'epoch', stats: m.stats });
				break;
			case 'error':
				out.error = { type: m.type, message: m.message, file: m.file, line: m.line, scriptLine: m.scriptLine, trace: m.trace };
				break;
			case 'nonumpy':
				out.error = { type: 'NoNumpy', message: m.message, file: m.executable, line: null };
				break;
			case 'exit':
				out.error = { type: 'SystemExit', message: m.message || `the script called sys.exit(${m.code})`, file: this.opts.scriptPath, line: null };
				break;
			case 'done':
				break;
		}
	}
}

/** What src/runner/python/run_script.py writes, one JSON object per line. */
type ShimMessage =
	| { t: 'start'; python: string; numpy: string; executable: string }
	| { t: 'settings'; values: RuntimeSettings }
	| { t: 'loop' }
	| { t: 'progress'; iter: number }
	| { t: 'eval'; iter: number; trainAcc: number | null; testAcc: number | null }
	| { t: 'loss'; from: number; losses: number[] }
	| { t: 'epoch'; stats: EpochStats }
	| { t: 'error'; type: string; message: string; file: string; line: number | null; scriptLine: number | null; trace: string }
	| { t: 'nonumpy'; message: string; executable: string }
	| { t: 'exit'; code: number; message: string }
	| { t: 'done'; seconds: number; iterations: number };
