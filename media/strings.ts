/**
 * The page's words, handed over by the host in `<body data-strings>` (src/extension/panelHtml.ts): built there with
 * `vscode.l10n`, so this page holds no translation of its own.
 */
import type { PanelStrings } from '../src/shared/strings/panel';

export { fill } from '../src/shared/strings/l10n';
export type { PanelStrings };

export function readStrings(): PanelStrings {
	const raw = document.body.dataset.strings;
	if (!raw) throw new Error('the panel page has no strings (data-strings)');
	return JSON.parse(raw) as PanelStrings;
}

/** 'ja' when the page is in Japanese (the verdict's first language), else 'en'. */
export function pageLang(): 'en' | 'ja' {
	return document.documentElement.lang.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

/**
 * Appends a template's text to `parent` with its `{0}`, `{1}` … replaced by nodes (code spans, say) or text, so
 * markup never goes through a string.
 */
export function appendFilled(parent: Node, template: string, ...parts: (string | Node)[]): void {
	let last = 0;
	for (const m of template.matchAll(/\{(\d+)\}/g)) {
		const part = parts[Number(m[1])];
		if (part === undefined) continue;
		parent.appendChild(document.createTextNode(template.slice(last, m.index)));
		parent.appendChild(typeof part === 'string' ? document.createTextNode(part) : part);
		last = m.index + m[0].length;
	}
	parent.appendChild(document.createTextNode(template.slice(last)));
}
