/**
 * The reasons of src/core/reasons.ts in the display language: every sentence a literal here, its values filled in
 * after translation (paths, settings and what the system said stay as they are). The keys are the core's English
 * sentences with `{0}` for the values; a unit test keeps the two equal, so the CLI and the log say what the English UI
 * says. The host passes `vscode.l10n`; the text still goes through the notifications' link defusing (src/extension/notify.ts).
 */
import { count, dimsText, hex32, isReason, mb, type Reason, type ReasonCode } from '../../core/reasons';
import type { RunMessage } from '../protocol';
import { fill, type L10n } from './l10n';
import { panelStrings } from './panel';

export function reasonStrings(l10n: L10n) {
	return {
		file: {
			missing: l10n.t('{0}: does not exist'),
			folder: l10n.t('{0}: is a folder, not an idx file'),
			notRegular: l10n.t('{0}: is not a regular file'),
			tooBig: l10n.t('{0}: is {1} bytes, more than the {2} MB limit for an idx file'),
			permission: l10n.t('{0}: cannot be read (permission denied); check the file permissions'),
			linkLoop: l10n.t('{0}: is a symbolic link that cannot be resolved (a loop of symbolic links)'),
			linkNowhere: l10n.t('{0}: is a symbolic link that cannot be resolved (it points to something that does not exist)'),
			linkDangling: l10n.t('{0}: is a symbolic link that cannot be resolved (it points to {1}, which does not exist)'),
			unreadable: l10n.t('{0}: cannot be read ({1})'),
		},
		idx: {
			short: l10n.t('{0}: is truncated: {1} bytes, too short for an idx header'),
			magic: l10n.t('{0}: has the wrong magic number 0x{1}; an MNIST idx file starts with 0x00000803 (images) or 0x00000801 (labels)'),
			images: l10n.t('{0}: has magic number 0x{1} but should hold images (0x00000803)'),
			labels: l10n.t('{0}: has magic number 0x{1} but should hold labels (0x00000801)'),
			headerShort: l10n.t('{0}: is truncated: the header needs {1} bytes, the file has {2}'),
			empty: l10n.t('{0}: says it holds 0 items'),
			dimension: l10n.t('{0}: has an absurd dimension {1} (allowed 1 to {2})'),
			huge: l10n.t('{0}: has an absurd header: {1} would need {2} bytes, more than the {3} MB limit'),
			truncated: l10n.t('{0}: is truncated: the header ({1}) needs {2} bytes, the data has {3}'),
			extra: l10n.t('{0}: has {1} bytes more than its header ({2}) describes'),
		},
		gzip: {
			invalid: l10n.t('{0}: is not valid gzip data ({1})'),
			notGzip: l10n.t('{0}: is named .gz but is not gzip data (an HTML error page or an unfinished download?)'),
			bomb: l10n.t('{0}: decompresses to more than the {1} bytes its header implies'),
			truncated: l10n.t('{0}: is a truncated gzip stream (was the download interrupted?)'),
		},
		data: {
			imageDims: l10n.t('{0}: should be 3-dimensional (count, rows, cols) but has {1} dimensions'),
			labelDims: l10n.t('{0}: should be 1-dimensional but has {1} dimensions'),
			counts: l10n.t('{0}: holds {1} labels but {2} holds {3} images; the counts must match'),
			label: l10n.t('{0}: has label {1} at index {2}; labels must be 0 to {3}'),
			shapes: l10n.t('{0}: has {1}×{2} training images but {3}×{4} test images'),
		},
		folder: {
			missing: l10n.t('{0}: does not exist; give a folder that holds the four MNIST idx files'),
			isFile: l10n.t('{0}: is a file; give the folder that holds the four MNIST idx files'),
			unlistable: l10n.t('{0}: cannot be listed (permission denied)'),
			pklOnly: l10n.t('{0}: holds mnist.pkl but not the idx .gz files; Minibatch Lab reads the four idx files ({1}), which the book\'s dataset/mnist.py downloads next to mnist.pkl'),
			incomplete: l10n.t('{0}: is missing {1}; an MNIST folder needs all four idx files'),
			bundledMissing: l10n.t('{0}: is missing; run "npm run build" to copy the bundled MNIST, or pass --data DIR'),
		},
		memory: {
			short: l10n.t('{0}: needs about {1} of memory to decode ({2} + {3} images of {4}×{5}), but only {6} are free'),
		},
		settings: {
			/** {1}: one of the ranges below. */
			range: l10n.t('{0} must be {1}; got {2}.'),
			wholeRange: l10n.t('a whole number from {0} to {1}'),
			numberRange: l10n.t('a number from {0} to {1}'),
			wholeAbove: l10n.t('a whole number greater than {0} to {1}'),
			numberAbove: l10n.t('a number greater than {0} to {1}'),
			parallelRuns: l10n.t('{0} must be a whole number from 0 (one run per CPU core) to {1}; got {2}.'),
			trainSize: l10n.t('{0} is {1} but the dataset has only {2} training images.'),
			batchSize: l10n.t('{0} is {1} but training uses only {2} images; use a batch size from 1 to {2}.'),
			sampler: l10n.t('{0} has unknown sampler "{1}"; choose from {2}.'),
			noSampler: l10n.t('{0} is empty; choose one or more of {1}.'),
			/** {0}: the seed's setting, {2}: the seed count's. */
			seedOverflow: l10n.t('{0} {1} with {2} {3} would go past the largest seed, {4}; use a smaller {0}.'),
		},
		worker: {
			oom: l10n.t('the worker ran out of memory'),
			crashed: l10n.t('the worker crashed: {0}'),
			exited: l10n.t('the worker stopped unexpectedly (exit code {0})'),
			spawn: l10n.t('could not start a worker: {0}'),
			noData: l10n.t('the worker has no dataset (the host sent a run before the data)'),
			badMessage: l10n.t('a message from the worker could not be read'),
			stopped: l10n.t('the worker was stopped'),
			unsupported: l10n.t('this browser host cannot start workers'),
			unreadable: l10n.t('could not read {0} from the extension ({1})'),
		},
	};
}

