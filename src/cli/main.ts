import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundledMnistDir, loadMnistFolder, type Dataset } from '../core/dataset';
import { DatasetError, SettingsError } from '../core/errors';
import { SAMPLER_LABELS } from '../core/samplers';
import { BOOK_DEFAULTS, DEFAULT_SAMPLERS, checkValue, parseSamplers, validateSettings, type TrainSettings } from '../core/settings';
import { trainRun, type RunResult } from '../core/train';
import { formatTable, summarize } from './table';

const USAGE = `Usage: minibatch-lab compare [options]

Trains the book's TwoLayerNet (Deep Learning from Scratch, ch. 4) once per sampler, from the same initial weights,
and prints the sampler-comparison table.

Options:
  --iters N         iterations (iters_num)                default ${BOOK_DEFAULTS.iters}
  --batch-size N    minibatch size (batch_size)           default ${BOOK_DEFAULTS.batchSize}
  --lr X            learning rate (learning_rate)         default ${BOOK_DEFAULTS.lr}
  --hidden N        hidden units (hidden_size)            default ${BOOK_DEFAULTS.hidden}
  --train-size N    use the first N training images       default all (60000)
  --seed N          np.random.seed(N) for weights/batches default ${BOOK_DEFAULTS.seed}
  --samplers LIST   comma-separated: replacement, epoch-shuffle, sequential
                                                          default ${DEFAULT_SAMPLERS.join(',')}
  --data DIR        folder with the four MNIST idx files (.gz or raw); default: the bundled MNIST
  --json            print one JSON object (settings, runs) instead of the table
  -h, --help        show this help
`;

/** A usage problem: one line on stderr and exit code 2. */
class UsageError extends Error {}

function numberFlag(key: Parameters<typeof checkValue>[0], flag: string, raw: string | undefined, fallback: number | undefined): number | undefined {
	if (raw === undefined) return fallback;
	const v = raw.trim() === '' ? NaN : Number(raw);
	return checkValue(key, v, flag, JSON.stringify(raw));
}

interface CompareArgs {
	settings: TrainSettings;
	samplers: ReturnType<typeof parseSamplers>;
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
	return {
		settings: validateSettings(settings, names),
		samplers: parseSamplers(values.samplers !== undefined ? values.samplers.split(',') : DEFAULT_SAMPLERS, '--samplers'),
		data: values.data,
		json: values.json ?? false,
	};
}

function loadData(dir: string | undefined): Dataset {
	if (dir !== undefined) return loadMnistFolder(dir);
	const bundled = bundledMnistDir(__dirname);
	if (!existsSync(bundled)) throw new DatasetError(bundled, 'is missing; run "npm run build" to copy the bundled MNIST, or pass --data DIR');
	const data = loadMnistFolder(bundled);
	return { ...data, source: `bundled MNIST (${join('dist', 'data', 'mnist')})` };
}

function progressLine(sampler: string, iter: number, total: number, extra: string): void {
	const pct = Math.floor((100 * iter) / total);
	const text = `${sampler}: ${pct}% (${iter}/${total})${extra}`;
	if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
	else process.stderr.write(`${text}\n`);
}

function compare(args: CompareArgs): void {
	const loadStart = performance.now();
	const data = loadData(args.data);
	const settings = validateSettings(args.settings, { batchSize: '--batch-size', trainSize: '--train-size' }, data.train.count);
	const header = `TwoLayerNet ${data.train.size}-${settings.hidden}-${data.classes}, ${settings.iters} iterations, batch ${settings.batchSize}, lr ${settings.lr}, seed ${settings.seed}, train ${settings.trainSize ?? data.train.count} / test ${data.test.count}; data: ${data.source}`;
	process.stderr.write(`Loaded ${data.source} in ${((performance.now() - loadStart) / 1000).toFixed(2)} s\n`);
	const runs: RunResult[] = [];
	for (const sampler of args.samplers) {
		const label = SAMPLER_LABELS[sampler];
		let lastShown = -1;
		const run = trainRun({
			settings,
			data,
			sampler,
			observer: {
				onEval: (p) => progressLine(label, p.iter, settings.iters, `  train ${p.trainAcc.toFixed(4)}  test ${p.testAcc.toFixed(4)}`),
				onLoss: (i) => {
					if (process.stderr.isTTY && i - lastShown >= 100) {
						lastShown = i;
						progressLine(label, i, settings.iters, '');
					}
				},
			},
		});
		if (process.stderr.isTTY) process.stderr.write('\n');
		process.stderr.write(`${label}: ${run.diverged ? `diverged at iteration ${run.diverged.iter}` : 'done'} in ${run.seconds.toFixed(1)} s (kernel: ${run.kernel})\n`);
		runs.push(run);
	}
	if (args.json) {
		const out = {
			settings: { ...settings, trainSize: settings.trainSize ?? data.train.count, samplers: args.samplers },
			dataset: { source: data.source, train: data.train.count, test: data.test.count, rows: data.rows, cols: data.cols },
			runs: runs.map((r) => ({
				sampler: r.sampler,
				seed: r.seed,
				kernel: r.kernel,
				seconds: r.seconds,
				evals: r.evals,
				epochStats: r.epochStats,
				summary: summarize(r),
			})),
		};
		process.stdout.write(JSON.stringify(out, null, 2) + '\n');
	} else {
		process.stdout.write(`${header}\n\n${formatTable(runs)}\n`);
	}
}

export function main(argv: string[]): number {
	const [command, ...rest] = argv;
	try {
		if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
			process.stdout.write(USAGE);
			return command === undefined ? 2 : 0;
		}
		if (command !== 'compare') throw new UsageError(`unknown command "${command}"; try "minibatch-lab compare --help"`);
		const args = parseCompareArgs(rest);
		if (args === 'help') {
			process.stdout.write(USAGE);
			return 0;
		}
		compare(args);
		return 0;
	} catch (e) {
		if (e instanceof UsageError || e instanceof SettingsError || e instanceof DatasetError || (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
			process.stderr.write(`minibatch-lab: ${(e as Error).message}\n`);
			return 2;
		}
		throw e;
	}
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
