// Runs test/host/*.test.ts inside a real VS Code extension host: code-server 4.100.3 driven by headless chromium.
// Usage: node scripts/host/run-host-tests.mjs [--no-build] [--grep PATTERN] [--pass NAME[,NAME]] [--timeout-ms N]
//        [--start-timeout-ms N] [--verbose]
// Each pass is one code-server launch with its own conditions (see PASSES); a test belongs to the pass whose tag is in its
// title, or to `main` when it has none. Without --pass every pass runs; with --grep and no --pass, only `main`.
// Ends with a plain `N passed, N failed, N skipped` line over all passes; exit code 0 only when every test passed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchBrowser, registerCleanup, remoteUri, startCodeServer, workbenchUrl } from './codeServer.mjs';
import { startBrowserBridge } from './browserBridge.mjs';
import { writeHostileWorkspace } from './hostileWorkspace.mjs';
import { fixtureWorkspace, hostTestsIndex, repoRoot, webTestsIndex } from './paths.mjs';
import { stagedWorkspace, stageWebExtension } from './webExtension.mjs';
import { printNewTests, printSummary, readResults } from './results.mjs';

const { values: opts } = parseArgs({
	options: {
		'no-build': { type: 'boolean', default: false },
		grep: { type: 'string' },
		pass: { type: 'string' },
		'timeout-ms': { type: 'string', default: process.env.MINIBATCH_LAB_HOST_TIMEOUT_MS ?? String(15 * 60_000) },
		// From page load until index.ts's run() writes its first results; a broken host is reported after this.
		'start-timeout-ms': { type: 'string', default: process.env.MINIBATCH_LAB_HOST_START_TIMEOUT_MS ?? String(4 * 60_000) },
		verbose: { type: 'boolean', short: 'v', default: false },
	},
});
const timeoutMs = Number(opts['timeout-ms']);
const startTimeoutMs = Number(opts['start-timeout-ms']);
const started = Date.now();
const say = (msg) => console.log(`host-tests: ${msg}`);
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

class RunError extends Error {}

/**
 * The launches. `main` is a trusted workspace in English; `ja` runs VS Code with Japanese as its display language (a minimal
 * language pack, see writeLanguagePack in codeServer.mjs); `hostile` opens a workspace written to plant command links
 * (./hostileWorkspace.mjs) instead of the fixture folder; `installed` runs the extension as a user's editor does (installed, so
 * in ExtensionMode.Production, not under development), with a stub extension as the development path that carries the suite. `web` runs the extension with its Node entry removed in the
 * browser's web worker extension host, with the suite bundled for the browser (test/host/webIndex.ts), and `web-ja` does
 * that in Japanese. Which tests run in which pass: inPass in test/host/suite.ts, which keeps only the tests of the pass it
 * runs in (MINIBATCH_LAB_TEST_PASS).
 */
const PASSES = [
	{ name: 'main', server: {} },
	{ name: 'untrusted', tag: '@untrusted', server: { workspaceTrust: 'untrusted' } },
	{ name: 'ja', tag: '@ja', server: { locale: 'ja' } },
	{ name: 'hostile', tag: '@hostile', server: {}, workspace: writeHostileWorkspace },
	{ name: 'installed', tag: '@installed', server: {}, installed: true },
	{ name: 'web', web: true, server: {} },
	{ name: 'web-ja', web: true, server: { locale: 'ja' } },
];
const wanted = opts.pass ? opts.pass.split(',') : opts.grep ? ['main'] : PASSES.map((p) => p.name);
const unknownPass = wanted.find((n) => !PASSES.some((p) => p.name === n));

/** What the error path needs: the latest results (for honest counts) and the server log when nothing ran. */
let lastResults;
let lastServerOutput = '';

/** The browser-side logs, kept for diagnosis when the host never starts or dies. */
const browserLog = [];
function remember(line) {
	browserLog.push(line);
	if (browserLog.length > 400) browserLog.shift();
	if (opts.verbose) console.log(`  [browser] ${line}`);
}

/** Turns arbitrary output chunks into whole lines, so prefixes land at line starts. */
function linesOf(onLine) {
	let pending = '';
	return (chunk) => {
		const parts = (pending + chunk).split('\n');
		pending = parts.pop() ?? '';
		for (const line of parts) if (line.trim()) onLine(line);
	};
}

