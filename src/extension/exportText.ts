/**
 * The results of the last run as Markdown (for the study group's write-up), CSV and JSON (every curve of every run).
 * Pure (no vscode import), so the text is unit-tested; the commands that copy and save it live in exportCommands.ts.
 */
import { SAMPLER_IDS, type SamplerId } from '../core/samplers';
import { formatInterval, formatSigned, type MeanStd, type PairedComparison, type SeedStats } from '../core/stats';
import type { EvalPoint, RunInfo, RunMessage, RunSummary, ScriptResult } from '../shared/protocol';
import { errorText, mismatchText, verdictText } from '../shared/scriptVerdict';
import { LOSS_POINTS_PER_RUN, LOSS_POINTS_TOTAL } from '../shared/lossSeries';
import { epochsPerIter, foldAll, foldStats, trackState, type RunTrack, type RunFold } from '../shared/runFold';
import { describeSeeds, settingsLine } from '../shared/settingsText';
import { fill } from '../shared/strings/l10n';
import type { PanelStrings } from '../shared/strings/panel';

export type RunState = 'running' | 'done' | 'cancelled' | 'failed';

/** One (sampler, seed) run as the history has it. */
export interface ResultRun {
	sampler: SamplerId;
	seed: number;
	/** Sorted by iteration, one per iteration. */
	evals: EvalPoint[];
	/** Loss points, one per `run.lossStride` iterations (the mean over them); null where not finite (or not received). */
	losses: (number | null)[];
	summary?: RunSummary;
	failure?: string;
	state: RunState;
	/** Your script's run: how it compares with the reference's run of the same sampler and seed. */
	script?: ScriptResult;
}

export interface Results {
	run: RunInfo;
	seeds: number[];
	state: RunState;
	seconds?: number;
	/** The reference's runs, seed-major, samplers in the run's order within a seed. */
	runs: ResultRun[];
	/** Your script's runs in the same order, when the run compared a script (RunInfo.script). */
	scriptRuns: ResultRun[];
	/** Over the runs that have ended; a run still training is in neither the numbers nor the exclusions. */
	stats: SeedStats;
}

export interface ExportMeta {
	extension: { name: string; version: string };
	exportedAt: string;
}

/** Rebuilds the last run from the message stream the panel was sent (the host's history), with the panel's fold. */
export function resultsFromHistory(messages: readonly RunMessage[]): Results | undefined {
	const fold = foldAll(messages);
	if (!fold.run) return undefined;
	const tracks = [...fold.tracks.values()];
	const state: RunState = fold.state === 'done' || fold.state === 'cancelled' || fold.state === 'failed' ? fold.state : 'running';
	return {
		run: fold.run,
		seeds: fold.seeds,
		state,
		seconds: fold.seconds,
		runs: tracks.filter((t) => t.source === 'reference').map((t) => resultRun(fold, t)),
		scriptRuns: tracks.filter((t) => t.source === 'script').map((t) => resultRun(fold, t)),
		stats: foldStats(fold)!,
	};
}

function resultRun(fold: RunFold, t: RunTrack): ResultRun {
	return {
		sampler: t.sampler,
		seed: t.seed,
		evals: t.evals,
		// Sparse arrays would serialise as holes: make every missing iteration an explicit null.
		losses: Array.from(t.losses, (v) => (v === undefined ? null : v)),
		summary: t.summary,
		failure: t.failure,
		state: trackState(fold, t),
		...(t.script ? { script: t.script } : {}),
	};
}

const acc = (x: number) => x.toFixed(4);
/** "0.9412 ± 0.0021", just the mean when one seed gives no spread, and "—" when no seed finished. */
function pm(m: MeanStd): string {
	if (m.n === 0 || !Number.isFinite(m.mean)) return '—';
	return m.std === null ? acc(m.mean) : `${acc(m.mean)} ± ${acc(m.std)}`;
}

