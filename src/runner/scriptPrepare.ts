/**
 * From the script's text to what the runs need, before any process starts: the plan, the reference's settings (read from
 * the script, or given by the user for the ones it hides, never guessed) and one instrumented source per sampler.
 */
import type { SamplerId } from '../core/samplers';
import { checkValue } from '../core/settings';
import { instrument, type InstrumentFailure, type Instrumented } from '../python/instrument';
import { SCRIPT_SETTING_KEYS, planScript, type PlanProblem, type ScriptPlan, type ScriptSetting, type ScriptSettingKey } from '../python/scriptPlan';
import type { ScriptSettings } from './scriptSession';

export interface PrepareRequest {
	text: string;
	samplers: readonly SamplerId[];
	/** When the user picked the samplers, one that cannot be built is an error; by default it is left out with a note. */
	samplersExplicit: boolean;
	/** The iterations override: rewrites the script's own literal. */
	iters?: number;
	/** Values for the settings the script hides (ignored for the ones it gives). */
	given?: Partial<ScriptSettings>;
}

export type Prepared =
	| { ok: false; reason: 'problem'; problem: PlanProblem; plan: ScriptPlan }
	| { ok: false; reason: 'missing'; missing: ScriptSetting[]; plan: ScriptPlan }
	| { ok: false; reason: 'instrument'; failure: InstrumentFailure; sampler: SamplerId; plan: ScriptPlan }
	| {
			ok: true;
			plan: ScriptPlan;
			settings: ScriptSettings;
			/** Where each setting came from: the script, the user, or the override. */
			origin: Record<ScriptSettingKey, 'script' | 'given' | 'override'>;
			variants: Instrumented[];
			/** Samplers left out (not explicitly asked for) and why. */
			skipped: { sampler: SamplerId; failure: InstrumentFailure }[];
			/** Given values the script's own values made unnecessary. */
			ignoredGiven: ScriptSettingKey[];
	  };

const LIMIT_KEYS: Record<ScriptSettingKey, Parameters<typeof checkValue>[0]> = { iters: 'iters', batchSize: 'batchSize', lr: 'lr', hidden: 'hidden', trainSize: 'trainSize' };

export function prepareScript(req: PrepareRequest): Prepared {
	const plan = planScript(req.text);
	if (plan.problem) return { ok: false, reason: 'problem', problem: plan.problem, plan };
	const settings = {} as ScriptSettings;
	const origin = {} as Record<ScriptSettingKey, 'script' | 'given' | 'override'>;
	const missing: ScriptSetting[] = [];
	const ignoredGiven: ScriptSettingKey[] = [];
	for (const key of SCRIPT_SETTING_KEYS) {
		const s = plan.settings[key];
		const given = req.given?.[key];
		if (key === 'iters' && req.iters !== undefined) {
			settings.iters = req.iters;
			origin.iters = 'override';
		} else if (s.value !== undefined) {
			settings[key] = s.value;
			origin[key] = 'script';
			if (given !== undefined) ignoredGiven.push(key);
		} else if (given !== undefined) {
			settings[key] = given;
			origin[key] = 'given';
		} else missing.push(s);
	}
	if (missing.length > 0) return { ok: false, reason: 'missing', missing, plan };
	// The script's own values go through the same limits as the flags and settings (a SettingsError names the variable).
	for (const key of SCRIPT_SETTING_KEYS) {
		const s = plan.settings[key];
		const name = origin[key] === 'script' && s.name ? `${s.name} (line ${(s.line ?? 0) + 1})` : key;
		checkValue(LIMIT_KEYS[key], settings[key], name);
	}
	const variants: Instrumented[] = [];
	const skipped: { sampler: SamplerId; failure: InstrumentFailure }[] = [];
	for (const sampler of req.samplers) {
		const v = instrument(plan, sampler, req.iters);
		if (typeof v !== 'string') variants.push(v);
		else if (v === 'itersOverride' || req.samplersExplicit) return { ok: false, reason: 'instrument', failure: v, sampler, plan };
		else skipped.push({ sampler, failure: v });
	}
	if (variants.length === 0) return { ok: false, reason: 'instrument', failure: skipped[0]?.failure ?? 'noRewrite', sampler: req.samplers[0], plan };
	return { ok: true, plan, settings, origin, variants, skipped, ignoredGiven };
}

/** The training loop is not nested in an epoch loop: then its own length is the iteration count, and the override applies. */
export function isSingleLoop(plan: ScriptPlan): boolean {
	return plan.itersTarget !== undefined;
}
