/** The kernel's bytes from a file in Node: the workers, the CLI, the benchmark and the unit tests. */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { WASM_FILE, WASM_PRIVATE_FILE, type WasmSource } from '../core/wasmRuntime';

/**
 * kernel.wasm (or `file`) beside the running bundle (dist/*.js), or in a dist/ folder up to three levels above it (the
 * unit tests run from dist/test/unit, the benchmark from bench/out). Returns the first that exists.
 */
export function findKernelWasm(from: string = __dirname, file = WASM_FILE): string | undefined {
	let dir = from;
	for (let up = 0; up <= 3; up++) {
		for (const p of [join(dir, file), join(dir, 'dist', file)]) if (existsSync(p)) return p;
		const parent = dirname(dir);
		if (parent === dir) break;
		dir = parent;
	}
	return undefined;
}

/** The kernel at `path`, by default kernel.wasm next to the running bundle (kernel-private.wasm's memory is not shared). */
export function nodeWasm(path: string | undefined = findKernelWasm()): WasmSource {
	return {
		name: path ?? WASM_FILE,
		shared: path === undefined || basename(path) !== WASM_PRIVATE_FILE,
		read: () => {
			if (!path) throw new Error(`${WASM_FILE} was not found next to ${__dirname} (run node scripts/build.mjs)`);
			if (!existsSync(path)) throw new Error(`${path} does not exist (run node scripts/build.mjs)`);
			return readFileSync(path);
		},
	};
}
