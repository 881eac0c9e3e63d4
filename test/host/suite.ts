/**
 * The mocha run inside the extension host, shared by the Node host's entry (index.ts) and the browser host's (webIndex.ts):
 * they differ only in which test modules they bundle and where the results go.
 */
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { testEnv, testPass } from './env';

export type TestModules = ReadonlyArray<readonly [name: string, load: () => Promise<unknown>]>;

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
	host: { vscodeVersion: string; appName: string; appHost: string; uiKind: 'desktop' | 'web'; extensionHost: 'node' | 'browser'; pass: string; grep?: string };
	tests: TestRecord[];
}

/**
 * Whether a test runs in this pass, from the tags in its full title; keep in sync with PASSES in scripts/host/run-host-tests.mjs.
 * Untagged tests run in `main`; `@untrusted`, `@ja`, `@hostile` and `@installed` ones in their pass. The browser passes run what their bundle
 * holds: `web` the untagged and `@web` tests, `web-ja` the `@ja` ones; `@node` keeps a test out of both.
 */
export function inPass(fullTitle: string, pass: string): boolean {
	const tag = (t: string) => fullTitle.includes(t);
	const home = tag('@untrusted') ? 'untrusted' : tag('@ja') ? 'ja' : tag('@hostile') ? 'hostile' : tag('@installed') ? 'installed' : tag('@web') ? 'web' : 'main';
	if (pass === 'web') return (home === 'main' || home === 'web') && !tag('@node');
	if (pass === 'web-ja') return home === 'ja' && !tag('@node');
	return home === pass;
}

/** Drops the tests of other passes before mocha runs, so they are neither run nor counted as skipped. */
function keepPass(suite: Mocha.Suite, pass: string): void {
	suite.tests = suite.tests.filter((t) => inPass(t.fullTitle(), pass));
	for (const child of suite.suites) keepPass(child, pass);
}

function describeError(err: unknown): { message: string; stack?: string } {
	if (err instanceof Error) return { message: err.message, stack: err.stack };
	return { message: String(err) };
}

/**
 * Runs the suite; `write` gets the results after every test (so the runner can show progress) and at the end. Throws
 * when a test failed, which the workbench turns into a non-zero exit code.
 */
export async function runSuite(modules: TestModules, write: (results: TestResults) => Promise<void> | void): Promise<void> {
	const grep = testEnv('MINIBATCH_LAB_TEST_GREP');
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
			extensionHost: typeof process === 'undefined' ? 'browser' : 'node',
			pass: testPass,
			grep,
		},
		tests: [],
	};
	// One write at a time, in order: the browser's writes are asynchronous.
	let writing = Promise.resolve();
	const save = () => (writing = writing.then(() => write(results)).catch((e) => console.error(`could not write the test results: ${describeError(e).message}`)));

	const record = (entry: TestRecord) => {
		results.tests.push(entry);
		results[entry.state] += 1;
		const mark = entry.state === 'passed' ? '✓' : entry.state === 'failed' ? '✗' : '-';
		const time = entry.durationMs === undefined ? '' : ` (${entry.durationMs} ms)`;
		console.log(`  ${mark} ${entry.fullTitle}${time}`);
		if (entry.error) console.log(`      ${entry.error.stack ?? entry.error.message}`);
		void save();
	};

	/** Records each test as it ends; the in-host console is not always visible to the runner, the results are. */
	class RecordingReporter extends Mocha.reporters.Base {
		constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
			super(runner, options);
			const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
			runner.on(EVENT_TEST_PASS, (test) => record({ title: test.title, fullTitle: test.fullTitle(), state: 'passed', durationMs: test.duration }));
			// Also fires for failing hooks, whose "test" is the hook itself; count those as failures too.
			runner.on(EVENT_TEST_FAIL, (test, err) => record({ title: test.title, fullTitle: test.fullTitle(), state: 'failed', durationMs: test.duration, error: describeError(err) }));
			runner.on(EVENT_TEST_PENDING, (test) => record({ title: test.title, fullTitle: test.fullTitle(), state: 'pending' }));
		}
	}

	await save(); // tells the runner that the host is up and running tests

	const mocha = new Mocha({
		ui: 'bdd',
		color: false,
		timeout: Number(testEnv('MINIBATCH_LAB_TEST_TIMEOUT_MS')) || 30_000,
		reporter: RecordingReporter,
	});
	if (grep) mocha.grep(grep);

	// What mocha.loadFiles() does per file, minus the require: installs describe/it on globalThis (and mocha's exports).
	for (const [name, load] of modules) {
		mocha.suite.emit('pre-require', globalThis, name, mocha);
		try {
			await load();
		} catch (err) {
			record({ title: `load ${name}`, fullTitle: `load ${name}`, state: 'failed', error: describeError(err) });
		}
		mocha.suite.emit('require', undefined, name, mocha);
		mocha.suite.emit('post-require', globalThis, name, mocha);
	}

	keepPass(mocha.suite, testPass);
	console.log(`minibatch-lab host tests (pass ${testPass}) in ${vscode.env.appName} ${vscode.version}${grep ? ` (grep: ${grep})` : ''}`);
	await new Promise<void>((resolve) => mocha.run(() => resolve()));

	results.status = 'done';
	results.finishedAt = new Date().toISOString();
	await save();
	console.log(`${results.passed} passed, ${results.failed} failed, ${results.pending} skipped`);
	if (results.failed > 0) throw new Error(`${results.failed} test(s) failed`);
}
