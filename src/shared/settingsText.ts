/** The run's settings in one line, as the panel's header and the Markdown export show them. Pure. */
import type { RunInfo } from './protocol';
import { fill } from './strings/l10n';
import type { PanelStrings } from './strings/panel';

type RunStrings = PanelStrings['run'];

/** "seed 0", or "seeds 0–4" for consecutive seeds (what the controller runs), else the list. */
export function describeSeeds(seeds: readonly number[], S: RunStrings): string {
	if (seeds.length === 1) return fill(S.seed, seeds[0]);
	const consecutive = seeds.every((s, i) => i === 0 || s === seeds[i - 1] + 1);
	return consecutive ? fill(S.seedRange, seeds[0], seeds[seeds.length - 1]) : fill(S.seedList, seeds.join(', '));
}

/** The network, the settings and the data, on one line. */
export function settingsLine(run: RunInfo, S: RunStrings): string {
	const s = run.settings;
	const parts = [`TwoLayerNet 784-${s.hidden}-10`, fill(S.iterations, s.iters), fill(S.batch, s.batchSize), fill(S.lr, s.lr), describeSeeds(run.seeds, S)];
	if (s.trainSize !== undefined) parts.push(fill(S.trainSize, s.trainSize));
	parts.push(run.dataset);
	return parts.join(' · ');
}
