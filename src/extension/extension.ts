/** The Node entry (`main`): VS Code desktop, remote and Codespaces. browser.ts is the web entry; both register the same features. */
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { nodeGunzip } from '../platform/node';
import { nodeProcessHost } from '../runner/nodeProcessHost';
import { registerEditorHelp, startLog } from './editorHelp';
import { registerLab } from './lab';
import type { Platform } from './platform';

export function activate(context: vscode.ExtensionContext): void {
	const platform: Platform = { kind: 'node', gunzip: nodeGunzip, home: vscode.Uri.file(homedir()), processes: nodeProcessHost };
	const log = startLog(context);
	registerEditorHelp(context);
	registerLab(context, log, platform);
}

export function deactivate(): void {}
