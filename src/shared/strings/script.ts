/**
 * The words of your own script's runs, shared by the panel (handed over inside the panel's strings), the Markdown
 * export, the log and the CLI (which builds them with ENGLISH). Templates keep their `{0}` (`fill` in ./l10n.ts).
 */
import type { SamplerId } from '../../core/samplers';
import type { L10n } from './l10n';

export function scriptStrings(l10n: L10n) {
	return {
		/** A script run's row label, by the sampler it ran with. */
		runs: {
			replacement: l10n.t('your script · with replacement'),
			'epoch-shuffle': l10n.t('your script · per-epoch shuffle'),
			sequential: l10n.t('your script · sequential'),
		} satisfies Record<SamplerId, string>,
		/** The reference's rows beside them: {0} is the sampler's usual label. */
		reference: l10n.t('reference · {0}'),
		settings: {
			iters: l10n.t('iterations'),
			batchSize: l10n.t('batch size'),
			lr: l10n.t('learning rate'),
			hidden: l10n.t('hidden size'),
			trainSize: l10n.t('train size'),
		},
		verdict: {
			none: l10n.t('no evaluation to compare with the reference'),
			identicalOne: l10n.t('identical to the reference at its one evaluation'),
			identicalAll: l10n.t('identical to the reference at all {0} evaluations'),
			within: l10n.t('matches the reference within rounding at all {0} evaluations; the largest gap is {1} at iteration {2}'),
			differs: l10n.t('differs from iteration {0}: yours {1} / {2}, reference {3} / {4}'),
			hintFirst: l10n.t('It differs at the first evaluation already: look first at the initialisation order (W1 then W2, drawn right after np.random.seed) and the data scaling (normalize=True), then at the gradient and the update.'),
			hintLater: l10n.t('It agreed before: look first at the gradient (backprop) and the update (params -= lr * grad), then at the initialisation order and the data scaling.'),
		},
		mismatch: l10n.t('the script ran with {0} = {1}, the reference with {2}'),
		error: {
			at: l10n.t('{0} ({1}, line {2})'),
			missingModule: l10n.t('Install the missing module for this Python, or remove the import.'),
			input: l10n.t('The script called input(); these runs have no keyboard, so input() ends at once.'),
		},
		/** The panel's section under the table. */
		page: {
			heading: l10n.t('Your script against the reference'),
			/** {0}: the file, {1}: Python's version, {2}: NumPy's. */
			header: l10n.t('Your script {0} (Python {1}, NumPy {2}) against the reference.'),
			who: l10n.t('{0}, seed {1}'),
			running: l10n.t('running…'),
			cancelled: l10n.t('cancelled'),
			/** The link to where the script raised: {0} the file, {1} the line. */
			goTo: l10n.t('Go to {0}, line {1}'),
			formNote: l10n.t('Run again runs {0} again: iterations (rewriting its own iters_num), seed, seeds and samplers apply; batch size, learning rate and hidden size come from the script.'),
		},
		markdown: {
			/** {0}: the file. */
			heading: l10n.t('Your script {0} against the reference (same seeds, same settings):'),
			run: l10n.t('run'),
			seed: l10n.t('seed'),
			verdict: l10n.t('verdict'),
		},
	};
}

export type ScriptStrings = ReturnType<typeof scriptStrings>;
