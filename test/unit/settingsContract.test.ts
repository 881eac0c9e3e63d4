/**
 * One source for the settings' defaults and ranges: package.json's contributed settings (what VS Code's settings UI
 * shows and checks) say what the core uses (BOOK_DEFAULTS, DEFAULT_SAMPLERS, DEFAULT_SEED_COUNT, LIMITS), which the
 * extension, the panel's form and the CLI take by import.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BOOK_DEFAULTS, DEFAULT_SAMPLERS, LIMITS } from '../../src/core/settings';
import { DEFAULT_SEED_COUNT, SEED_COUNT_LIMITS } from '../../src/core/stats';

type Property = { default?: unknown; minimum?: number; maximum?: number; exclusiveMinimum?: number; type?: string };
const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, Property> } | { properties: Record<string, Property> }[] } };
const sections = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
const properties: Record<string, Property> = Object.assign({}, ...sections.map((s) => s.properties));
const setting = (name: string) => {
	const p = properties[`minibatchLab.${name}`];
	assert.ok(p, `package.json contributes minibatchLab.${name}`);
	return p;
};

describe('settings: package.json and the core agree', () => {
	it('the defaults are the book\'s (BOOK_DEFAULTS), the default samplers and number of seeds', () => {
		assert.equal(setting('iterations').default, BOOK_DEFAULTS.iters);
		assert.equal(setting('batchSize').default, BOOK_DEFAULTS.batchSize);
		assert.equal(setting('learningRate').default, BOOK_DEFAULTS.lr);
		assert.equal(setting('hiddenSize').default, BOOK_DEFAULTS.hidden);
		assert.equal(setting('seed').default, BOOK_DEFAULTS.seed);
		assert.deepEqual(setting('samplers').default, [...DEFAULT_SAMPLERS]);
		assert.equal(setting('seedCount').default, DEFAULT_SEED_COUNT);
	});

	it('the ranges are LIMITS and SEED_COUNT_LIMITS', () => {
		const pairs: [string, { min: number; max: number; integer: boolean; exclusiveMin?: boolean }][] = [
			['iterations', LIMITS.iters],
			['batchSize', LIMITS.batchSize],
			['learningRate', LIMITS.lr],
			['hiddenSize', LIMITS.hidden],
			['seed', LIMITS.seed],
			['seedCount', { ...SEED_COUNT_LIMITS, integer: true }],
		];
		for (const [name, l] of pairs) {
			const p = setting(name);
			assert.equal(p.type, l.integer ? 'integer' : 'number', name);
			assert.equal(p.maximum, l.max, name);
			if (l.exclusiveMin) assert.equal(p.exclusiveMinimum, l.min, name);
			else assert.equal(p.minimum, l.min, name);
		}
		// 0 is "all of them"; any other value is LIMITS.trainSize's.
		assert.equal(setting('trainSize').minimum, 0);
		assert.equal(setting('trainSize').maximum, LIMITS.trainSize.max);
	});
});
