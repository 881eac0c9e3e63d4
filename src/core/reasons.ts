/**
 * Why something could not be done, as data: a code and the values its sentence needs. `reasonText` gives the English
 * sentence (the CLI and the log); the extension translates the code (src/shared/strings/reasons.ts), so the values
 * from outside (paths, settings, what the system said) go into the sentence of the display language. Plain objects:
 * they cross postMessage to and from the workers and are kept in the run history.
 */

/** What is wrong with one dataset file or folder; `file` names it. */
export type DatasetProblem =
	| { code: 'file.missing' }
	| { code: 'file.folder' }
	| { code: 'file.notRegular' }
	| { code: 'file.tooBig'; size: number; limitMb: number }
	| { code: 'file.permission' }
	/** A symbolic link that leads nowhere: a loop of links, or a link to nothing (`target`: where, when the host can tell). */
	| { code: 'file.brokenLink'; loop: boolean; target?: string }
	/** `detail`: what the host said (an errno code, a FileSystemError's code). */
	| { code: 'file.unreadable'; detail: string }
	| { code: 'idx.short'; bytes: number }
	| { code: 'idx.magic'; magic: number }
	| { code: 'idx.kind'; magic: number; want: 'images' | 'labels' }
	| { code: 'idx.headerShort'; need: number; have: number }
	| { code: 'idx.empty' }
	| { code: 'idx.dimension'; dim: number; max: number }
	| { code: 'idx.huge'; dims: number[]; bytes: number; limitMb: number }
	| { code: 'idx.truncated'; dims: number[]; need: number; have: number }
	| { code: 'idx.extra'; dims: number[]; extra: number }
	/** `detail`: the decompressor's own words. */
	| { code: 'gzip.invalid'; detail: string }
	| { code: 'gzip.notGzip' }
	| { code: 'gzip.bomb'; limit: number }
	| { code: 'gzip.truncated' }
	| { code: 'data.imageDims'; ndim: number }
	| { code: 'data.labelDims'; ndim: number }
	| { code: 'data.counts'; labels: number; imagesFile: string; images: number }
	| { code: 'data.label'; label: number; index: number; max: number }
	| { code: 'data.shapes'; trainRows: number; trainCols: number; testRows: number; testCols: number }
	| { code: 'folder.missing' }
	| { code: 'folder.isFile' }
	| { code: 'folder.unlistable' }
	| { code: 'folder.pklOnly'; files: string[] }
	| { code: 'folder.incomplete'; missing: string[] }
	| { code: 'folder.bundledMissing' }
	| { code: 'memory.short'; need: number; free: number; trainCount: number; testCount: number; rows: number; cols: number };

/** What is wrong with one setting, flag or form field; `setting` is its name as the user knows it. */
export type SettingsProblem =
	| { code: 'settings.range'; integer: boolean; exclusiveMin: boolean; min: number; max: number; got: string }
	| { code: 'settings.parallelRuns'; max: number; got: string }
	| { code: 'settings.trainSize'; trainSize: number; trainCount: number }
	| { code: 'settings.batchSize'; batchSize: number; n: number }
	| { code: 'settings.sampler'; sampler: string; choices: string[] }
	| { code: 'settings.noSampler'; choices: string[] }
	| { code: 'settings.seedOverflow'; seedSetting: string; seed: number; count: number; maxSeed: number }
	/** A sentence of the CLI's own (its flags never reach the extension). */
	| { code: 'settings.text'; text: string };

/** Why a run, or the worker training it, failed. */
export type RunProblem =
	| { code: 'worker.oom' }
	/** `detail`: the error Node reported. */
	| { code: 'worker.crashed'; detail: string }
	| { code: 'worker.exited'; exitCode: number }
	| { code: 'worker.spawn'; detail: string }
	| { code: 'worker.noData' }
	/** A browser's Web Workers: a message that could not be read, a worker stopped, none at all, or a script not read. */
	| { code: 'worker.badMessage' }
	| { code: 'worker.stopped' }
	| { code: 'worker.unsupported' }
	| { code: 'worker.unreadable'; file: string; detail: string }
	/** Any other error, by its own message: nothing to translate. */
	| { code: 'text'; text: string };

