/**
 * The web entry (`browser`): VS Code's web worker extension host (vscode.dev, github.dev, code-server). Bundled for the
 * browser with no Node built-ins; extension.ts is the Node entry, and both register the same features.
 */
import * as vscode from 'vscode';
import { streamGunzip } from '../platform/streamGunzip';
import { registerEditorHelp, startLog } from './editorHelp';
import { registerLab } from './lab';
import type { Platform } from './platform';
import { webWorkers } from './webWorkers';
import { workspaceFiles } from './workspaceFiles';
import { registerScriptCommandInBrowser } from './script/browser';

export function activate(context: vscode.ExtensionContext): void {
	const platform: Platform = { kind: 'web', files: workspaceFiles, gunzip: streamGunzip, workers: webWorkers(context.extensionUri), keepBundledData: true };
	const log = startLog(context);
	registerEditorHelp(context);
	registerLab(context, log, platform);
	registerScriptCommandInBrowser(context);
}

export function deactivate(): void {}
