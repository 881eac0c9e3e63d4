import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freemem } from 'node:os';
import { bundledMnistDir, loadMnistFolder, peekMnistFolder, type Dataset } from '../core/dataset';
import { nodeFiles, nodeIo } from '../platform/node';
import { nodeWorkers } from '../platform/nodeWorkers';
import { DatasetError, SettingsError } from '../core/errors';
import { SAMPLER_LABELS, type SamplerId } from '../core/samplers';
import { checkFitsInMemory } from '../core/sharedDataset';
import { BOOK_DEFAULTS, DEFAULT_SAMPLERS, LIMITS, checkValue, parseSamplers, validateSettings, type TrainSettings } from '../core/settings';
import { SEED_COUNT_LIMITS, consecutiveSeeds, seedStats } from '../core/stats';
import { Comparison } from '../runner/comparison';
import { runKey } from '../shared/runFold';
import { gradcheck } from './gradcheck';
import { ScriptUsageError, scriptCommand } from './script';
import { formatPairs, formatSeedTable, formatTable } from './table';

const USAGE = `Usage: minibatch-lab compare [options]
       minibatch-lab script FILE.py [options]   (your own training script; see "minibatch-lab script --help")

Trains the book's TwoLayerNet (Deep Learning from Scratch, ch. 4) once per sampler, from the same initial weights,
and prints the sampler-comparison table. With --seeds N it does that for N seeds and prints mean ± std per sampler
and the paired difference in final test accuracy between samplers, with a 95% CI (Student's t) and a verdict.

Options:
  --iters N         iterations (iters_num)                default ${BOOK_DEFAULTS.iters}
  --batch-size N    minibatch size (batch_size)           default ${BOOK_DEFAULTS.batchSize}
  --lr X            learning rate (learning_rate)         default ${BOOK_DEFAULTS.lr}
  --hidden N        hidden units (hidden_size)            default ${BOOK_DEFAULTS.hidden}
  --train-size N    use the first N training images       default all (60000)
  --seed N          np.random.seed(N) for weights/batches default ${BOOK_DEFAULTS.seed}
  --seeds N         run seeds seed, seed+1, ..., seed+N-1    default 1 (from ${SEED_COUNT_LIMITS.min} to ${SEED_COUNT_LIMITS.max})
  --samplers LIST   comma-separated: replacement, epoch-shuffle, sequential
                                                          default ${DEFAULT_SAMPLERS.join(',')}
  --data DIR        folder with the four MNIST idx files (.gz or raw); default: the bundled MNIST
  --json            print one JSON object (settings, dataset, runs, stats) instead of the table
  -h, --help        show this help
`;

/** A usage problem: one line on stderr and exit code 2. */
class UsageError extends Error {}

function numberFlag(key: Parameters<typeof checkValue>[0], flag: string, raw: string | undefined, fallback: number | undefined): number | undefined {
	if (raw === undefined) return fallback;
	const v = raw.trim() === '' ? NaN : Number(raw);
	return checkValue(key, v, flag, JSON.stringify(raw));
}

/** --seeds: a whole number of seeds whose last one still fits the seed range. */
function seedCountFlag(raw: string | undefined, first: number): number {
	if (raw === undefined) return 1;
	const v = raw.trim() === '' ? NaN : Number(raw);
	const { min, max } = SEED_COUNT_LIMITS;
	if (!Number.isInteger(v) || v < min || v > max) throw new SettingsError('--seeds', `--seeds must be a whole number from ${min} to ${max}; got ${JSON.stringify(raw)}.`);
	if (first + v - 1 > LIMITS.seed.max) throw new SettingsError('--seeds', `--seed ${first} with --seeds ${v} would go past the largest seed, ${LIMITS.seed.max}; use a smaller --seed.`);
	return v;
}

interface CompareArgs {
	settings: TrainSettings;
	samplers: ReturnType<typeof parseSamplers>;
	/** How many consecutive seeds, from settings.seed. */
	seeds: number;
	data?: string;
	json: boolean;
}

