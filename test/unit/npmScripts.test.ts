import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// After `npm ci` every npm script works as it is: one that starts code-server (the in-host tests, the package test,
// screenshots) first runs scripts/host/setup.mjs, as `npm test` does through test:host. The setup is idempotent and
// returns at once once code-server is cached in .vscode-test/.

const root = join(__dirname, '..', '..', '..');
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
/** The scripts that launch code-server and chromium (scripts/host/codeServer.mjs). */
const LAUNCHERS = ['scripts/host/run-host-tests.mjs', 'scripts/host/package-test.mjs', 'scripts/host/screenshot.mjs', 'scripts/host/hover-screenshot.mjs'];
const SETUP = 'node scripts/host/setup.mjs';

describe('npm scripts', () => {
	it('every script that starts code-server sets it up first', () => {
		const launching = Object.entries(scripts).filter(([, cmd]) => LAUNCHERS.some((l) => cmd.includes(l)));
		assert.deepEqual(launching.map(([name]) => name).sort(), ['screenshot', 'test:host', 'test:package']);
		for (const [name, cmd] of launching) {
			const steps = cmd.split('&&').map((s) => s.trim());
			const setup = steps.indexOf(SETUP);
			const launch = steps.findIndex((s) => LAUNCHERS.some((l) => s.includes(l)));
			assert.ok(setup >= 0 && setup < launch, `npm run ${name} must run \`${SETUP}\` before it starts code-server: ${cmd}`);
		}
	});

	it('npm test sets up through test:host', () => {
		assert.equal(scripts.test, 'node scripts/test.mjs');
		assert.match(readFileSync(join(root, 'scripts', 'test.mjs'), 'utf8'), /'npm', \['run', 'test:host'/);
	});
});
