/** The dataset reader's host services in Node (the CLI, the Node workers, the unit tests): node:fs and node:zlib. */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as zlib from 'node:zlib';
import { FileAccessError, GunzipError, type DataFiles, type DataIo, type FileInfo, type Gunzip } from '../core/io';
import { canShareMemory } from '../core/sharedDataset';

/** A symbolic link at `path` that leads nowhere: the error to give for it, or undefined when it is something else. */
function brokenLink(path: string, code: string | undefined): FileAccessError | undefined {
	if (code === 'ELOOP') return new FileAccessError('broken-link', 'a loop of symbolic links', { loop: true });
	if (code !== 'ENOENT') return undefined;
	try {
		if (lstatSync(path).isSymbolicLink()) {
			const target = readlinkSync(path);
			return new FileAccessError('broken-link', `it points to ${target}, which does not exist`, { loop: false, target });
		}
	} catch {
		// nothing there at all
	}
	return undefined;
}

function accessError(e: unknown): FileAccessError {
	const code = (e as NodeJS.ErrnoException).code;
	if (code === 'ELOOP') return new FileAccessError('broken-link', 'a loop of symbolic links', { loop: true });
	if (code === 'ENOENT' || code === 'ENOTDIR') return new FileAccessError('not-found', code);
	if (code === 'EACCES' || code === 'EPERM') return new FileAccessError('permission', code);
	if (code === 'EISDIR') return new FileAccessError('is-directory', code);
	return new FileAccessError('other', code ?? (e as Error).message);
}

/**
 * Opens without blocking and checks what was opened, by its descriptor: a path checked with stat and then opened could
 * have been swapped for a FIFO in between, and opening or reading a FIFO waits for a writer forever.
 */
function openRegularFile(path: string): { fd: number; size: number } {
	const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
	try {
		const st = fstatSync(fd);
		if (st.isDirectory()) throw new FileAccessError('is-directory', 'EISDIR');
		if (!st.isFile()) throw new FileAccessError('other', 'not a regular file');
		return { fd, size: st.size };
	} catch (e) {
		closeSync(fd);
		throw e;
	}
}

/** The whole file, or its first `maxBytes`, into a fresh buffer (shared memory with `shared`: workers share what it holds). */
function readRegular(path: string, maxBytes: number | undefined, shared: boolean): Uint8Array {
	const { fd, size } = openRegularFile(path);
	try {
		const want = maxBytes === undefined ? size : Math.min(maxBytes, size);
		const out = shared ? new Uint8Array(new SharedArrayBuffer(want)) : Buffer.alloc(want);
		let at = 0;
		for (let n; at < want && (n = readSync(fd, out, at, want - at, at)) > 0; ) at += n;
		return out.subarray(0, at);
	} finally {
		closeSync(fd);
	}
}

/** Synchronous underneath: these calls are small or run off the editor's thread (the CLI, a worker). */
export const nodeFiles: DataFiles = {
	async stat(path) {
		let st;
		try {
			st = statSync(path);
		} catch (e) {
			const link = brokenLink(path, (e as NodeJS.ErrnoException).code);
			if (link) throw link;
			const err = accessError(e);
			if (err.problem === 'not-found') return undefined;
			throw err;
		}
		const info: FileInfo = { kind: st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other', size: st.size };
		return info;
	},
	async list(dir) {
		try {
			return readdirSync(dir);
		} catch (e) {
			throw accessError(e);
		}
	},
	async read(path, maxBytes, shared) {
		try {
			return readRegular(path, maxBytes, maxBytes === undefined && shared === true && canShareMemory);
		} catch (e) {
			throw e instanceof FileAccessError ? e : accessError(e);
		}
	},
	join,
	resolve: (path) => resolve(path),
};

function gunzipProblem(e: unknown): GunzipError {
	const code = (e as NodeJS.ErrnoException).code;
	if (code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) return new GunzipError('too-large', (e as Error).message);
	if (code === 'Z_BUF_ERROR') return new GunzipError('truncated', (e as Error).message);
	return new GunzipError('invalid', (e as Error).message);
}

/** zlib's own thread pool for whole streams, so a large file does not hold up the thread that asked. */
export const nodeGunzip: Gunzip = {
	all: (data, limit) =>
		new Promise((res, rej) => zlib.gunzip(data, { maxOutputLength: Math.max(1, limit) }, (e, out) => (e ? rej(gunzipProblem(e)) : res(out)))),
	async head(data, bytes) {
		// A sync flush returns what the input holds so far instead of failing on a stream cut short; the cap bounds a bomb.
		const out = zlib.gunzipSync(data, { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: 8 << 20 });
		return out.subarray(0, bytes);
	},
};

export const nodeIo: DataIo = { files: nodeFiles, gunzip: nodeGunzip };
