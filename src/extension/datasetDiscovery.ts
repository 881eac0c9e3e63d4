import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { missingMnistFiles } from '../core/dataset';
import type { DatasetOrigin } from '../shared/protocol';
import { SECTION } from './config';

export interface DatasetChoice {
	dir: string;
	origin: DatasetOrigin;
	/** For the panel's header: what was used and why. */
	label: string;
}

function expand(p: string): string {
	const home = p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p;
	if (isAbsolute(home)) return home;
	const folder = vscode.workspace.workspaceFolders?.[0];
	return folder ? join(folder.uri.fsPath, home) : home;
}

/**
 * The dataset path setting, then a book-style dataset/ folder in the workspace, then the bundled MNIST.
 * A path from workspace settings counts only in a trusted workspace: a cloned repo must not point us at arbitrary files.
 */
export async function discoverDataset(extensionUri: vscode.Uri, log: vscode.LogOutputChannel, explicit?: string): Promise<DatasetChoice> {
	if (explicit) return { dir: expand(explicit), origin: 'setting', label: `${expand(explicit)} (panel)` };
	const info = vscode.workspace.getConfiguration(SECTION).inspect<string>('datasetPath');
	const fromWorkspace = info?.workspaceFolderValue || info?.workspaceValue;
	const fromUser = info?.globalValue;
	if (fromWorkspace && vscode.workspace.isTrusted) {
		return { dir: expand(fromWorkspace), origin: 'setting', label: `${expand(fromWorkspace)} (${SECTION}.datasetPath)` };
	}
	if (fromWorkspace) log.warn(`Ignoring ${SECTION}.datasetPath from the workspace settings because the workspace is not trusted.`);
	if (fromUser) return { dir: expand(fromUser), origin: 'setting', label: `${expand(fromUser)} (${SECTION}.datasetPath)` };

	if (vscode.workspace.workspaceFolders?.length) {
		const hits = await vscode.workspace.findFiles('**/train-images{-,.}idx3-ubyte{,.gz}', '**/node_modules/**', 20);
		for (const uri of hits.sort((a, b) => a.fsPath.length - b.fsPath.length)) {
			const dir = dirname(uri.fsPath);
			if (missingMnistFiles(dir).length === 0) return { dir, origin: 'workspace', label: `${vscode.workspace.asRelativePath(dir)} (workspace)` };
			log.info(`Skipping ${dir}: missing ${missingMnistFiles(dir).join(', ')}`);
		}
	}
	return { dir: vscode.Uri.joinPath(extensionUri, 'dist', 'data', 'mnist').fsPath, origin: 'bundled', label: 'MNIST (bundled)' };
}
