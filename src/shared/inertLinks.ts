/**
 * Text from outside the extension (settings, paths, file contents, worker and Python errors) must never become a link in
 * a notification. VS Code parses `[label](command:id?args)`, `(https://…)` and `(file:…)` in a notification's message
 * (parseLinkedText in vs/base/common/linkedText.ts, whose pattern needs `](` with nothing between) and runs the command
 * when the label is clicked. Pure, so the CLI and the web host can use it too.
 */

/** U+2060 WORD JOINER: invisible and no line break, yet `]⁠(` no longer reads as a link. */
const JOINER = '\u2060';

/** The same text with every `](` split, so no part of it can be parsed as a link; everything else is left as it was. */
export function inertLinks(text: string): string {
	return text.replace(/\]\(/g, `]${JOINER}(`);
}

/** VS Code's own pattern (1.100), for the tests: whatever matches this renders as a clickable link. */
export const VSCODE_LINK_PATTERN = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
