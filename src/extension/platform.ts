import type * as vscode from 'vscode';
import type { DataFiles, Gunzip } from '../core/io';
import type { ProcessHost } from '../runner/processHost';
import type { WorkerHost } from '../runner/pool';

/**
 * What differs between VS Code's Node extension host (desktop, remote, Codespaces) and its browser host (vscode.dev,
 * github.dev, code-server's web worker host). Each entry (extension.ts, browser.ts) builds one; the features take it.
 */
export interface Platform {
	kind: 'node' | 'web';
	/** The dataset reader's files: workspace.fs (workspaceFiles.ts), with Node's partial reads for local files. */
	files: DataFiles;
	gunzip: Gunzip;
	/**
	 * Starts workers: worker_threads in Node, Web Workers from blob URLs in a browser (whose scripts are read through
	 * workspace.fs the first time). Rejects with a WorkerStartError when they cannot start.
	 */
	workers(): Promise<WorkerHost>;
	/** Free memory in bytes, to refuse a dataset that would not fit; a browser does not say. */
	freeMemory?(): number;
	/**
	 * Keep the bundled MNIST decoded after a run, for the next one: a browser reads its 55 MB from the server (or the
	 * web) each time, in seconds; Node reads it from disk in a moment and need not hold it.
	 */
	keepBundledData?: boolean;
	/** The user's home folder: `~` in a dataset path, and where the save dialog starts without a workspace. None in a browser. */
	home?: vscode.Uri;
	/** Starting and killing processes (your own script runs in Python). None in a browser. */
	processes?: ProcessHost;
}
