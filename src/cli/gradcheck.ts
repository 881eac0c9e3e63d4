import { parseArgs } from 'node:util';
import type { Dataset } from '../core/dataset';
import { gradientCheck, gradientCheckStart } from '../core/gradientCheck';
import { nodeWasm } from '../platform/nodeKernel';
import { SettingsError } from '../core/errors';
import { BOOK_DEFAULTS, checkValue } from '../core/settings';
import { PARAM_NAMES } from '../core/twoLayerNet';
import { LOSS_DELTA } from '../core/fastKernel';
import { gradStrings } from '../shared/strings/grad';
import { ENGLISH, fill, type L10n } from '../shared/strings/l10n';
import jaBundle from '../../l10n/bundle.l10n.ja.json';

/** The extension's Japanese bundle, for the explanation --json gives in both languages (one translation, not a copy). */
const JAPANESE: L10n = { t: (m) => (jaBundle as Record<string, string>)[m] ?? m };

/** Why the two gradients differ, in plain text: the book's log(y + 1e-7) versus backprop's exact log, or rounding. */
export function gradcheckExplanation(exactLog: boolean, l10n: L10n): string {
	const S = gradStrings(l10n);
	return exactLog ? fill(S.noteExactLog, 'log(y)', '(y − t)/B') : fill(S.noteBookLog, 'log(y + 1e-7)', '(y − t)/B', 'log(y)');
}

export const GRADCHECK_USAGE = `Usage: minibatch-lab gradcheck [options]

The study group's open question: why is the numerical gradient so slow? On one minibatch of the seeded network it
times the book's numerical_gradient (central difference, h = 1e-4, two loss evaluations per parameter) and backprop,
and compares them as the book's gradient_check.py does.

Options:
  --seed N          np.random.seed(N) for the weights and the batch   default ${BOOK_DEFAULTS.seed}
  --batch-size N    images in the batch                               default ${BOOK_DEFAULTS.batchSize}
  --hidden N        hidden units                                      default ${BOOK_DEFAULTS.hidden}
  --mode M          partial: recompute only what a parameter moves (same loss values, bit for bit); full: two whole
                    forward passes per parameter, as the book's code    default partial
  --exact-log       the numerical gradient's loss takes log(y), the function backprop differentiates, instead of the
                    book's log(y + 1e-7): what is left of the difference is rounding
  --data DIR        folder with the four MNIST idx files; default: the bundled MNIST
  --json            print one JSON object
  -h, --help        show this help
`;

