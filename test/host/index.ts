/**
 * Entry point that VS Code's Node extension host loads as `extensionTestsPath`: runs the mocha suite inside it (./suite.ts).
 * The browser host loads ./webIndex.ts instead.
 * Bundled by scripts/build.mjs to dist/test/host/index.js, so test files are listed here rather than globbed.
 *
 * Environment (the extension host inherits it from code-server, or from test-electron's extensionTestsEnv):
 * - MINIBATCH_LAB_TEST_RESULTS: path of the JSON results file, rewritten after every test so the runner can show progress
 * - MINIBATCH_LAB_TEST_GREP: only run tests whose full title matches this pattern
 * - MINIBATCH_LAB_TEST_TIMEOUT_MS: per-test timeout (default 30000; the first activation on 2 busy cores is slow)
 * - MINIBATCH_LAB_TEST_PASS: which launch this is (run-host-tests.mjs PASSES); only the tests tagged for it run, and untagged
 *   tests run in `main` (the default, also under test-electron)
 * - MINIBATCH_LAB_BROWSER_BRIDGE: set by run-host-tests.mjs only; see ./browser.ts
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { runSuite, type TestModules, type TestResults } from './suite';

export type { TestRecord, TestResults, TestState } from './suite';

/**
 * Test modules, imported only after mocha has set up `describe`/`it`: a static import would evaluate them first.
 * Add new `test/host/*.test.ts` files here.
 */
const testModules: TestModules = [
	['extension.test', () => import('./extension.test')],
	['browser.test', () => import('./browser.test')],
	['comparison.test', () => import('./comparison.test')],
	['seeds.test', () => import('./seeds.test')],
	['hover.test', () => import('./hover.test')],
	['hoverJa.test', () => import('./hoverJa.test')],
	['hoverPatterns.test', () => import('./hoverPatterns.test')],
	['panelsJa.test', () => import('./panelsJa.test')],
	['reasonsJa.test', () => import('./reasonsJa.test')],
	['robustness.test', () => import('./robustness.test')],
	['trust.test', () => import('./trust.test')],
	['parallel.test', () => import('./parallel.test')],
	['latency.test', () => import('./latency.test')],
	['gradient.test', () => import('./gradient.test')],
	['faults.test', () => import('./faults.test')],
	['messages.test', () => import('./messages.test')],
	['hostile.test', () => import('./hostile.test')],
	['longRun.test', () => import('./longRun.test')],
	['script.test', () => import('./script.test')],
	['scriptEditor.test', () => import('./scriptEditor.test')],
	['staleFix.test', () => import('./staleFix.test')],
	['installed.test', () => import('./installed.test')],
];

const resultsPath = process.env.MINIBATCH_LAB_TEST_RESULTS;

/** Write-then-rename, so a runner polling the file never reads half of it. */
function writeResults(results: TestResults): void {
	if (!resultsPath) return;
	mkdirSync(dirname(resultsPath), { recursive: true });
	const tmp = `${resultsPath}.${process.pid}.tmp`;
	writeFileSync(tmp, JSON.stringify(results, null, '\t') + '\n');
	renameSync(tmp, resultsPath);
}

export function run(): Promise<void> {
	return runSuite(testModules, writeResults);
}
