// Compiles the AssemblyScript kernels in src/wasm into dist/kernel.wasm (SIMD128 with an imported shared memory; no
// relaxed SIMD: Node 20 needs a flag, and its fused multiply-add was no faster here, see README "Speed").
// Usage: node scripts/build-wasm.mjs [--force] [--wat]   or   import { buildWasm } from './build-wasm.mjs'
// Skips the compile when dist/kernel.wasm is newer than every source, since asc (binaryen) takes a few seconds to load.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const WASM_OUT = 'dist/kernel.wasm';

function newestSource() {
	const dir = join(root, 'src/wasm');
	const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
	return Math.max(statSync(fileURLToPath(import.meta.url)).mtimeMs, ...files.map((f) => statSync(f).mtimeMs));
}

/** Builds dist/kernel.wasm unless it is up to date; returns what it did. */
export async function buildWasm({ force = false, wat = false } = {}) {
	const out = join(root, WASM_OUT);
	if (!force && !wat && existsSync(out) && statSync(out).mtimeMs >= newestSource()) return 'up to date';
	mkdirSync(dirname(out), { recursive: true });
	const { default: asc } = await import('assemblyscript/asc');
	// The memory is imported and shared: the workers of a comparison all read the one encoded copy of the images.
	// 65536 pages (4 GiB) is wasm32's whole range; a shared memory reserves it as address space, not as RAM.
	const memory = ['--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536'];
	const args = ['src/wasm/kernel.ts', '--outFile', WASM_OUT, '--enable', 'simd,threads', ...memory, '-O3', '--runtime', 'stub', '--noAssert', '--use', 'abort=', '--baseDir', root];
	if (wat) args.push('--textFile', 'dist/kernel.wat');
	const { error, stderr } = await asc.main(args);
	if (error) throw new Error(`asc failed: ${error.message}\n${stderr.toString()}`);
	return `built ${WASM_OUT} (${statSync(out).size} bytes)`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	const started = Date.now();
	const what = await buildWasm({ force: process.argv.includes('--force'), wat: process.argv.includes('--wat') });
	console.error(`build-wasm: ${what} in ${Date.now() - started} ms`);
}
