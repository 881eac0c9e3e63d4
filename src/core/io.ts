/**
 * What the dataset reader needs from its host. One reader (idx.ts, dataset.ts) serves the CLI and the Node workers
 * (node:fs, node:zlib: src/platform/node.ts) and the extension in both of VS Code's extension hosts (vscode.workspace.fs,
 * and DecompressionStream in the browser). Paths are whatever the host's implementation understands: file paths in Node,
 * URI strings over workspace.fs.
 */

export type EntryKind = 'file' | 'directory' | 'other';

export interface FileInfo {
	kind: EntryKind;
	size: number;
}

/**
 * Why a file could not be reached; the reader turns it into a DatasetError that names the file. 'broken-link': a
 * symbolic link whose target cannot be reached (a loop of links, or a target that does not exist).
 */
export type FileProblem = 'not-found' | 'permission' | 'is-directory' | 'broken-link' | 'other';

export type BrokenLink = { loop: true } | { loop: false; target?: string };

export class FileAccessError extends Error {
	constructor(
		readonly problem: FileProblem,
		/** For 'other': what the host said (an errno code, a FileSystemError's code), shown in brackets. */
		readonly detail: string,
		/** For 'broken-link': a loop of links, or a link to nothing (with where it points when the host can tell). */
		readonly link?: BrokenLink,
	) {
		super(`${problem}: ${detail}`);
		this.name = 'FileAccessError';
	}
}

export interface DataFiles {
	/**
	 * What is at `path`, or undefined when nothing is; throws FileAccessError when it cannot be looked at ('broken-link'
	 * for a symbolic link that leads nowhere, which is something there, not nothing).
	 */
	stat(path: string): Promise<FileInfo | undefined>;
	/** The names in a folder; throws FileAccessError. */
	list(dir: string): Promise<string[]>;
	/**
	 * The file's bytes, or at most its first `maxBytes` (an implementation may read the whole file and cut it). With
	 * `shared`, in a SharedArrayBuffer where the platform has them, for workers to share.
	 */
	read(path: string, maxBytes?: number, shared?: boolean): Promise<Uint8Array>;
	join(dir: string, name: string): string;
	/** The absolute form of a path, as messages show it. */
	resolve(path: string): string;
}

export type GunzipProblem = 'too-large' | 'truncated' | 'invalid';

export class GunzipError extends Error {
	constructor(
		readonly problem: GunzipProblem,
		message: string,
	) {
		super(message);
		this.name = 'GunzipError';
	}
}

export interface Gunzip {
	/** The whole stream; refuses (GunzipError 'too-large') to produce more than `limit` bytes instead of filling memory. */
	all(data: Uint8Array, limit: number): Promise<Uint8Array>;
	/** Only the start of the stream: its first `bytes` bytes (fewer if it has fewer), without inflating the rest. */
	head(data: Uint8Array, bytes: number): Promise<Uint8Array>;
}

export interface DataIo {
	files: DataFiles;
	gunzip: Gunzip;
}

/** Where progress and problems are told: the output channel in the extension, stderr in the CLI. */
export interface Logger {
	info(message: string): void;
	warn(message: string): void;
	error(message: string): void;
}
