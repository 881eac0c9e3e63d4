import type * as vscode from 'vscode';

/** Skeleton: the commands, panel and hovers are registered here as their issues land. */
export function activate(_context: vscode.ExtensionContext): void {}

export function deactivate(): void {}