export type DatasetReason = DatasetProblem & { file: string };
export type SettingsReason = SettingsProblem & { setting: string };
export type Reason = DatasetReason | SettingsReason | RunProblem;
export type ReasonCode = Reason['code'];

/** The reason for a link that leads nowhere, from what FileAccessError says of it (nothing: a loop, as ELOOP is the usual case). */
export function brokenLink(link: { loop: boolean; target?: string } | undefined): { code: 'file.brokenLink'; loop: boolean; target?: string } {
	if (!link || link.loop) return { code: 'file.brokenLink', loop: true };
	return link.target === undefined ? { code: 'file.brokenLink', loop: false } : { code: 'file.brokenLink', loop: false, target: link.target };
}

/** Numbers in sentences: grouped as the CLI and the log always showed them (1,000,000). */
export const count = (n: number): string => n.toLocaleString('en-US');
export const hex32 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
export const mb = (bytes: number): string => `${count(Math.ceil(bytes / 2 ** 20))} MB`;
export const dimsText = (dims: readonly number[]): string => dims.join(' × ');
/** "a whole number from 1 to 60000", "a number greater than 0 to 1000" (the words the CLI and the log have always used) */
export function rangeText(r: { integer: boolean; exclusiveMin: boolean; min: number; max: number }): string {
	const what = r.integer ? 'a whole number' : 'a number';
	return r.exclusiveMin ? `${what} greater than ${r.min} to ${r.max}` : `${what} from ${r.min} to ${r.max}`;
}

type Texts = { [C in ReasonCode]: (r: Extract<Reason, { code: C }>) => string };

const MNIST_FOLDER = 'the four MNIST idx files';

