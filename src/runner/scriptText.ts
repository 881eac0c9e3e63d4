/**
 * The own-script feature's sentences before and around the runs, for the CLI (English) and the extension
 * (`vscode.l10n.t`, Japanese from l10n/bundle.l10n.ja.json). Every message is a literal first argument of `t(...)`, so
 * a unit test checks the bundle. The runs' own words (verdicts, errors) are in src/shared/strings/script.ts.
 */
import type { SamplerId } from '../core/samplers';
import { numericalGradientCost } from '../core/scriptCheck';
import type { PlanProblem, ScriptSetting, ScriptSettingKey } from '../python/scriptPlan';
import type { InstrumentFailure } from '../python/instrument';
import type { ProbeFailure } from './pythonProbe';
import { numpyInstallCommand } from './pythonProbe';

/** vscode.l10n.t's shape: `{0}`, `{1}` … are replaced by the arguments. */
export type Translate = (message: string, ...args: (string | number)[]) => string;

/** English: the placeholders filled in, nothing translated. */
export const english: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (m, k: string) => (Number(k) < args.length ? String(args[Number(k)]) : m));

export function runLabel(sampler: SamplerId, t: Translate): string {
	switch (sampler) {
		case 'replacement':
			return t('your script · with replacement');
		case 'epoch-shuffle':
			return t('your script · per-epoch shuffle');
		case 'sequential':
			return t('your script · sequential');
	}
}

export function settingLabel(key: ScriptSettingKey, t: Translate): string {
	switch (key) {
		case 'iters':
			return t('iterations');
		case 'batchSize':
			return t('batch size');
		case 'lr':
			return t('learning rate');
		case 'hidden':
			return t('hidden size');
		case 'trainSize':
			return t('train size');
	}
}

/** A run that ended normally without a single evaluation: say whether the loop ran at all. */
export function noEvaluationText(reachedLoop: boolean, iterations: number, t: Translate): string {
	return reachedLoop
		? t('the script ran {0} iterations but never reached an evaluation (no accuracy call inside the loop ran)', iterations)
		: t('the script ended before its training loop started, so it never reached an evaluation');
}

export function problemText(p: PlanProblem, file: string, t: Translate): string {
	switch (p.kind) {
		case 'noLoop':
			return t('{0} has no training loop Minibatch Lab recognises: it looks for a for loop whose body draws the minibatch with np.random.choice(train_size, batch_size), or with the per-epoch shuffle the quick fix writes.', file);
		case 'generator':
			return t('{0}, line {1}, draws minibatches from a NumPy Generator (default_rng or RandomState), which np.random.seed does not seed, so no run can match the reference; draw them with np.random.choice as the book does.', file, p.line + 1);
		case 'withoutReplacement':
			return t('{0}, line {1}, draws minibatches with replace=False, which is neither of the reference samplers; draw them with np.random.choice(train_size, batch_size) as the book does.', file, p.line + 1);
		case 'noAccuracy':
			return t('{0} computes no accuracy Minibatch Lab can capture: it looks for calls such as network.accuracy(x_train, t_train), of any function whose name contains "accuracy" or "acc".', file);
	}
}

/** One sentence per setting the script hides; the caller adds how to give it (a flag, or an input box). */
export function missingText(s: ScriptSetting, t: Translate): string {
	const what = settingLabel(s.key, t);
	if (s.expr !== undefined && s.line !== undefined) return t('The script does not give its {0} as a number Minibatch Lab can read (line {1}: {2}).', what, s.line + 1, s.expr);
	return t('The script does not give its {0} as a number Minibatch Lab can read.', what);
}

export function probeText(f: ProbeFailure, t: Translate): string {
	switch (f.kind) {
		case 'notFound':
			return t('No Python found (tried {0}): install Python 3 with NumPy, or say which Python to use.', f.command);
		case 'noNumpy':
			return t('NumPy is missing for {0} (Python {1}): install it with {2}', f.executable, f.version, numpyInstallCommand(f.executable));
		case 'broken':
			return t('{0} did not run as Python: {1}', f.command, f.detail);
	}
}

export function instrumentText(f: InstrumentFailure, sampler: SamplerId, t: Translate): string {
	return f === 'noRewrite'
		? t('The {0} run needs the book\'s batch_mask = np.random.choice(train_size, batch_size) on its own line in a for i in range(...) loop, which the quick fix rewrites; this script draws its batches another way.', runLabel(sampler, t))
		: t('The iterations override needs one training loop over range(...); this script nests its loop in another, so change its own epoch count instead.');
}

export function numericalGradientText(line: number, iters: number, hidden: number, t: Translate): string {
	const c = numericalGradientCost(iters, 784, hidden, 10);
	const h = (x: number) => (x >= 10 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
	return t(
		'Line {0} calls numerical_gradient: each iteration then evaluates the loss 2 × {1} = {2} times, so {3} iterations take about {4} to {5} hours. The book uses network.gradient (backprop) here.',
		line + 1,
		c.parameters.toLocaleString('en-US'),
		c.lossEvaluations.toLocaleString('en-US'),
		iters.toLocaleString('en-US'),
		h(c.hoursLow),
		h(c.hoursHigh),
	);
}

export { errorText, mismatchText, verdictText } from '../shared/scriptVerdict';
