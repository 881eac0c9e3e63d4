/**
 * The dataset reader's files over vscode.workspace.fs, in both extension hosts: the same code reads a book-style dataset/
 * folder on disk (desktop), on a VS Code server (the browser) or in a virtual workspace. Paths are file paths for the
 * `file` scheme, so messages read as they always have, and URI strings otherwise.
 */
import * as vscode from 'vscode';
import { FileAccessError, type DataFiles, type FileInfo } from '../core/io';
import { sharedBytes } from '../core/sharedDataset';

export function pathOf(uri: vscode.Uri): string {
	return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

export function uriOf(path: string): vscode.Uri {
	return /^[a-zA-Z][\w+.-]+:\/\//.test(path) ? vscode.Uri.parse(path, true) : vscode.Uri.file(path);
}

function accessError(e: unknown): FileAccessError {
	if (e instanceof vscode.FileSystemError) {
		if (e.code === 'FileNotFound' || e.code === 'EntryNotFound') return new FileAccessError('not-found', e.code);
		if (e.code === 'NoPermissions') return new FileAccessError('permission', e.code);
		if (e.code === 'FileIsADirectory' || e.code === 'EntryIsADirectory') return new FileAccessError('is-directory', e.code);
		// VS Code's disk provider lets stat's error through for a loop of links.
		if (/ELOOP/.test(e.message)) return new FileAccessError('broken-link', 'a loop of symbolic links', { loop: true });
		return new FileAccessError('other', e.code || e.message);
	}
	return new FileAccessError('other', e instanceof Error ? e.message : String(e));
}

export const workspaceFiles: DataFiles = {
	async stat(path) {
		let st: vscode.FileStat;
		try {
			st = await vscode.workspace.fs.stat(uriOf(path));
		} catch (e) {
			const err = accessError(e);
			if (err.problem === 'not-found') return undefined;
			throw err;
		}
		// A symbolic link has the bit of what it points to as well; one that points to nothing has neither.
		if (st.type & vscode.FileType.SymbolicLink && !(st.type & (vscode.FileType.File | vscode.FileType.Directory))) {
			throw new FileAccessError('broken-link', 'it points to something that does not exist', { loop: false });
		}
		const kind = st.type & vscode.FileType.File ? 'file' : st.type & vscode.FileType.Directory ? 'directory' : 'other';
		const info: FileInfo = { kind, size: st.size };
		return info;
	},
	async list(dir) {
		try {
			return (await vscode.workspace.fs.readDirectory(uriOf(dir))).map(([name]) => name);
		} catch (e) {
			throw accessError(e);
		}
	},
	async read(path, maxBytes, shared) {
		let bytes: Uint8Array;
		try {
			bytes = await vscode.workspace.fs.readFile(uriOf(path));
		} catch (e) {
			throw accessError(e);
		}
		// workspace.fs has no partial read: the whole file is read, and the start kept.
		if (maxBytes !== undefined) return bytes.subarray(0, maxBytes);
		return shared ? sharedBytes(bytes) : bytes;
	},
	join: (dir, name) => pathOf(vscode.Uri.joinPath(uriOf(dir), name)),
	resolve: (path) => path,
};

/** A text file through workspace.fs (the saved last run): on disk on the desktop, in the browser's storage on the web. */
export function textFileStore(uri: vscode.Uri): { name: string; read(): Promise<string | undefined>; write(text: string): Promise<void> } {
	return {
		name: uri.scheme === 'file' ? uri.fsPath : uri.toString(true),
		async read() {
			let bytes: Uint8Array;
			try {
				bytes = await vscode.workspace.fs.readFile(uri);
			} catch (e) {
				if (e instanceof vscode.FileSystemError && (e.code === 'FileNotFound' || e.code === 'EntryNotFound')) return undefined;
				throw e;
			}
			return new TextDecoder().decode(bytes);
		},
		async write(text) {
			await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
			await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
		},
	};
}
