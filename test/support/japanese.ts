/** Checks shared by the unit tests and the in-host `ja` tests: the Japanese bundle as an L10n, and what English is left. */
import type { L10n } from '../../src/shared/strings/l10n';

/** vscode.l10n as it answers in Japanese, from the bundle itself; a key the bundle lacks throws, naming it. */
export function bundleL10n(bundle: Record<string, string>): L10n {
	return {
		t: (key) => {
			if (!(key in bundle)) throw new Error(`bundle.l10n.ja.json has no "${key}"`);
			return bundle[key];
		},
	};
}

/** Names that stay as they are in every language: the network, the data set, the product and file formats. */
const PROPER_NAMES = /\b(?:TwoLayerNet|MNIST|Minibatch Lab|Markdown|CSV|JSON|PNG)\b/g;

/**
 * The English words left in a text once the given verbatim pieces (code spans, ids, a second-language verdict) and the
 * proper names are taken out; single letters are symbols (N, P, t) and stay.
 */
export function englishWords(text: string, verbatim: readonly string[] = []): string[] {
	let rest = text;
	for (const c of [...verbatim].sort((a, b) => b.length - a.length)) if (c) rest = rest.split(c).join(' ');
	return rest.replace(PROPER_NAMES, ' ').match(/[A-Za-z]{2,}/g) ?? [];
}
