import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { loadMnistFolder, peekMnistFolder } from '../../src/core/dataset';
import { DatasetError } from '../../src/core/errors';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, MAX_IDX_BYTES, parseIdx, parseIdxHeader, peekIdxDims, readIdxFile } from '../../src/core/idx';
import type { DataIo } from '../../src/core/io';
import { nodeIo } from '../../src/platform/node';
import { NumpyRandom } from '../../src/core/rng';
import { idxBytes } from './synthetic';

// Mutation fuzzing of the idx reader, shared by test/unit/fuzzIdx.test.ts and scripts/fuzz-idx.mjs.
// Each case is derived from (seed, index) alone, so any case can be replayed without the ones before it.

/** A seeded source of small random choices, on top of the NumPy-compatible MT19937. */
export class FuzzRandom {
	private readonly mt: NumpyRandom;
	constructor(seed: number) {
		this.mt = new NumpyRandom(seed >>> 0);
	}
	/** An integer in [0, n). */
	int(n: number): number {
		return n <= 1 ? 0 : this.mt.interval(n - 1);
	}
	chance(p: number): boolean {
		return this.mt.nextDouble() < p;
	}
	pick<T>(xs: readonly T[]): T {
		return xs[this.int(xs.length)];
	}
	bytes(n: number): Uint8Array {
		const out = new Uint8Array(n);
		for (let i = 0; i < n; i++) out[i] = this.int(256);
		return out;
	}
}

/** Mixes the run seed with the case index so neighbouring cases get unrelated streams. */
export function caseSeed(seed: number, index: number): number {
	let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
	h ^= h >>> 16;
	h = Math.imul(h, 0x7feb352d);
	h ^= h >>> 15;
	return h >>> 0;
}

interface Seed {
	name: string;
	raw: Uint8Array;
}

/** Small valid files; the 8 × 28 × 28 one is noisy so its gzip is larger than the 4 KB the header peek reads. */
function seedFiles(): Seed[] {
	const r = new FuzzRandom(12345);
	const labels = (n: number) => Uint8Array.from({ length: n }, () => r.int(10));
	return [
		{ name: 'images 3×2×2', raw: idxBytes(IDX_IMAGES_MAGIC, [3, 2, 2], r.bytes(12)) },
		{ name: 'images 5×4×3', raw: idxBytes(IDX_IMAGES_MAGIC, [5, 4, 3], r.bytes(60)) },
		{ name: 'images 1×1×1', raw: idxBytes(IDX_IMAGES_MAGIC, [1, 1, 1], Uint8Array.of(255)) },
		{ name: 'images 2×4×4 zeros', raw: idxBytes(IDX_IMAGES_MAGIC, [2, 4, 4], new Uint8Array(32)) },
		{ name: 'images 8×28×28 noise', raw: idxBytes(IDX_IMAGES_MAGIC, [8, 28, 28], r.bytes(8 * 28 * 28)) },
		{ name: 'labels 10', raw: idxBytes(IDX_LABELS_MAGIC, [10], labels(10)) },
		{ name: 'labels 1', raw: idxBytes(IDX_LABELS_MAGIC, [1], labels(1)) },
		{ name: 'labels 40', raw: idxBytes(IDX_LABELS_MAGIC, [40], labels(40)) },
		{ name: '2-d 3×5', raw: idxBytes(0x802, [3, 5], r.bytes(15)) },
	];
}
const SEEDS = seedFiles();
const LEVELS = [0, 1, 6, 9] as const;
/** gzip of each seed at each level, made once: compressing is most of a case's cost otherwise. */
const GZIPPED = new Map(SEEDS.map((s) => [s, LEVELS.map((level) => new Uint8Array(gzipSync(s.raw, { level })))]));
/** Zeros compress about 1000:1, so these bombs are a few hundred bytes that inflate to 100 KB and 2 MB. */
const BOMB_TAILS = [new Uint8Array(1), new Uint8Array(1000), new Uint8Array(100_000), new Uint8Array(2_000_000)];
const BOMBS = new Map(SEEDS.map((s) => [s, BOMB_TAILS.map((z) => new Uint8Array(gzipSync(Buffer.concat([s.raw, z]))))]));