async function main() {
	if (unknownPass) throw new RunError(`unknown --pass ${unknownPass}; the passes are ${PASSES.map((p) => p.name).join(', ')}`);
	if (!opts['no-build']) {
		say('building (node scripts/build.mjs)');
		const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
		if (build.status !== 0) throw new RunError(`build failed (exit ${build.status})`);
	}
	if (wanted.some((n) => !PASSES.find((p) => p.name === n)?.web) && !existsSync(hostTestsIndex)) throw new RunError(`${hostTestsIndex} is missing; build first`);
	if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) throw new RunError('dist/extension.js is missing; build first');
	if (wanted.some((n) => PASSES.find((p) => p.name === n)?.web) && !existsSync(webTestsIndex)) throw new RunError(`${webTestsIndex} is missing; build first`);

	const total = { passed: 0, failed: 0, pending: 0, failures: [] };
	for (const pass of PASSES.filter((p) => wanted.includes(p.name))) {
		const r = await runPass(pass);
		lastResults = undefined;
		total.passed += r.passed;
		total.failed += r.failed;
		total.pending += r.pending;
		total.failures.push(...r.failures);
		done.passed += r.passed;
		done.failed += r.failed;
		done.pending += r.pending;
	}
	say(`finished in ${elapsed()}`);
	printSummary(total);
	return total.failed > 0 ? 1 : 0;
}

/** What finished passes counted, so a later pass that breaks still reports them. */
const done = { passed: 0, failed: 0, pending: 0 };

/**
 * The browser host has no environment to read: a copy of the web test bundle starts by setting what test/host/env.ts reads.
 * On its first line, so that line numbers in stacks stay those of the bundle and its source map. Inside the extension's
 * folder: the workbench runs the tests in the extension host of the extension whose folder holds them.
 */
function writeWebTests(extensionDir, env) {
	const dir = join(extensionDir, 'web-tests');
	mkdirSync(dir);
	const file = join(dir, 'index.js');
	writeFileSync(file, `globalThis.minibatchLabTestEnv = ${JSON.stringify(env)};${readFileSync(webTestsIndex, 'utf8')}`);
	return file;
}

/** Stacks from the browser host name files by vscode-remote URI; name the bundles in the repository instead, for mapStack. */
function localStacks(results, server, webTests) {
	const prefix = remoteUri(server, '');
	for (const t of results?.tests ?? []) {
		if (!t.error?.stack) continue;
		t.error.stack = t.error.stack.split(`${prefix}${webTests}#vscode-extension`).join(webTestsIndex).split(webTests).join(webTestsIndex).replace(/vscode-remote:\/\/127\.0\.0\.1:\d+(\/[^\s()#]+)#vscode-extension/g, '$1');
	}
	return results;
}

/**
 * The `installed` pass's development extension: an empty one, there only so VS Code runs the test suite. Minibatch Lab
 * itself is then an installed extension (installFromRepository), which VS Code runs in ExtensionMode.Production.
 */
function writeProbeExtension(tmp) {
	const dir = join(tmp, 'probe');
	mkdirSync(dir);
	writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'host-test-probe', publisher: 'minibatch-lab-tests', version: '0.0.0', engines: { vscode: '^1.100.0' } }, null, '\t') + '\n');
	return dir;
}

