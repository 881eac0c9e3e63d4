import * as vscode from 'vscode';
import { SettingsError } from '../core/errors';
import { LIMITS, parseSamplers, validateSettings, type TrainSettings } from '../core/settings';
import type { SamplerId } from '../core/samplers';
import { DEFAULT_SEED_COUNT, SEED_COUNT_LIMITS } from '../core/stats';
import type { FormValues } from '../shared/protocol';

export const SECTION = 'minibatchLab';

/** The VS Code setting behind each TrainSettings key, so every message names what the user can change. */
export const SETTING_NAMES = {
	iters: `${SECTION}.iterations`,
	batchSize: `${SECTION}.batchSize`,
	lr: `${SECTION}.learningRate`,
	hidden: `${SECTION}.hiddenSize`,
	seed: `${SECTION}.seed`,
	trainSize: `${SECTION}.trainSize`,
} as const;

export const SEED_COUNT_SETTING = `${SECTION}.seedCount`;

export interface RunRequest {
	settings: TrainSettings;
	/** Seeds settings.seed … settings.seed + seedCount − 1. */
	seedCount: number;
	samplers: SamplerId[];
	/** An explicit dataset folder (from the panel form); undefined means discovery. */
	dataset?: string;
	/** Runs at once; undefined means one per core. */
	parallel?: number;
}

export const PARALLEL_RUNS_SETTING = `${SECTION}.parallelRuns`;
const PARALLEL_RUNS_MAX = 64;

/** 0 (one run per core) or a whole number of runs at once. */
export function checkParallelRuns(value: unknown): number | undefined {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > PARALLEL_RUNS_MAX) {
		throw new SettingsError(PARALLEL_RUNS_SETTING, { code: 'settings.parallelRuns', max: PARALLEL_RUNS_MAX, got: JSON.stringify(value) ?? String(value) });
	}
	return value === 0 ? undefined : value;
}

/** Reads and validates the settings; throws a SettingsError naming the setting and its range. */
export function readRunRequest(): RunRequest {
	const c = vscode.workspace.getConfiguration(SECTION);
	const trainSize = c.get<unknown>('trainSize', 0);
	const settings = validateSettings(
		{
			iters: c.get<number>('iterations'),
			batchSize: c.get<number>('batchSize'),
			lr: c.get<number>('learningRate'),
			hidden: c.get<number>('hiddenSize'),
			seed: c.get<number>('seed'),
			trainSize: trainSize === 0 ? undefined : (trainSize as number),
		},
		SETTING_NAMES,
	);
	const samplers = c.get<unknown>('samplers');
	return {
		settings,
		seedCount: checkSeedCount(c.get<unknown>('seedCount', DEFAULT_SEED_COUNT), settings.seed, SEED_COUNT_SETTING, SETTING_NAMES.seed),
		samplers: parseSamplers(Array.isArray(samplers) ? samplers.map(String) : [String(samplers)], `${SECTION}.samplers`),
		parallel: checkParallelRuns(c.get<unknown>('parallelRuns', 0)),
	};
}

/** A whole number of seeds whose last one still fits the seed range (the seeds are consecutive). */
export function checkSeedCount(value: unknown, seed: number, name: string, seedName: string): number {
	const { min, max } = SEED_COUNT_LIMITS;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		throw new SettingsError(name, { code: 'settings.range', integer: true, exclusiveMin: false, min, max, got: JSON.stringify(value) ?? String(value) });
	}
	if (seed + value - 1 > LIMITS.seed.max) {
		throw new SettingsError(name, { code: 'settings.seedOverflow', seedSetting: seedName, seed, count: value, maxSeed: LIMITS.seed.max });
	}
	return value;
}

/** The panel form's values, validated the same way (the form checks first; this is the host's own check). */
export function requestFromForm(v: FormValues, base: RunRequest): RunRequest {
	const names = { iters: 'Iterations', batchSize: 'Batch size', lr: 'Learning rate', hidden: 'Hidden size', seed: 'Seed', trainSize: 'Train size' };
	const settings = validateSettings({ ...base.settings, iters: v.iters, batchSize: v.batchSize, lr: v.lr, hidden: v.hidden, seed: v.seed }, names);
	return {
		settings,
		seedCount: checkSeedCount(v.seedCount, settings.seed, 'Seeds', names.seed),
		samplers: parseSamplers(v.samplers, 'Samplers'),
		dataset: v.dataset.trim() === '' ? undefined : v.dataset.trim(),
		parallel: base.parallel,
	};
}

export function formValues(r: RunRequest): FormValues {
	const { iters, batchSize, lr, hidden, seed } = r.settings;
	return { iters, batchSize, lr, hidden, seed, seedCount: r.seedCount, samplers: r.samplers, dataset: r.dataset ?? '' };
}
