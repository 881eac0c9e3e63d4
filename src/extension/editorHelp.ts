import * as vscode from 'vscode';
import { registerPythonHelp } from './hover/hovers';

/** The output channel behind every log line ("Minibatch Lab: Show log"). */
export function startLog(context: vscode.ExtensionContext): vscode.LogOutputChannel {
	const log = vscode.window.createOutputChannel('Minibatch Lab', { log: true });
	context.subscriptions.push(log, vscode.commands.registerCommand('minibatchLab.showLog', () => log.show()));
	return log;
}

/** What helps in the editor, the same in every host: the hovers, the quick fix and the example script. */
export function registerEditorHelp(context: vscode.ExtensionContext): void {
	context.subscriptions.push(
		...registerPythonHelp(),
		// An untitled copy, so a learner can edit and hover without touching the extension's files.
		vscode.commands.registerCommand('minibatchLab.openExample', async () => {
			const file = vscode.Uri.joinPath(context.extensionUri, 'media', 'walkthrough', 'ch04_train_neuralnet.py');
			const content = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
			await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'python', content }));
		}),
	);
}
