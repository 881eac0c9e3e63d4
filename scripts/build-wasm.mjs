// Compiles the AssemblyScript kernels in src/wasm into dist/kernel.wasm (SIMD128 with an imported shared memory) and
// dist/kernel-private.wasm (the same with a memory of its own, for a browser without shared memory); no relaxed SIMD:
// Node 20 needs a flag, and its fused multiply-add was no faster here, see README "Speed".
// Usage: node scripts/build-wasm.mjs [--force] [--wat]   or   import { buildWasm } from './build-wasm.mjs'
// Skips a compile when its output is newer than every source, since asc (binaryen) takes a few seconds to load.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const WASM_OUT = 'dist/kernel.wasm';
export const WASM_PRIVATE_OUT = 'dist/kernel-private.wasm';

function newestSource() {
	const dir = join(root, 'src/wasm');
	const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
	return Math.max(statSync(fileURLToPath(import.meta.url)).mtimeMs, ...files.map((f) => statSync(f).mtimeMs));
}

/**
 * The two builds: the memory imported shared (the workers of a comparison all read the one encoded copy of the images;
 * 65536 pages, 4 GiB, is wasm32's whole range, which a shared memory reserves as address space, not as RAM), and the
 * same code with a memory of its own, for platforms without shared memory (a browser page that is not cross-origin isolated).
 */
const VARIANTS = [
	{ out: WASM_OUT, enable: 'simd,threads', memory: ['--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536'] },
	{ out: WASM_PRIVATE_OUT, enable: 'simd', memory: ['--importMemory', '--initialMemory', '1', '--maximumMemory', '65536'] },
];

/** Builds dist/kernel.wasm and dist/kernel-private.wasm unless they are up to date; returns what it did. */
export async function buildWasm({ force = false, wat = false } = {}) {
	const stale = VARIANTS.filter((v) => force || wat || !existsSync(join(root, v.out)) || statSync(join(root, v.out)).mtimeMs < newestSource());
	if (stale.length === 0) return 'up to date';
	const { default: asc } = await import('assemblyscript/asc');
	const built = [];
	for (const v of stale) {
		const out = join(root, v.out);
		mkdirSync(dirname(out), { recursive: true });
		const args = ['src/wasm/kernel.ts', '--outFile', v.out, '--enable', v.enable, ...v.memory, '-O3', '--runtime', 'stub', '--noAssert', '--use', 'abort=', '--baseDir', root];
		if (wat) args.push('--textFile', v.out.replace(/\.wasm$/, '.wat'));
		const { error, stderr } = await asc.main(args);
		if (error) throw new Error(`asc failed for ${v.out}: ${error.message}\n${stderr.toString()}`);
		built.push(`${v.out} (${statSync(out).size} bytes)`);
	}
	return `built ${built.join(', ')}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	const started = Date.now();
	const what = await buildWasm({ force: process.argv.includes('--force'), wat: process.argv.includes('--wat') });
	console.error(`build-wasm: ${what} in ${Date.now() - started} ms`);
}
