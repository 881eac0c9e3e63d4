import { Eta, formatDuration } from '../runner/eta';
import type { ScriptRunEvent } from '../runner/scriptRuns';

/** Progress of the script's runs on stderr: one live line on a terminal, a line per evaluation otherwise. */
export class ScriptProgress {
	private readonly eta: Eta;
	private readonly lines = new Map<string, string>();

	constructor(
		private readonly iters: number,
		runs: number,
	) {
		this.eta = new Eta(iters * runs);
	}

	onScript(who: string, e: ScriptRunEvent): void {
		switch (e.type) {
			case 'progress':
				this.eta.update(who, e.iter);
				this.show(who, `${who}: ${Math.floor((100 * e.iter) / this.iters)}%`, false);
				break;
			case 'eval': {
				const f = (x: number | null) => (x === null ? '—' : x.toFixed(4));
				this.show(who, `${who}: iteration ${e.point.iter}  train ${f(e.point.trainAcc)}  test ${f(e.point.testAcc)}`, true);
				break;
			}
			case 'finished':
				this.eta.finish(who, this.iters);
				this.lines.delete(who);
				break;
			default:
				break;
		}
	}

	private show(who: string, text: string, force: boolean): void {
		const left = this.eta.secondsLeft();
		const suffix = left === undefined ? '' : ` (about ${formatDuration(left)} left)`;
		this.lines.set(who, text);
		if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${[...this.lines.values()].join(' | ')}${suffix}`);
		else if (force) process.stderr.write(`${text}${suffix}\n`);
	}

	end(): void {
		if (process.stderr.isTTY) process.stderr.write('\n');
	}
}
