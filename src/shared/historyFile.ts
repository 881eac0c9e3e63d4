/**
 * The saved last run (`last-run.json`): the message stream with a format version, so the fold never has to guess what an
 * old file meant. Pure, so the Node host and a web host read and write it the same way.
 */
import type { RunMessage } from './protocol';

export const HISTORY_FORMAT = 'minibatch-lab-history';
/**
 * 3: the run says how many iterations each loss point covers (`lossStride`), and each run's losses are one message.
 * 2: `{format, version, messages}`, every run message carries its seed and the run its seeds; a loss per iteration.
 * 1 (no version): a bare array of messages; the oldest of them have no seeds at all (one seed, `settings.seed`).
 */
export const HISTORY_VERSION = 3;

export function historyFileText(messages: readonly RunMessage[]): string {
	return JSON.stringify({ format: HISTORY_FORMAT, version: HISTORY_VERSION, messages });
}

/** The messages, with a note when an older file was migrated; or why the file was ignored. */
export type HistoryRead = { messages: RunMessage[]; migrated?: string } | { ignored: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMessageList = (v: unknown): v is Record<string, unknown>[] => Array.isArray(v) && v.every((m) => isObj(m) && typeof m.type === 'string');

export function readHistoryFile(text: string): HistoryRead {
	let doc: unknown;
	try {
		doc = JSON.parse(text);
	} catch (e) {
		return { ignored: `it is not JSON (${(e as Error).message})` };
	}
	if (Array.isArray(doc)) return migrateV1(doc);
	if (!isObj(doc) || doc.format !== HISTORY_FORMAT) return { ignored: 'it is not a Minibatch Lab history' };
	if (doc.version === 2) return migrateV2(doc.messages);
	if (doc.version !== HISTORY_VERSION) {
		return { ignored: typeof doc.version === 'number' && doc.version > HISTORY_VERSION ? `a newer version of the extension wrote it (format ${doc.version})` : `its format version ${JSON.stringify(doc.version)} is unknown` };
	}
	if (!isMessageList(doc.messages)) return { ignored: 'its messages are not a list of messages' };
	const start = doc.messages[0];
	if (doc.messages.length > 0 && !(start?.type === 'runStarted' && isObj(start.run) && Array.isArray(start.run.seeds) && isStride(start.run.lossStride))) return { ignored: 'it does not start with a run' };
	return { messages: doc.messages as unknown as RunMessage[] };
}

const isStride = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/** Format 2 kept a loss per iteration: stride 1. */
function migrateV2(list: unknown): HistoryRead {
	if (!isMessageList(list)) return { ignored: 'its messages are not a list of messages' };
	const start = list[0];
	if (list.length > 0 && !(start?.type === 'runStarted' && isObj(start.run) && Array.isArray(start.run.seeds))) return { ignored: 'it does not start with a run' };
	const messages = list.map((m, i) => (i === 0 ? { ...m, run: { ...(m.run as object), lossStride: 1 } } : m));
	return { messages: messages as unknown as RunMessage[], migrated: 'a history from an older version (format 2), migrated to format 3' };
}

/** A bare array: the seeds the old format left implicit are written out. */
function migrateV1(list: unknown[]): HistoryRead {
	if (!isMessageList(list)) return { ignored: 'its messages are not a list of messages' };
	if (list.length === 0) return { messages: [], migrated: 'an empty history from an older version' };
	const start = list[0];
	const run = start.type === 'runStarted' && isObj(start.run) ? start.run : undefined;
	const settings = run && isObj(run.settings) ? run.settings : undefined;
	if (!run || !settings || typeof settings.seed !== 'number' || !Array.isArray(run.samplers)) return { ignored: 'it does not start with a run' };
	const seeds = Array.isArray(run.seeds) && run.seeds.length > 0 ? (run.seeds as number[]) : [settings.seed];
	const messages = list.map((m, i) => {
		if (i === 0) return { ...m, run: { ...run, seeds, lossStride: 1 } };
		if (typeof m.seed === 'number' || !['eval', 'loss', 'runDone', 'runFailed'].includes(m.type as string)) return m;
		const summarySeed = isObj(m.summary) && typeof m.summary.seed === 'number' ? m.summary.seed : undefined;
		return { ...m, seed: m.type === 'runDone' ? (summarySeed ?? seeds[0]) : seeds[0] };
	});
	return { messages: messages as unknown as RunMessage[], migrated: 'a history from an older version (format 1), migrated to format 3' };
}
