/**
 * Error reasons as data (src/core/reasons.ts) and their translation (src/shared/strings/reasons.ts): every code has an
 * English sentence equal to the one the CLI and the log print, and a Japanese one with the same placeholders, that
 * carries the outside values (paths, setting names, what the system said) unchanged and leaves no English around them.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DatasetError, reasonOf, SettingsError } from '../../src/core/errors';
import { REASON_CODES, reasonText, type Reason } from '../../src/core/reasons';
import { BOOK_DEFAULTS, parseSamplers, validateSettings } from '../../src/core/settings';
import { ENGLISH, type L10n } from '../../src/shared/strings/l10n';
import { localizeReason, localizeRunMessage, reasonStrings } from '../../src/shared/strings/reasons';
import { bundleL10n, englishWords } from '../support/japanese';
import { loadMnistFolder, parseIdx } from '../support/nodeData';
import { idxBytes } from '../support/synthetic';

const root = join(__dirname, '..', '..', '..');
const bundle = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.ja.json'), 'utf8')) as Record<string, string>;
const JA = bundleL10n(bundle);
const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

const F = '/home/study/dataset/train-images-idx3-ubyte.gz';
/** One of each code (and of each variant a code's sentence has), with values from outside. */
const SAMPLES: Reason[] = [
	{ code: 'file.missing', file: F },
	{ code: 'file.folder', file: F },
	{ code: 'file.notRegular', file: F },
	{ code: 'file.tooBig', file: F, size: 600_000_000, limitMb: 512 },
	{ code: 'file.permission', file: F },
	{ code: 'file.brokenLink', file: F, loop: true },
	{ code: 'file.brokenLink', file: F, loop: false },
	{ code: 'file.brokenLink', file: F, loop: false, target: '/nowhere/t10k-labels-idx1-ubyte.gz' },
	{ code: 'file.unreadable', file: F, detail: 'EIO' },
	{ code: 'idx.short', file: F, bytes: 3 },
	{ code: 'idx.magic', file: F, magic: 0x3c21444f },
	{ code: 'idx.kind', file: F, magic: 0x801, want: 'images' },
	{ code: 'idx.kind', file: F, magic: 0x803, want: 'labels' },
	{ code: 'idx.headerShort', file: F, need: 16, have: 9 },
	{ code: 'idx.empty', file: F },
	{ code: 'idx.dimension', file: F, dim: 100000, max: 4096 },
	{ code: 'idx.huge', file: F, dims: [1_000_000_000, 28, 28], bytes: 784_000_000_000, limitMb: 512 },
	{ code: 'idx.truncated', file: F, dims: [60000, 28, 28], need: 47_040_016, have: 1_000_000 },
	{ code: 'idx.extra', file: F, dims: [2, 2, 2], extra: 1 },
	{ code: 'gzip.invalid', file: F, detail: 'incorrect header check' },
	{ code: 'gzip.notGzip', file: F },
	{ code: 'gzip.bomb', file: F, limit: 47_040_016 },
	{ code: 'gzip.truncated', file: F },
	{ code: 'data.imageDims', file: F, ndim: 1 },
	{ code: 'data.labelDims', file: F, ndim: 3 },
	{ code: 'data.counts', file: '/d/train-labels-idx1-ubyte.gz', labels: 49, imagesFile: F, images: 50 },
	{ code: 'data.label', file: '/d/train-labels-idx1-ubyte.gz', label: 10, index: 7, max: 9 },
	{ code: 'data.shapes', file: '/d', trainRows: 28, trainCols: 28, testRows: 32, testCols: 32 },
	{ code: 'folder.missing', file: '/d' },
	{ code: 'folder.isFile', file: '/d' },
	{ code: 'folder.unlistable', file: '/d' },
	{ code: 'folder.pklOnly', file: '/d', files: ['train-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'] },
	{ code: 'folder.incomplete', file: '/d', missing: ['t10k-labels-idx1-ubyte(.gz)'] },
	{ code: 'folder.bundledMissing', file: '/x/dist/data/mnist' },
	{ code: 'memory.short', file: '/d', need: 2 ** 33, free: 2 ** 30, trainCount: 60000, testCount: 10000, rows: 28, cols: 28 },
	{ code: 'settings.range', setting: 'minibatchLab.batchSize', integer: true, exclusiveMin: false, min: 1, max: 60000, got: '0' },
	{ code: 'settings.range', setting: 'minibatchLab.learningRate', integer: false, exclusiveMin: true, min: 0, max: 1000, got: '-0.1' },
	{ code: 'settings.range', setting: 'minibatchLab.x', integer: false, exclusiveMin: false, min: 0, max: 1, got: '"a"' },
	{ code: 'settings.range', setting: 'minibatchLab.y', integer: true, exclusiveMin: true, min: 0, max: 9, got: 'null' },
	{ code: 'settings.parallelRuns', setting: 'minibatchLab.parallelRuns', max: 64, got: '-1' },
	{ code: 'settings.trainSize', setting: 'minibatchLab.trainSize', trainSize: 70000, trainCount: 60000 },
	{ code: 'settings.batchSize', setting: 'minibatchLab.batchSize', batchSize: 600, n: 500 },
	{ code: 'settings.sampler', setting: 'minibatchLab.samplers', sampler: 'shufle', choices: ['replacement', 'epoch-shuffle', 'sequential'] },
	{ code: 'settings.noSampler', setting: 'minibatchLab.samplers', choices: ['replacement', 'epoch-shuffle', 'sequential'] },
	{ code: 'settings.seedOverflow', setting: 'minibatchLab.seedCount', seedSetting: 'minibatchLab.seed', seed: 4294967290, count: 10, maxSeed: 4294967295 },
	{ code: 'settings.text', setting: '--mode', text: '--mode must be partial or full; got "x".' },
	{ code: 'worker.oom' },
	{ code: 'worker.crashed', detail: 'Cannot read properties of undefined' },
	{ code: 'worker.exited', exitCode: 1 },
	{ code: 'worker.spawn', detail: 'ERR_WORKER_INIT_FAILED' },
	{ code: 'worker.noData' },
	{ code: 'worker.badMessage' },
	{ code: 'worker.stopped' },
	{ code: 'worker.unsupported' },
	{ code: 'worker.unreadable', file: 'dist/web/trainWorker.js', detail: 'FileNotFound' },
	{ code: 'text', text: 'injected fault at iteration 20' },
];