/** Text from the run's settings (a dataset path, say) must not turn into Markdown syntax. */
function escapeMarkdown(s: string): string {
	return s.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}

/** Samplers in the run's order; pairs compare later − earlier in SAMPLER_IDS order (stats.allPairs). */
function orderedSamplers(r: Results): SamplerId[] {
	return r.run.samplers.filter((s) => (SAMPLER_IDS as readonly string[]).includes(s));
}

/** The strings the Markdown export takes from the panel's table (the host builds them with its l10n). */
export type MarkdownStrings = Pick<PanelStrings, 'markdown' | 'run' | 'pairs' | 'table' | 'script'>;

/** "mean ± sample std over N = 5 of seeds 0–4"; N per sampler when some runs were left out. */
function seedCountLine(r: Results, S: MarkdownStrings): string {
	const aggs = r.stats.samplers;
	const ns = aggs.map((a) => a.seeds.length);
	const seeds = describeSeeds(r.seeds, S.run);
	if (r.seeds.length === 1) return fill(S.markdown.oneSeed, seeds, ns[0] ?? 0);
	const n = ns.every((x) => x === ns[0]) ? `N = ${ns[0]}` : `N = ${aggs.map((a) => `${a.seeds.length} (${a.sampler})`).join(', ')}`;
	return fill(S.markdown.meanOver, n, seeds);
}

/** "mean +0.0002, 95% CI (−0.0021, +0.0025), N = 3", or that no seed has both runs. */
function pairNumbers(p: PairedComparison, level: string, S: MarkdownStrings['pairs']): string {
	if (p.n === 0) return S.noSeed;
	return [fill(S.mean, formatSigned(p.meanDiff, 4)), ...(p.ci ? [fill(S.ci, level, formatInterval(p.ci.low, p.ci.high))] : []), `N = ${p.n}`].join(', ');
}

/**
 * The study group's table (sampler, train accuracy, test accuracy) with mean ± std, then N, one line per sampler pair
 * with the paired difference and its CI, the verdict (from stats.verdict, so it states what the numbers say), and the
 * settings; the words in the display language (`S`, `lang` for the verdict), the sampler ids as they are.
 */
export function toMarkdown(r: Results, S: MarkdownStrings, lang: 'en' | 'ja' = 'en', meta?: ExportMeta): string {
	const M = S.markdown;
	const lines = [`| ${M.sampler} | ${M.trainAccuracy} | ${M.testAccuracy} |`, '| --- | ---: | ---: |'];
	const aggs = new Map(r.stats.samplers.map((a) => [a.sampler, a]));
	for (const s of orderedSamplers(r)) {
		const a = aggs.get(s);
		lines.push(`| ${s} | ${a ? pm(a.metrics.finalTrainAcc) : '—'} | ${a ? pm(a.metrics.finalTestAcc) : '—'} |`);
	}
	lines.push('');
	const note = r.state === 'running' ? M.stillTraining : r.state === 'cancelled' ? M.cancelled : '';
	lines.push([fill(M.final, r.run.settings.iters, seedCountLine(r, S)), note].filter(Boolean).join(' '));
	const left = r.stats.samplers.flatMap((a) => a.excluded.map((e) => fill(S.table.leftOutRun, a.sampler, e.seed, S.table.reasons[e.reason])));
	if (left.length) lines.push(fill(S.table.leftOut, left.join('; ')));
	const level = `${+(r.stats.level * 100).toFixed(1)}%`;
	for (const p of r.stats.pairs) {
		lines.push('');
		lines.push(`${fill(M.pair, p.a, p.b, pairNumbers(p, level, S.pairs))}  `);
		lines.push(p.verdict[lang]);
	}
	if (r.run.script) lines.push('', ...scriptMarkdown(r, S));
	lines.push('');
	const by = meta ? ` · Minibatch Lab ${meta.extension.version}` : '';
	lines.push(`${fill(M.settings, escapeMarkdown(settingsLine(r.run, S.run)))}${by}`);
	return lines.join('\n') + '\n';
}

