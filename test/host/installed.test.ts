/**
 * The extension as a user's editor runs it: the `installed` pass installs this repository's build (ExtensionMode.Production,
 * not under development) and carries this suite on a stub development extension. The test-only commands are not there,
 * and the export commands ignore a `{ uri }` argument (another extension could otherwise write any file through them).
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { setSettings, sleep, within } from './util';

const ID = 'minibatch-lab.minibatch-lab';
const SHORT = { iterations: 60, batchSize: 100, hiddenSize: 8, seed: 0, seedCount: 1, trainSize: 600, samplers: ['replacement'] };

describe('the installed extension @installed', function () {
	this.timeout(120_000);
	const dir = mkdtempSync(join(tmpdir(), 'mbl-installed-'));

	before(async () => {
		const ext = vscode.extensions.getExtension(ID);
		assert.ok(ext, 'Minibatch Lab is installed');
		assert.ok(!vscode.extensions.all.some((e) => e.id === ID && e.extensionUri.path.includes('probe')), 'and it is not the development extension');
		await ext.activate();
		await setSettings(SHORT);
	});

	after(async () => {
		await setSettings(Object.fromEntries(Object.keys(SHORT).map((k) => [k, undefined])));
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		rmSync(dir, { recursive: true, force: true });
	});

	it('registers its commands but none of the test-only ones', async () => {
		const all = await vscode.commands.getCommands(true);
		const ours = all.filter((c) => c.startsWith('minibatchLab.'));
		assert.ok(ours.includes('minibatchLab.runComparison') && ours.includes('minibatchLab.saveResultsJson'), `the extension's commands: ${ours.join(', ')}`);
		assert.deepEqual(
			ours.filter((c) => c.startsWith('minibatchLab._')),
			[],
			'no _snapshot, _liveWorkers, _peakWorkers, _injectFault, _simulateRevive or _scriptState',
		);
	});

	it('the export commands ignore a { uri } argument: nothing is written without the save dialog', async () => {
		await within('the comparison', vscode.commands.executeCommand('minibatchLab.runComparison'), 90_000);
		const file = join(dir, 'planted.json');
		// Without the test hook the command asks where to save; the dialog stays open until it is dismissed.
		const saved = vscode.commands.executeCommand<string | undefined>('minibatchLab.saveResultsJson', { uri: vscode.Uri.file(file) });
		await sleep(3000);
		assert.equal(existsSync(file), false, 'no file at the path another extension passed');
		await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
		await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
		assert.equal(await within('the dismissed dialog', saved, 30_000), undefined);
		assert.equal(existsSync(file), false);
	});
});