/** The values a reason takes from outside, as its sentences show them: they must come through translation unchanged. */
function outsideValues(r: Reason): string[] {
	const out: string[] = [];
	if ('file' in r) out.push(r.file);
	if ('setting' in r) out.push(r.setting);
	if ('detail' in r) out.push(r.detail);
	if ('target' in r && r.target !== undefined) out.push(r.target);
	if ('imagesFile' in r) out.push(r.imagesFile);
	if ('seedSetting' in r) out.push(r.seedSetting);
	if ('sampler' in r) out.push(r.sampler);
	if ('got' in r) out.push(r.got);
	if ('files' in r) out.push(...r.files);
	if ('missing' in r) out.push(...r.missing);
	return out;
}

/** Technical names that stay as they are in Japanese text: file formats, units, and what a user types. */
const TECHNICAL = ['gzip', 'idx', 'MB', 'HTML', '.gz', 'mnist.pkl', 'dataset/mnist.py', '"npm run build"', '--data DIR', 'replacement', 'epoch-shuffle', 'sequential'];

/** A recording L10n: which templates a translation used. */
function recording(): L10n & { used: Set<string> } {
	const used = new Set<string>();
	return { used, t: (m) => (used.add(m), m) };
}

describe('error reasons', () => {
	it('every code has a sample here (the list of codes comes from the English sentences)', () => {
		assert.deepEqual([...new Set(SAMPLES.map((r) => r.code))].sort(), [...REASON_CODES].sort());
	});

	it('the translation table in English says exactly what the CLI and the log say', () => {
		for (const r of SAMPLES) assert.equal(localizeReason(ENGLISH, r), reasonText(r), r.code);
	});

	it('every sentence each code uses has Japanese with the same placeholders, and every sentence is used', () => {
		const all = recording();
		reasonStrings(all);
		const used = new Set<string>();
		for (const r of SAMPLES) {
			const rec = recording();
			localizeReason(rec, r);
			for (const key of rec.used) {
				used.add(key);
				assert.ok(key in bundle, `${r.code}: bundle.l10n.ja.json has no "${key}"`);
				assert.deepEqual(placeholders(bundle[key]), placeholders(key), `${r.code}: ${key}`);
			}
		}
		for (const key of all.used) assert.ok(used.has(key), `no code uses "${key}"`);
	});

	it('in Japanese every sentence is translated: the outside values unchanged, no English left around them', () => {
		for (const r of SAMPLES) {
			const ja = localizeReason(JA, r);
			for (const v of outsideValues(r)) assert.ok(ja.includes(v), `${r.code}: "${v}" in ${ja}`);
			if (r.code === 'text' || r.code === 'settings.text') {
				assert.equal(ja, r.text, 'a sentence from elsewhere is shown as it is');
				continue;
			}
			assert.notEqual(ja, reasonText(r), r.code);
			assert.match(ja, /[\u3040-\u30ff\u4e00-\u9fff]/, `${r.code}: ${ja}`);
			assert.deepEqual(englishWords(ja, [...outsideValues(r), ...TECHNICAL]), [], `${r.code}: ${ja}`);
		}
	});
});

