// `npm test`: build, type-check, lint, the unit tests (node's test runner), then the in-host suite in a real VS Code.
// Ends with one plain `N passed, N failed, N skipped` line over both suites. `--unit-only` skips the in-host suite.
// Once every Debian package the tests use is installed (scripts/setup-system.mjs), the tests that need one fail rather
// than skip when it is missing (MINIBATCH_LAB_SETUP_COMPLETE). With MINIBATCH_LAB_FAIL_ON_SKIP=1 (CI) any skip fails the run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { missingPackages } from './system-packages.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const unitOnly = process.argv.includes('--unit-only');
/** A bound on each unit test file, so a wait that never ends fails the run with a message instead of hanging it. */
const UNIT_FILE_TIMEOUT_MS = 15 * 60_000;

function step(title, cmd, args, opts = {}) {
	console.log(`\n=== ${title}: ${[cmd, ...args].join(' ')}`);
	const r = spawnSync(cmd, args, { cwd: root, stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', env: opts.env ?? process.env });
	if (opts.capture) process.stdout.write(r.stdout ?? '');
	return r;
}

function fail(message) {
	console.error(`test: ${message}`);
	console.log('0 passed, 1 failed, 0 skipped');
	process.exit(1);
}

if (step('system packages', 'node', ['scripts/setup-system.mjs']).status !== 0) fail('installing the Debian packages the tests need failed');
const missing = missingPackages();
const env = { ...process.env, MINIBATCH_LAB_SETUP_COMPLETE: missing.length === 0 ? '1' : '' };
console.log(missing.length === 0 ? 'setup: every Debian package the tests use is installed' : `setup: missing ${missing.join(', ')}; the tests that need them skip`);
if (step('build', 'node', ['scripts/build.mjs']).status !== 0) fail('the build failed');
if (step('types', 'npx', ['tsc', '--noEmit']).status !== 0) fail('tsc --noEmit reported errors');
if (existsSync(join(root, 'media', 'tsconfig.json')) && step('types (webview)', 'npx', ['tsc', '--noEmit', '-p', 'media']).status !== 0) fail('tsc -p media reported errors');
if (step('lint', 'npx', ['eslint', '.']).status !== 0) fail('eslint reported problems');

const tapDir = mkdtempSync(join(tmpdir(), 'mbl-tap-'));
const tap = join(tapDir, 'unit.tap');
const unit = step(
	'unit tests',
	'node',
	['--test', `--test-timeout=${UNIT_FILE_TIMEOUT_MS}`, '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, 'dist/test/unit/'],
	{ env },
);
const tapText = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
const count = (key) => Number(tapText.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
let passed = count('pass');
// A test that timed out, or was cut short by its suite's timeout, is "cancelled": a failure.
const unitFailed = count('fail') + count('cancelled');
let failed = unitFailed + (unit.status !== 0 && unitFailed === 0 ? 1 : 0);
// Every skipped test or suite carries a SKIP directive (a skipped suite is not in the "# skipped" total).
let skipped = [...tapText.matchAll(/^\s*(?:not )?ok \d+ - .*# (?:SKIP|TODO)\b/gm)].length;
console.log(`unit: ${passed} passed, ${failed} failed, ${skipped} skipped`);

if (!unitOnly) {
	const host = step('in-host tests', 'npm', ['run', 'test:host', '--', '--no-build'], { capture: true, env });
	const m = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/m.exec([...(host.stdout ?? '').matchAll(/^\d+ passed, \d+ failed.*$/gm)].pop()?.[0] ?? '');
	if (m) {
		passed += Number(m[1]);
		failed += Number(m[2]);
		skipped += Number(m[3] ?? 0);
	} else failed += 1;
	if (host.status !== 0 && (!m || Number(m[2]) === 0)) failed += 1;
}

if (process.env.MINIBATCH_LAB_FAIL_ON_SKIP === '1' && skipped > 0) {
	console.error(`test: ${skipped} test(s) skipped, and MINIBATCH_LAB_FAIL_ON_SKIP=1 allows none (see the SKIP lines above for why)`);
	failed += 1;
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
