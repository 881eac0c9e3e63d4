/**
 * A script session as the panel's run stream: the reference's runs as usual, your script's as the same messages with
 * `source: 'script'`, then one `scriptResult` per script run with its verdict. The panel, the history (a window
 * reload) and the export all read it from there.
 */
import type { SamplerId } from '../../core/samplers';
import type { EpochStats, RunSummary } from '../../core/types';
import { meanCoverage } from '../../core/train';
import { LossDownsampler, type LossPoints } from '../../shared/lossSeries';
import type { WorkerMessage } from '../../shared/protocol';
import { errorText } from '../../shared/scriptVerdict';
import type { ScriptStrings } from '../../shared/strings/script';
import type { PythonInfo } from '../../runner/pythonProbe';
import type { ScriptJob, ScriptRunEvent, ScriptRunOutcome } from '../../runner/scriptRuns';
import type { ScriptRunResult } from '../../runner/scriptSession';
import type { ExternalRun } from '../controller';

export class ScriptStream {
	private readonly losses = new Map<string, LossDownsampler>();

	constructor(
		private readonly run: ExternalRun,
		private readonly stride: number,
		private readonly iters: number,
		/** The book's iter_per_epoch, to place an evaluation on the epoch axis as the reference's are. */
		private readonly iterPerEpoch: number,
		private readonly python: PythonInfo,
		private readonly S: ScriptStrings,
		/** The sentence for a run that ended without an evaluation (it becomes that run's error). */
		private readonly noEvaluation: (o: ScriptRunOutcome) => string,
	) {}

	private downsampler(key: string): LossDownsampler {
		return this.losses.get(key) ?? this.losses.set(key, new LossDownsampler(this.stride, this.iters)).get(key)!;
	}

	private emitLosses(sampler: SamplerId, seed: number, points: LossPoints[], script: boolean): void {
		for (const p of points) this.run.emit({ type: 'loss', runId: this.run.runId, sampler, seed, fromIter: p.fromIter, losses: p.losses, ...(script ? { source: 'script' as const } : {}) });
	}

	onReference(sampler: SamplerId, seed: number, m: WorkerMessage, pass: 'book' | 'extra'): void {
		const runId = this.run.runId;
		// The extra run only adds evaluations at the script's iterations; its shorter summary is not the reference's.
		if (pass === 'extra') {
			if (m.type === 'eval') this.run.emit({ type: 'eval', runId, sampler, seed, point: m.point });
			return;
		}
		const key = `ref:${sampler}@${seed}`;
		switch (m.type) {
			case 'eval':
				this.run.emit({ type: 'eval', runId, sampler, seed, point: m.point });
				break;
			case 'loss':
				this.emitLosses(sampler, seed, this.downsampler(key).add(m.fromIter, m.losses), false);
				break;
			case 'done':
				this.emitLosses(sampler, seed, this.downsampler(key).flush(), false);
				if (!m.cancelled) this.run.emit({ type: 'runDone', runId, seed, summary: m.summary });
				break;
			case 'failed':
				this.emitLosses(sampler, seed, this.downsampler(key).flush(), false);
				this.run.emit({ type: 'runFailed', runId, sampler, seed, reason: m.reason });
				break;
			default:
				break;
		}
	}

	onScript(job: ScriptJob, e: ScriptRunEvent): void {
		const runId = this.run.runId;
		const { sampler, seed } = job;
		const key = `script:${sampler}@${seed}`;
		switch (e.type) {
			case 'eval': {
				const p = e.point;
				this.run.emit({ type: 'eval', runId, sampler, seed, source: 'script', point: { iter: p.iter, epoch: p.iter / this.iterPerEpoch, trainAcc: p.trainAcc ?? NaN, testAcc: p.testAcc ?? NaN } });
				break;
			}
			case 'loss':
				this.emitLosses(sampler, seed, this.downsampler(key).add(e.fromIter, e.losses), true);
				break;
			case 'finished': {
				const o = e.outcome;
				this.emitLosses(sampler, seed, this.downsampler(key).flush(), true);
				if (o.cancelled) break;
				if (!o.error && o.evals.length === 0) o.error = { type: 'NoEvaluation', message: this.noEvaluation(o), file: '', line: null };
				if (o.error) this.run.emit({ type: 'runFailed', runId, sampler, seed, source: 'script', reason: errorText(o.error, this.S) });
				else this.run.emit({ type: 'runDone', runId, seed, source: 'script', summary: this.summary(o) });
				break;
			}
			default:
				break;
		}
	}

	/** A script run's row in the table, in the reference's terms. */
	private summary(o: ScriptRunOutcome): RunSummary {
		const last = o.evals[o.evals.length - 1];
		const stats: EpochStats[] = o.epochStats;
		return {
			sampler: o.sampler,
			seed: o.seed,
			kernel: `Python ${this.python.version}, NumPy ${this.python.numpy}`,
			finalTrainAcc: last?.trainAcc ?? NaN,
			finalTestAcc: last?.testAcc ?? NaN,
			bestTestAcc: o.evals.reduce((m, p) => (p.testAcc !== null && p.testAcc > m ? p.testAcc : m), -Infinity),
			seconds: o.seconds,
			meanCoverage: stats.length > 0 ? meanCoverage(stats) : NaN,
			duplicateBatches: stats.length > 0 ? stats.reduce((a, s) => a + s.duplicateBatches, 0) : NaN,
			maxDraws: stats.length > 0 ? stats.reduce((a, s) => Math.max(a, s.maxDraws), 0) : NaN,
			finalLoss: o.losses.length > 0 ? o.losses[o.losses.length - 1] : NaN,
		};
	}

	/** The verdicts, once every run and the reference have ended (the traceback stays in the log). */
	results(results: readonly ScriptRunResult[]): void {
		for (const r of results) {
			if (r.cancelled) continue;
			const error = r.error && { type: r.error.type, message: r.error.message, file: r.error.file, line: r.error.line };
			this.run.emit({ type: 'scriptResult', runId: this.run.runId, sampler: r.sampler, seed: r.seed, result: { check: r.reference, error, mismatches: r.mismatches } });
		}
	}
}
