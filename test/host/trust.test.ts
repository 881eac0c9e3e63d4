/**
 * Workspace trust, both ways. The same test runs in two launches (scripts/host/run-host-tests.mjs PASSES): `main`, where
 * the workspace is trusted, and `untrusted`, where code-server opens the folder in Restricted Mode. Each time a workspace
 * setting points at a good dataset; only a trusted workspace may use it, and the bundled MNIST is always allowed.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { syntheticDataset, writeMnistFolder } from '../support/synthetic';
import { liveWorkers, runComparison, SECTION, setSettings, snapshot, until } from './util';

const small = { iterations: 60, batchSize: 10, hiddenSize: 8, learningRate: 1, seed: 0, seedCount: 1, trainSize: 0, samplers: ['replacement', 'epoch-shuffle'] };

function trustSuite(tag: string, trusted: boolean): void {
	describe(`workspace trust ${tag}`, function () {
		this.timeout(120_000);
		let dir: string;
		// Writing a workspace setting creates .vscode/ in the fixture folder; it goes again afterwards.
		const dotVscode = join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.vscode');
		let hadDotVscode = true;

		before(async () => {
			hadDotVscode = existsSync(dotVscode);
			dir = writeMnistFolder(syntheticDataset(300, 100, 6, 3));
			await setSettings({ ...small, datasetPath: undefined });
			await vscode.workspace.getConfiguration(SECTION).update('datasetPath', dir, vscode.ConfigurationTarget.Workspace);
			await vscode.workspace.getConfiguration(SECTION).update('parallelRuns', 1, vscode.ConfigurationTarget.Workspace);
			await vscode.workspace.getConfiguration(SECTION).update('iterations', small.iterations + 1, vscode.ConfigurationTarget.Workspace);
		});

		after(async () => {
			await vscode.workspace.getConfiguration(SECTION).update('datasetPath', undefined, vscode.ConfigurationTarget.Workspace);
			await vscode.workspace.getConfiguration(SECTION).update('parallelRuns', undefined, vscode.ConfigurationTarget.Workspace);
			await vscode.workspace.getConfiguration(SECTION).update('iterations', undefined, vscode.ConfigurationTarget.Workspace);
			await setSettings(Object.fromEntries(Object.keys(small).map((k) => [k, undefined])));
			await vscode.commands.executeCommand('workbench.action.closeAllEditors');
			rmSync(dir, { recursive: true, force: true });
			if (!hadDotVscode) rmSync(dotVscode, { recursive: true, force: true });
		});

		it(`${trusted ? 'uses' : 'ignores'} a dataset path from the workspace settings, and trains either way`, async () => {
			assert.equal(vscode.workspace.isTrusted, trusted, `this launch should open the folder ${trusted ? 'trusted' : 'in Restricted Mode'}`);
			await runComparison(100_000);
			const snap = await until('a finished run', async () => {
				const s = await snapshot();
				return s && /Done/i.test(s.status) ? s : undefined;
			}, 90_000);
			if (trusted) assert.ok(snap.header.includes(dir), `the header names the workspace's dataset: ${snap.header}`);
			else {
				assert.ok(!snap.header.includes(dir), `Restricted Mode must not read the workspace's path: ${snap.header}`);
				assert.match(snap.header, /MNIST \(bundled\)/);
			}
			assert.equal(snap.tableRows.length, 2);
			assert.equal(await liveWorkers(), 0);
		});

		// How much of the machine a run takes is the user's call (package.json restrictedConfigurations); a study group's
		// lesson settings (iterations, samplers, …) may come from the workspace either way.
		it(`${trusted ? 'uses' : 'ignores'} minibatchLab.parallelRuns from the workspace settings, and uses its iterations`, () => {
			const c = vscode.workspace.getConfiguration(SECTION);
			// Restricted Mode hides a restricted setting's workspace value from inspect() too, so read the file.
			const planted = JSON.parse(readFileSync(join(dotVscode, 'settings.json'), 'utf8')) as Record<string, unknown>;
			assert.equal(planted[`${SECTION}.parallelRuns`], 1, 'the workspace sets it');
			assert.equal(c.get('parallelRuns'), trusted ? 1 : 0);
			assert.equal(c.get('iterations'), small.iterations + 1, 'a lesson setting from the workspace counts either way');
		});
	});
}

trustSuite('(trusted)', true);
trustSuite('@untrusted', false);
