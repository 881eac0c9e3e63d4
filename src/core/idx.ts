import { DatasetError } from './errors';
import { brokenLink } from './reasons';
import { FileAccessError, GunzipError, type DataFiles, type DataIo, type Gunzip } from './io';
import { sharedBytes } from './sharedDataset';

/** What one idx file holds: its dimensions (count first) and the uint8 payload. */
export interface IdxArray {
	dims: number[];
	data: Uint8Array;
}

export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

/** Larger than any real image set we expect (Fashion/EMNIST fit easily), small enough that a lying header cannot make us allocate gigabytes. */
export const MAX_IDX_BYTES = 512 * 1024 * 1024;
const MAX_SIDE = 4096;

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

function isGzip(buf: Uint8Array): boolean {
	return buf.length >= 2 && buf[0] === GZIP_MAGIC_0 && buf[1] === GZIP_MAGIC_1;
}

/** Reads the idx header and returns the dims and the byte length it implies, checking it against `expectMagic` when given. */
export function parseIdxHeader(file: string, head: Uint8Array, expectMagic?: number): { dims: number[]; headerBytes: number; totalBytes: number } {
	if (head.length < 4) throw new DatasetError(file, { code: 'idx.short', bytes: head.length });
	const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
	const magic = view.getUint32(0, false);
	const ndim = magic & 0xff;
	const typeCode = (magic >>> 8) & 0xff;
	if (magic >>> 16 !== 0 || typeCode !== 0x08 || ndim < 1 || ndim > 3) {
		throw new DatasetError(file, { code: 'idx.magic', magic });
	}
	if (expectMagic !== undefined && magic !== expectMagic) {
		throw new DatasetError(file, { code: 'idx.kind', magic, want: expectMagic === IDX_IMAGES_MAGIC ? 'images' : 'labels' });
	}
	const headerBytes = 4 + 4 * ndim;
	if (head.length < headerBytes) throw new DatasetError(file, { code: 'idx.headerShort', need: headerBytes, have: head.length });
	const dims: number[] = [];
	for (let d = 0; d < ndim; d++) dims.push(view.getUint32(4 + 4 * d, false));
	if (dims[0] === 0) throw new DatasetError(file, { code: 'idx.empty' });
	for (let d = 1; d < ndim; d++) {
		if (dims[d] === 0 || dims[d] > MAX_SIDE) throw new DatasetError(file, { code: 'idx.dimension', dim: dims[d], max: MAX_SIDE });
	}
	const payload = dims.reduce((a, b) => a * b, 1);
	const totalBytes = headerBytes + payload;
	if (totalBytes > MAX_IDX_BYTES) {
		throw new DatasetError(file, { code: 'idx.huge', dims, bytes: payload, limitMb: MAX_IDX_BYTES / 1024 / 1024 });
	}
	return { dims, headerBytes, totalBytes };
}

/** Gunzips at most `limit` bytes; a stream that would inflate further is refused instead of filling memory. */
async function gunzipBounded(file: string, buf: Uint8Array, limit: number, gunzip: Gunzip): Promise<Uint8Array> {
	try {
		return await gunzip.all(buf, limit);
	} catch (e) {
		if (!(e instanceof GunzipError)) throw new DatasetError(file, { code: 'gzip.invalid', detail: (e as Error).message });
		if (e.problem === 'too-large') throw new DatasetError(file, { code: 'gzip.bomb', limit });
		if (e.problem === 'truncated') throw new DatasetError(file, { code: 'gzip.truncated' });
		throw new DatasetError(file, { code: 'gzip.invalid', detail: e.message });
	}
}

/** The most an idx header can take: the magic number and three dimensions. */
const MAX_HEADER_BYTES = 16;
/** deflate expands at most ~1032:1, so this much input holds the header even for a bomb, and costs little to inflate. */
const HEAD_INPUT_BYTES = 4096;

/** Decompresses only the start of a gzip stream, enough for the idx header; a stream cut short gives what it has. */
async function gunzipHead(file: string, buf: Uint8Array, gunzip: Gunzip): Promise<Uint8Array> {
	try {
		return await gunzip.head(buf.subarray(0, Math.min(buf.length, HEAD_INPUT_BYTES)), MAX_HEADER_BYTES);
	} catch (e) {
		throw new DatasetError(file, { code: 'gzip.invalid', detail: (e as Error).message });
	}
}

