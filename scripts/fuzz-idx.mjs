// A longer fuzz run of the idx reader than the unit test makes, with the same cases (test/support/fuzz.ts).
// Usage: node scripts/fuzz-idx.mjs [--seed S] [--cases N] [--first I] [--folder-every K] [--memory-only]
// Every case is parsed in memory and (unless --memory-only) read from a file; every K-th also loads as part of an MNIST folder.
// Exits 1 when any input threw something other than a DatasetError naming its file, or broke a consistency check.
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
	options: {
		seed: { type: 'string', default: String(0x1df00d) },
		cases: { type: 'string', default: '100000' },
		first: { type: 'string', default: '0' },
		'folder-every': { type: 'string', default: '25' },
		'memory-only': { type: 'boolean', default: false },
	},
});
const num = (flag, min) => {
	const v = Number(values[flag]);
	if (!Number.isInteger(v) || v < min) {
		console.error(`fuzz-idx: --${flag} must be a whole number from ${min}; got ${JSON.stringify(values[flag])}`);
		process.exit(2);
	}
	return v;
};
const seed = num('seed', 0) >>> 0;
const cases = num('cases', 1);
const first = num('first', 0);
const folderEvery = num('folder-every', 0);
const memoryOnly = values['memory-only'];

// Bundled on the fly so the run needs no prior build and always uses the current sources.
const work = mkdtempSync(join(tmpdir(), 'mbl-fuzz-idx-'));
try {
	const outfile = join(work, 'fuzz.cjs');
	await esbuild.build({ entryPoints: [join(root, 'test/support/fuzz.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning' });
	const { runFuzz } = createRequire(import.meta.url)(outfile);

	const started = Date.now();
	const total = { cases: 0, accepted: 0, rejected: 0, files: 0, folders: 0, foldersLoaded: 0, findings: [], problems: new Map() };
	// Chunks, so a long run shows progress and a finding is reported as soon as its chunk ends.
	const chunk = 5000;
	for (let at = first; at < first + cases && total.findings.length < 20; at += chunk) {
		const s = await runFuzz(seed, Math.min(chunk, first + cases - at), { first: at, dir: memoryOnly ? undefined : join(work, 'cases'), folderEvery, maxFindings: 20 - total.findings.length });
		for (const k of ['cases', 'accepted', 'rejected', 'files', 'folders', 'foldersLoaded']) total[k] += s[k];
		for (const [k, n] of s.problems) total.problems.set(k, (total.problems.get(k) ?? 0) + n);
		for (const f of s.findings) {
			total.findings.push(f);
			console.log(`FINDING seed ${seed} case ${f.fuzzCase.index}: ${f.message}`);
			console.log(`  reproduce: node scripts/fuzz-idx.mjs --seed ${seed} --first ${f.fuzzCase.index} --cases 1`);
		}
		if (cases > chunk) console.error(`fuzz-idx: ${total.cases.toLocaleString('en-US')} / ${cases.toLocaleString('en-US')} cases, ${((Date.now() - started) / 1000).toFixed(1)} s`);
	}

	console.log(`seed ${seed}, cases ${first} to ${first + total.cases - 1}: ${total.cases} run, ${total.accepted} accepted, ${total.rejected} rejected (DatasetError)`);
	console.log(`also read from a file (readIdxFile, peekIdxDims): ${total.files}; also in an MNIST folder: ${total.folders}, of which ${total.foldersLoaded} loaded`);
	console.log('rejections by problem:');
	for (const [k, n] of [...total.problems].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(8)}  ${k}`);
	console.log(`non-DatasetError or inconsistent results: ${total.findings.length}`);
	console.log(`time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	process.exitCode = total.findings.length > 0 ? 1 : 0;
} finally {
	rmSync(work, { recursive: true, force: true });
}