type S = ReturnType<typeof reasonStrings>;
type Say = { [C in ReasonCode]: (S: S, r: Extract<Reason, { code: C }>) => string };

const list = (items: readonly string[]) => items.join(', ');

/** Which template each code takes and in what order its values fill it; exhaustive over the codes by its type. */
const SAY: Say = {
	'file.missing': (S, r) => fill(S.file.missing, r.file),
	'file.folder': (S, r) => fill(S.file.folder, r.file),
	'file.notRegular': (S, r) => fill(S.file.notRegular, r.file),
	'file.tooBig': (S, r) => fill(S.file.tooBig, r.file, count(r.size), r.limitMb),
	'file.permission': (S, r) => fill(S.file.permission, r.file),
	'file.brokenLink': (S, r) => (r.loop ? fill(S.file.linkLoop, r.file) : r.target === undefined ? fill(S.file.linkNowhere, r.file) : fill(S.file.linkDangling, r.file, r.target)),
	'file.unreadable': (S, r) => fill(S.file.unreadable, r.file, r.detail),
	'idx.short': (S, r) => fill(S.idx.short, r.file, r.bytes),
	'idx.magic': (S, r) => fill(S.idx.magic, r.file, hex32(r.magic)),
	'idx.kind': (S, r) => fill(r.want === 'images' ? S.idx.images : S.idx.labels, r.file, hex32(r.magic)),
	'idx.headerShort': (S, r) => fill(S.idx.headerShort, r.file, r.need, r.have),
	'idx.empty': (S, r) => fill(S.idx.empty, r.file),
	'idx.dimension': (S, r) => fill(S.idx.dimension, r.file, r.dim, r.max),
	'idx.huge': (S, r) => fill(S.idx.huge, r.file, dimsText(r.dims), count(r.bytes), r.limitMb),
	'idx.truncated': (S, r) => fill(S.idx.truncated, r.file, dimsText(r.dims), count(r.need), count(r.have)),
	'idx.extra': (S, r) => fill(S.idx.extra, r.file, count(r.extra), dimsText(r.dims)),
	'gzip.invalid': (S, r) => fill(S.gzip.invalid, r.file, r.detail),
	'gzip.notGzip': (S, r) => fill(S.gzip.notGzip, r.file),
	'gzip.bomb': (S, r) => fill(S.gzip.bomb, r.file, count(r.limit)),
	'gzip.truncated': (S, r) => fill(S.gzip.truncated, r.file),
	'data.imageDims': (S, r) => fill(S.data.imageDims, r.file, r.ndim),
	'data.labelDims': (S, r) => fill(S.data.labelDims, r.file, r.ndim),
	'data.counts': (S, r) => fill(S.data.counts, r.file, count(r.labels), r.imagesFile, count(r.images)),
	'data.label': (S, r) => fill(S.data.label, r.file, r.label, r.index, r.max),
	'data.shapes': (S, r) => fill(S.data.shapes, r.file, r.trainRows, r.trainCols, r.testRows, r.testCols),
	'folder.missing': (S, r) => fill(S.folder.missing, r.file),
	'folder.isFile': (S, r) => fill(S.folder.isFile, r.file),
	'folder.unlistable': (S, r) => fill(S.folder.unlistable, r.file),
	'folder.pklOnly': (S, r) => fill(S.folder.pklOnly, r.file, list(r.files)),
	'folder.incomplete': (S, r) => fill(S.folder.incomplete, r.file, list(r.missing)),
	'folder.bundledMissing': (S, r) => fill(S.folder.bundledMissing, r.file),
	'memory.short': (S, r) => fill(S.memory.short, r.file, mb(r.need), count(r.trainCount), count(r.testCount), r.rows, r.cols, mb(r.free)),
	'settings.range': (S, r) => {
		const range = r.integer ? (r.exclusiveMin ? S.settings.wholeAbove : S.settings.wholeRange) : r.exclusiveMin ? S.settings.numberAbove : S.settings.numberRange;
		return fill(S.settings.range, r.setting, fill(range, r.min, r.max), r.got);
	},
	'settings.parallelRuns': (S, r) => fill(S.settings.parallelRuns, r.setting, r.max, r.got),
	'settings.trainSize': (S, r) => fill(S.settings.trainSize, r.setting, r.trainSize, r.trainCount),
	'settings.batchSize': (S, r) => fill(S.settings.batchSize, r.setting, r.batchSize, r.n),
	'settings.sampler': (S, r) => fill(S.settings.sampler, r.setting, r.sampler, list(r.choices)),
	'settings.noSampler': (S, r) => fill(S.settings.noSampler, r.setting, list(r.choices)),
	'settings.seedOverflow': (S, r) => fill(S.settings.seedOverflow, r.seedSetting, r.seed, r.setting, r.count, r.maxSeed),
	'settings.text': (_S, r) => r.text,
	'worker.oom': (S) => S.worker.oom,
	'worker.crashed': (S, r) => fill(S.worker.crashed, r.detail),
	'worker.exited': (S, r) => fill(S.worker.exited, r.exitCode),
	'worker.spawn': (S, r) => fill(S.worker.spawn, r.detail),
	'worker.noData': (S) => S.worker.noData,
	'worker.badMessage': (S) => S.worker.badMessage,
	'worker.stopped': (S) => S.worker.stopped,
	'worker.unsupported': (S) => S.worker.unsupported,
	'worker.unreadable': (S, r) => fill(S.worker.unreadable, r.file, r.detail),
	text: (_S, r) => r.text,
};

