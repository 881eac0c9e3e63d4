// Runs the same in-host suite (dist/test/host/index.js) in desktop VS Code through @vscode/test-electron.
// Needs network access to update.code.visualstudio.com (or an existing VS Code via --vscode-executable); on Linux without a
// display, wrap it in `xvfb-run -a`. Offline machines use run-host-tests.mjs (code-server) instead.
// Usage: node scripts/host/run-electron-tests.mjs [--grep PATTERN] [--vscode-version 1.100.3|stable|insiders] [--vscode-executable PATH]
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import process from 'node:process';
import { setInterval, clearInterval } from 'node:timers';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import testElectron from '@vscode/test-electron';
import { quietSettings } from './codeServer.mjs';
import { fixtureWorkspace, hostTestsIndex, repoRoot } from './paths.mjs';
import { printNewTests, printSummary, readResults } from './results.mjs';

const { downloadAndUnzipVSCode, runTests, TestRunFailedError } = testElectron;

const { values: opts } = parseArgs({
	options: {
		grep: { type: 'string' },
		// The oldest version engines.vscode allows, and the one code-server 4.100.3 embeds, so both routes test the same API.
		'vscode-version': { type: 'string', default: process.env.MINIBATCH_LAB_VSCODE_VERSION ?? '1.100.3' },
		'vscode-executable': { type: 'string', default: process.env.MINIBATCH_LAB_VSCODE_EXECUTABLE },
	},
});
const say = (msg) => console.log(`electron-tests: ${msg}`);
const started = Date.now();

function fail(msg) {
	console.error(`electron-tests: ERROR: ${msg}`);
	console.log('0 passed, 1 failed, 0 skipped');
	process.exit(1);
}

/** Only the milestones of test-electron's progress; its own error output would bury the one-line message below. */
const quietReporter = {
	report(r) {
		if (r.stage === 'resolvedVersion') say(`VS Code ${r.version}`);
		else if (r.stage === 'foundMatchingInstall') say(`using cached ${r.downloadedPath}`);
		else if (r.stage === 'resolvingCDNLocation') say(`downloading from ${r.url}`);
		else if (r.stage === 'retrying') say(`download attempt ${r.attempt}/${r.totalAttempts} failed (${r.error.message}); retrying`);
		else if (r.stage === 'newInstallComplete') say(`installed ${r.downloadedPath}`);
	},
	error() {},
};

const oneLine = (err) => (err instanceof Error ? err.message : String(err)).split('\n')[0];

if (!existsSync(hostTestsIndex)) fail(`${hostTestsIndex} is missing; run \`node scripts/build.mjs\` first`);
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
	say('warning: no DISPLAY; desktop VS Code needs one on Linux (use `xvfb-run -a npm run test:electron`)');
}

let executable = opts['vscode-executable'] && resolve(opts['vscode-executable']);
if (!executable) {
	try {
		executable = await downloadAndUnzipVSCode({
			version: opts['vscode-version'],
			cachePath: join(repoRoot, '.vscode-test'),
			extensionDevelopmentPath: repoRoot,
			reporter: quietReporter,
			timeout: 20_000,
		});
	} catch (err) {
		fail(`cannot download VS Code ${opts['vscode-version']} (${oneLine(err)}); this route needs update.code.visualstudio.com, offline use \`npm run test:host\``);
	}
}

// Throwaway profile: a short path (VS Code's IPC socket path has a length limit) and the same quiet settings as the code-server route.
const tmp = mkdtempSync(join(tmpdir(), 'mbl-electron-'));
const userDataDir = join(tmp, 'ud');
mkdirSync(join(userDataDir, 'User'), { recursive: true });
writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(quietSettings, null, '\t') + '\n');
const resultsFile = join(tmp, 'results.json');
// Where tests write files (exports): test/host/util.ts scratchFolder.
const scratch = join(tmp, 'scratch');
mkdirSync(scratch);
// As in codeServer.mjs: built-in extensions under the development extension's folder (.vscode-test/) would count as its own
// (its themes would replace the configured one), so point VS Code at them through a link outside the repository.
const builtinArgs = [];
const builtinDir = join(dirname(executable), 'resources', 'app', 'extensions');
if (existsSync(builtinDir) && !relative(repoRoot, builtinDir).startsWith('..')) {
	symlinkSync(builtinDir, join(tmp, 'builtin'), 'dir');
	builtinArgs.push(`--builtin-extensions-dir=${join(tmp, 'builtin')}`);
}

let exitCode;
let printed = 0;
const poll = setInterval(() => {
	const r = readResults(resultsFile);
	if (r) printed = printNewTests(r, printed);
}, 500);
try {
	exitCode = await runTests({
		vscodeExecutablePath: executable,
		extensionDevelopmentPath: repoRoot,
		extensionTestsPath: hostTestsIndex,
		extensionTestsEnv: { MINIBATCH_LAB_TEST_RESULTS: resultsFile, MINIBATCH_LAB_TEST_GREP: opts.grep ?? '', MINIBATCH_LAB_TEST_SCRATCH: pathToFileURL(scratch).href },
		launchArgs: [
			fixtureWorkspace,
			'--disable-extensions',
			'--skip-welcome',
			'--skip-release-notes',
			'--disable-workspace-trust',
			`--user-data-dir=${userDataDir}`,
			`--extensions-dir=${join(tmp, 'ext')}`,
			...builtinArgs,
		],
	});
} catch (err) {
	// A failing test makes VS Code exit non-zero, which test-electron reports by rejecting.
	if (err instanceof TestRunFailedError) exitCode = err.code ?? 1;
	else {
		clearInterval(poll);
		rmSync(tmp, { recursive: true, force: true });
		fail(`VS Code did not run: ${oneLine(err)}`);
	}
} finally {
	clearInterval(poll);
}

const results = readResults(resultsFile);
rmSync(tmp, { recursive: true, force: true });
if (!results) fail(`VS Code exited (code ${exitCode}) without running the test index ${hostTestsIndex}`);
printNewTests(results, printed);
let failed = results.failed;
if (results.status !== 'done') {
	say(`error: the test run stopped before finishing (exit code ${exitCode})`);
	failed += 1;
} else if (exitCode !== 0 && failed === 0) {
	say(`error: VS Code exited with code ${exitCode} although no test failed`);
	failed += 1;
}
say(`finished in ${((Date.now() - started) / 1000).toFixed(1)} s in ${results.host.appName} ${results.host.vscodeVersion}`);
printSummary({ passed: results.passed, failed, pending: results.pending, failures: results.tests.filter((t) => t.state === 'failed') });
process.exitCode = failed > 0 ? 1 : 0;
