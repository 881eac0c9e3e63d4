import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { GradOutcome } from '../../src/extension/gradCommand';
import { EXTENSION_ID, until } from './util';

describe('Numerical gradient vs backprop', function () {
	this.timeout(120_000);

	before(async () => {
		await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
	});

	after(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	it('checks a random subset, extrapolates the time and shows the panel', async () => {
		const r = await vscode.commands.executeCommand<GradOutcome | undefined>('minibatchLab.compareGradients', { subset: 2000 });
		assert.ok(r, 'the command returns its result');
		assert.equal(r.cancelled, false);
		assert.equal(r.parameters, 39760);
		assert.equal(r.checked, 2000);
		assert.equal(r.estimate, true);
		assert.ok(r.numericalSeconds > r.measuredSeconds);
		assert.ok(r.ratio > 1, `ratio ${r.ratio}`);
		assert.ok(r.maxRelErr < 1e-3, `maxRelErr ${r.maxRelErr}`);
		assert.deepEqual(Object.keys(r.avgAbsDiff).sort(), ['W1', 'W2', 'b1', 'b2']);
		assert.ok(Number.isFinite(r.avgAbsDiff.W1) && r.avgAbsDiff.W1 < 1e-6);
		// The tab model follows the panel asynchronously.
		await until('a gradient panel tab', async () =>
			vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('minibatchLab.gradients')),
		);
	});

	it('runs every parameter when no subset is given', async () => {
		const r = await vscode.commands.executeCommand<GradOutcome | undefined>('minibatchLab.compareGradients', {}); // {}: every parameter, without the quick pick
		assert.ok(r);
		assert.equal(r.checked, r.parameters);
		assert.equal(r.estimate, false);
		assert.ok(r.ratio > 1 && r.maxRelErr < 1e-3);
		for (const k of ['W1', 'b1', 'W2', 'b2'] as const) assert.ok(Number.isFinite(r.avgAbsDiff[k]) && Number.isFinite(r.maxRelErrBy[k]), k);
	});
});
