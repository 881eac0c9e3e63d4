/** `minibatch-lab script FILE.py`: the learner's own script with each sampler, against the reference. */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundledMnistDir, peekMnistFolder } from '../core/dataset';
import { SettingsError } from '../core/errors';
import { nodeFiles, nodeIo } from '../platform/node';
import { nodeWorkers } from '../platform/nodeWorkers';
import { DEFAULT_SAMPLERS, LIMITS, checkValue, parseSamplers } from '../core/settings';
import { SEED_COUNT_LIMITS, consecutiveSeeds } from '../core/stats';
import type { ScriptSettingKey } from '../python/scriptPlan';
import { nodeProcessHost } from '../runner/nodeProcessHost';
import { PATH_CANDIDATES, findPython } from '../runner/pythonProbe';
import { isSingleLoop, prepareScript } from '../runner/scriptPrepare';
import { ScriptSession, type ScriptRunResult, type ScriptSettings } from '../runner/scriptSession';
import { english as t, errorText, instrumentText, missingText, mismatchText, noEvaluationText, numericalGradientText, probeText, problemText, runLabel, verdictText } from '../runner/scriptText';
import { ENGLISH } from '../shared/strings/l10n';
import { scriptStrings } from '../shared/strings/script';
import { ScriptProgress } from './scriptProgress';

const S = scriptStrings(ENGLISH);

export const SCRIPT_USAGE = `Usage: minibatch-lab script FILE.py [options]

Runs your own chapter-4 training script once per sampler and seed, after np.random.seed(s): as written (with
replacement, np.random.choice) and as the quick fix rewrites it (per-epoch shuffle), in memory; the file is not changed.
Trains the built-in reference with the settings read from the script, and says for each run whether your script
printed exactly the reference's accuracies, or from which evaluation it differs. Needs a Python with NumPy.

Options:
  --python PATH     the Python to use                     default: python3, then python, on PATH
  --seed N          the first seed                        default 0
  --seeds N         run seeds seed, ..., seed+N-1          default 1 (from ${SEED_COUNT_LIMITS.min} to ${SEED_COUNT_LIMITS.max})
  --iters N         rewrite the script's iters_num to N for a quick check
  --samplers LIST   comma-separated: replacement, epoch-shuffle, sequential
                                                          default ${DEFAULT_SAMPLERS.join(',')}
  --batch-size N, --lr X, --hidden N, --train-size N
                    only for a setting the script hides (the script's own values always win)
  --json            print one JSON object instead of the table
  -h, --help        show this help

Exit codes: 0 every run finished (matching or not); 1 the script failed; 2 a bad flag, a missing file, no Python or no NumPy.
`;

/** Exit code 2 with one line: bad input, no Python, no NumPy. */
export class ScriptUsageError extends Error {}

const GIVEN_FLAGS: Record<Exclude<ScriptSettingKey, 'iters'>, string> = { batchSize: '--batch-size', lr: '--lr', hidden: '--hidden', trainSize: '--train-size' };

function num(key: Parameters<typeof checkValue>[0], flag: string, raw: string | undefined): number | undefined {
	if (raw === undefined) return undefined;
	return checkValue(key, raw.trim() === '' ? NaN : Number(raw), flag, JSON.stringify(raw));
}

