import type * as vscode from 'vscode';
import type { Gunzip } from '../core/io';
import type { ProcessHost } from '../runner/processHost';

/**
 * What differs between VS Code's Node extension host (desktop, remote, Codespaces) and its browser host (vscode.dev,
 * github.dev, code-server's web worker host). Each entry (extension.ts, browser.ts) builds one; the features take it.
 */
export interface Platform {
	kind: 'node' | 'web';
	gunzip: Gunzip;
	/** The user's home folder: `~` in a dataset path, and where the save dialog starts without a workspace. None in a browser. */
	home?: vscode.Uri;
	/** Starting and killing processes (your own script runs in Python). None in a browser. */
	processes?: ProcessHost;
}
