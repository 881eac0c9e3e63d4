/**
 * Entry point that VS Code's browser (web worker) extension host loads as `extensionTestsPath`: the same mocha suite
 * (./suite.ts), bundled for the browser with only the test modules that run there. Bundled by scripts/build.mjs to
 * dist/test/web/index.js with `mocha` and `node:assert/strict` swapped for ./web/mocha.ts and ./web/assert.ts.
 *
 * The browser host has no environment and no disk: scripts/host/run-host-tests.mjs copies this bundle with its settings
 * prepended (`globalThis.minibatchLabTestEnv`, see ./env.ts), and the results go through workspace.fs to
 * MINIBATCH_LAB_TEST_RESULTS_URI, a file on the server.
 */
import * as vscode from 'vscode';
import { testEnv } from './env';
import { runSuite, type TestModules, type TestResults } from './suite';

const testModules: TestModules = [
	// First: its benchmark (MINIBATCH_LAB_BENCH=1 only) measures the extension's first activation.
	['webActivation.test', () => import('./webActivation.test')],
	['extension.test', () => import('./extension.test')],
	['hover.test', () => import('./hover.test')],
	['hoverJa.test', () => import('./hoverJa.test')],
	['hoverPatterns.test', () => import('./hoverPatterns.test')],
	['scriptWeb.test', () => import('./scriptWeb.test')],
	['comparison.test', () => import('./comparison.test')],
	['seeds.test', () => import('./seeds.test')],
	['gradient.test', () => import('./gradient.test')],
	['messages.test', () => import('./messages.test')],
	['panelsJa.test', () => import('./panelsJa.test')],
	['webData.test', () => import('./webData.test')],
	['webUser.test', () => import('./webUser.test')],
];

const resultsUri = testEnv('MINIBATCH_LAB_TEST_RESULTS_URI');

/** Write-then-rename, so a runner polling the file never reads half of it. */
async function writeResults(results: TestResults): Promise<void> {
	if (!resultsUri) return;
	const target = vscode.Uri.parse(resultsUri, true);
	const tmp = target.with({ path: `${target.path}.tmp` });
	await vscode.workspace.fs.writeFile(tmp, new TextEncoder().encode(JSON.stringify(results, null, '\t') + '\n'));
	await vscode.workspace.fs.rename(tmp, target, { overwrite: true });
}

export function run(): Promise<void> {
	return runSuite(testModules, writeResults);
}