/**
 * Parses an idx file already in memory (raw or gzip). `file` is only used in messages. With `shared`, the payload of a
 * gzip file is inflated into a SharedArrayBuffer where the platform has them (a raw file's is the buffer it came in).
 */
export async function parseIdx(file: string, buf: Uint8Array, gunzip: Gunzip, expectMagic?: number, shared = false): Promise<IdxArray> {
	let raw: Uint8Array;
	if (isGzip(buf)) {
		const { totalBytes } = parseIdxHeader(file, await gunzipHead(file, buf, gunzip), expectMagic);
		raw = await gunzipBounded(file, buf, totalBytes, gunzip);
		if (shared) raw = sharedBytes(raw);
	} else if (file.toLowerCase().endsWith('.gz')) {
		throw new DatasetError(file, { code: 'gzip.notGzip' });
	} else {
		raw = buf;
	}
	const { dims, headerBytes, totalBytes } = parseIdxHeader(file, raw, expectMagic);
	if (raw.length < totalBytes) {
		throw new DatasetError(file, { code: 'idx.truncated', dims, need: totalBytes, have: raw.length });
	}
	if (raw.length > totalBytes) {
		throw new DatasetError(file, { code: 'idx.extra', dims, extra: raw.length - totalBytes });
	}
	return { dims, data: raw.subarray(headerBytes, totalBytes) };
}

/** deflate's stored blocks add 5 bytes per 64 KB plus the gzip framing, so a valid .gz is never much larger than its content. */
const MAX_FILE_BYTES = MAX_IDX_BYTES + MAX_IDX_BYTES / 8192 + 1024;

/** Reads a whole file (into shared memory with `shared`), or only its first `bytes`, naming the file in every error. */
async function readOrExplain(files: DataFiles, path: string, bytes?: number, shared = false): Promise<Uint8Array> {
	try {
		// stat first for a clear message and the size limit; a host's read checks what it opened again (a FIFO swapped in
		// after this stat would block: src/platform/node.ts opens without blocking and checks the descriptor).
		const st = await files.stat(path);
		if (!st) throw new DatasetError(path, { code: 'file.missing' });
		if (st.kind === 'directory') throw new DatasetError(path, { code: 'file.folder' });
		if (st.kind !== 'file') throw new DatasetError(path, { code: 'file.notRegular' });
		// Refuse before reading, so a huge file costs no memory (the header check comes only after the read).
		if (bytes === undefined && st.size > MAX_FILE_BYTES) {
			throw new DatasetError(path, { code: 'file.tooBig', size: st.size, limitMb: MAX_IDX_BYTES / 1024 / 1024 });
		}
		return await files.read(path, bytes, shared);
	} catch (e) {
		if (e instanceof DatasetError) throw e;
		if (!(e instanceof FileAccessError)) throw new DatasetError(path, { code: 'file.unreadable', detail: (e as Error).message });
		switch (e.problem) {
			case 'not-found':
				throw new DatasetError(path, { code: 'file.missing' });
			case 'permission':
				throw new DatasetError(path, { code: 'file.permission' });
			case 'is-directory':
				throw new DatasetError(path, { code: 'file.folder' });
			case 'broken-link':
				throw new DatasetError(path, brokenLink(e.link));
			default:
				throw new DatasetError(path, { code: 'file.unreadable', detail: e.detail });
		}
	}
}

/**
 * Reads an idx file, naming the file in every error (missing, unreadable, corrupt). With `shared`, the data lives in a
 * SharedArrayBuffer that workers can share (where the platform has them).
 */
export async function readIdxFile(io: DataIo, path: string, expectMagic?: number, shared = false): Promise<IdxArray> {
	return parseIdx(path, await readOrExplain(io.files, path, undefined, shared), io.gunzip, expectMagic, shared);
}

/** Only the header's dims, from the first few KB: cheap enough for the extension host thread. */
export async function peekIdxDims(io: DataIo, path: string, expectMagic?: number): Promise<number[]> {
	const head = await readOrExplain(io.files, path, HEAD_INPUT_BYTES);
	if (isGzip(head)) return parseIdxHeader(path, await gunzipHead(path, head, io.gunzip), expectMagic).dims;
	if (path.toLowerCase().endsWith('.gz')) throw new DatasetError(path, { code: 'gzip.notGzip' });
	return parseIdxHeader(path, head, expectMagic).dims;
}
