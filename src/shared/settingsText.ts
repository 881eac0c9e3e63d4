/** The run's settings in one line, as the panel's header and the Markdown export show them. Pure. */
import type { RunInfo } from './protocol';

/** "seed 0", or "seeds 0–4" for consecutive seeds (what the controller runs), else the list. */
export function describeSeeds(seeds: readonly number[]): string {
	if (seeds.length === 1) return `seed ${seeds[0]}`;
	const consecutive = seeds.every((s, i) => i === 0 || s === seeds[i - 1] + 1);
	return consecutive ? `seeds ${seeds[0]}–${seeds[seeds.length - 1]}` : `seeds ${seeds.join(', ')}`;
}

/** The network, the settings and the data, on one line. */
export function settingsLine(run: RunInfo): string {
	const s = run.settings;
	const parts = [`TwoLayerNet 784-${s.hidden}-10`, `${s.iters} iterations`, `batch ${s.batchSize}`, `lr ${s.lr}`, describeSeeds(run.seeds)];
	if (s.trainSize !== undefined) parts.push(`${s.trainSize} training images`);
	parts.push(run.dataset);
	return parts.join(' · ');
}