/** Header field values that sit on the edges of what parseIdxHeader checks. */
const EXTREMES = [0, 1, 2, 3, 255, 256, 4095, 4096, 4097, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 0xffff_fffe, 1_000_000_000, 60000, 784, 0x801, 0x802, 0x803, 0x804, 0x800, 0x903, 0x0c03, 0x0108_0803, 0x1f8b_0800];

type Mutator = (r: FuzzRandom, b: Uint8Array) => Uint8Array;

const copy = (b: Uint8Array) => Uint8Array.from(b);
const at = (r: FuzzRandom, b: Uint8Array) => r.int(Math.max(1, b.length));

/** Byte-level mutations; each returns a new array. */
export const MUTATORS: Record<string, Mutator> = {
	bitFlip(r, b) {
		const o = copy(b);
		for (let k = 1 + r.int(8); k > 0 && o.length > 0; k--) o[at(r, o)] ^= 1 << r.int(8);
		return o;
	},
	setByte(r, b) {
		const o = copy(b);
		for (let k = 1 + r.int(4); k > 0 && o.length > 0; k--) o[at(r, o)] = r.pick([0x00, 0xff, r.int(256)]);
		return o;
	},
	headerField(r, b) {
		const o = copy(b);
		// One of the first four 32-bit fields (magic, dims) or any aligned field, set to an extreme big-endian value.
		const field = r.chance(0.8) ? r.int(4) : r.int(Math.max(1, o.length >> 2));
		if (o.length < field * 4 + 4) return o;
		new DataView(o.buffer).setUint32(field * 4, r.chance(0.8) ? r.pick(EXTREMES) : r.int(2 ** 31) * 2 + r.int(2), false);
		return o;
	},
	truncate(r, b) {
		return b.subarray(0, r.int(b.length + 1)).slice();
	},
	append(r, b) {
		const n = r.pick([1, 2, 7, 100, 4096, 70_000]);
		const tail = r.pick(['zeros', 'random', 'self', 'gzipMagic']);
		const extra =
			tail === 'zeros' ? new Uint8Array(n) : tail === 'random' ? r.bytes(Math.min(n, 5000)) : tail === 'self' ? b : Uint8Array.of(0x1f, 0x8b, 8, 0, ...r.bytes(8));
		return Buffer.concat([b, extra]);
	},
	insertOrDelete(r, b) {
		const i = r.int(b.length + 1);
		if (r.chance(0.5)) return Buffer.concat([b.subarray(0, i), r.bytes(1 + r.int(8)), b.subarray(i)]);
		return Buffer.concat([b.subarray(0, i), b.subarray(Math.min(b.length, i + 1 + r.int(8)))]);
	},
	randomBytes(r) {
		const b = r.bytes(r.int(64));
		// Sometimes a plausible magic, so the header checks behind it get reached.
		if (b.length >= 4 && r.chance(0.5)) b.set([0, 0, 8, 1 + r.int(3)]);
		return b;
	},
};
const BYTE_MUTATORS = Object.keys(MUTATORS);

export interface FuzzCase {
	index: number;
	/** How it was made, for the report. */
	recipe: string;
	/** The name the reader sees; `.gz` or not decides whether non-gzip bytes are refused outright. */
	file: string;
	bytes: Uint8Array;
	expectMagic?: number;
	/** Whether the seed file held labels, to know which of a folder's four files it may stand in for. */
	labels: boolean;
}

function mutateRaw(r: FuzzRandom, b: Uint8Array, steps: string[]): Uint8Array {
	let out = b;
	for (let k = 1 + r.int(3); k > 0; k--) {
		const m = r.pick(BYTE_MUTATORS);
		steps.push(m);
		out = MUTATORS[m](r, out);
	}
	return out;
}

