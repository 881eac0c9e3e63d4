import * as vscode from 'vscode';
import { withProgress } from '../notify';
import { Eta } from '../../runner/eta';
import type { ScriptRunEvent } from '../../runner/scriptRuns';
import type { ScriptSession } from '../../runner/scriptSession';

const t = vscode.l10n.t;

/** Reports at most this often: every report crosses to the editor's UI. */
const REPORT_EVERY_MS = 500;

/** "1 min 20 s" in the display language. */
export function duration(seconds: number): string {
	const s = Math.max(0, Math.round(seconds));
	if (s < 60) return t('{0} s', s);
	const m = Math.floor(s / 60);
	if (m < 60) return t('{0} min {1} s', m, s % 60);
	return t('{0} h {1} min', Math.floor(m / 60), m % 60);
}

/** The notification with the percentage, the time left and Cancel; each evaluation also goes to the log. */
export class ScriptProgressReporter {
	private readonly eta: Eta;
	private report?: (message: string, fraction: number) => void;
	private reportedAt = 0;
	private started = false;

	constructor(
		private readonly file: string,
		private readonly iters: number,
		runs: number,
		private readonly log: vscode.LogOutputChannel,
	) {
		this.eta = new Eta(iters * runs);
	}

	onScript(who: string, e: ScriptRunEvent): void {
		switch (e.type) {
			case 'loop':
				this.started = true;
				break;
			case 'progress':
				this.eta.update(who, e.iter);
				this.update(false);
				break;
			case 'eval': {
				const f = (x: number | null) => (x === null ? '—' : String(x));
				this.log.info(`${who}: iteration ${e.point.iter}: train ${f(e.point.trainAcc)}, test ${f(e.point.testAcc)}`);
				break;
			}
			case 'finished':
				this.eta.finish(who, this.iters);
				this.update(true);
				break;
			default:
				break;
		}
	}

	private update(force: boolean): void {
		const now = performance.now();
		if (!this.report || (!force && now - this.reportedAt < REPORT_EVERY_MS)) return;
		this.reportedAt = now;
		const pct = Math.floor(100 * this.eta.fraction());
		const left = this.eta.secondsLeft();
		const message = !this.started
			? t('{0}: starting Python and loading the data…', this.file)
			: left === undefined
				? t('{0}: {1}%', this.file, pct)
				: t('{0}: {1}% · about {2} left', this.file, pct, duration(left));
		this.report(message, this.eta.fraction());
	}

	/** Runs `work` under a cancellable notification; Cancel cancels the session (its processes are killed). */
	track<T>(session: ScriptSession, work: () => Promise<T>): Thenable<T> {
		return withProgress({ location: vscode.ProgressLocation.Notification, title: t('Minibatch Lab'), cancellable: true }, async (progress, token) => {
			token.onCancellationRequested(() => {
				this.log.info(`${this.file}: cancelled; stopping every Python process.`);
				session.cancel();
			});
			let shown = 0;
			this.report = (message, fraction) => {
				const pct = 100 * fraction;
				progress.report({ message, increment: Math.max(0, pct - shown) });
				shown = Math.max(shown, pct);
			};
			this.report(t('{0}: starting Python and loading the data…', this.file), 0);
			try {
				return await work();
			} finally {
				this.report = undefined;
			}
		});
	}
}
