import * as vscode from 'vscode';
import { SettingsError } from '../core/errors';
import { localizeReason } from '../shared/strings/reasons';
import { showError } from './notify';

/**
 * A bad setting, told once in the log (English) and once in a notification in the display language whose button opens
 * that very setting. Rethrows anything else.
 */
export function reportSettingsError(log: vscode.LogOutputChannel, e: unknown): void {
	if (!(e instanceof SettingsError)) throw e;
	log.error(e.message);
	const open = vscode.l10n.t('Open Settings');
	void showError(vscode.l10n.t('Minibatch Lab cannot start: {0}', localizeReason(vscode.l10n, e.reason)), open).then((pick) => {
		if (pick === open) void vscode.commands.executeCommand('workbench.action.openSettings', e.setting.startsWith('minibatchLab.') ? e.setting : 'minibatchLab');
	});
}
