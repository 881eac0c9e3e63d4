import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseFromWebview, WEBVIEW_LIMITS, type FormValues } from '../../src/shared/protocol';

// The host's check of what the comparison page sends (src/extension/panel.ts drops and logs what this refuses). The page
// is not trusted: test/host/messages.test.ts posts the same kinds of forged messages in the real host.

const VALUES: FormValues = { iters: 601, batchSize: 100, lr: 0.1, hidden: 50, seed: 0, seedCount: 2, samplers: ['replacement', 'epoch-shuffle'], dataset: '' };
const runAgain = (values: Record<string, unknown>) => ({ type: 'runAgain', values });

describe('messages from the webview', () => {
	it('accepts each message of the protocol, keeping only its own fields', () => {
		assert.deepEqual(parseFromWebview({ type: 'ready', extra: 'x' }), { type: 'ready' });
		assert.deepEqual(parseFromWebview({ type: 'cancel', values: VALUES }), { type: 'cancel' });
		assert.deepEqual(parseFromWebview({ type: 'export', format: 'csv', path: '/etc/passwd' }), { type: 'export', format: 'csv' });
		assert.deepEqual(parseFromWebview({ type: 'chartImage', requestId: 3, dataUrl: '' }), { type: 'chartImage', requestId: 3, dataUrl: '' });
		assert.deepEqual(parseFromWebview({ type: 'formRefused', problems: ['Batch size must be a whole number from 1 to 60000; got "0".'] }), {
			type: 'formRefused',
			problems: ['Batch size must be a whole number from 1 to 60000; got "0".'],
		});
		const parsed = parseFromWebview({ ...runAgain({ ...VALUES, parallel: 64, workerPath: '/tmp/evil.js', __proto__: { polluted: true } }), runId: 9 });
		assert.deepEqual(parsed, { type: 'runAgain', values: VALUES });
		assert.deepEqual(Object.keys(parsed?.type === 'runAgain' ? parsed.values : {}).sort(), Object.keys(VALUES).sort(), 'extra fields are dropped');
	});

	it('refuses what is not a message, and unknown or misspelt types', () => {
		const forged: unknown[] = [
			undefined,
			null,
			42,
			'ready',
			['ready'],
			{},
			{ type: 42 },
			{ type: ['ready'] },
			{ type: 'Ready' },
			{ type: 'runagain', values: VALUES },
			{ type: 'run', values: VALUES },
			{ type: 'start' },
			{ type: '__proto__' },
			{ type: 'constructor' },
			{ type: 'toString' },
			{ type: 'snapshot' },
			{ type: 'snapshot', snapshot: { requestId: '1', tableRows: [], charts: [] } },
		];
		for (const m of forged) assert.equal(parseFromWebview(m), undefined, JSON.stringify(m) ?? String(m));
	});

	it('refuses Run again with missing fields, wrong types, non-finite numbers or oversized values', () => {
		const bad: [string, unknown][] = [
			['no values', { type: 'runAgain' }],
			['values as an array', { type: 'runAgain', values: [601, 100] }],
			['values as a string', { type: 'runAgain', values: JSON.stringify(VALUES) }],
			['iters missing', runAgain({ ...VALUES, iters: undefined })],
			['iters as a string', runAgain({ ...VALUES, iters: '601' })],
			['batch size as a boolean', runAgain({ ...VALUES, batchSize: true })],
			['lr as an object', runAgain({ ...VALUES, lr: { valueOf: () => 0.1 } })],
			['seed as null', runAgain({ ...VALUES, seed: null })],
			['NaN', runAgain({ ...VALUES, hidden: NaN })],
			['Infinity', runAgain({ ...VALUES, iters: Infinity })],
			['−Infinity', runAgain({ ...VALUES, seedCount: -Infinity })],
			['a bigint', runAgain({ ...VALUES, iters: 601n })],
			['samplers as a string', runAgain({ ...VALUES, samplers: 'replacement' })],
			['a sampler that is a number', runAgain({ ...VALUES, samplers: ['replacement', 7] })],
			['too many samplers', runAgain({ ...VALUES, samplers: Array.from({ length: WEBVIEW_LIMITS.samplers + 1 }, () => 'replacement') })],
			['a megabyte sampler name', runAgain({ ...VALUES, samplers: ['x'.repeat(1 << 20)] })],
			['dataset as a number', runAgain({ ...VALUES, dataset: 0 })],
			['a dataset path longer than any real one', runAgain({ ...VALUES, dataset: '/a'.repeat(WEBVIEW_LIMITS.datasetChars) })],
			['export of an unknown format', { type: 'export', format: 'exe' }],
			['chart image without a request id', { type: 'chartImage', dataUrl: 'data:,' }],
			['formRefused without problems', { type: 'formRefused', problems: [] }],
			['formRefused with a non-string', { type: 'formRefused', problems: [{}] }],
			['formRefused with a megabyte problem', { type: 'formRefused', problems: ['x'.repeat(1 << 20)] }],
		];
		for (const [what, m] of bad) assert.equal(parseFromWebview(m), undefined, what);
	});

	it('leaves ranges to the settings check: huge and negative numbers parse, and requestFromForm names the field', () => {
		// test/host/messages.test.ts sends these through the real panel: each is refused there, naming the field and its range.
		for (const values of [
			{ ...VALUES, iters: 1e308 },
			{ ...VALUES, batchSize: -1 },
			{ ...VALUES, seedCount: 2 ** 53 },
		]) {
			assert.deepEqual(parseFromWebview(runAgain(values)), { type: 'runAgain', values });
		}
	});
});