/** Builds case `index` of run `seed`: a seed file, raw or gzip, mutated in one of several ways. */
export function fuzzCase(seed: number, index: number): FuzzCase {
	const r = new FuzzRandom(caseSeed(seed, index));
	const base = r.pick(SEEDS);
	const steps: string[] = [];
	const shape = r.pick(['raw', 'raw', 'gzipOfMutatedRaw', 'mutatedGzip', 'mutatedGzip', 'gzipBomb', 'multiMember']);
	let bytes: Uint8Array;
	switch (shape) {
		case 'raw':
			bytes = mutateRaw(r, base.raw, steps);
			break;
		case 'gzipOfMutatedRaw':
			bytes = gzipSync(mutateRaw(r, base.raw, steps), { level: r.pick(LEVELS) });
			break;
		case 'mutatedGzip':
			bytes = mutateRaw(r, r.pick(GZIPPED.get(base)!), steps);
			break;
		case 'gzipBomb': {
			// A valid header followed by far more zeros than it describes, compressed to almost nothing.
			bytes = r.pick(BOMBS.get(base)!);
			if (r.chance(0.3)) bytes = mutateRaw(r, bytes, steps);
			break;
		}
		default: {
			// Several gzip members back to back: gunzip joins them, so a split file is still one payload.
			const cut = r.int(base.raw.length + 1);
			bytes = Buffer.concat([gzipSync(base.raw.subarray(0, cut)), gzipSync(base.raw.subarray(cut))]);
			if (r.chance(0.5)) bytes = mutateRaw(r, bytes, steps);
		}
	}
	const gz = shape !== 'raw';
	// Mostly the honest name; sometimes the other one, to reach the "named .gz but not gzip" and "gzip without .gz" paths.
	const named = r.chance(0.9) ? gz : !gz;
	const expectMagic = r.pick([undefined, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, base.raw[3] === 1 ? IDX_LABELS_MAGIC : IDX_IMAGES_MAGIC]);
	return {
		index,
		recipe: `${shape}(${base.name})${steps.length ? ' ' + steps.join('+') : ''}`,
		file: named ? `fuzz-${index}-idx-ubyte.gz` : `fuzz-${index}-idx-ubyte`,
		bytes,
		expectMagic,
		labels: base.raw[3] === 1,
	};
}

export type Outcome = { accepted: true; dims: number[] } | { accepted: false; problem: string };

/** Anything a case may throw other than a DatasetError naming its file is a finding. */
export class FuzzFinding extends Error {
	constructor(
		readonly fuzzCase: FuzzCase,
		readonly cause: unknown,
		readonly where: string,
	) {
		super(`case ${fuzzCase.index} [${fuzzCase.recipe}] in ${where}: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`);
		this.name = 'FuzzFinding';
	}
}

/** Runs `fn`, turning a DatasetError about `file` into a rejection and anything else into a finding. */
async function guarded<T>(c: FuzzCase, where: string, file: string, fn: () => T | Promise<T>): Promise<{ ok: true; value: T } | { ok: false; problem: string }> {
	try {
		return { ok: true, value: await fn() };
	} catch (e) {
		if (e instanceof DatasetError && e.problem.length > 0 && e.message === `${e.file}: ${e.problem}` && e.file.includes(file)) return { ok: false, problem: e.problem };
		throw new FuzzFinding(c, e, where);
	}
}

function check(c: FuzzCase, where: string, fn: () => void): void {
	try {
		fn();
	} catch (e) {
		throw new FuzzFinding(c, e, where);
	}
}

