/**
 * Time left, from the progress so far: iterations done per second since the first report, over what remains. The
 * book's code runs at about 1 ms per iteration with NumPy + OpenBLAS and 6–12 ms with a reference BLAS, and a full
 * evaluation costs seconds, so only a measurement tells which machine this is.
 */
export class Eta {
	private readonly done = new Map<string, number>();
	private start?: { at: number; done: number };

	constructor(
		readonly total: number,
		private readonly now: () => number = () => performance.now(),
	) {}

	/** Iterations done by run `key` so far. */
	update(key: string, iterations: number): void {
		this.done.set(key, Math.max(this.done.get(key) ?? 0, iterations));
		if (!this.start) this.start = { at: this.now(), done: this.doneTotal() };
	}

	/** A run that ended counts as complete (it may have stopped early). */
	finish(key: string, iterationsPerRun: number): void {
		this.done.set(key, iterationsPerRun);
	}

	doneTotal(): number {
		let s = 0;
		for (const v of this.done.values()) s += v;
		return Math.min(s, this.total);
	}

	fraction(): number {
		return this.total > 0 ? this.doneTotal() / this.total : 0;
	}

	/** Seconds left, or undefined until two seconds and 2% of the work have been seen (the first evaluation alone says little). */
	secondsLeft(): number | undefined {
		if (!this.start) return undefined;
		const elapsed = (this.now() - this.start.at) / 1000;
		const progressed = this.doneTotal() - this.start.done;
		if (elapsed < 2 || progressed <= 0 || progressed < 0.02 * this.total) return undefined;
		return (this.total - this.doneTotal()) / (progressed / elapsed);
	}
}

/** "1 min 20 s", "45 s". */
export function formatDuration(seconds: number): string {
	const s = Math.max(0, Math.round(seconds));
	if (s < 60) return `${s} s`;
	const m = Math.floor(s / 60);
	if (m < 60) return `${m} min ${s % 60} s`;
	return `${Math.floor(m / 60)} h ${m % 60} min`;
}