export async function scriptCommand(argv: string[]): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		strict: true,
		allowPositionals: true,
		options: {
			python: { type: 'string' },
			seed: { type: 'string' },
			seeds: { type: 'string' },
			iters: { type: 'string' },
			samplers: { type: 'string' },
			'batch-size': { type: 'string' },
			lr: { type: 'string' },
			hidden: { type: 'string' },
			'train-size': { type: 'string' },
			json: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false },
		},
	});
	if (values.help) {
		process.stdout.write(SCRIPT_USAGE);
		return 0;
	}
	if (positionals.length !== 1) throw new ScriptUsageError(positionals.length === 0 ? 'script needs a FILE.py; try "minibatch-lab script --help"' : `unexpected argument "${positionals[1]}"`);
	const path = resolve(positionals[0]);
	let text: string;
	try {
		if (!statSync(path).isFile()) throw new ScriptUsageError(`${positionals[0]} is not a file`);
		text = readFileSync(path, 'utf8');
	} catch (e) {
		if (e instanceof ScriptUsageError) throw e;
		throw new ScriptUsageError(`${positionals[0]}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
	}
	const seed = num('seed', '--seed', values.seed) ?? 0;
	const seedCount = values.seeds === undefined ? 1 : Number(values.seeds);
	if (!Number.isInteger(seedCount) || seedCount < SEED_COUNT_LIMITS.min || seedCount > SEED_COUNT_LIMITS.max || seed + seedCount - 1 > LIMITS.seed.max) {
		throw new SettingsError('--seeds', `--seeds must be a whole number from ${SEED_COUNT_LIMITS.min} to ${SEED_COUNT_LIMITS.max} (with --seed, up to ${LIMITS.seed.max}); got ${JSON.stringify(values.seeds)}.`);
	}
	const iters = num('iters', '--iters', values.iters);
	const samplersExplicit = values.samplers !== undefined;
	const samplers = parseSamplers(samplersExplicit ? (values.samplers as string).split(',') : DEFAULT_SAMPLERS, '--samplers');
	const given: Partial<ScriptSettings> = {
		batchSize: num('batchSize', '--batch-size', values['batch-size']),
		lr: num('lr', '--lr', values.lr),
		hidden: num('hidden', '--hidden', values.hidden),
		trainSize: num('trainSize', '--train-size', values['train-size']),
	};
	const file = basename(path);
	const prepared = prepareScript({ text, samplers, samplersExplicit, iters, given });
	if (!prepared.ok) {
		if (prepared.reason === 'problem') throw new ScriptUsageError(problemText(prepared.problem, file, t));
		if (prepared.reason === 'instrument') throw new ScriptUsageError(instrumentText(prepared.failure, prepared.sampler, t));
		throw new ScriptUsageError(
			prepared.missing.map((m) => `${missingText(m, t)} Give it with ${m.key === 'iters' ? '--iters' : GIVEN_FLAGS[m.key]} N.`).join(' '),
		);
	}
	const { plan, settings, variants } = prepared;
	for (const s of prepared.skipped) process.stderr.write(`Leaving out: ${instrumentText(s.failure, s.sampler, t)}\n`);
	for (const k of prepared.ignoredGiven) process.stderr.write(`Ignoring ${GIVEN_FLAGS[k as keyof typeof GIVEN_FLAGS]}: the script sets it (line ${(plan.settings[k].line ?? 0) + 1}).\n`);

	const cwd = dirname(path);
	const found = await findPython(nodeProcessHost, values.python !== undefined ? [values.python] : PATH_CANDIDATES, cwd);
	if (!found.ok) throw new ScriptUsageError(probeText(found.failure, t) + (found.failure.kind === 'notFound' ? ' Pass --python PATH.' : ''));
	const python = found.info;
	if (plan.numericalGradientLine !== undefined) process.stderr.write(`Warning: ${numericalGradientText(plan.numericalGradientLine, settings.iters, settings.hidden, t)}\n`);

	const dataDir = bundledMnistDir(nodeFiles, __dirname);
	const trainCount = (await peekMnistFolder(nodeIo, dataDir)).trainCount;
	const seeds = consecutiveSeeds(seed, seedCount);
	process.stderr.write(`Python ${python.version} (${python.executable}), NumPy ${python.numpy}; ${variants.length * seeds.length} run(s) of ${file}, ${settings.iters} iterations each\n`);
	const progress = new ScriptProgress(settings.iters, variants.length * seeds.length);
	const session = new ScriptSession({
		host: nodeProcessHost,
		python: python.command,
		scriptPath: path,
		cwd,
		settings,
		seeds,
		variants,
		roles: plan.roles,
		singleLoop: isSingleLoop(plan),
		reference: { workers: nodeWorkers({ train: join(__dirname, 'trainWorker.js') }), dataDir, trainCount },
		onScript: (job, e) => progress.onScript(`${runLabel(job.sampler, t)} seed ${job.seed}`, e),
		onReference: () => undefined,
	});
	const stop = () => session.cancel();
	process.once('SIGINT', stop);
	const results = await session.run();
	process.off('SIGINT', stop);
	progress.end();
	for (const r of results) {
		if (!r.error && !r.cancelled && r.evals.length === 0) r.error = { type: 'NoEvaluation', message: noEvaluationText(r.reachedLoop, r.iterations, t), file: path, line: null };
	}
	if (values.json) {
		const out = {
			script: path,
			python: { executable: python.executable, version: python.version, numpy: python.numpy },
			settings,
			runs: results.map((r) => ({
				sampler: r.sampler,
				seed: r.seed,
				evals: r.evals,
				seconds: r.seconds,
				error: r.error && { type: r.error.type, message: r.error.message, file: r.error.file, line: r.error.line },
				reference: { match: r.reference.match, identical: r.reference.identical, firstDifference: r.reference.firstDifference, largestGap: r.reference.largestGap },
				verdict: verdictText(r.reference, S).verdict,
				...(r.mismatches.length > 0 ? { mismatches: r.mismatches } : {}),
				...(r.cancelled ? { cancelled: true } : {}),
			})),
		};
		process.stdout.write(JSON.stringify(out, null, 2) + '\n');
	} else process.stdout.write(formatResults(file, settings, results));
	for (const r of results) {
		if (!r.error) continue;
		const at = r.error.line !== null ? `${r.error.file}:${r.error.line}: ` : '';
		process.stderr.write(`${runLabel(r.sampler, t)} seed ${r.seed}: ${at}${errorText(r.error, S)}\n`);
	}
	if (session.isCancelled) return 130;
	return results.some((r) => r.error) ? 1 : 0;
}

function formatResults(file: string, s: ScriptSettings, results: ScriptRunResult[]): string {
	const head = ['run', 'seed', 'evals', 'final train', 'final test', 'seconds', 'verdict'];
	const rows = results.map((r) => {
		const last = r.evals[r.evals.length - 1];
		const f = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(4));
		const verdict = r.cancelled ? 'cancelled' : verdictText(r.reference, S).verdict;
		return [runLabel(r.sampler, t), String(r.seed), String(r.evals.length), f(last?.trainAcc), f(last?.testAcc), r.seconds.toFixed(1), verdict];
	});
	const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
	const line = (row: string[]) => row.map((v, c) => (c === 0 || c === row.length - 1 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ').trimEnd();
	const notes: string[] = [];
	for (const r of results) {
		const who = `${runLabel(r.sampler, t)} seed ${r.seed}`;
		const hint = verdictText(r.reference, S).hint;
		if (hint) notes.push(`${who}: ${hint}`);
		for (const m of r.mismatches) notes.push(`${who}: ${mismatchText(m, S)}`);
		if (r.referenceFailure) notes.push(`${who}: the reference failed: ${r.referenceFailure}`);
	}
	return [
		`${file}: ${s.iters} iterations, batch ${s.batchSize}, lr ${s.lr}, hidden ${s.hidden}, train size ${s.trainSize}; reference: TwoLayerNet on the bundled MNIST, same seeds`,
		'',
		line(head),
		widths.map((w) => '-'.repeat(w)).join('  '),
		...rows.map(line),
		...(notes.length ? ['', ...notes] : []),
		'',
	].join('\n');
}
