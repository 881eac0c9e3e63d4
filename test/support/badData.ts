/**
 * The bad-data harness of test/unit/robustness.test.ts: reader calls in a child process (a dropped uid, a memory meter,
 * or a call that could hang), scratch folders removed after the tests, the per-kind counts, and small idx fixtures.
 * The child runs its own small bundle, test/support/readerChild.ts.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { gzipSync } from 'node:zlib';
import { MNIST_FILES } from '../../src/core/dataset';
import { DatasetError } from '../../src/core/errors';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from '../../src/core/idx';
import { NumpyRandom } from '../../src/core/rng';
import { idxBytes, syntheticDataset, writeMnistFolder as writeMnistFolderInTmp } from './synthetic';

export type ChildOp = 'readIdxFile' | 'peekIdxDims' | 'loadMnistFolder' | 'peekMnistFolder' | 'alloc64MB';
export interface ChildResult {
	ok: boolean;
	name?: string;
	file?: string;
	problem?: string;
	message?: string;
	/** Growth of the peak resident set during the call, in MB. */
	peakGrowthMB: number;
	uid: number;
}

export interface ChildCall {
	op: ChildOp;
	path: string;
}

/** The child's own bundle (test/support/readerChild.ts, built beside the unit tests), given the calls in this variable. */
export const CHILD_ENV = 'MINIBATCH_LAB_ROBUSTNESS_CHILD';

export const root = process.getuid?.() === 0;
export const scratch = mkdtempSync(join(tmpdir(), 'mbl-robust-'));
// World-readable, so a child with a dropped uid can load this bundle and reach the test files.
chmodSync(scratch, 0o755);
const childScript = join(scratch, 'reader-child.js');
copyFileSync(join(__dirname, '..', 'readerChild.js'), childScript);
chmodSync(childScript, 0o644);
const madeFolders: string[] = [];
after(() => {
	for (const d of [scratch, ...madeFolders]) rmSync(d, { recursive: true, force: true });
});

/** writeMnistFolder, remembered so the folder is removed after the tests. */
export function writeMnistFolder(...args: Parameters<typeof writeMnistFolderInTmp>): string {
	const dir = writeMnistFolderInTmp(...args);
	madeFolders.push(dir);
	return dir;
}

/** Runs the calls in order in one child process (starting one costs more than most calls). */
export function inChildAll(calls: ChildCall[], opts: { asNobody?: boolean; timeoutMs?: number } = {}): ChildResult[] {
	const what = calls.map((c) => `${c.op} ${c.path}`).join(', ');
	const r = spawnSync(process.execPath, [childScript], {
		cwd: scratch,
		env: { ...process.env, [CHILD_ENV]: JSON.stringify(calls) },
		encoding: 'utf8',
		timeout: opts.timeoutMs ?? 20_000,
		...(opts.asNobody ? { uid: 65534, gid: 65534 } : {}),
	});
	assert.equal(r.error, undefined, `child (${what}) failed to run: ${String(r.error)}`);
	assert.equal(r.status, 0, `child (${what}) exited ${r.status} (${r.signal ?? ''}): ${r.stderr}`);
	return JSON.parse(r.stdout) as ChildResult[];
}

let dirCount = 0;
/** A fresh world-readable folder under the scratch folder. */
export function freshDir(): string {
	const d = join(scratch, `d${++dirCount}`);
	mkdirSync(d, { mode: 0o755 });
	return d;
}

export const tried = new Map<string, number>();
const count = (kind: string) => tried.set(kind, (tried.get(kind) ?? 0) + 1);

/** A DatasetError whose `file` is `file`, whose message names it, and whose problem matches. */
export function assertDatasetError(e: unknown, file: string, problem: RegExp): void {
	assert.ok(e instanceof DatasetError, `expected a DatasetError about ${file}, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
	assert.equal(e.file, file);
	assert.ok(e.message.startsWith(`${file}: `), `message should name ${file}: ${e.message}`);
	assert.match(e.problem, problem);
}

export async function rejects(kind: string, fn: () => unknown, file: string, problem: RegExp): Promise<void> {
	count(kind);
	await assert.rejects(async () => fn(), (e: unknown) => {
		assertDatasetError(e, file, problem);
		return true;
	});
}

export function childRejects(kind: string, r: ChildResult, file: string, problem: RegExp): void {
	count(kind);
	assert.equal(r.ok, false, `${file} should have been refused`);
	assert.equal(r.name, 'DatasetError', `expected a DatasetError, got ${r.name}: ${r.message}`);
	assert.equal(r.file, file);
	assert.ok(r.message?.startsWith(`${file}: `), `message should name ${file}: ${r.message}`);
	assert.match(r.problem ?? '', problem);
}

const rng = new NumpyRandom(6);
const noise = (n: number) => Uint8Array.from({ length: n }, () => rng.interval(255));
/** 8 noisy 28 × 28 images: their gzip is larger than the 4 KB the header peek reads. */
export const IMAGES = idxBytes(IDX_IMAGES_MAGIC, [8, 28, 28], noise(8 * 28 * 28));
export const LABELS = idxBytes(IDX_LABELS_MAGIC, [8], Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 9]));
export const IMAGES_GZ = gzipSync(IMAGES);
export const LABELS_GZ = gzipSync(LABELS);
const data = syntheticDataset(30, 12, 4);
export const FILES = Object.values(MNIST_FILES);
export const IMAGE_FILES: string[] = [MNIST_FILES.trainImages, MNIST_FILES.testImages];

/** A complete book-style folder (gzip unless `raw`) with `name` replaced by `bytes` (written under the same name). */
export function folderWith(raw: boolean, name?: string, bytes?: Uint8Array): { dir: string; path: string } {
	const dir = writeMnistFolder(data, raw);
	chmodSync(dir, 0o755);
	const path = name ? join(dir, raw ? name : `${name}.gz`) : dir;
	if (name && bytes) writeFileSync(path, bytes);
	return { dir, path };
}

export const withHeader = (bytes: Uint8Array, field: number, value: number) => {
	const b = Buffer.from(bytes);
	b.writeUInt32BE(value >>> 0, field * 4);
	return b;
};

