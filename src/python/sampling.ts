/** Figures for `np.random.choice(N, B)` (with replacement). */

/** Above this batch size the exact product is replaced by its standard approximation (hovers must stay fast). */
const EXACT_LIMIT = 200_000;

/**
 * Chance that B independent draws from N contain at least one repeat: 1 − ∏_{k<B} (1 − k/N), the birthday problem.
 * Undefined when N or B is not a usable count.
 */
export function duplicateChance(n: number, b: number): number | undefined {
	if (!Number.isInteger(n) || !Number.isInteger(b) || n < 1 || b < 0) return undefined;
	if (b > n) return 1;
	if (b <= EXACT_LIMIT) {
		let logP = 0;
		for (let k = 1; k < b; k++) {
			logP += Math.log1p(-k / n);
			// e^-50 is 0 to double precision: the answer is already 1.
			if (logP < -50) return 1;
		}
		return -Math.expm1(logP);
	}
	return -Math.expm1(-(b * (b - 1)) / (2 * n));
}

/** Expected fraction of N items drawn at least once in `draws` independent draws: 1 − (1 − 1/N)^draws. */
export function seenFraction(n: number, draws: number): number | undefined {
	if (!Number.isInteger(n) || n < 1 || !(draws >= 0) || !Number.isFinite(draws)) return undefined;
	if (n === 1) return draws >= 1 ? 1 : 0;
	return -Math.expm1(draws * Math.log1p(-1 / n));
}
