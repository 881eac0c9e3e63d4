/**
 * Both webviews in Japanese, in the real host (the `ja` launch). What the panels show is read from their DOM through
 * the browser bridge and checked against the extension's own bundle: the expected strings are the bundle's, so a
 * reworded translation does not break the test, but an English or missing one does.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { GradOutcome } from '../../src/extension/gradCommand';
import { gradStrings } from '../../src/shared/strings/grad';
import { fill, type L10n } from '../../src/shared/strings/l10n';
import { browserBridgeAvailable, queryDom } from './browser';
import { EXTENSION_ID } from './util';

/** Words that stay as they are in every language: names, not UI text. */
const PROPER_NAMES = /\b(?:TwoLayerNet|MNIST)\b/g;

/** The English words left in a text once code spans and proper names are taken out (single letters are symbols). */
export function englishWords(text: string, codeTexts: readonly string[]): string[] {
	let rest = text;
	for (const c of [...codeTexts].sort((a, b) => b.length - a.length)) if (c) rest = rest.split(c).join(' ');
	return rest.replace(PROPER_NAMES, ' ').match(/[A-Za-z]{2,}/g) ?? [];
}

describe('webviews in Japanese @ja', function () {
	this.timeout(120_000);
	let ja: Record<string, string>;
	/** vscode.l10n as it would answer in Japanese, from the bundle file; a missing key fails. */
	const JA: L10n = {
		t: (key) => {
			assert.ok(key in ja, `bundle.l10n.ja.json has no "${key}"`);
			return ja[key];
		},
	};

	before(async function () {
		if (!browserBridgeAvailable) this.skip();
		const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
		await ext.activate();
		ja = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'l10n', 'bundle.l10n.ja.json')))) as Record<string, string>;
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

	it('the gradient panel: headings, table and cost model in Japanese, nothing in English but names and code', async () => {
		const r = await vscode.commands.executeCommand<GradOutcome | undefined>('minibatchLab.compareGradients', { subset: 2000 });
		assert.ok(r);
		const S = gradStrings(JA);
		await queryDom({ target: 'webview', selector: 'h1', op: 'wait', timeoutMs: 20_000 });
		assert.equal(await queryDom({ target: 'webview', selector: 'html', op: 'attr', name: 'lang' }), 'ja');
		assert.equal(await queryDom({ target: 'webview', selector: 'h1', op: 'text' }), S.title);
		assert.deepEqual(await queryDom({ target: 'webview', selector: 'h2', op: 'texts' }), [S.checkHeading, S.costHeading]);
		const heads = (await queryDom({ target: 'webview', selector: 'table.check th[scope=col]', op: 'texts' })) as string[];
		assert.deepEqual(heads, [S.parameter, S.meanAbsDiff, S.largestRelErr]);
		const body = String(await queryDom({ target: 'webview', selector: 'body', op: 'text' }));
		assert.ok(body.includes(fill(S.costNumerical, '39,760', '79,520')), body);
		assert.ok(body.includes(S.estimate), 'the extrapolated time is labelled in Japanese');
		const code = (await queryDom({ target: 'webview', selector: 'code', op: 'texts' })) as string[];
		assert.deepEqual(englishWords(body, code), [], body);
	});
});
