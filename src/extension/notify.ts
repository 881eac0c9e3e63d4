/**
 * Every notification the extension shows goes through here (ESLint refuses `vscode.window.show*Message` and `withProgress`
 * elsewhere), so text from a setting, a path, a file or an error can never turn into a command link (src/shared/inertLinks.ts).
 * Build the whole message, outside text included, and pass it as is: the neutralising happens here, once.
 */
import * as vscode from 'vscode';
import { inertLinks } from '../shared/inertLinks';

type Items<T extends string> = [options: vscode.MessageOptions, ...items: T[]] | T[];

function plain<T extends string>(items: Items<T>): Items<T> {
	const [first, ...rest] = items;
	if (typeof first === 'object' && first !== null) return [{ ...first, ...(first.detail !== undefined ? { detail: inertLinks(first.detail) } : {}) }, ...(rest as T[])];
	return items;
}

export function showError<T extends string>(message: string, ...items: Items<T>): Thenable<T | undefined> {
	// eslint-disable-next-line no-restricted-properties -- the one place that may call it
	return vscode.window.showErrorMessage(inertLinks(message), ...(plain(items) as T[]));
}

export function showWarning<T extends string>(message: string, ...items: Items<T>): Thenable<T | undefined> {
	// eslint-disable-next-line no-restricted-properties -- the one place that may call it
	return vscode.window.showWarningMessage(inertLinks(message), ...(plain(items) as T[]));
}

export function showInfo<T extends string>(message: string, ...items: Items<T>): Thenable<T | undefined> {
	// eslint-disable-next-line no-restricted-properties -- the one place that may call it
	return vscode.window.showInformationMessage(inertLinks(message), ...(plain(items) as T[]));
}

/** `vscode.window.withProgress`, with the title and every reported message made inert (a notification shows both). */
export function withProgress<R>(
	options: vscode.ProgressOptions,
	task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Thenable<R>,
): Thenable<R> {
	// eslint-disable-next-line no-restricted-properties -- the one place that may call it
	return vscode.window.withProgress({ ...options, ...(options.title !== undefined ? { title: inertLinks(options.title) } : {}) }, (progress, token) =>
		task({ report: (v) => progress.report(v.message === undefined ? v : { ...v, message: inertLinks(v.message) }) }, token),
	);
}