/** The English sentences. src/shared/strings/reasons.ts has them again as translation keys; a unit test keeps both equal. */
const ENGLISH: Texts = {
	'file.missing': (r) => `${r.file}: does not exist`,
	'file.folder': (r) => `${r.file}: is a folder, not an idx file`,
	'file.notRegular': (r) => `${r.file}: is not a regular file`,
	'file.tooBig': (r) => `${r.file}: is ${count(r.size)} bytes, more than the ${r.limitMb} MB limit for an idx file`,
	'file.permission': (r) => `${r.file}: cannot be read (permission denied); check the file permissions`,
	'file.brokenLink': (r) => `${r.file}: is a symbolic link that cannot be resolved (${r.loop ? 'a loop of symbolic links' : r.target === undefined ? 'it points to something that does not exist' : `it points to ${r.target}, which does not exist`})`,
	'file.unreadable': (r) => `${r.file}: cannot be read (${r.detail})`,
	'idx.short': (r) => `${r.file}: is truncated: ${r.bytes} bytes, too short for an idx header`,
	'idx.magic': (r) => `${r.file}: has the wrong magic number 0x${hex32(r.magic)}; an MNIST idx file starts with 0x00000803 (images) or 0x00000801 (labels)`,
	'idx.kind': (r) => `${r.file}: has magic number 0x${hex32(r.magic)} but should hold ${r.want === 'images' ? 'images (0x00000803)' : 'labels (0x00000801)'}`,
	'idx.headerShort': (r) => `${r.file}: is truncated: the header needs ${r.need} bytes, the file has ${r.have}`,
	'idx.empty': (r) => `${r.file}: says it holds 0 items`,
	'idx.dimension': (r) => `${r.file}: has an absurd dimension ${r.dim} (allowed 1 to ${r.max})`,
	'idx.huge': (r) => `${r.file}: has an absurd header: ${dimsText(r.dims)} would need ${count(r.bytes)} bytes, more than the ${r.limitMb} MB limit`,
	'idx.truncated': (r) => `${r.file}: is truncated: the header (${dimsText(r.dims)}) needs ${count(r.need)} bytes, the data has ${count(r.have)}`,
	'idx.extra': (r) => `${r.file}: has ${count(r.extra)} bytes more than its header (${dimsText(r.dims)}) describes`,
	'gzip.invalid': (r) => `${r.file}: is not valid gzip data (${r.detail})`,
	'gzip.notGzip': (r) => `${r.file}: is named .gz but is not gzip data (an HTML error page or an unfinished download?)`,
	'gzip.bomb': (r) => `${r.file}: decompresses to more than the ${count(r.limit)} bytes its header implies`,
	'gzip.truncated': (r) => `${r.file}: is a truncated gzip stream (was the download interrupted?)`,
	'data.imageDims': (r) => `${r.file}: should be 3-dimensional (count, rows, cols) but has ${r.ndim} dimensions`,
	'data.labelDims': (r) => `${r.file}: should be 1-dimensional but has ${r.ndim} dimensions`,
	'data.counts': (r) => `${r.file}: holds ${count(r.labels)} labels but ${r.imagesFile} holds ${count(r.images)} images; the counts must match`,
	'data.label': (r) => `${r.file}: has label ${r.label} at index ${r.index}; labels must be 0 to ${r.max}`,
	'data.shapes': (r) => `${r.file}: has ${r.trainRows}×${r.trainCols} training images but ${r.testRows}×${r.testCols} test images`,
	'folder.missing': (r) => `${r.file}: does not exist; give a folder that holds ${MNIST_FOLDER}`,
	'folder.isFile': (r) => `${r.file}: is a file; give the folder that holds ${MNIST_FOLDER}`,
	'folder.unlistable': (r) => `${r.file}: cannot be listed (permission denied)`,
	'folder.pklOnly': (r) => `${r.file}: holds mnist.pkl but not the idx .gz files; Minibatch Lab reads the four idx files (${r.files.join(', ')}), which the book's dataset/mnist.py downloads next to mnist.pkl`,
	'folder.incomplete': (r) => `${r.file}: is missing ${r.missing.join(', ')}; an MNIST folder needs all four idx files`,
	'folder.bundledMissing': (r) => `${r.file}: is missing; run "npm run build" to copy the bundled MNIST, or pass --data DIR`,
	'memory.short': (r) => `${r.file}: needs about ${mb(r.need)} of memory to decode (${count(r.trainCount)} + ${count(r.testCount)} images of ${r.rows}×${r.cols}), but only ${mb(r.free)} are free`,
	'settings.range': (r) => `${r.setting} must be ${rangeText(r)}; got ${r.got}.`,
	'settings.parallelRuns': (r) => `${r.setting} must be a whole number from 0 (one run per CPU core) to ${r.max}; got ${r.got}.`,
	'settings.trainSize': (r) => `${r.setting} is ${r.trainSize} but the dataset has only ${r.trainCount} training images.`,
	'settings.batchSize': (r) => `${r.setting} is ${r.batchSize} but training uses only ${r.n} images; use a batch size from 1 to ${r.n}.`,
	'settings.sampler': (r) => `${r.setting} has unknown sampler "${r.sampler}"; choose from ${r.choices.join(', ')}.`,
	'settings.noSampler': (r) => `${r.setting} is empty; choose one or more of ${r.choices.join(', ')}.`,
	'settings.seedOverflow': (r) => `${r.seedSetting} ${r.seed} with ${r.setting} ${r.count} would go past the largest seed, ${r.maxSeed}; use a smaller ${r.seedSetting}.`,
	'settings.text': (r) => r.text,
	'worker.oom': () => 'the worker ran out of memory',
	'worker.crashed': (r) => `the worker crashed: ${r.detail}`,
	'worker.exited': (r) => `the worker stopped unexpectedly (exit code ${r.exitCode})`,
	'worker.spawn': (r) => `could not start a worker: ${r.detail}`,
	'worker.noData': () => 'the worker has no dataset (the host sent a run before the data)',
	'worker.badMessage': () => 'a message from the worker could not be read',
	'worker.stopped': () => 'the worker was stopped',
	'worker.unsupported': () => 'this browser host cannot start workers',
	'worker.unreadable': (r) => `could not read ${r.file} from the extension (${r.detail})`,
	text: (r) => r.text,
};


/** Every code, for the tests that check each has its English and its translation. */
export const REASON_CODES = Object.keys(ENGLISH) as ReasonCode[];

/** The English sentence (the CLI's output, the log, the exports). */
export function reasonText(r: Reason): string {
	return (ENGLISH[r.code] as (r: Reason) => string)(r);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Whether a value that crossed a thread or came from a file is a reason this build knows (else show its text). */
export function isReason(v: unknown): v is Reason {
	return isObj(v) && typeof v.code === 'string' && Object.prototype.hasOwnProperty.call(ENGLISH, v.code);
}
