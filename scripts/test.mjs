// `npm test`: build, type-check, lint, the unit tests (node's test runner), then the in-host suite in a real VS Code.
// Ends with one plain `N passed, N failed` line over both suites. `--unit-only` skips the in-host suite.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const unitOnly = process.argv.includes('--unit-only');

function step(title, cmd, args, opts = {}) {
	console.log(`\n=== ${title}: ${[cmd, ...args].join(' ')}`);
	const r = spawnSync(cmd, args, { cwd: root, stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', env: process.env });
	if (opts.capture) process.stdout.write(r.stdout ?? '');
	return r;
}

function fail(message) {
	console.error(`test: ${message}`);
	console.log('0 passed, 1 failed');
	process.exit(1);
}

if (step('system packages', 'node', ['scripts/setup-system.mjs']).status !== 0) fail('installing the Debian packages the tests need failed');
if (step('build', 'node', ['scripts/build.mjs']).status !== 0) fail('the build failed');
if (step('types', 'npx', ['tsc', '--noEmit']).status !== 0) fail('tsc --noEmit reported errors');
if (existsSync(join(root, 'media', 'tsconfig.json')) && step('types (webview)', 'npx', ['tsc', '--noEmit', '-p', 'media']).status !== 0) fail('tsc -p media reported errors');
if (step('lint', 'npx', ['eslint', '.']).status !== 0) fail('eslint reported problems');

const tapDir = mkdtempSync(join(tmpdir(), 'mbl-tap-'));
const tap = join(tapDir, 'unit.tap');
const unit = step('unit tests', 'node', ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, 'dist/test/unit/']);
const tapText = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
const count = (key) => Number(tapText.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
let passed = count('pass');
let failed = count('fail') + (unit.status !== 0 && count('fail') === 0 ? 1 : 0);
console.log(`unit: ${passed} passed, ${failed} failed`);

if (!unitOnly) {
	const host = step('in-host tests', 'npm', ['run', 'test:host', '--', '--no-build'], { capture: true });
	const m = /^(\d+) passed, (\d+) failed/m.exec([...(host.stdout ?? '').matchAll(/^\d+ passed, \d+ failed.*$/gm)].pop()?.[0] ?? '');
	if (m) {
		passed += Number(m[1]);
		failed += Number(m[2]);
	} else failed += 1;
	if (host.status !== 0 && (!m || Number(m[2]) === 0)) failed += 1;
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
