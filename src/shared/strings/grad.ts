/** Every string of the gradient panel (src/extension/gradPanelHtml.ts), in the display language. */
import type { L10n } from './l10n';

export function gradStrings(l10n: L10n) {
	return {
		title: l10n.t('Numerical gradient vs backprop'),
		settings: l10n.t('TwoLayerNet, {0} hidden units, one batch of {1}, seed {2}, P = {3} parameters, mode {4}, {5}'),
		numerical: l10n.t('Numerical gradient'),
		numericalEstimate: l10n.t('Numerical gradient (estimate from {0} random parameters, {1} measured)'),
		estimate: l10n.t('estimate'),
		cancelled: l10n.t('Cancelled after {0} of {1} parameters; the time is extrapolated from them.'),
		backprop: l10n.t('Backprop'),
		ratio: l10n.t('Ratio'),
		checkHeading: l10n.t('Gradient check'),
		parameter: l10n.t('Parameter'),
		meanAbsDiff: l10n.t('mean |numerical − backprop|'),
		largestRelErr: l10n.t('largest relative error'),
		normRelErr: l10n.t('norm-relative error'),
		notChecked: l10n.t('“—”: not checked in this run.'),
		errorSummary: l10n.t('Norm-relative error {0}: {1}. Largest relative error (over elements above 1e-6): {2}.'),
		exactLogSwitch: l10n.t('Exact {0} in the numerical gradient'),
		exactLogOn: l10n.t('Runs the check again with the book’s log(y + 1e-7)'),
		exactLogOff: l10n.t('Runs the check again with the exact log(y)'),
		noteBookLog: l10n.t('The numerical gradient differentiates the book’s loss, {0}; backprop’s {1} is the derivative of {2}. That 1e-7 causes most of the difference.'),
		tryExactLog: l10n.t('Turn on the exact log to see it go.'),
		noteExactLog: l10n.t('The numerical gradient differentiates {0}, the loss backprop’s {1} is the derivative of. What remains is rounding in the central difference: it is largest, relative to the value, on tiny gradients, so the largest relative error stays above 1e-6 while the norm-relative error falls to rounding level.'),
		costHeading: l10n.t('The cost model'),
		costNumerical: l10n.t('Numerical gradient: about 2 × P = 2 × {0} = {1} loss evaluations, each a forward pass over the batch.'),
		costBackprop: l10n.t('Backprop: one forward and one backward pass.'),
		costWhy: l10n.t('Why: the central difference nudges one parameter at a time, so its cost grows with P; backprop gets every partial derivative at once by the chain rule.'),
		modePartial: l10n.t('Here each loss evaluation recomputes only the part of the forward pass that the nudged parameter can change (same loss values, bit for bit), so the measured ratio is smaller than the cost model.'),
		modeFull: l10n.t('Each loss evaluation is a whole forward pass, as in the book’s code.'),
		seconds: l10n.t('{0} s'),
		milliseconds: l10n.t('{0} ms'),
	};
}

export type GradStrings = ReturnType<typeof gradStrings>;
