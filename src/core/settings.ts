import { SettingsError } from './errors';
import { rangeText } from './reasons';
import { SAMPLER_IDS, isSamplerId, type SamplerId } from './samplers';

/** One training run's knobs, named after the book's variables where it has them. */
export interface TrainSettings {
	/** `iters_num` */
	iters: number;
	/** `batch_size` */
	batchSize: number;
	/** `learning_rate` */
	lr: number;
	/** `hidden_size` */
	hidden: number;
	/** `train_size` as a subset of the training images; undefined means all of them. */
	trainSize?: number;
	/** `np.random.seed(seed)`; every sampler starts from the weights this seed draws. */
	seed: number;
}

export const BOOK_DEFAULTS: Readonly<TrainSettings> = { iters: 10000, batchSize: 100, lr: 0.1, hidden: 50, seed: 0 };
export const DEFAULT_SAMPLERS: readonly SamplerId[] = ['replacement', 'epoch-shuffle'];

/** Allowed ranges, shared by the CLI flags, the VS Code settings and the panel's form. */
export const LIMITS = {
	iters: { min: 1, max: 1_000_000, integer: true },
	batchSize: { min: 1, max: 60_000, integer: true },
	lr: { min: 0, max: 1000, integer: false, exclusiveMin: true },
	hidden: { min: 1, max: 4096, integer: true },
	trainSize: { min: 1, max: 60_000_000, integer: true },
	seed: { min: 0, max: 4294967295, integer: true },
} as const;

type Limited = keyof typeof LIMITS;

/** What a key's range allows, as data (the form and the messages build their sentence from it). */
export function rangeOf(key: Limited): { integer: boolean; exclusiveMin: boolean; min: number; max: number } {
	const l = LIMITS[key];
	return { integer: l.integer, exclusiveMin: 'exclusiveMin' in l && l.exclusiveMin, min: l.min, max: l.max };
}

export function describeRange(key: Limited): string {
	return rangeText(rangeOf(key));
}

/** The rejected value as the user would recognise it: JSON turns NaN and Infinity into null and throws on bigint. */
function showValue(value: unknown): string {
	if (typeof value === 'function') return 'a function';
	if (typeof value !== 'object' && typeof value !== 'string') return String(value);
	let text: string;
	try {
		text = JSON.stringify(value) ?? String(value);
	} catch {
		text = Object.prototype.toString.call(value);
	}
	return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Throws a SettingsError naming the setting (with `names[key]` when the caller spells it differently) and its allowed range. */
export function checkValue(key: Limited, value: unknown, name: string = key, shown?: string): number {
	const l = LIMITS[key];
	const exclusive = 'exclusiveMin' in l && l.exclusiveMin;
	const ok =
		typeof value === 'number' &&
		Number.isFinite(value) &&
		(!l.integer || Number.isInteger(value)) &&
		(exclusive ? value > l.min : value >= l.min) &&
		value <= l.max;
	if (!ok) throw new SettingsError(name, { code: 'settings.range', ...rangeOf(key), got: shown ?? showValue(value) });
	return value as number;
}

/**
 * Validates a whole settings object. `trainCount` is the dataset's training size when known, so a batch
 * larger than the training set is refused before any worker starts.
 */
export function validateSettings(s: Partial<TrainSettings>, names: Partial<Record<Limited, string>> = {}, trainCount?: number): TrainSettings {
	const out: TrainSettings = {
		iters: checkValue('iters', s.iters, names.iters),
		batchSize: checkValue('batchSize', s.batchSize, names.batchSize),
		lr: checkValue('lr', s.lr, names.lr),
		hidden: checkValue('hidden', s.hidden, names.hidden),
		seed: checkValue('seed', s.seed, names.seed),
	};
	if (s.trainSize !== undefined) out.trainSize = checkValue('trainSize', s.trainSize, names.trainSize);
	if (trainCount !== undefined) {
		const n = Math.min(out.trainSize ?? trainCount, trainCount);
		if (out.trainSize !== undefined && out.trainSize > trainCount) {
			const name = names.trainSize ?? 'trainSize';
			throw new SettingsError(name, { code: 'settings.trainSize', trainSize: out.trainSize, trainCount });
		}
		if (out.batchSize > n) {
			const name = names.batchSize ?? 'batchSize';
			throw new SettingsError(name, { code: 'settings.batchSize', batchSize: out.batchSize, n });
		}
	}
	return out;
}

export function parseSamplers(list: readonly string[], name = 'samplers'): SamplerId[] {
	const out: SamplerId[] = [];
	for (const raw of list) {
		const id = raw.trim();
		if (!isSamplerId(id)) throw new SettingsError(name, { code: 'settings.sampler', sampler: id, choices: [...SAMPLER_IDS] });
		if (!out.includes(id)) out.push(id);
	}
	if (out.length === 0) throw new SettingsError(name, { code: 'settings.noSampler', choices: [...SAMPLER_IDS] });
	return out;
}

/** `iter_per_epoch = max(train_size / batch_size, 1)`, a float as in the book. */
export function iterPerEpoch(trainSize: number, batchSize: number): number {
	return Math.max(trainSize / batchSize, 1);
}
