/** The Node entry (`main`): VS Code desktop, remote and Codespaces. browser.ts is the web entry; both register the same features. */
import { freemem, homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { nodeFiles, nodeGunzip } from '../platform/node';
import { nodeWorkers } from '../platform/nodeWorkers';
import { nodeProcessHost } from '../runner/nodeProcessHost';
import { registerEditorHelp, startLog } from './editorHelp';
import { registerLab } from './lab';
import type { Platform } from './platform';
import { registerScriptCommands } from './script/register';
import { workspaceFiles } from './workspaceFiles';

export function activate(context: vscode.ExtensionContext): void {
	const dist = join(context.extensionPath, 'dist');
	const workers = nodeWorkers({ train: join(dist, 'trainWorker.js'), grad: join(dist, 'gradWorker.js') });
	const platform: Platform = {
		kind: 'node',
		// workspace.fs cannot read part of a file: a local file's header is read with node:fs instead of the whole file.
		files: { ...workspaceFiles, read: (p, maxBytes, shared) => (maxBytes !== undefined && !p.includes('://') ? nodeFiles.read(p, maxBytes) : workspaceFiles.read(p, maxBytes, shared)) },
		gunzip: nodeGunzip,
		workers: async () => workers,
		freeMemory: freemem,
		home: vscode.Uri.file(homedir()),
		processes: nodeProcessHost,
	};
	const log = startLog(context);
	registerEditorHelp(context);
	// Your own script runs in Python: only where there are processes (the browser's entry says why not, script/browser.ts).
	registerLab(context, log, platform, (lab) => registerScriptCommands(context, log, nodeProcessHost, lab));
}

export function deactivate(): void {}
