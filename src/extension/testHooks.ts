/**
 * Commands only the in-host tests use (a panel snapshot, live-worker counts, injected faults, a simulated revival, the
 * script runner's state). Registered only when VS Code runs the extension's tests (ExtensionMode.Test): in a user's
 * editor no other extension can call them. Not contributed in package.json either.
 */
import * as vscode from 'vscode';

export function isTestMode(context: vscode.ExtensionContext): boolean {
	return context.extensionMode === vscode.ExtensionMode.Test;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- command handlers take whatever a test passes
type Handler = (...args: any[]) => unknown;

export function registerTestHooks(context: vscode.ExtensionContext, hooks: Record<string, Handler>): vscode.Disposable[] {
	if (!isTestMode(context)) return [];
	return Object.entries(hooks).map(([id, run]) => vscode.commands.registerCommand(id, run));
}