/** Feeds one case to parseIdx and parseIdxHeader and checks that what is accepted is self-consistent. */
export async function runCase(c: FuzzCase, io: DataIo = nodeIo): Promise<Outcome> {
	// The header parser alone, on the bytes as they are (what the peek does for a raw file).
	const head = await guarded(c, 'parseIdxHeader', c.file, () => parseIdxHeader(c.file, c.bytes, c.expectMagic));
	if (head.ok) {
		const { dims, headerBytes, totalBytes } = head.value;
		check(c, 'parseIdxHeader result', () => {
			assert.ok(dims.length >= 1 && dims.length <= 3, `ndim ${dims.length}`);
			assert.equal(headerBytes, 4 + 4 * dims.length);
			assert.equal(totalBytes, headerBytes + dims.reduce((a, b) => a * b, 1));
			assert.ok(totalBytes <= MAX_IDX_BYTES);
			assert.ok(dims.every((d) => Number.isInteger(d) && d >= 1));
			if (c.expectMagic !== undefined) assert.equal(Buffer.from(c.bytes).readUInt32BE(0), c.expectMagic);
		});
	}

	const parsed = await guarded(c, 'parseIdx', c.file, () => parseIdx(c.file, c.bytes, io.gunzip, c.expectMagic));
	if (!parsed.ok) return { accepted: false, problem: parsed.problem };
	const { dims, data } = parsed.value;
	check(c, 'parseIdx result', () => {
		assert.equal(data.length, dims.reduce((a, b) => a * b, 1), 'dims product = data length');
		assert.ok(dims.length >= 1 && dims.length <= 3);
		// An independent decode must give exactly the header the reader saw plus the payload it returned.
		const gz = c.bytes.length >= 2 && c.bytes[0] === 0x1f && c.bytes[1] === 0x8b;
		const raw = gz ? new Uint8Array(gunzipSync(c.bytes)) : c.bytes;
		const again = parseIdxHeader(c.file, raw, c.expectMagic);
		assert.deepEqual(again.dims, dims);
		assert.equal(raw.length, again.totalBytes);
		assert.deepEqual(Buffer.from(raw.subarray(again.headerBytes)), Buffer.from(data));
		if (!gz) assert.deepEqual(head.ok ? head.value.dims : undefined, dims, 'raw header and full parse agree');
	});
	return { accepted: true, dims };
}

/** The same case from a file: readIdxFile must agree with parseIdx, and peekIdxDims must give an accepted file's dims. */
export async function runCaseFile(c: FuzzCase, inMemory: Outcome, dir: string, io: DataIo = nodeIo): Promise<void> {
	const path = join(dir, c.file);
	writeFileSync(path, c.bytes);
	try {
		const read = await guarded(c, 'readIdxFile', path, () => readIdxFile(io, path, c.expectMagic));
		check(c, 'readIdxFile vs parseIdx', () => {
			assert.equal(read.ok, inMemory.accepted);
			if (read.ok && inMemory.accepted) assert.deepEqual(read.value.dims, inMemory.dims);
			if (!read.ok && !inMemory.accepted) assert.equal(read.problem, inMemory.problem);
		});
		const peek = await guarded(c, 'peekIdxDims', path, () => peekIdxDims(io, path, c.expectMagic));
		if (inMemory.accepted) check(c, 'peekIdxDims of an accepted file', () => assert.deepEqual(peek.ok ? peek.value : peek.problem, inMemory.dims));
	} finally {
		rmSync(path, { force: true });
	}
}

