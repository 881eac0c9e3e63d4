// The bundles scripts/build.mjs makes: one explicit entry each. Separate from build.mjs so tests can read the list.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const testEntries = (dir) =>
	existsSync(join(root, dir)) ? readdirSync(join(root, dir)).filter((f) => f.endsWith('.test.ts')).map((f) => join(dir, f)) : [];

/** The in-host suite in the browser: `mocha` and `node:assert/strict` become the browser stand-ins in test/host/web/. */
const webTestShims = {
	name: 'web-test-shims',
	setup(b) {
		const to = { mocha: 'test/host/web/mocha.ts', 'node:assert/strict': 'test/host/web/assert.ts' };
		b.onResolve({ filter: /^(mocha|node:assert\/strict)$/ }, (args) => ({ path: join(root, to[args.path]) }));
	},
};

/** name -> esbuild options; a production build (what the .vsix ships) has no test bundles. */
export function bundlesFor({ production = false } = {}) {
	const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', absWorkingDir: root };
	// The Python shim (src/runner/python/run_script.py) is inlined as text and run with `python -c`: nothing extra to ship.
	const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', loader: { '.py': 'text' } };
	// VS Code's web worker extension host loads CommonJS (module, exports, require('vscode') only) and has no Node
	// built-ins: platform 'browser' makes any node: import a build error.
	const web = { ...common, platform: 'browser', format: 'cjs', target: 'es2022' };
	const bundles = {
		extension: { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
		browser: { ...web, entryPoints: ['src/extension/browser.ts'], outfile: 'dist/web/extension.js', external: ['vscode'] },
		// The browser's workers: classic worker scripts, started from blob URLs of their text (src/extension/webWorkers.ts).
		webTrainWorker: { ...web, format: 'iife', entryPoints: ['src/worker/web/trainWorker.ts'], outfile: 'dist/web/trainWorker.js' },
		webGradWorker: { ...web, format: 'iife', entryPoints: ['src/worker/web/gradWorker.ts'], outfile: 'dist/web/gradWorker.js' },
		worker: { ...node, entryPoints: ['src/worker/trainWorker.ts'], outfile: 'dist/trainWorker.js' },
		gradWorker: { ...node, entryPoints: ['src/worker/gradWorker.ts'], outfile: 'dist/gradWorker.js' },
		cli: { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
		webview: { ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['media/main.ts'], outfile: 'dist/webview/webview.js' },
	};
	if (production) return bundles;
	return {
		...bundles,
		unitTests: { ...node, entryPoints: testEntries('test/unit'), outdir: 'dist/test/unit', sourcemap: true },
		// The bad-data tests' child process (test/support/badData.ts), its own bundle so no test file loads in it.
		readerChild: { ...node, entryPoints: ['test/support/readerChild.ts'], outfile: 'dist/test/readerChild.js', sourcemap: true },
		hostTests: { ...node, entryPoints: ['test/host/index.ts'], outfile: 'dist/test/host/index.js', external: ['vscode', 'mocha'], sourcemap: true },
		webHostTests: { ...web, entryPoints: ['test/host/webIndex.ts'], outfile: 'dist/test/web/index.js', external: ['vscode'], plugins: [webTestShims], sourcemap: true },
	};
}