/**
 * The panel form's fields are named by their English labels in the host's own check (src/extension/config.ts,
 * requestFromForm); in a message they take the label the form shows.
 */
function formNames(l10n: L10n): (setting: string) => string {
	const english = panelStrings({ t: (m) => m }).form;
	const local = panelStrings(l10n).form;
	const keys = ['iters', 'batchSize', 'lr', 'hidden', 'seed', 'seedCount', 'samplers'] as const;
	const map = new Map<string, string>(keys.map((k) => [english[k], local[k]]));
	return (setting) => map.get(setting) ?? setting;
}

/** The reason as a sentence in the display language. */
export function localizeReason(l10n: L10n, r: Reason): string {
	const S = reasonStrings(l10n);
	if ('setting' in r) {
		const name = formNames(l10n);
		const named = { ...r, setting: name(r.setting), ...(r.code === 'settings.seedOverflow' ? { seedSetting: name(r.seedSetting) } : {}) } as Reason;
		return (SAY[r.code] as (S: S, r: Reason) => string)(S, named);
	}
	return (SAY[r.code] as (S: S, r: Reason) => string)(S, r);
}

/** A run message as the page gets it: a failed run's reason in the display language (the history keeps it in English). */
export function localizeRunMessage(l10n: L10n, m: RunMessage): RunMessage {
	return m.type === 'runFailed' && isReason(m.cause) ? { ...m, reason: localizeReason(l10n, m.cause) } : m;
}