describe('errors thrown by the core carry their reason', () => {
	const japanese = (e: unknown) => localizeReason(JA, reasonOf(e));
	const thrown = (fn: () => unknown): unknown => {
		try {
			fn();
		} catch (e) {
			return e;
		}
		assert.fail('nothing was thrown');
	};

	it('a bad setting: the message in English, the reason in Japanese', () => {
		const e = thrown(() => validateSettings({ ...BOOK_DEFAULTS, batchSize: 0 }, { batchSize: 'minibatchLab.batchSize' }));
		assert.ok(e instanceof SettingsError);
		assert.equal(e.message, 'minibatchLab.batchSize must be a whole number from 1 to 60000; got 0.');
		assert.equal(japanese(e), 'minibatchLab.batchSize は 1 から 60000 までの整数にしてください（指定された値：0）。');
		const lr = thrown(() => validateSettings({ ...BOOK_DEFAULTS, lr: 0 }, { lr: 'minibatchLab.learningRate' }));
		assert.equal(japanese(lr), 'minibatchLab.learningRate は 0 より大きく 1000 以下の数にしてください（指定された値：0）。');
		const big = thrown(() => validateSettings({ ...BOOK_DEFAULTS, batchSize: 600 }, {}, 500));
		assert.equal(japanese(big), 'batchSize が 600 ですが、学習に使う画像は 500 枚だけです。バッチサイズは 1 から 500 にしてください。');
		assert.equal(japanese(thrown(() => parseSamplers(['shufle'], 'minibatchLab.samplers'))), 'minibatchLab.samplers に未知のサンプラー "shufle" があります。replacement, epoch-shuffle, sequential から選んでください。');
	});

	it('a form field is named by the label the form shows', () => {
		const e = thrown(() => validateSettings({ ...BOOK_DEFAULTS, batchSize: 0 }, { batchSize: 'Batch size' }));
		assert.equal(localizeReason(ENGLISH, reasonOf(e)), 'Batch size must be a whole number from 1 to 60000; got 0.');
		assert.equal(japanese(e), 'バッチサイズ は 1 から 60000 までの整数にしてください（指定された値：0）。');
		const seeds: Reason = { code: 'settings.seedOverflow', setting: 'Seeds', seedSetting: 'Seed', seed: 4294967290, count: 10, maxSeed: 4294967295 };
		assert.equal(localizeReason(JA, seeds), 'シード 4294967290 と シード数 10 では最大のシード 4294967295 を超えます。シード を小さくしてください。');
	});

	it('a corrupt or missing dataset: the path as it is, the sentence in Japanese', async () => {
		const bad = idxBytes(0x803, [1, 1, 1], Uint8Array.of(0));
		bad[2] = 0x0c;
		const magic = await parseIdx('/d/x-idx3-ubyte', bad).catch((e: unknown) => e);
		assert.ok(magic instanceof DatasetError);
		assert.equal(japanese(magic), '/d/x-idx3-ubyte：マジックナンバー 0x00000c03 が正しくありません。MNIST の idx ファイルは 0x00000803（画像）か 0x00000801（ラベル）で始まります');
		const notGz = await parseIdx('/d/x.gz', idxBytes(0x803, [1, 1, 1], Uint8Array.of(0))).catch((e: unknown) => e);
		assert.equal(japanese(notGz), '/d/x.gz：名前は .gz ですが gzip データではありません（HTML のエラーページか、ダウンロードが終わっていないファイルかもしれません）');
		const dir = mkdtempSync(join(tmpdir(), 'mbl-reasons-'));
		try {
			writeFileSync(join(dir, 'mnist.pkl'), 'x');
			const pkl = await loadMnistFolder(dir).catch((e: unknown) => e);
			assert.ok(pkl instanceof DatasetError);
			assert.ok(japanese(pkl).startsWith(`${dir}：mnist.pkl はありますが、idx の .gz ファイルがありません。`), japanese(pkl));
			assert.equal(japanese(await loadMnistFolder(join(dir, 'none')).catch((e: unknown) => e)), `${join(dir, 'none')}：存在しません。MNIST の idx ファイル 4 つが入ったフォルダーを指定してください`);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('a worker failure in Japanese; an error of no known kind by its own words', () => {
		assert.equal(localizeReason(JA, { code: 'worker.oom' }), 'ワーカーのメモリーが足りなくなりました');
		assert.equal(localizeReason(JA, { code: 'worker.exited', exitCode: 1 }), 'ワーカーが予期せず終了しました（終了コード 1）');
		assert.equal(localizeReason(JA, reasonOf(new Error('boom'))), 'boom');
	});
});

describe('a failed run in the panel', () => {
	const cause: Reason = { code: 'worker.oom' };
	const base = { type: 'runFailed', runId: 1, sampler: 'replacement', seed: 0, reason: reasonText(cause) } as const;

	it('gets its reason in the display language; the history keeps the English one', () => {
		const m = { ...base, cause };
		assert.deepEqual(localizeRunMessage(JA, m), { ...m, reason: 'ワーカーのメモリーが足りなくなりました' });
		assert.equal(m.reason, 'the worker ran out of memory');
	});

	it('from an older history without a reason code, or with one this build does not know: as it was', () => {
		assert.deepEqual(localizeRunMessage(JA, base), base);
		const unknown = { ...base, cause: { code: 'no.such' } as unknown as Reason };
		assert.deepEqual(localizeRunMessage(JA, unknown), unknown);
	});
});

describe('who builds SettingsErrors from sentences', () => {
	it('only the CLI: everything the extension can show is built from a code', () => {
		const src = join(root, 'src');
		for (const f of readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.ts') && !n.startsWith('cli'))) {
			const text = readFileSync(join(src, f), 'utf8');
			assert.doesNotMatch(text, /new SettingsError\([^,]+,\s*[`'"]/, `${f} builds a SettingsError from a sentence`);
		}
	});
});