/** Runs the check; returns the exit code. Progress goes to stderr (Ctrl-C stops it: the CLI has nothing to save). */
export async function gradcheck(argv: string[], loadData: (dir: string | undefined) => Promise<{ data: Dataset }>): Promise<number> {
	const { values, positionals } = parseArgs({
		args: argv,
		strict: true,
		allowPositionals: true,
		options: {
			seed: { type: 'string' },
			'batch-size': { type: 'string' },
			hidden: { type: 'string' },
			mode: { type: 'string', default: 'partial' },
			'exact-log': { type: 'boolean', default: false },
			data: { type: 'string' },
			json: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false },
		},
	});
	if (values.help) {
		process.stdout.write(GRADCHECK_USAGE);
		return 0;
	}
	if (positionals.length > 0) throw new SettingsError('gradcheck', `unexpected argument "${positionals[0]}"`);
	const num = (key: Parameters<typeof checkValue>[0], flag: string, raw: string | undefined, fallback: number) =>
		raw === undefined ? fallback : checkValue(key, raw.trim() === '' ? NaN : Number(raw), flag, JSON.stringify(raw));
	const seed = num('seed', '--seed', values.seed, BOOK_DEFAULTS.seed);
	const batchSize = num('batchSize', '--batch-size', values['batch-size'], BOOK_DEFAULTS.batchSize);
	const hidden = num('hidden', '--hidden', values.hidden, BOOK_DEFAULTS.hidden);
	const mode = values.mode;
	if (mode !== 'partial' && mode !== 'full') throw new SettingsError('--mode', `--mode must be partial or full; got ${JSON.stringify(mode)}.`);
	const { data } = await loadData(values.data);
	if (batchSize > data.train.count) throw new SettingsError('--batch-size', `--batch-size is ${batchSize} but the dataset has only ${data.train.count} training images.`);

	const { batch, params } = gradientCheckStart(data, seed, hidden, batchSize);
	let shown = -1;
	const exactLog = values['exact-log'];
	const r = gradientCheck(batch, params, {
		wasm: nodeWasm(),
		mode,
		delta: exactLog ? 0 : LOSS_DELTA,
		progressEvery: 500,
		onProgress: (done, total) => {
			const pct = Math.floor((100 * done) / total);
			if (pct === shown) return;
			shown = pct;
			if (process.stderr.isTTY) process.stderr.write(`\r\x1b[Knumerical gradient: ${pct}% (${done}/${total})`);
			else if (pct % 10 === 0) process.stderr.write(`numerical gradient: ${pct}% (${done}/${total})\n`);
		},
	});
	if (process.stderr.isTTY) process.stderr.write('\n');
	const P = r.numerical.total;
	const out = {
		settings: { seed, batchSize, hidden, mode, exactLog, parameters: P },
		engine: r.numerical.engine,
		numericalSeconds: r.numerical.seconds,
		backpropSeconds: r.backpropSeconds,
		ratio: r.numerical.seconds / r.backpropSeconds,
		lossEvaluations: r.numerical.lossEvaluations,
		/** Largest |num − bp| / max(|num|, |bp|) over elements where that max exceeds 1e-6. */
		maxRelErr: r.maxRelErr,
		/** ‖num − bp‖ / (‖num‖ + ‖bp‖) over every parameter. */
		normRelErr: r.normRelErr,
		maxRelErrBy: r.maxRelErrBy,
		normRelErrBy: r.normRelErrBy,
		avgAbsDiff: r.avgAbsDiff,
		explanation: { en: gradcheckExplanation(exactLog, ENGLISH), ja: gradcheckExplanation(exactLog, JAPANESE) },
	};
	if (values.json) {
		process.stdout.write(JSON.stringify(out, null, 2) + '\n');
		return 0;
	}
	const lines = [
		`Numerical gradient vs backprop, TwoLayerNet ${data.train.size}-${hidden}-${data.classes}, one batch of ${batchSize}, seed ${seed} (${P.toLocaleString('en-US')} parameters)`,
		'',
		`numerical gradient (${mode}, ${r.numerical.engine}): ${r.numerical.seconds.toFixed(2)} s for ${r.numerical.lossEvaluations.toLocaleString('en-US')} loss evaluations (2 per parameter)`,
		`backprop (reference TypeScript, float64):   ${(r.backpropSeconds * 1000).toFixed(2)} ms (one forward and one backward pass)`,
		`ratio: ${Math.round(out.ratio).toLocaleString('en-US')}×. The cost model: the numerical gradient evaluates the loss 2 × P = ${(2 * P).toLocaleString('en-US')} times`,
		`(each a forward pass over the batch${mode === 'partial' ? '; here only the part a parameter can change is recomputed, --mode full does it all' : ''}), backprop one forward and one backward pass.`,
		'',
		`loss of the numerical gradient: ${exactLog ? 'log(y), exact (--exact-log)' : 'the book’s log(y + 1e-7)'}`,
		'per parameter: mean |numerical − backprop| (the book’s gradient_check.py), norm-relative error, largest relative error',
		...PARAM_NAMES.map((k) => `  ${k.padEnd(3)} ${r.avgAbsDiff[k].toExponential(2)}  ${r.normRelErrBy[k].toExponential(2)}  ${r.maxRelErrBy[k].toExponential(2)}`),
		`norm-relative error ‖num − bp‖ / (‖num‖ + ‖bp‖): ${r.normRelErr.toExponential(2)}`,
		`largest relative error (elements above 1e-6):     ${r.maxRelErr.toExponential(2)}`,
		exactLog ? gradcheckExplanation(true, ENGLISH) : `${gradcheckExplanation(false, ENGLISH)} Run again with --exact-log to see it go.`,
	];
	process.stdout.write(lines.join('\n') + '\n');
	return 0;
}