export function parseCompareArgs(argv: string[]): CompareArgs | 'help' {
	const { values, positionals } = parseArgs({
		args: argv,
		strict: true,
		allowPositionals: true,
		options: {
			iters: { type: 'string' },
			'batch-size': { type: 'string' },
			lr: { type: 'string' },
			hidden: { type: 'string' },
			'train-size': { type: 'string' },
			seed: { type: 'string' },
			seeds: { type: 'string' },
			samplers: { type: 'string' },
			data: { type: 'string' },
			json: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false },
		},
	});
	if (values.help) return 'help';
	if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
	const settings: Partial<TrainSettings> = {
		iters: numberFlag('iters', '--iters', values.iters, BOOK_DEFAULTS.iters),
		batchSize: numberFlag('batchSize', '--batch-size', values['batch-size'], BOOK_DEFAULTS.batchSize),
		lr: numberFlag('lr', '--lr', values.lr, BOOK_DEFAULTS.lr),
		hidden: numberFlag('hidden', '--hidden', values.hidden, BOOK_DEFAULTS.hidden),
		trainSize: numberFlag('trainSize', '--train-size', values['train-size'], undefined),
		seed: numberFlag('seed', '--seed', values.seed, BOOK_DEFAULTS.seed),
	};
	const names = { iters: '--iters', batchSize: '--batch-size', lr: '--lr', hidden: '--hidden', trainSize: '--train-size', seed: '--seed' };
	const valid = validateSettings(settings, names);
	return {
		settings: valid,
		samplers: parseSamplers(values.samplers !== undefined ? values.samplers.split(',') : DEFAULT_SAMPLERS, '--samplers'),
		seeds: seedCountFlag(values.seeds, valid.seed),
		data: values.data,
		json: values.json ?? false,
	};
}

/**
 * Resolves --data (or the bundled copy) to a folder and loads it once here, so a bad folder fails before any worker
 * starts. `shared`: into shared memory, which the comparison's workers then use instead of decoding their own copies.
 */
async function loadData(dir: string | undefined, shared = false): Promise<{ dataDir: string; data: Dataset }> {
	const load = async (d: string) => {
		const head = await peekMnistFolder(nodeIo, d);
		// Which file is read where a folder offers two (X and X.gz), or a link that leads nowhere was passed over.
		for (const note of head.notes) process.stderr.write(`${note}\n`);
		if (shared) checkFitsInMemory(d, head, freemem());
		return loadMnistFolder(nodeIo, d, { shared });
	};
	if (dir !== undefined) return { dataDir: dir, data: await load(dir) };
	const bundled = bundledMnistDir(nodeFiles, __dirname);
	if (!existsSync(bundled)) throw new DatasetError(bundled, { code: 'folder.bundledMissing' });
	return { dataDir: bundled, data: { ...(await load(bundled)), source: `bundled MNIST (${join('dist', 'data', 'mnist')})` } };
}