/** This repository's build as an installed extension of the server: a link in its fresh extensions folder, before any window opens. */
function installFromRepository(server) {
	const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
	const extensionsDir = join(dirname(server.userDataDir), 'extensions');
	symlinkSync(repoRoot, join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`), 'dir');
}

async function runPass(pass) {
	if (pass.name !== 'main' || wanted.length > 1) say(`pass "${pass.name}"`);
	const tmp = mkdtempSync(join(tmpdir(), 'minibatch-lab-host-tests-'));
	const removeTmp = () => rmSync(tmp, { recursive: true, force: true });
	const unregister = registerCleanup(removeTmp);
	const resultsFile = join(tmp, 'results.json');
	const web = pass.web === true;
	const extensionDir = web ? stageWebExtension(tmp) : pass.installed ? writeProbeExtension(tmp) : repoRoot;
	let testsIndex = hostTestsIndex;
	let server;
	let browser;
	let bridge;
	try {
		const workspace = pass.workspace ? pass.workspace(tmp) : web ? stagedWorkspace(extensionDir) : fixtureWorkspace;
		bridge = await startBrowserBridge();
		// Where tests write files (exports): test/host/util.ts scratchFolder; the browser names the server's files by vscode-remote URI.
		const scratch = join(tmp, 'scratch');
		mkdirSync(scratch);
		const env = { MINIBATCH_LAB_TEST_RESULTS: resultsFile, MINIBATCH_LAB_TEST_GREP: opts.grep ?? '', MINIBATCH_LAB_TEST_PASS: pass.name, MINIBATCH_LAB_BROWSER_BRIDGE: bridge.url, MINIBATCH_LAB_TEST_SCRATCH: pathToFileURL(scratch).href };
		server = await startCodeServer({
			workspace,
			...pass.server,
			env,
			onOutput: opts.verbose ? linesOf((line) => console.log(`  [code-server] ${line}`)) : undefined,
		});
		if (pass.installed) installFromRepository(server);
		if (web) {
			testsIndex = writeWebTests(extensionDir, {
				...env,
				MINIBATCH_LAB_TEST_RESULTS_URI: remoteUri(server, resultsFile),
				MINIBATCH_LAB_TEST_SCRATCH: remoteUri(server, scratch),
				MINIBATCH_LAB_TEST_TIMEOUT_MS: process.env.MINIBATCH_LAB_TEST_TIMEOUT_MS ?? '',
				// The benchmarks' switch and output file (test/host/webActivation.test.ts), which the browser writes through the server.
				MINIBATCH_LAB_BENCH: process.env.MINIBATCH_LAB_BENCH ?? '',
				MINIBATCH_LAB_BENCH_OUT: process.env.MINIBATCH_LAB_BENCH_OUT ? remoteUri(server, resolve(process.env.MINIBATCH_LAB_BENCH_OUT)) : '',
			});
		}
		const readPass = () => (web ? localStacks(readResults(resultsFile), server, testsIndex) : readResults(resultsFile));
		say(`code-server up at ${server.url} (${elapsed()})`);
		browser = await launchBrowser();
		// The browser's own language follows the display language, as it would for a user who chose it.
		const page = await browser.newPage(pass.server.locale ? { locale: pass.server.locale } : {});
		await bridge.setPage(page);

		let exitCode;
		// The workbench calls these once run() settles / for its own log lines; they must exist before the page loads.
		await page.exposeFunction('codeAutomationExit', (code) => {
			exitCode = Number(code);
		});
		await page.exposeFunction('codeAutomationLog', (type, args) => remember(`${type}: ${Array.isArray(args) ? args.join(' ') : args}`));
		// Workbench log lines arrive through codeAutomationLog too; their console copies ('%c INFO …') would double them.
		page.on('console', (msg) => {
			if (!msg.text().startsWith('%c')) remember(`console.${msg.type()}: ${msg.text()}`);
		});
		page.on('pageerror', (err) => remember(`pageerror: ${err.message}`));
		let crashed = false;
		page.on('crash', () => (crashed = true));

		const url = workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: extensionDir, extensionTestsPath: testsIndex, web });
		say(`opening the workbench${opts.grep ? ` (grep: ${opts.grep})` : ''}`);
		const loadStarted = Date.now();
		await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });

		let printed = 0;
		let announced = false;
		let doneAt;
		for (;;) {
			const results = readPass();
			lastResults = results ?? lastResults;
			if (results && !announced) {
				announced = true;
				say(`tests running in ${results.host.appName} ${results.host.vscodeVersion} (${results.host.uiKind}) after ${elapsed()}`);
			}
			if (results) printed = printNewTests(results, printed);
			if (results?.status === 'done') doneAt ??= Date.now();
			if (exitCode !== undefined) break;
			if (crashed) throw new RunError('the browser page crashed');
			if (!results && Date.now() - loadStarted > startTimeoutMs) {
				throw new RunError(`the extension host did not start the tests within ${startTimeoutMs} ms`);
			}
			// run() has finished, so the exit call is only a formality; do not hang if it never comes.
			if (doneAt && Date.now() - doneAt > 30_000) {
				say('warning: the workbench never called codeAutomationExit; using the results file');
				break;
			}
			if (Date.now() - started > timeoutMs) throw new RunError(`timed out after ${timeoutMs} ms`);
			await sleep(250);
		}

		const results = readPass();
		if (!results) {
			throw new RunError(`the extension host exited (code ${exitCode}) without running the test index ${testsIndex}`);
		}
		printed = printNewTests(results, printed);
		const failures = results.tests.filter((t) => t.state === 'failed');
		let failed = results.failed;
		if (results.status !== 'done') {
			say(`error: the test run stopped before finishing (exit code ${exitCode})`);
			failed += 1;
		} else if (exitCode !== undefined && exitCode !== 0 && failed === 0) {
			say(`error: the host reported exit code ${exitCode} although no test failed`);
			failed += 1;
		}
		return { passed: results.passed, failed, pending: results.pending, failures };
	} finally {
		const cleanupStarted = Date.now();
		await bridge?.close();
		await browser?.close().catch(() => {});
		if (server) {
			// Kept for diagnosis only when something went wrong before the results existed.
			if (!readResults(resultsFile)) lastServerOutput = server.output();
			await server.stop();
		}
		removeTmp();
		unregister();
		if (opts.verbose) say(`closed chromium and code-server in ${Date.now() - cleanupStarted} ms`);
	}
}

try {
	process.exitCode = await main();
} catch (err) {
	const msg = err instanceof Error ? err.message : String(err);
	console.error(`host-tests: ERROR: ${msg}`);
	if (!(err instanceof RunError) && err instanceof Error && err.stack) console.error(err.stack);
	if (!opts.verbose) {
		if (browserLog.length > 0) console.error(`--- browser log (last 40 lines) ---\n${browserLog.slice(-40).join('\n')}`);
		if (lastServerOutput) console.error(`--- code-server output (tail) ---\n${lastServerOutput.slice(-3000)}`);
	}
	// A run that broke midway still reports the tests it did finish, plus one failure for the breakage.
	console.log(`${done.passed + (lastResults?.passed ?? 0)} passed, ${done.failed + (lastResults?.failed ?? 0) + 1} failed, ${done.pending + (lastResults?.pending ?? 0)} skipped`);
	process.exitCode = 1;
}
