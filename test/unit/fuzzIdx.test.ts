import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { DataIo } from '../../src/core/io';
import { nodeFiles, nodeIo } from '../../src/platform/node';
import { streamGunzip } from '../../src/platform/streamGunzip';
import { fuzzCase, runFuzz } from '../support/fuzz';

// Mutated and truncated idx files (raw and gzip) through the reader: nothing may throw but a DatasetError naming
// the file, and whatever is accepted must be self-consistent. Longer runs: scripts/fuzz-idx.mjs. Reproduce one case:
//   MINIBATCH_LAB_FUZZ_SEED=<seed> MINIBATCH_LAB_FUZZ_CASES=<n> node --test dist/test/unit/fuzzIdx.test.js

const SEED = Number(process.env.MINIBATCH_LAB_FUZZ_SEED ?? 0x1d_f00d) >>> 0;
const CASES = Math.max(1, Number(process.env.MINIBATCH_LAB_FUZZ_CASES ?? 10_000) | 0);
/** Files are slow to write here, so every 4th case is also read from a file and every 40th loaded in an MNIST folder. */
const FILE_EVERY = 4;
const FOLDER_EVERY = 40;

describe('idx reader fuzz', () => {
	it('derives each case from the seed and its index alone', () => {
		const a = fuzzCase(SEED, 1234);
		const b = fuzzCase(SEED, 1234);
		assert.equal(a.recipe, b.recipe);
		assert.deepEqual(Buffer.from(a.bytes), Buffer.from(b.bytes));
		assert.notDeepEqual(Buffer.from(fuzzCase(SEED, 1235).bytes), Buffer.from(a.bytes));
	});

	it(`survives ${CASES.toLocaleString('en-US')} mutated inputs (seed ${SEED})`, (t) => fuzz(t, CASES, nodeIo, 'fuzz idx'));

	// The browser's gunzip (DecompressionStream) behind the same reader: fewer cases, as each one costs a stream.
	const STREAM_CASES = Math.max(1, Math.floor(CASES / 5));
	it(`survives ${STREAM_CASES.toLocaleString('en-US')} of them through the browser's gunzip (DecompressionStream)`, (t) =>
		fuzz(t, STREAM_CASES, { files: nodeFiles, gunzip: streamGunzip }, 'fuzz idx (DecompressionStream)'));
});

async function fuzz(t: TestContext, cases: number, io: DataIo, label: string): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'mbl-fuzz-'));
	const started = Date.now();
	try {
		const s = await runFuzz(SEED, cases, { dir, fileEvery: FILE_EVERY, folderEvery: FOLDER_EVERY, io });
		const ms = Date.now() - started;
		t.diagnostic(`${label}: seed ${SEED}, ${s.cases} cases (${s.files} also from a file, ${s.folders} in an MNIST folder, ${s.foldersLoaded} of those loaded), ${s.accepted} accepted, ${s.rejected} rejected, ${s.findings.length} findings, ${ms} ms`);
		const top = [...s.problems].sort((x, y) => y[1] - x[1]).slice(0, 12);
		t.diagnostic(`${label} rejections: ${top.map(([k, n]) => `${n}× ${k}`).join(' | ')}`);
		assert.deepEqual(
			s.findings.map((f) => f.message),
			[],
			`reproduce with MINIBATCH_LAB_FUZZ_SEED=${SEED} and the case index above (scripts/fuzz-idx.mjs --seed ${SEED} --first <index> --cases 1)`,
		);
		assert.equal(s.cases, cases);
		// The mutations must reach both outcomes, or the run is testing nothing.
		assert.ok(s.accepted > cases / 100, `only ${s.accepted} inputs accepted`);
		assert.ok(s.rejected > cases / 2, `only ${s.rejected} inputs rejected`);
		assert.ok(s.problems.size >= 10, `only ${s.problems.size} kinds of rejection reached`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
