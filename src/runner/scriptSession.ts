/**
 * One "compare samplers on this script": the learner's script once per (seed, sampler) in Python, the built-in reference
 * with the settings read from the script in workers, then a verdict per run. Shared by the extension and the CLI.
 */
import type { SamplerId } from '../core/samplers';
import { checkAgainstReference, missingReferenceIters, type ReferenceCheck, type RefPoint, type ScriptSettings, type SettingMismatch } from '../core/scriptCheck';

export type { ScriptSettings, SettingMismatch };
import type { TrainSettings } from '../core/settings';
import type { WorkerMessage } from '../shared/protocol';
import type { Instrumented } from '../python/instrument';
import { Comparison, type RunOutcome } from './comparison';
import type { ProcessHost } from './processHost';
import { ScriptRuns, type RuntimeSettings, type ScriptJob, type ScriptRunEvent, type ScriptRunOutcome } from './scriptRuns';
import type { WorkerHost } from './pool';

export interface ScriptRunResult extends ScriptRunOutcome {
	reference: ReferenceCheck;
	/** The reference's evaluations at the script's iterations (and the book's, from the first pass). */
	referenceEvals: RefPoint[];
	referenceFailure?: string;
	mismatches: SettingMismatch[];
}

export interface ScriptSessionOptions {
	host: ProcessHost;
	python: string;
	scriptPath: string;
	cwd: string;
	settings: ScriptSettings;
	seeds: readonly number[];
	/** One instrumented source per sampler, in the order the runs should be listed. */
	variants: readonly Instrumented[];
	roles: Readonly<Record<string, string>>;
	/** False when the training loop is nested in an epoch loop: its own length is not the iteration count. */
	singleLoop: boolean;
	parallel?: number;
	reference: { workers: WorkerHost; dataDir: string; trainCount: number };
	onScript(job: ScriptJob, e: ScriptRunEvent): void;
	/** `book`: the run at the book's evaluations (its summary is the reference's); `extra`: a short run evaluating where the script did. */
	onReference(sampler: SamplerId, seed: number, m: WorkerMessage, pass: 'book' | 'extra'): void;
}

export class ScriptSession {
	private readonly runs: ScriptRuns;
	private readonly comparisons: Comparison[] = [];
	private cancelled = false;

	constructor(private readonly opts: ScriptSessionOptions) {
		const jobs: ScriptJob[] = opts.seeds.flatMap((seed) => opts.variants.map((variant) => ({ sampler: variant.sampler, seed, variant })));
		this.runs = new ScriptRuns({
			host: opts.host,
			python: opts.python,
			scriptPath: opts.scriptPath,
			cwd: opts.cwd,
			jobs,
			parallel: opts.parallel,
			trainSize: opts.settings.trainSize,
			batchSize: opts.settings.batchSize,
			roles: opts.roles,
			onEvent: opts.onScript,
		});
	}

	get isCancelled(): boolean {
		return this.cancelled;
	}

	/** Total iterations over every script run, for progress and the ETA. */
	get totalIterations(): number {
		return this.opts.settings.iters * this.opts.seeds.length * this.opts.variants.length;
	}

	cancel(): void {
		this.cancelled = true;
		this.runs.cancel();
		for (const c of this.comparisons) c.cancel();
	}

	referenceSettings(seed = this.opts.seeds[0]): TrainSettings {
		const s = this.opts.settings;
		return {
			iters: s.iters,
			batchSize: s.batchSize,
			lr: s.lr,
			hidden: s.hidden,
			seed,
			...(s.trainSize < this.opts.reference.trainCount ? { trainSize: s.trainSize } : {}),
		};
	}

	private comparison(samplers: SamplerId[], evalAt?: number[]): Comparison {
		const pass = evalAt ? 'extra' : 'book';
		const c = new Comparison({
			workers: this.opts.reference.workers,
			dataDir: this.opts.reference.dataDir,
			settings: this.referenceSettings(),
			samplers,
			seeds: [...this.opts.seeds],
			// The reference is quick; one worker leaves the cores to Python.
			parallel: 1,
			...(evalAt ? { evalAt } : {}),
			onMessage: (sampler, m, seed) => this.opts.onReference(sampler, seed, m, pass),
		});
		this.comparisons.push(c);
		if (this.cancelled) c.cancel();
		return c;
	}

	async run(): Promise<ScriptRunResult[]> {
		const samplers = [...new Set(this.opts.variants.map((v) => v.sampler))];
		const [scripts, refs] = await Promise.all([this.runs.run(), this.comparison(samplers).run()]);
		const key = (sampler: SamplerId, seed: number) => `${sampler}@${seed}`;
		const refPoints = new Map<string, RefPoint[]>();
		const refFailures = new Map<string, string>();
		const take = (outcomes: RunOutcome[]) => {
			for (const o of outcomes) {
				const k = key(o.sampler, o.seed);
				refPoints.set(k, [...(refPoints.get(k) ?? []), ...o.evals].sort((a, b) => a.iter - b.iter));
				if (o.failure) refFailures.set(k, o.failure);
			}
		};
		take(refs);
		// A script that evaluates elsewhere than the book's `i % iter_per_epoch == 0`: the reference evaluates there too.
		const missing = new Set<number>();
		const needing = new Set<SamplerId>();
		for (const s of scripts) {
			for (const i of missingReferenceIters(s.evals, refPoints.get(key(s.sampler, s.seed)) ?? [])) {
				if (i < this.opts.settings.iters) {
					missing.add(i);
					needing.add(s.sampler);
				}
			}
		}
		if (missing.size > 0 && !this.cancelled) take(await this.comparison([...needing], [...missing].sort((a, b) => a - b)).run());
		return scripts.map((s) => {
			const k = key(s.sampler, s.seed);
			const referenceEvals = refPoints.get(k) ?? [];
			const failure = refFailures.get(k);
			return {
				...s,
				reference: checkAgainstReference(s.evals, referenceEvals),
				referenceEvals,
				...(failure ? { referenceFailure: failure } : {}),
				mismatches: mismatches(s.runtime, this.opts.settings, this.opts.singleLoop),
			};
		});
	}
}

/** Settings the script's own variables held when its loop started, where they differ from what the reference used. */
export function mismatches(runtime: RuntimeSettings | undefined, settings: ScriptSettings, singleLoop: boolean): SettingMismatch[] {
	if (!runtime) return [];
	const out: SettingMismatch[] = [];
	const check = (key: SettingMismatch['key'], v: number | undefined) => {
		if (typeof v === 'number' && Number.isFinite(v) && v !== settings[key]) out.push({ key, script: v, reference: settings[key] });
	};
	if (singleLoop) check('iters', runtime.loopLength);
	check('batchSize', runtime.batchSize);
	check('lr', runtime.lr);
	check('hidden', runtime.hidden);
	check('trainSize', runtime.trainSize);
	return out;
}