/** One status line per running run, rewritten in place on a terminal and printed at each evaluation otherwise. */
class Progress {
	private readonly lines = new Map<string, string>();
	constructor(
		private readonly total: number,
		private readonly showSeed: boolean,
	) {}
	private name(sampler: SamplerId, seed: number): string {
		return this.showSeed ? `${SAMPLER_LABELS[sampler]} seed ${seed}` : SAMPLER_LABELS[sampler];
	}
	update(sampler: SamplerId, seed: number, iter: number, extra = '', force = false): void {
		const text = `${this.name(sampler, seed)}: ${Math.floor((100 * iter) / this.total)}% (${iter}/${this.total})${extra}`;
		this.lines.set(runKey(sampler, seed), text);
		if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${[...this.lines.values()].join(' | ')}`);
		else if (force) process.stderr.write(`${text}\n`);
	}
	/** A finished run leaves the live line, so it only ever shows what is running. */
	finish(sampler: SamplerId, seed: number): void {
		this.lines.delete(runKey(sampler, seed));
	}
	label(sampler: SamplerId, seed: number): string {
		return this.name(sampler, seed);
	}
	end(): void {
		if (process.stderr.isTTY) process.stderr.write('\n');
	}
}

async function compare(args: CompareArgs): Promise<number> {
	const loadStart = performance.now();
	const { dataDir, data } = await loadData(args.data, true);
	const settings = validateSettings(args.settings, { batchSize: '--batch-size', trainSize: '--train-size' }, data.train.count);
	const seeds = consecutiveSeeds(settings.seed, args.seeds);
	const multi = seeds.length > 1;
	const seedText = multi ? `seeds ${seeds[0]}–${seeds[seeds.length - 1]} (N = ${seeds.length})` : `seed ${settings.seed}`;
	const header = `TwoLayerNet ${data.train.size}-${settings.hidden}-${data.classes}, ${settings.iters} iterations, batch ${settings.batchSize}, lr ${settings.lr}, ${seedText}, train ${settings.trainSize ?? data.train.count} / test ${data.test.count}; data: ${data.source}`;
	const runCount = args.samplers.length * seeds.length;
	process.stderr.write(`Loaded ${data.source} in ${((performance.now() - loadStart) / 1000).toFixed(2)} s; training ${runCount} run(s) (${args.samplers.length} sampler(s) × ${seeds.length} seed(s)) in worker threads\n`);
	const progress = new Progress(settings.iters, multi);
	const started = performance.now();
	const comparison = new Comparison({
		workers: nodeWorkers({ train: join(__dirname, 'trainWorker.js') }),
		dataDir,
		data,
		settings,
		samplers: args.samplers,
		seeds,
		onMessage: (sampler, m, seed) => {
			if (m.type === 'loss') progress.update(sampler, seed, m.fromIter + m.losses.length);
			else if (m.type === 'eval') progress.update(sampler, seed, m.point.iter, `  train ${m.point.trainAcc.toFixed(4)}  test ${m.point.testAcc.toFixed(4)}`, true);
			else if (m.type === 'done' || m.type === 'failed') progress.finish(sampler, seed);
			else if (m.type === 'loaded' && m.fallbackReason) process.stderr.write(`Using the reference kernel: ${m.fallbackReason}\n`);
		},
	});
	process.once('SIGINT', () => comparison.cancel());
	const outcomes = await comparison.run();
	progress.end();
	for (const o of outcomes) {
		const what = o.failure ? `failed: ${o.failure}` : o.summary?.diverged ? `diverged at iteration ${o.summary.diverged.iter}` : o.cancelled ? 'cancelled' : 'done';
		process.stderr.write(`${progress.label(o.sampler, o.seed)}: ${what}${o.summary ? ` in ${o.summary.seconds.toFixed(1)} s (kernel: ${o.summary.kernel})` : ''}\n`);
	}
	process.stderr.write(`Wall time ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
	const summaries = outcomes.flatMap((o) => (o.summary ? [o.summary] : []));
	const stats = seedStats(outcomes, args.samplers, seeds);
	if (args.json) {
		const out = {
			settings: { ...settings, trainSize: settings.trainSize ?? data.train.count, samplers: args.samplers, seeds },
			dataset: { source: data.source, train: data.train.count, test: data.test.count, rows: data.rows, cols: data.cols },
			runs: outcomes.map((o) => ({
				sampler: o.sampler,
				seed: o.seed,
				kernel: o.summary?.kernel,
				seconds: o.summary?.seconds,
				evals: o.evals,
				epochStats: o.epochStats,
				summary: o.summary,
				...(o.failure ? { failure: o.failure } : {}),
				...(o.cancelled ? { cancelled: true } : {}),
			})),
			stats,
		};
		process.stdout.write(JSON.stringify(out, null, 2) + '\n');
	} else if (multi) {
		process.stdout.write(`${header}\n\nMean ± sample std over seeds:\n${formatSeedTable(stats.samplers)}\n`);
		if (stats.pairs.length > 0) process.stdout.write(`\n${formatPairs(stats.pairs, stats.level)}\n`);
		for (const o of outcomes) if (o.failure) process.stdout.write(`${progress.label(o.sampler, o.seed)}: failed: ${o.failure}\n`);
	} else {
		process.stdout.write(`${header}\n\n${formatTable(summaries)}\n`);
		for (const o of outcomes) if (o.failure) process.stdout.write(`${SAMPLER_LABELS[o.sampler]}: failed: ${o.failure}\n`);
	}
	return outcomes.some((o) => o.failure) ? 1 : outcomes.some((o) => o.cancelled) ? 130 : 0;
}

export async function main(argv: string[]): Promise<number> {
	const [command, ...rest] = argv;
	try {
		if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
			process.stdout.write(USAGE);
			return command === undefined ? 2 : 0;
		}
		if (command === 'gradcheck') return await gradcheck(rest, loadData);
		if (command === 'script') return await scriptCommand(rest);
		if (command !== 'compare') throw new UsageError(`unknown command "${command}"; try "minibatch-lab compare --help", "minibatch-lab script --help" or "minibatch-lab gradcheck --help"`);
		const args = parseCompareArgs(rest);
		if (args === 'help') {
			process.stdout.write(USAGE);
			return 0;
		}
		return await compare(args);
	} catch (e) {
		if (e instanceof UsageError || e instanceof ScriptUsageError || e instanceof SettingsError || e instanceof DatasetError || (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
			// One line, even for parseArgs's multi-line hints (e.g. "--iters -5").
			process.stderr.write(`minibatch-lab: ${(e as Error).message.replace(/\s*\n\s*/g, ' ')}\n`);
			return 2;
		}
		throw e;
	}
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
