/**
 * Entry point that VS Code loads as `extensionTestsPath`: runs the mocha suite inside the extension host.
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
import Mocha from 'mocha';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';

/**
 * Test modules, imported only after mocha has set up `describe`/`it`: a static import would evaluate them first.
 * Add new `test/host/*.test.ts` files here.
 */
const testModules: ReadonlyArray<readonly [name: string, load: () => Promise<unknown>]> = [
	['extension.test', () => import('./extension.test')],
	['browser.test', () => import('./browser.test')],
	['comparison.test', () => import('./comparison.test')],
	['seeds.test', () => import('./seeds.test')],
	['hover.test', () => import('./hover.test')],
	['hoverJa.test', () => import('./hoverJa.test')],
	['panelsJa.test', () => import('./panelsJa.test')],
	['robustness.test', () => import('./robustness.test')],
	['trust.test', () => import('./trust.test')],
	['parallel.test', () => import('./parallel.test')],
	['latency.test', () => import('./latency.test')],
	['gradient.test', () => import('./gradient.test')],
	['faults.test', () => import('./faults.test')],
	['messages.test', () => import('./messages.test')],
	['hostile.test', () => import('./hostile.test')],
];

export type TestState = 'passed' | 'failed' | 'pending';

export interface TestRecord {
	title: string;
	fullTitle: string;
	state: TestState;
	durationMs?: number;
	error?: { message: string; stack?: string };
}

export interface TestResults {
	status: 'running' | 'done';
	passed: number;
	failed: number;
	pending: number;
	startedAt: string;
	finishedAt?: string;
	host: { vscodeVersion: string; appName: string; appHost: string; uiKind: 'desktop' | 'web'; grep?: string };
	tests: TestRecord[];
}

const resultsPath = process.env.MINIBATCH_LAB_TEST_RESULTS;
const pass = process.env.MINIBATCH_LAB_TEST_PASS || 'main';

/** The pass a test belongs to, from a tag in its full title; keep in sync with PASSES in scripts/host/run-host-tests.mjs. */
const PASS_TAGS: Readonly<Record<string, string>> = { '@untrusted': 'untrusted', '@ja': 'ja', '@hostile': 'hostile' };
function passOf(fullTitle: string): string {
	for (const [tag, name] of Object.entries(PASS_TAGS)) if (fullTitle.includes(tag)) return name;
	return 'main';
}

/** Drops the tests of other passes before mocha runs, so they are neither run nor counted as skipped. */
function keepPass(suite: Mocha.Suite): void {
	suite.tests = suite.tests.filter((t) => passOf(t.fullTitle()) === pass);
	for (const child of suite.suites) keepPass(child);
}
const grep = process.env.MINIBATCH_LAB_TEST_GREP || undefined;

const results: TestResults = {
	status: 'running',
	passed: 0,
	failed: 0,
	pending: 0,
	startedAt: new Date().toISOString(),
	host: {
		vscodeVersion: vscode.version,
		appName: vscode.env.appName,
		appHost: vscode.env.appHost,
		uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop',
		grep,
	},
	tests: [],
};

/** Write-then-rename, so a runner polling the file never reads half of it. */
function writeResults(): void {
	if (!resultsPath) return;
	mkdirSync(dirname(resultsPath), { recursive: true });
	const tmp = `${resultsPath}.${process.pid}.tmp`;
	writeFileSync(tmp, JSON.stringify(results, null, '\t') + '\n');
	renameSync(tmp, resultsPath);
}

function describeError(err: unknown): { message: string; stack?: string } {
	if (err instanceof Error) return { message: err.message, stack: err.stack };
	return { message: String(err) };
}

function record(entry: TestRecord): void {
	results.tests.push(entry);
	results[entry.state] += 1;
	const mark = entry.state === 'passed' ? '✓' : entry.state === 'failed' ? '✗' : '-';
	const time = entry.durationMs === undefined ? '' : ` (${entry.durationMs} ms)`;
	console.log(`  ${mark} ${entry.fullTitle}${time}`);
	if (entry.error) console.log(`      ${entry.error.stack ?? entry.error.message}`);
	writeResults();
}

/** Records each test as it ends; the in-host console is not always visible to the runner, the results file is. */
class RecordingReporter extends Mocha.reporters.Base {
	constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
		super(runner, options);
		const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
		runner.on(EVENT_TEST_PASS, (test) =>
			record({ title: test.title, fullTitle: test.fullTitle(), state: 'passed', durationMs: test.duration }),
		);
		// Also fires for failing hooks, whose "test" is the hook itself; count those as failures too.
		runner.on(EVENT_TEST_FAIL, (test, err) =>
			record({ title: test.title, fullTitle: test.fullTitle(), state: 'failed', durationMs: test.duration, error: describeError(err) }),
		);
		runner.on(EVENT_TEST_PENDING, (test) => record({ title: test.title, fullTitle: test.fullTitle(), state: 'pending' }));
	}
}

export async function run(): Promise<void> {
	writeResults(); // tells the runner that the host is up and running tests

	const mocha = new Mocha({
		ui: 'bdd',
		color: false,
		timeout: Number(process.env.MINIBATCH_LAB_TEST_TIMEOUT_MS) || 30_000,
		reporter: RecordingReporter,
	});
	if (grep) mocha.grep(grep);

	// What mocha.loadFiles() does per file, minus the require: installs describe/it on globalThis (and mocha's exports).
	for (const [name, load] of testModules) {
		mocha.suite.emit('pre-require', globalThis, name, mocha);
		try {
			await load();
		} catch (err) {
			record({ title: `load ${name}`, fullTitle: `load ${name}`, state: 'failed', error: describeError(err) });
		}
		mocha.suite.emit('require', undefined, name, mocha);
		mocha.suite.emit('post-require', globalThis, name, mocha);
	}

	keepPass(mocha.suite);
	console.log(`minibatch-lab host tests (pass ${pass}) in ${vscode.env.appName} ${vscode.version}${grep ? ` (grep: ${grep})` : ''}`);
	await new Promise<void>((resolve) => mocha.run(() => resolve()));

	results.status = 'done';
	results.finishedAt = new Date().toISOString();
	writeResults();
	console.log(`${results.passed} passed, ${results.failed} failed, ${results.pending} skipped`);
	if (results.failed > 0) throw new Error(`${results.failed} test(s) failed`);
}
