/** Bad settings and bad form input: every one is refused with a message naming the setting and its allowed range. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SettingsError } from '../../src/core/errors';
import { SAMPLER_IDS } from '../../src/core/samplers';
import { BOOK_DEFAULTS, checkValue, describeRange, LIMITS, parseSamplers, validateSettings, type TrainSettings } from '../../src/core/settings';

/** The VS Code settings' names, as the extension passes them (src/extension/config.ts needs vscode, so spelled out here). */
const VSCODE_NAMES = {
	iters: 'minibatchLab.iterations',
	batchSize: 'minibatchLab.batchSize',
	lr: 'minibatchLab.learningRate',
	hidden: 'minibatchLab.hiddenSize',
	seed: 'minibatchLab.seed',
	trainSize: 'minibatchLab.trainSize',
} as const;
type Key = keyof typeof LIMITS;

const settingsTried = new Map<string, number>();

function settingRejects(kind: string, fn: () => unknown, setting: string, message: RegExp | string): void {
	settingsTried.set(kind, (settingsTried.get(kind) ?? 0) + 1);
	assert.throws(fn, (e: unknown) => {
		assert.ok(e instanceof SettingsError, `expected a SettingsError about ${setting}, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
		assert.equal(e.setting, setting);
		assert.ok(e.message.startsWith(setting), `message should start with the setting's name ${setting}: ${e.message}`);
		if (typeof message === 'string') assert.ok(e.message.includes(message), `${e.message} should include ${message}`);
		else assert.match(e.message, message);
		return true;
	});
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('bad settings', () => {
	/** Values no setting accepts, with how each should be shown back. */
	const wrongTypes: [unknown, string][] = [
		['100', '"100"'],
		[null, 'null'],
		[undefined, 'undefined'],
		[true, 'true'],
		[[100], '[100]'],
		[{ value: 100 }, '{"value":100}'],
		[NaN, 'NaN'],
		[Infinity, 'Infinity'],
		[-Infinity, '-Infinity'],
		[10n, '10'],
		[Symbol('x'), 'Symbol(x)'],
	];
	const outOfRange: Record<Key, number[]> = {
		iters: [0, -1, 1_000_001, 1.5, 1e300],
		batchSize: [0, -100, 60_001, 1.5, 0.5],
		lr: [0, -0, -0.1, -1e-300, 1000.0001, 1e9],
		hidden: [0, -50, 4097, 50.5],
		seed: [-1, 4294967296, 0.5, 2 ** 53],
		trainSize: [0, -1, 60_000_001, 100.25],
	};

	it('rejects every out-of-range value and wrong type, naming the setting and its range', () => {
		for (const key of Object.keys(LIMITS) as Key[]) {
			const values: [unknown, string][] = [...outOfRange[key].map((v): [unknown, string] => [v, String(v)]), ...wrongTypes];
			for (const [value, shown] of values) {
				for (const names of [{}, VSCODE_NAMES, { [key]: 'Batch size (form)' }]) {
					const name = (names as Partial<Record<Key, string>>)[key] ?? key;
					const s: Partial<TrainSettings> = { ...BOOK_DEFAULTS, [key]: value };
					const kind = typeof value === 'number' && Number.isFinite(value) ? 'out of range' : 'wrong type';
					const message = new RegExp(`^${esc(name)} must be ${esc(describeRange(key))}; got ${esc(shown)}\\.$`);
					// trainSize is optional: undefined means all the training images.
					if (!(key === 'trainSize' && value === undefined)) settingRejects(kind, () => validateSettings(s, names), name, message);
					settingRejects(kind, () => checkValue(key, value, name), name, message);
				}
			}
		}
	});

	it('states each range in words', () => {
		assert.equal(describeRange('batchSize'), 'a whole number from 1 to 60000');
		assert.equal(describeRange('lr'), 'a number greater than 0 to 1000');
		assert.equal(describeRange('iters'), 'a whole number from 1 to 1000000');
		assert.equal(describeRange('hidden'), 'a whole number from 1 to 4096');
	});

	it('the examples from the issue: batch 0, lr ≤ 0 or NaN, 0 iterations, hidden 0', () => {
		const b = VSCODE_NAMES;
		settingRejects('issue examples', () => validateSettings({ ...BOOK_DEFAULTS, batchSize: 0 }, b), b.batchSize, 'minibatchLab.batchSize must be a whole number from 1 to 60000; got 0.');
		settingRejects('issue examples', () => validateSettings({ ...BOOK_DEFAULTS, lr: 0 }, b), b.lr, 'minibatchLab.learningRate must be a number greater than 0 to 1000; got 0.');
		settingRejects('issue examples', () => validateSettings({ ...BOOK_DEFAULTS, lr: -0.5 }, b), b.lr, 'got -0.5.');
		settingRejects('issue examples', () => validateSettings({ ...BOOK_DEFAULTS, lr: NaN }, b), b.lr, 'got NaN.');
		settingRejects('issue examples', () => validateSettings({ ...BOOK_DEFAULTS, lr: Infinity }, b), b.lr, 'got Infinity.');
		settingRejects('issue examples', () => validateSettings({ ...BOOK_DEFAULTS, iters: 0 }, b), b.iters, 'minibatchLab.iterations must be a whole number from 1 to 1000000; got 0.');
		settingRejects('issue examples', () => validateSettings({ ...BOOK_DEFAULTS, hidden: 0 }, b), b.hidden, 'minibatchLab.hiddenSize must be a whole number from 1 to 4096; got 0.');
		// A missing value (settings.json with the key deleted by hand reads as undefined).
		settingRejects('issue examples', () => validateSettings({ ...BOOK_DEFAULTS, iters: undefined }, b), b.iters, 'got undefined.');
	});

	it('a batch larger than the training set, with and without trainSize', () => {
		settingRejects('batch > train size', () => validateSettings({ ...BOOK_DEFAULTS, batchSize: 51 }, {}, 50), 'batchSize', 'batchSize is 51 but training uses only 50 images; use a batch size from 1 to 50.');
		settingRejects('batch > train size', () => validateSettings({ ...BOOK_DEFAULTS, batchSize: 60000 }, VSCODE_NAMES, 10000), VSCODE_NAMES.batchSize, 'from 1 to 10000');
		settingRejects('batch > train size', () => validateSettings({ ...BOOK_DEFAULTS, batchSize: 30, trainSize: 20 }, VSCODE_NAMES, 50), VSCODE_NAMES.batchSize, 'uses only 20 images; use a batch size from 1 to 20.');
		settingRejects('batch > train size', () => validateSettings({ ...BOOK_DEFAULTS, batchSize: 10, trainSize: 51 }, VSCODE_NAMES, 50), VSCODE_NAMES.trainSize, 'minibatchLab.trainSize is 51 but the dataset has only 50 training images.');
		// The edges are allowed.
		assert.equal(validateSettings({ ...BOOK_DEFAULTS, batchSize: 50 }, {}, 50).batchSize, 50);
		assert.equal(validateSettings({ ...BOOK_DEFAULTS, batchSize: 20, trainSize: 20 }, {}, 50).trainSize, 20);
	});

	it('the first bad setting is named even when several are bad', () => {
		settingRejects('several bad', () => validateSettings({ iters: 0, batchSize: 0, lr: 0, hidden: 0, seed: -1 }, VSCODE_NAMES), VSCODE_NAMES.iters, /^minibatchLab\.iterations must/);
		settingRejects('several bad', () => validateSettings({}, VSCODE_NAMES), VSCODE_NAMES.iters, 'got undefined.');
	});

	it('unknown sampler ids and an empty sampler list', () => {
		const choices = SAMPLER_IDS.join(', ');
		for (const name of ['samplers', 'minibatchLab.samplers', '--samplers']) {
			for (const bad of ['random', 'Replacement', 'epoch_shuffle', 'epoch shuffle', '', ' ', 'replacement;sequential', '<img src=x>']) {
				settingRejects('unknown sampler', () => parseSamplers(['replacement', bad], name), name, `${name} has unknown sampler "${bad.trim()}"; choose from ${choices}.`);
			}
			settingRejects('empty sampler list', () => parseSamplers([], name), name, `${name} is empty; choose one or more of ${choices}.`);
		}
		assert.deepEqual(parseSamplers([' sequential ', 'replacement', 'sequential']), ['sequential', 'replacement']);
	});

	it('reports how many bad settings were tried', (t) => {
		const total = [...settingsTried.values()].reduce((a, b) => a + b, 0);
		t.diagnostic(`bad settings tried: ${total} (${[...settingsTried].map(([k, n]) => `${k} ${n}`).join(', ')})`);
		assert.ok(total > 0);
	});
});

