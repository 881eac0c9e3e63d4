/** A script run's verdict, mismatches and error as sentences, from the strings table (any language, any host). */
import type { ReferenceCheck, ScriptError, SettingMismatch } from '../core/scriptCheck';
import { fill } from './strings/l10n';
import type { ScriptStrings } from './strings/script';

const acc = (x: number | null) => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(4));

/** The verdict, then (when it differs) a hint at the usual causes. */
export function verdictText(check: ReferenceCheck, S: ScriptStrings): { verdict: string; hint?: string } {
	const V = S.verdict;
	if (check.compared === 0) return { verdict: V.none };
	if (check.identical) return { verdict: check.compared === 1 ? V.identicalOne : fill(V.identicalAll, check.compared) };
	if (check.match) {
		const gap = check.largestGap ?? { gap: 0, iter: 0 };
		return { verdict: fill(V.within, check.compared, gap.gap.toExponential(1), gap.iter) };
	}
	const d = check.firstDifference;
	if (!d) return { verdict: V.none };
	return {
		verdict: fill(V.differs, d.iter, acc(d.trainAcc), acc(d.testAcc), acc(d.referenceTrainAcc), acc(d.referenceTestAcc)),
		hint: d.iter <= 0 ? V.hintFirst : V.hintLater,
	};
}

export function mismatchText(m: SettingMismatch, S: ScriptStrings): string {
	return fill(S.mismatch, S.settings[m.key], m.script, m.reference);
}

/** "ZeroDivisionError: division by zero (two_layer_net.py, line 12)"; a sentence of ours (no Python type) as it is. */
export function errorText(e: ScriptError, S: ScriptStrings): string {
	if (['NoEvaluation', 'PythonStopped', 'PythonNotStarted', 'SystemExit'].includes(e.type)) return e.message;
	const file = e.file.split(/[\\/]/).pop() ?? e.file;
	const head = e.message ? `${e.type}: ${e.message}` : e.type;
	const hint = e.type === 'ModuleNotFoundError' || e.type === 'ImportError' ? ` ${S.error.missingModule}` : e.type === 'EOFError' ? ` ${S.error.input}` : '';
	return (e.line === null ? head : fill(S.error.at, head, file, e.line)) + hint;
}
