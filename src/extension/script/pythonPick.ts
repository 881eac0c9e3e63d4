/**
 * Which Python runs the learner's script: `minibatchLab.pythonPath`, else the Python extension's interpreter for the
 * file (through @vscode/python-extension, only where that extension is installed), else python3, then python, on PATH.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { PATH_CANDIDATES } from '../../runner/pythonProbe';

export const PYTHON_PATH_SETTING = 'minibatchLab.pythonPath';
const PYTHON_EXTENSION_ID = 'ms-python.python';
/** The Python extension activates on demand; a stuck activation must not hold the command. */
const PYTHON_EXTENSION_TIMEOUT_MS = 15_000;

export interface PythonChoice {
	readonly candidates: readonly string[];
	readonly source: 'setting' | 'pythonExtension' | 'path';
}

function expandHome(p: string): string {
	return p === '~' ? homedir() : p.startsWith('~/') || p.startsWith('~\\') ? join(homedir(), p.slice(2)) : p;
}

export async function pickPython(resource: vscode.Uri, log: vscode.LogOutputChannel): Promise<PythonChoice> {
	const setting = vscode.workspace.getConfiguration('minibatchLab', resource).get<unknown>('pythonPath', '');
	if (typeof setting === 'string' && setting.trim() !== '') return { candidates: [expandHome(setting.trim())], source: 'setting' };
	if (vscode.extensions.getExtension(PYTHON_EXTENSION_ID)) {
		try {
			const exe = await Promise.race([fromPythonExtension(resource), new Promise<undefined>((r) => setTimeout(() => r(undefined), PYTHON_EXTENSION_TIMEOUT_MS))]);
			if (exe) return { candidates: [exe], source: 'pythonExtension' };
			log.info('The Python extension has no interpreter for this file; looking on PATH.');
		} catch (e) {
			log.warn(`The Python extension did not say which interpreter to use (${(e as Error).message}); looking on PATH.`);
		}
	}
	return { candidates: PATH_CANDIDATES, source: 'path' };
}

async function fromPythonExtension(resource: vscode.Uri): Promise<string | undefined> {
	// Loaded only here: nothing of it runs unless the Python extension is installed.
	const { PythonExtension } = await import('@vscode/python-extension');
	const api = await PythonExtension.api();
	const active = api.environments.getActiveEnvironmentPath(resource);
	const env = await api.environments.resolveEnvironment(active);
	return env?.executable.uri?.fsPath ?? active.path;
}
