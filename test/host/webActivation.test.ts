/**
 * Activation in the browser's web worker extension host (a benchmark, not a test: registered only with MINIBATCH_LAB_BENCH=1;
 * bench/webActivation.mjs runs it in fresh launches and reports medians). The host marks each step of an extension's
 * start in its own performance timeline, which this suite shares: fetching the bundle, evaluating it, and activate().
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { testEnv } from './env';
import { EXTENSION_ID } from './util';

const benchmark = testEnv('MINIBATCH_LAB_BENCH') === '1' ? describe : () => undefined;

/** The host's mark for this step of our extension's start, in ms since the worker started. */
function mark(step: string): number {
	const [entry] = performance.getEntriesByName(`code/extHost/${step}/${EXTENSION_ID}`);
	assert.ok(entry, `the host recorded no mark code/extHost/${step}/${EXTENSION_ID}`);
	return entry.startTime;
}

benchmark('activation in the browser host (benchmark) @web', function (this: Mocha.Suite) {
	it('reads how long fetching, evaluating and activating the browser bundle took', async () => {
		const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
		assert.equal(ext.isActive, false, 'the first activation is the one to measure: nothing may have activated it before');
		await ext.activate();
		const figures = {
			fetchMs: mark('didFetchExtensionCode') - mark('willFetchExtensionCode'),
			evaluateMs: mark('didLoadExtensionCode') - mark('willLoadExtensionCode'),
			activateMs: mark('didActivateExtension') - mark('willActivateExtension'),
		};
		const activation = figures.evaluateMs + figures.activateMs;
		console.log(`web activation: fetch ${figures.fetchMs.toFixed(1)} ms, evaluate ${figures.evaluateMs.toFixed(1)} ms, activate() ${figures.activateMs.toFixed(1)} ms`);
		const out = testEnv('MINIBATCH_LAB_BENCH_OUT');
		if (out) await vscode.workspace.fs.writeFile(vscode.Uri.parse(out, true), new TextEncoder().encode(JSON.stringify({ ...figures, activationMs: activation }) + '\n'));
		// Only that it was measured, never how fast: that depends on the machine.
		assert.ok(Object.values(figures).every((v) => Number.isFinite(v) && v >= 0));
	});
});
