/** What a finished script comparison tells: every run's verdict in the log, and one notification for the whole. */
import * as vscode from 'vscode';
import { showError, showInfo, showWarning } from '../notify';
import type { ScriptSettingKey } from '../../python/scriptPlan';
import type { PythonInfo } from '../../runner/pythonProbe';
import type { ScriptRunResult, ScriptSettings } from '../../runner/scriptSession';
import { runLabel } from '../../runner/scriptText';
import { errorText, mismatchText, verdictText } from '../../shared/scriptVerdict';
import { scriptStrings } from '../../shared/strings/script';
import { openAt } from './openAt';

const t = vscode.l10n.t;
const strings = () => scriptStrings(vscode.l10n);

export interface ScriptSummary {
	path: string;
	file: string;
	python: PythonInfo;
	settings: ScriptSettings;
	origin: Record<ScriptSettingKey, 'script' | 'given' | 'override'>;
	seeds: number[];
	results: ScriptRunResult[];
	cancelled: boolean;
}

/** Logs every run and shows the outcome; returns the summary unchanged. */
export function reportResults(s: ScriptSummary, log: vscode.LogOutputChannel): ScriptSummary {
	const S = strings();
	const who = (r: ScriptRunResult) => t('{0}, seed {1}', runLabel(r.sampler, t), r.seed);
	for (const r of s.results) {
		const v = verdictText(r.reference, S);
		log.info(`${who(r)}: ${r.cancelled ? 'cancelled' : v.verdict}${v.hint ? ` ${v.hint}` : ''} (${r.seconds.toFixed(1)} s)`);
		for (const m of r.mismatches) log.warn(`${who(r)}: ${mismatchText(m, S)}`);
		if (r.referenceFailure) log.error(`${who(r)}: the reference failed: ${r.referenceFailure}`);
		if (r.error) {
			log.error(`${who(r)}: ${errorText(r.error, S)}`);
			if (r.error.trace) log.error(r.error.trace.trimEnd());
			else if (r.output.trim()) log.info(`The script's last output:\n${r.output.trimEnd().split('\n').slice(-20).join('\n')}`);
		}
	}
	const showLog = t('Show Log');
	const onPick = (pick: string | undefined) => pick === showLog && log.show();
	if (s.cancelled) {
		void showInfo(t('Comparing samplers on {0} was cancelled; no Python process is left running.', s.file), showLog).then(onPick);
		return s;
	}
	const failed = s.results.filter((r) => r.error);
	if (failed.length > 0) {
		const r = failed[0];
		const e = r.error as NonNullable<ScriptRunResult['error']>;
		// The exception's message is the script's own text: notify.ts shows it as text, never as a link.
		const where = t('{0}: {1}', who(r), errorText(e, S));
		const more = failed.length > 1 ? ` ${t('({0} runs failed in all; see the log.)', failed.length)}` : '';
		const go = t('Go to Line');
		void showError(where + more, ...(e.line !== null ? [go] : []), showLog).then((pick) => {
			if (pick === go && e.line !== null) void openAt(e.file, e.line);
			else onPick(pick);
		});
	}
	const ran = s.results.filter((r) => !r.cancelled && r.reference.compared > 0);
	const differ = ran.filter((r) => !r.reference.match);
	if (differ.length > 0) {
		const r = differ[0];
		void showWarning(t('{0}: {1} of {2} runs differ from the reference. {3}: {4}.', s.file, differ.length, ran.length, who(r), verdictText(r.reference, S).verdict), showLog).then(onPick);
	} else if (ran.length > 0 && failed.length === 0) {
		const identical = ran.filter((r) => r.reference.identical).length;
		void showInfo(t('{0}: every run matches the reference ({1} identical, {2} within rounding).', s.file, identical, ran.length - identical), showLog).then(onPick);
	}
	return s;
}
