/**
 * The web entry (`browser`): VS Code's web worker extension host (vscode.dev, github.dev, code-server). Bundled for the
 * browser with no Node built-ins; extension.ts is the Node entry, and both register the same features.
 */
import * as vscode from 'vscode';
import { registerEditorHelp, startLog } from './editorHelp';
import { registerScriptCommandInBrowser } from './script/browser';

export function activate(context: vscode.ExtensionContext): void {
	startLog(context);
	registerEditorHelp(context);
	registerScriptCommandInBrowser(context);
}

export function deactivate(): void {}
