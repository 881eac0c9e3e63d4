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
import { panelStrings, type PanelStrings } from '../../src/shared/strings/panel';
import { bundleL10n, englishWords } from '../support/japanese';
import { browserBridgeAvailable, queryDom } from './browser';
import { EXTENSION_ID, liveWorkers, setSettings, snapshot, until } from './util';

/** A template as a pattern: its placeholders match anything. */
const pattern = (template: string) => new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\d+\}/g, '.+')}$`);

/** The values of every attribute a user can see or hear (tooltips, accessible names, placeholders) in some HTML. */
const shownAttributes = (html: string) => [...html.matchAll(/\s(?:title|aria-label|placeholder)="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>'));

describe('webviews in Japanese @ja', function () {
	this.timeout(120_000);
	let JA: L10n;

	before(async function () {
		if (!browserBridgeAvailable) this.skip();
		const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
		await ext.activate();
		JA = bundleL10n(JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'l10n', 'bundle.l10n.ja.json')))) as Record<string, string>);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	after(async () => {
		await setSettings({ iterations: undefined, seedCount: undefined, samplers: undefined, trainSize: undefined, seed: undefined });
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	it('the gradient panel: headings, table and cost model in Japanese, nothing in English but names and code', async () => {
		const r = await vscode.commands.executeCommand<GradOutcome | undefined>('minibatchLab.compareGradients', { subset: 2000 });
		assert.ok(r);
		const S = gradStrings(JA);
		await queryDom({ target: 'webview', selector: 'h1', op: 'wait', timeoutMs: 20_000 });
		assert.equal(await queryDom({ target: 'webview', selector: 'html', op: 'attr', name: 'lang' }), 'ja');
		assert.equal(await queryDom({ target: 'webview', selector: 'h1', op: 'text' }), S.title);
		assert.deepEqual(await queryDom({ target: 'webview', selector: 'h2', op: 'texts' }), [S.checkHeading, S.costHeading]);
		const heads = (await queryDom({ target: 'webview', selector: 'table.check th[scope=col]', op: 'texts' })) as string[];
		assert.deepEqual(heads, [S.parameter, S.meanAbsDiff, S.normRelErr, S.largestRelErr]);
		assert.equal(String(await queryDom({ target: 'webview', selector: '#exact-log', op: 'text' })).replace(/\s+/g, ' '), fill(S.exactLogSwitch, 'log(y)'));
		const body = String(await queryDom({ target: 'webview', selector: 'body', op: 'text' }));
		assert.ok(body.includes(fill(S.costNumerical, '39,760', '79,520')), body);
		assert.ok(body.includes(S.estimate), 'the extrapolated time is labelled in Japanese');
		const code = (await queryDom({ target: 'webview', selector: 'code', op: 'texts' })) as string[];
		assert.deepEqual(englishWords(body, code), [], body);
	});

	describe('the comparison panel after a run of two seeds', () => {
		let S: PanelStrings;
		before(async () => {
			await vscode.commands.executeCommand('workbench.action.closeAllEditors');
			S = panelStrings(JA);
			await setSettings({ iterations: 601, seedCount: 2, seed: 0, trainSize: 0, samplers: ['replacement', 'epoch-shuffle'] });
			await vscode.commands.executeCommand('minibatchLab.runComparison');
			await until('a finished run', async () => pattern(S.status.done).test((await snapshot())?.status ?? ''), 90_000);
			assert.equal(await liveWorkers(), 0);
		});

		it('text, headings, table, verdict and status from the bundle; no English but names, code and the verdict’s second language', async () => {
			const snap = (await snapshot())!;
			assert.equal(snap.tableHead[0], S.table.sampler);
			assert.deepEqual(snap.tableHead.slice(2), [S.table.finalTrain, S.table.finalTest, S.table.bestTest, S.table.wallTime, S.table.coverage, S.table.duplicates, S.table.maxDraws]);
			assert.deepEqual(snap.tableRows.map((r) => r[0]), [S.samplers.replacement, S.samplers['epoch-shuffle']]);
			assert.ok(snap.header.includes(fill(S.run.iterations, 601)) && snap.header.includes(fill(S.run.seedRange, 0, 1)), snap.header);
			assert.equal(snap.pairs.length, 1);
			assert.equal(snap.pairs[0].verdictLang, 'ja');
			assert.match(snap.pairs[0].other, /^No detectable difference|scores (higher|lower)/, 'the English verdict is kept under the Japanese one');
			assert.ok(snap.pairs[0].numbers.includes(fill(S.pairs.mean, '')), snap.pairs[0].numbers);

			assert.equal(await queryDom({ target: 'webview', selector: 'html', op: 'attr', name: 'lang' }), 'ja');
			assert.deepEqual(await queryDom({ target: 'webview', selector: 'h2', op: 'texts' }), [S.page.tableHeading, S.page.chartsHeading, S.page.formHeading]);
			const body = String(await queryDom({ target: 'webview', selector: 'body', op: 'text' }));
			for (const text of [S.page.copyMarkdown, S.page.coverageNote, S.pairs.heading, S.form.runAgain, S.form.iters, S.page.accuracyTitle]) assert.ok(body.includes(text), text);
			const code = (await queryDom({ target: 'webview', selector: 'code', op: 'texts' })) as string[];
			const english = (await queryDom({ target: 'webview', selector: '[lang="en"]', op: 'texts' })) as string[];
			assert.deepEqual(englishWords(body, [...code, ...english]), [], body);
			// What is heard or shown on hover: accessible names, tooltips, placeholders (the strings handed to the page aside).
			const html = String(await queryDom({ target: 'webview', selector: 'body', op: 'html' })).replace(/ data-strings="[^"]*"/, '');
			const attributes = shownAttributes(html);
			assert.ok(attributes.includes(S.page.exportGroup) && attributes.includes(S.page.zoomTitle), attributes.join(' | '));
			assert.deepEqual(englishWords(attributes.join('\n'), code), [], attributes.join('\n'));
			// Drawn on the canvases: axis titles and legends.
			for (const c of snap.charts) assert.deepEqual(englishWords(c.texts.join('\n')), [], `${c.id}: ${c.texts.join(' | ')}`);
			assert.deepEqual(snap.charts.find((c) => c.id === 'accuracy')!.texts.slice(0, 2), [S.charts.epoch, S.charts.accuracy]);
		});

		it('the form’s validation message is in Japanese, naming the field and its range', async () => {
			await queryDom({ target: 'webview', selector: '#field-iters', op: 'fill', value: 'abc' });
			await queryDom({ target: 'webview', selector: 'button[type=submit]', op: 'click' });
			const msg = await queryDom({ target: 'webview', selector: '#field-iters-msg', op: 'text' });
			assert.equal(msg, fill(S.form.invalid, S.form.iters, fill(S.form.wholeRange, 1, 1000000), 'abc'));
			await queryDom({ target: 'webview', selector: 'button.secondary', hasText: S.form.revert, op: 'click' });
		});

		it('the Markdown export’s headings and sentences are Japanese, the verdict too, and only that', async () => {
			const md = await vscode.commands.executeCommand<string | undefined>('minibatchLab.copyResultsMarkdown');
			assert.ok(md);
			assert.ok(md.startsWith(`| ${S.markdown.sampler} | ${S.markdown.trainAccuracy} | ${S.markdown.testAccuracy} |`), md);
			assert.ok(md.includes(fill(S.markdown.settings, '')), md);
			const snap = (await snapshot())!;
			assert.ok(md.includes(snap.pairs[0].verdict), 'the verdict the panel shows first');
			assert.ok(!md.includes(snap.pairs[0].other));
			assert.deepEqual(englishWords(md, ['replacement', 'epoch-shuffle']), [], md);
			assert.match(md, /N = 2/);
		});
	});
});
