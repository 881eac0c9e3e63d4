/**
 * The browser entry as it ships: the production bundles of the extension and its two workers, built here with the same
 * options as scripts/bundles.mjs, stay within 300 KB with kernel-private.wasm (the MNIST data aside), and hold no Node built-in.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

const root = join(__dirname, '..', '..', '..');
const BROWSER_BUNDLES = ['browser', 'webTrainWorker', 'webGradWorker'];
const LIMIT_BYTES = 300 * 1024;

type BuildOptions = { outfile: string; platform: string; format: string } & Record<string, unknown>;
const load = <T>(file: string) => import(pathToFileURL(file).href) as Promise<T>;

describe('the browser entry as it ships', () => {
	it(`builds for the browser with no Node built-ins, and its bundles with the kernel stay within ${LIMIT_BYTES / 1024} KB`, async (t) => {
		const { bundlesFor } = await load<{ bundlesFor(o: { production: boolean }): Record<string, BuildOptions> }>(join(root, 'scripts', 'bundles.mjs'));
		const esbuild = await load<{ build(o: object): Promise<{ errors: unknown[] }> }>(join(root, 'node_modules', 'esbuild', 'lib', 'main.js'));
		const bundles = bundlesFor({ production: true });
		const out = mkdtempSync(join(tmpdir(), 'mbl-web-bundle-'));
		try {
			const sizes: Record<string, number> = {};
			for (const name of BROWSER_BUNDLES) {
				const opts = bundles[name];
				assert.ok(opts, `scripts/bundles.mjs has no "${name}" bundle`);
				assert.equal(opts.platform, 'browser', `${name} is built for the browser, where a node: import fails the build`);
				const outfile = join(out, `${name}.js`);
				await esbuild.build({ ...opts, outfile, logLevel: 'silent' });
				const text = readFileSync(outfile, 'utf8');
				assert.doesNotMatch(text, /require\(["'](node:)?(fs|path|os|zlib|worker_threads|child_process|crypto)["']\)/, `${name} requires a Node module`);
				sizes[name] = statSync(outfile).size;
			}
			// The kernel build the browser takes (its memory is not shared).
			sizes['kernel-private.wasm'] = statSync(join(root, 'dist', 'kernel-private.wasm')).size;
			const total = Object.values(sizes).reduce((a, b) => a + b, 0);
			t.diagnostic(`browser bundles (production): ${Object.entries(sizes).map(([k, v]) => `${k} ${(v / 1024).toFixed(1)} KB`).join(', ')}; total ${(total / 1024).toFixed(1)} KB`);
			assert.ok(total <= LIMIT_BYTES, `${total} bytes`);
		} finally {
			rmSync(out, { recursive: true, force: true });
		}
	});

	it('is declared for the browser and for virtual workspaces (github.dev opens a repository as one)', () => {
		const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { browser?: string; capabilities?: { virtualWorkspaces?: boolean | { supported?: unknown; description?: string } } };
		assert.equal(manifest.browser, './dist/web/extension.js');
		// `false` would leave the extension disabled in github.dev, whatever its browser entry can do.
		const virtual = manifest.capabilities?.virtualWorkspaces;
		assert.ok(virtual === true || (typeof virtual === 'object' && (virtual.supported === true || virtual.supported === 'limited')), JSON.stringify(virtual));
	});
});
