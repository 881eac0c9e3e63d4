/** Where a user sees a problem, read as they would: the notification (workbench DOM, via the bridge) and the log. */
import * as vscode from 'vscode';
import { queryDom } from './browser';
import { until } from './util';

export const ERROR_TOAST = '.notification-toast:has(.codicon-error) .notification-list-item-message';
export const DIALOG = '.monaco-dialog-box';

export const clearNotifications = () => vscode.commands.executeCommand('notifications.clearAll');

/**
 * The text of the notification that contains `text` (of one severity, if given), once it shows. A toast can miss its moment
 * (at most three show, and none while the notification centre is open), so after a while this reads the centre, which lists
 * every notification until cleared.
 */
export async function notificationText(text: string, severity?: 'error' | 'warning' | 'info', toastMs = 10_000): Promise<string> {
	const item = severity ? `.notification-list-item:has(.codicon-${severity})` : '.notification-list-item';
	try {
		return String(await queryDom({ selector: `.notification-toast ${item} .notification-list-item-message`, hasText: text, op: 'text', timeoutMs: toastMs }));
	} catch {
		await vscode.commands.executeCommand('notifications.showList');
		try {
			return String(await queryDom({ selector: `.notifications-center ${item} .notification-list-item-message`, hasText: text, op: 'text', timeoutMs: 20_000 }));
		} finally {
			await vscode.commands.executeCommand('notifications.hideList');
		}
	}
}

/** The text of the error notification that contains `text`. */
export const errorToast = (text: string) => notificationText(text, 'error');

/** The "Minibatch Lab" log as its Output view shows it (the view is opened once, which loads it as a document). */
export async function logText(): Promise<string> {
	const find = () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && d.uri.path.endsWith('Minibatch Lab'));
	if (!find()) await vscode.commands.executeCommand('minibatchLab.showLog');
	return find()?.getText() ?? '';
}

/** Waits until the log after its first `since` characters matches; returns the match. The log goes through a file, so it lags a little. */
export async function logged(what: string, since: number, pattern: RegExp): Promise<RegExpExecArray> {
	return until(`${what} in the log`, async () => pattern.exec((await logText()).slice(since)) ?? undefined, 30_000, 250);
}
