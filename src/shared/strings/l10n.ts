/**
 * Strings a webview shows come from the host, built with `vscode.l10n.t` and handed over whole (as vscode-hexeditor
 * does with its localized-strings object): the page carries no copy of any translation. The tables in this folder are
 * pure functions of an `L10n`, so the host passes `vscode.l10n`, the unit tests an English identity, and the in-host
 * Japanese test the bundle itself.
 */

/** What a string table needs of `vscode.l10n`: `t` without arguments, which returns the template with its `{0}` intact. */
export interface L10n {
	t(message: string): string;
}

/** English: the key itself. */
export const ENGLISH: L10n = { t: (message) => message };

/** `vscode.l10n.t`'s substitution, done where the values are known: `{0}`, `{1}` … replaced by the arguments. */
export function fill(template: string, ...args: (string | number)[]): string {
	return template.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}

/** The BCP 47 tag for the page's `lang`: `vscode.env.language` ('ja', 'en', 'zh-cn', …) or English when it is empty. */
export function pageLanguage(language: string | undefined): string {
	return /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/.test(language ?? '') ? language! : 'en';
}