/** Your script's runs: a row each with the final accuracies and the verdict, then the hints, mismatches and errors. */
function scriptMarkdown(r: Results, S: MarkdownStrings): string[] {
	const C = S.script;
	const M = C.markdown;
	const lines = [fill(M.heading, escapeMarkdown(r.run.script!.file)), '', `| ${M.run} | ${M.seed} | ${S.markdown.trainAccuracy} | ${S.markdown.testAccuracy} | ${M.verdict} |`, '| --- | ---: | ---: | ---: | --- |'];
	const notes: string[] = [];
	for (const x of r.scriptRuns) {
		const last = x.evals[x.evals.length - 1];
		const v = x.script ? verdictText(x.script.check, C) : undefined;
		const verdict = v?.verdict ?? (x.state === 'running' ? C.page.running : x.state === 'cancelled' ? C.page.cancelled : '—');
		const cellText = (a: number | undefined) => (a !== undefined && Number.isFinite(a) ? acc(a) : '—');
		lines.push(`| ${C.runs[x.sampler]} | ${x.seed} | ${cellText(last?.trainAcc)} | ${cellText(last?.testAcc)} | ${escapeMarkdown(verdict)} |`);
		const who = fill(C.page.who, C.runs[x.sampler], x.seed);
		if (v?.hint) notes.push(`${who}: ${v.hint}`);
		for (const m of x.script?.mismatches ?? []) notes.push(`${who}: ${mismatchText(m, C)}`);
		const error = x.script?.error ? errorText(x.script.error, C) : x.failure;
		if (error) notes.push(`${who}: ${escapeMarkdown(error)}`);
	}
	if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));
	return lines;
}

const csvNum = (x: number | null | undefined) => (typeof x === 'number' && Number.isFinite(x) ? String(x) : '');
const comment = (s: string) => `# ${s.replace(/[\r\n]+/g, ' ')}`;

/**
 * A cell holding text from outside (a dataset path, a failure reason): quoted, so its commas stay in one cell, and with
 * a `'` before a leading = + - @ (or tab, CR), so no spreadsheet reads it as a formula.
 */
export function csvText(s: string): string {
	const one = s.replace(/[\r\n]+/g, ' ');
	const literal = /^[=+\-@\t\r]/.test(one) ? `'${one}` : one;
	return `"${literal.replace(/"/g, '""')}"`;
}

/** The settings as the book names them, for the CSV header and the JSON. */
function bookSettings(r: Results): Record<string, string | number> {
	const s = r.run.settings;
	return { iters_num: s.iters, batch_size: s.batchSize, learning_rate: s.lr, hidden_size: s.hidden, train_size: s.trainSize ?? 'all' };
}

/**
 * Long format, one row per (sampler, seed, iteration): the loss of every iteration (of every lossStride-th, the mean
 * over its stride, when the run was too long to keep them all), and the accuracies on the iterations where the book
 * evaluates them. Settings, dataset and version go in leading `#` lines.
 */
