import * as vscode from 'vscode';
import { missingMnistFiles } from '../core/dataset';
import type { Logger } from '../core/io';
import type { DatasetOrigin } from '../shared/protocol';
import { SECTION } from './config';
import { showWarning } from './notify';
import type { Platform } from './platform';
import { pathOf, workspaceFiles } from './workspaceFiles';

export interface DatasetChoice {
	/** For the dataset reader over workspaceFiles: a file path, or a URI string outside the `file` scheme. */
	dir: string;
	origin: DatasetOrigin;
	/** For the panel's header: what was used and why. */
	label: string;
}

const ABSOLUTE = /^(\/|[a-zA-Z]:[\\/]|\\\\)/;

/** Where a dataset path from a setting or the form points, or why it cannot be read here. */
function locate(p: string, platform: Platform): { uri: vscode.Uri } | { outside: true } {
	const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
	if (platform.kind === 'node') {
		if ((p === '~' || p.startsWith('~/')) && platform.home) return { uri: vscode.Uri.joinPath(platform.home, p.slice(1)) };
		if (ABSOLUTE.test(p)) return { uri: vscode.Uri.file(p) };
		return { uri: folder ? vscode.Uri.joinPath(folder, p) : vscode.Uri.file(p) };
	}
	// In a browser only the workspace's own files can be read: relative paths, or absolute ones inside a workspace folder.
	if (!folder || p.startsWith('~')) return { outside: true };
	const uri = ABSOLUTE.test(p) ? folder.with({ path: p.replace(/\\/g, '/') }) : vscode.Uri.joinPath(folder, p);
	return vscode.workspace.getWorkspaceFolder(uri) ? { uri } : { outside: true };
}

function shown(uri: vscode.Uri): string {
	return uri.scheme === 'file' ? uri.fsPath : vscode.workspace.asRelativePath(uri);
}

/**
 * The dataset path (from the panel's form, or the setting), then a book-style dataset/ folder in the workspace, then the
 * bundled MNIST. A path from workspace settings counts only in a trusted workspace: a cloned repo must not point us at
 * arbitrary files. In a browser a path outside the workspace cannot be read; that is said once, and discovery goes on.
 */
export async function discoverDataset(extensionUri: vscode.Uri, log: Logger, platform: Platform, explicit?: string): Promise<DatasetChoice> {
	const info = vscode.workspace.getConfiguration(SECTION).inspect<string>('datasetPath');
	const fromWorkspace = info?.workspaceFolderValue || info?.workspaceValue;
	const fromUser = info?.globalValue;
	if (fromWorkspace && !explicit && !vscode.workspace.isTrusted) log.warn(`Ignoring ${SECTION}.datasetPath from the workspace settings because the workspace is not trusted.`);
	const asked = explicit
		? { path: explicit, why: 'panel' }
		: fromWorkspace && vscode.workspace.isTrusted
			? { path: fromWorkspace, why: `${SECTION}.datasetPath` }
			: fromUser
				? { path: fromUser, why: `${SECTION}.datasetPath` }
				: undefined;
	if (asked) {
		const at = locate(asked.path, platform);
		if ('uri' in at) return { dir: pathOf(at.uri), origin: 'setting', label: asked.why === 'panel' ? vscode.l10n.t('{0} (panel)', shown(at.uri)) : `${shown(at.uri)} (${asked.why})` };
		const fallback = await discoverInWorkspace(extensionUri, log);
		const message = vscode.l10n.t(
			'In the browser Minibatch Lab can read only the files of the open workspace, so the dataset folder {0} cannot be used and {1} is used instead; copy the four MNIST idx files into a dataset/ folder in the workspace, or open the folder in VS Code desktop or a Codespace.',
			asked.path,
			fallback.label,
		);
		log.warn(message);
		const open = vscode.l10n.t('Open Settings');
		void showWarning(message, open).then((pick) => {
			if (pick === open) void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.datasetPath`);
		});
		return fallback;
	}
	return discoverInWorkspace(extensionUri, log);
}

/** A book-style dataset/ folder with all four files (the book's own layout first, then anywhere), else the bundled MNIST. */
async function discoverInWorkspace(extensionUri: vscode.Uri, log: Logger): Promise<DatasetChoice> {
	const folders = vscode.workspace.workspaceFolders ?? [];
	const candidates = folders.map((f) => vscode.Uri.joinPath(f.uri, 'dataset'));
	if (folders.length > 0) {
		try {
			const hits = await vscode.workspace.findFiles('**/train-images{-,.}idx3-ubyte{,.gz}', '**/node_modules/**', 20);
			for (const uri of hits.sort((a, b) => a.path.length - b.path.length)) candidates.push(vscode.Uri.joinPath(uri, '..'));
		} catch (e) {
			// Some browser workspaces have no file search; the book's own dataset/ folder is still checked.
			log.info(`Could not search the workspace for MNIST files: ${(e as Error).message}`);
		}
	}
	const seen = new Set<string>();
	for (const uri of candidates) {
		const dir = pathOf(uri);
		if (seen.has(dir)) continue;
		seen.add(dir);
		const stat = await workspaceFiles.stat(dir).catch(() => undefined);
		if (stat?.kind !== 'directory') continue;
		const missing = await missingMnistFiles(workspaceFiles, dir);
		if (missing.length === 0) return { dir, origin: 'workspace', label: vscode.l10n.t('{0} (workspace)', vscode.workspace.asRelativePath(uri)) };
		log.info(`Skipping ${dir}: missing ${missing.join(', ')}`);
	}
	return { dir: pathOf(vscode.Uri.joinPath(extensionUri, 'dist', 'data', 'mnist')), origin: 'bundled', label: vscode.l10n.t('MNIST (bundled)') };
}
