/**
 * A file swapped for a FIFO between the reader's stat and its read must not block: opening or reading a FIFO waits for a
 * writer forever. Node's reader opens without blocking and checks the descriptor it got. The swap is simulated exactly
 * where it hurts (right after the stat) in a child process, so a blocked read shows up as a timeout, not a hung suite.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import type * as fs from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readIdxFile } from '../../src/core/idx';
import { nodeIo } from '../../src/platform/node';
import { idxBytes } from '../support/synthetic';

const CHILD = 'MINIBATCH_LAB_FIFO_CHILD';

async function child(path: string): Promise<void> {
	// The stat sees the regular file; the FIFO takes its place before the read. The module object, as the reader calls it.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const nodeFs = require('node:fs') as typeof fs;
	const realStat = nodeFs.statSync;
	let swapped = false;
	(nodeFs as { statSync: typeof fs.statSync }).statSync = ((p: fs.PathLike, o?: fs.StatSyncOptions) => {
		const st = realStat(p, o);
		if (!swapped && String(p) === path) {
			swapped = true;
			rmSync(path);
			const made = spawnSync('mkfifo', [path]);
			if (made.status !== 0) throw new Error('mkfifo failed');
		}
		return st;
	}) as typeof fs.statSync;
	try {
		const r = await readIdxFile(nodeIo, path);
		process.stdout.write(`read ${r.dims.join('x')}\n`);
	} catch (e) {
		process.stdout.write(`refused: ${(e as Error).message}\n`);
	}
	process.exit(0);
}

if (process.env[CHILD]) void child(process.env[CHILD]);
else {
	describe('a file swapped for a FIFO', () => {
		it('between the stat and the read is refused at once, naming the file, instead of blocking', { skip: process.platform === 'win32' }, () => {
			const dir = mkdtempSync(join(tmpdir(), 'mbl-fifo-'));
			const file = join(dir, 'train-labels-idx1-ubyte');
			writeFileSync(file, idxBytes(0x801, [3], new Uint8Array([1, 2, 3])));
			const r = spawnSync(process.execPath, [__filename], { env: { ...process.env, [CHILD]: file }, encoding: 'utf8', timeout: 15_000, killSignal: 'SIGKILL' });
			rmSync(dir, { recursive: true, force: true });
			assert.notEqual(r.signal, 'SIGKILL', 'the read blocked on the FIFO');
			assert.equal(r.stdout.trim(), `refused: ${file}: cannot be read (not a regular file)`, r.stderr);
		});
	});
}