export function toCsv(r: Results, meta: ExportMeta): string {
	const settings = Object.entries(bookSettings(r))
		.map(([k, v]) => `${k}=${v}`)
		.join(' ');
	const out = [
		comment(`Minibatch Lab ${meta.extension.version} results, exported ${meta.exportedAt}; run started ${r.run.startedAt}, ${r.state}${r.seconds !== undefined ? ` in ${r.seconds.toFixed(1)} s` : ''}`),
		comment(`settings: ${settings} seeds=${r.seeds.join(';')} samplers=${r.run.samplers.join(';')}`),
		// Outside text goes in a cell of its own after the comment's first cell; pandas still skips the whole line.
		`${comment('dataset')},${csvText(`${r.run.dataset} (${r.run.datasetOrigin})`)}`,
		...r.runs.filter((x) => x.state !== 'done').map((x) => `${comment(`${x.sampler} seed ${x.seed}`)},${x.state}${x.failure ? `,${csvText(x.failure)}` : ''}`),
		...(r.run.lossStride > 1
			? [comment(`loss is the mean over the ${r.run.lossStride} iterations from its row's iteration: a run keeps at most ${LOSS_POINTS_PER_RUN} loss points (${LOSS_POINTS_TOTAL} over the comparison)`)]
			: []),
		...(r.run.script ? [comment(`rows whose sampler starts with "script:" are your script ${r.run.script.file} run with that sampler; the others are the reference`)] : []),
		comment('read with pandas.read_csv(path, comment="#"); train_acc and test_acc are set on evaluation iterations only'),
		'sampler,seed,iteration,epoch,loss,train_acc,test_acc',
	];
	for (const run of [...r.runs, ...r.scriptRuns]) {
		const name = r.scriptRuns.includes(run) ? `script:${run.sampler}` : run.sampler;
		const perIter = epochsPerIter(run.evals);
		const evals = new Map(run.evals.map((e) => [e.iter, e]));
		const stride = r.run.lossStride;
		const last = Math.max(run.losses.length * stride, run.evals.length ? run.evals[run.evals.length - 1].iter + 1 : 0);
		for (let i = 0; i < last; i++) {
			const e = evals.get(i);
			// A row per loss point (every iteration at stride 1) and per evaluation.
			if (i % stride !== 0 && !e) continue;
			const epoch = e ? e.epoch : perIter !== undefined ? i * perIter : undefined;
			const loss = i % stride === 0 ? run.losses[i / stride] : undefined;
			out.push([name, run.seed, i, csvNum(epoch), csvNum(loss), csvNum(e?.trainAcc), csvNum(e?.testAcc)].join(','));
		}
	}
	return out.join('\n') + '\n';
}

/** Everything: metadata, settings, the statistics the panel shows, and every run's curves and summary. */
export function toJson(r: Results, meta: ExportMeta): string {
	const doc = {
		format: 'minibatch-lab-results',
		// 2: `run.lossStride`, and `runs[].losses` holds one point per lossStride iterations.
		formatVersion: 2,
		extension: meta.extension,
		exportedAt: meta.exportedAt,
		run: {
			startedAt: r.run.startedAt,
			state: r.state,
			seconds: r.seconds ?? null,
			settings: { ...r.run.settings, trainSize: r.run.settings.trainSize ?? null },
			book: bookSettings(r),
			samplers: r.run.samplers,
			seeds: r.seeds,
			dataset: { label: r.run.dataset, origin: r.run.datasetOrigin },
			lossStride: r.run.lossStride,
			...(r.run.script ? { script: r.run.script } : {}),
		},
		stats: r.stats,
		runs: r.runs.map((x) => ({ sampler: x.sampler, seed: x.seed, state: x.state, summary: x.summary ?? null, failure: x.failure ?? null, evals: x.evals, losses: x.losses })),
		// Your script's runs (when the run compared one), each with its verdict against the reference run of the same sampler and seed.
		...(r.run.script
			? {
					scriptRuns: r.scriptRuns.map((x) => ({
						sampler: x.sampler,
						seed: x.seed,
						state: x.state,
						summary: x.summary ?? null,
						failure: x.failure ?? null,
						reference: x.script ? { match: x.script.check.match, identical: x.script.check.identical, firstDifference: x.script.check.firstDifference, largestGap: x.script.check.largestGap } : null,
						error: x.script?.error ?? null,
						mismatches: x.script?.mismatches ?? [],
						evals: x.evals,
						losses: x.losses,
					})),
				}
			: {}),
	};
	// Explicit about what JSON.stringify does anyway: a diverged run's NaN or Infinity is written as null.
	return JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), '\t') + '\n';
}
