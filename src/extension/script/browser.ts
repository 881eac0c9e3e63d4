/** In a browser there is no Python to start: the command is there, and says where it works, in one sentence. */
import * as vscode from 'vscode';
import { showError } from '../notify';

export function registerScriptCommandInBrowser(context: vscode.ExtensionContext): void {
	context.subscriptions.push(
		vscode.commands.registerCommand('minibatchLab.compareScript', async () => {
			// Not awaited: the notification stays until dismissed, and the command has nothing more to do.
			void showError(vscode.l10n.t('Comparing samplers on your script needs a local Python, which a browser cannot run: open the folder in VS Code on your computer, or in a GitHub Codespace.'));
			return undefined;
		}),
	);
}