/** A book-style folder with this case as one of its four files must load consistently or be refused with a DatasetError. */
export async function runCaseFolder(c: FuzzCase, inMemory: Outcome, dir: string, io: DataIo = nodeIo): Promise<Outcome> {
	// Into a folder, as whichever of the four files its seed was, next to three files that match what the reader
	// accepted (so the cross-file checks — counts, sizes, label range — are what decides).
	const r = new FuzzRandom(caseSeed(c.index, 7));
	// One folder reused for every case: creating and removing a folder costs more than the rest of a case.
	const folder = join(dir, 'folder');
	mkdirSync(folder, { recursive: true });
	const train = r.chance(0.5);
	const [n, rows, cols] = inMemory.accepted ? [inMemory.dims[0], inMemory.dims[1] ?? 2, inMemory.dims[2] ?? 2] : [4, 2, 2];
	const other = 3;
	const files: Record<string, Uint8Array> = {
		'train-images-idx3-ubyte': idxBytes(IDX_IMAGES_MAGIC, [train ? n : other, rows, cols], new Uint8Array((train ? n : other) * rows * cols)),
		'train-labels-idx1-ubyte': idxBytes(IDX_LABELS_MAGIC, [train ? n : other], new Uint8Array(train ? n : other).fill(7)),
		't10k-images-idx3-ubyte': idxBytes(IDX_IMAGES_MAGIC, [train ? other : n, rows, cols], new Uint8Array((train ? other : n) * rows * cols)),
		't10k-labels-idx1-ubyte': idxBytes(IDX_LABELS_MAGIC, [train ? other : n], new Uint8Array(train ? other : n).fill(3)),
	};
	const base = `${train ? 'train' : 't10k'}-${c.labels ? 'labels-idx1' : 'images-idx3'}-ubyte`;
	const gz = c.file.endsWith('.gz');
	for (const [name, bytes] of Object.entries(files)) {
		rmSync(join(folder, name), { force: true });
		rmSync(join(folder, `${name}.gz`), { force: true });
		if (name === base) writeFileSync(join(folder, gz ? `${name}.gz` : name), c.bytes);
		else writeFileSync(join(folder, name), bytes);
	}
	const peek = await guarded(c, 'peekMnistFolder', folder, () => peekMnistFolder(io, folder));
	const loaded = await guarded(c, 'loadMnistFolder', folder, () => loadMnistFolder(io, folder));
	check(c, 'loadMnistFolder result', () => {
		if (loaded.ok) {
			const d = loaded.value;
			for (const set of [d.train, d.test]) {
				assert.equal(set.size, d.rows * d.cols);
				assert.equal(set.pixels.length, set.count * set.size);
				assert.equal(set.labels.length, set.count);
				assert.ok(set.labels.every((l) => l < d.classes), 'labels in range');
			}
			assert.ok(peek.ok, 'a folder that loads must also peek');
			if (peek.ok) assert.deepEqual([peek.value.trainCount, peek.value.testCount, peek.value.rows, peek.value.cols], [d.train.count, d.test.count, d.rows, d.cols]);
		}
	});
	return loaded.ok ? { accepted: true, dims: [loaded.value.train.count, loaded.value.test.count] } : { accepted: false, problem: loaded.problem };
}

export interface FuzzSummary {
	cases: number;
	accepted: number;
	rejected: number;
	/** Cases also read from a file with readIdxFile and peekIdxDims. */
	files: number;
	/** Cases also put into an MNIST folder, and how many of those folders loaded. */
	folders: number;
	foldersLoaded: number;
	/** How many cases ended in each first few words of a rejection, to see which checks the run reached. */
	problems: Map<string, number>;
	findings: FuzzFinding[];
}

/**
 * Runs cases [first, first + count) of `seed` in memory; with `dir`, every `fileEvery`-th (default 1) also from a file,
 * and every `folderEvery`-th (default 25; 0 for none) also inside an MNIST folder. `io` picks the host services (Node's by default).
 */
export async function runFuzz(
	seed: number,
	count: number,
	opts: { first?: number; dir?: string; fileEvery?: number; folderEvery?: number; maxFindings?: number; io?: DataIo } = {},
): Promise<FuzzSummary> {
	const io = opts.io ?? nodeIo;
	const s: FuzzSummary = { cases: 0, accepted: 0, rejected: 0, files: 0, folders: 0, foldersLoaded: 0, problems: new Map(), findings: [] };
	const first = opts.first ?? 0;
	const fileEvery = opts.fileEvery ?? 1;
	const folderEvery = opts.folderEvery ?? 25;
	if (opts.dir) mkdirSync(opts.dir, { recursive: true });
	for (let i = first; i < first + count; i++) {
		const c = fuzzCase(seed, i);
		s.cases++;
		try {
			const out = await runCase(c, io);
			if (out.accepted) s.accepted++;
			else {
				s.rejected++;
				const key = out.problem.replace(/0x[0-9a-f]+/g, '<hex>').replace(/\d[\d,]*/g, 'N').split(/[:;(]/)[0].trim();
				s.problems.set(key, (s.problems.get(key) ?? 0) + 1);
			}
			if (opts.dir && fileEvery > 0 && i % fileEvery === 0) {
				s.files++;
				await runCaseFile(c, out, opts.dir, io);
			}
			if (opts.dir && folderEvery > 0 && i % folderEvery === 0) {
				s.folders++;
				if ((await runCaseFolder(c, out, opts.dir, io)).accepted) s.foldersLoaded++;
			}
		} catch (e) {
			s.findings.push(e instanceof FuzzFinding ? e : new FuzzFinding(c, e, 'harness'));
			if (s.findings.length >= (opts.maxFindings ?? 20)) break;
		}
	}
	return s;
}
