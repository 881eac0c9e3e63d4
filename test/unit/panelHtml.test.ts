import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GRAD_PANEL_FILES, GRAD_PANEL_ROOTS } from '../../src/extension/gradPanelHtml';
import { contentSecurityPolicy, escapeHtml, PANEL_FILES, PANEL_ROOTS, panelHtml, type PanelHtmlOptions } from '../../src/extension/panelHtml';
import { ENGLISH } from '../../src/shared/strings/l10n';
import { panelStrings } from '../../src/shared/strings/panel';
import { bundleL10n } from '../support/japanese';

const JA = bundleL10n(JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.ja.json'), 'utf8')) as Record<string, string>);

const base: PanelHtmlOptions = {
	cspSource: 'https://*.vscode-cdn.net',
	nonce: 'q83vEjRWeJq83vEjRWeJqw==',
	scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/webview.js',
	styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/style.css',
	title: 'Minibatch comparison',
	language: 'en',
	strings: panelStrings(ENGLISH),
};

function cspOf(html: string): string {
	const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
	assert.ok(m, 'the page has a CSP meta tag');
	return m[1].replace(/&#39;/g, "'");
}

describe('panelHtml', () => {
	it('sets a strict nonce CSP with default-src none', () => {
		const csp = cspOf(panelHtml(base));
		assert.equal(
			csp,
			"default-src 'none'; img-src https://*.vscode-cdn.net data:; style-src https://*.vscode-cdn.net; script-src 'nonce-q83vEjRWeJq83vEjRWeJqw=='; font-src https://*.vscode-cdn.net",
		);
		assert.doesNotMatch(csp, /unsafe-(inline|eval)/);
	});

	it('puts the CSP before anything that loads', () => {
		const html = panelHtml(base);
		assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<link'));
		assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<script'));
	});

	it('has exactly one script, external and nonce-tagged, and no inline style or handlers', () => {
		const html = panelHtml(base);
		const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
		assert.equal(scripts.length, 1);
		assert.match(scripts[0][1], / nonce="q83vEjRWeJq83vEjRWeJqw=="/);
		assert.match(scripts[0][1], / src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\/webview\.js"/);
		assert.equal(scripts[0][2].trim(), '', 'no inline script body');
		assert.doesNotMatch(html, /\sstyle=/i, 'no style attributes');
		assert.doesNotMatch(html, /<style\b/i, 'no style elements');
		assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
	});

	it('has the landmarks the script fills and accessible canvases', () => {
		const html = panelHtml(base);
		for (const id of ['run-settings', 'status', 'status-announce', 'cancel', 'error', 'comparison', 'table-empty', 'accuracy', 'loss', 'loss-note', 'acc-zoom', 'settings']) {
			assert.match(html, new RegExp(`id="${id}"`), `#${id}`);
		}
		const canvases = [...html.matchAll(/<canvas\b([^>]*)>/g)].map((m) => m[1]);
		assert.equal(canvases.length, 2);
		for (const c of canvases) {
			assert.match(c, /role="img"/);
			assert.match(c, /aria-label="[^"]+"/);
		}
	});

	it('escapes the title, so markup in it stays text', () => {
		const html = panelHtml({ ...base, title: '<img src=x onerror=alert(1)>' });
		assert.doesNotMatch(html, /<img/);
		assert.match(html, /<title>&lt;img src=x onerror=alert\(1\)&gt;<\/title>/);
		assert.match(html, /<h1>&lt;img src=x onerror=alert\(1\)&gt;<\/h1>/);
	});

	it('escapes quotes in resource URIs, so they cannot leave the attribute', () => {
		const html = panelHtml({ ...base, scriptUri: 'https://x/a.js" onload="alert(1)', styleUri: "https://x/s.css'><script>alert(1)</script>" });
		assert.match(html, /src="https:\/\/x\/a\.js&quot; onload=&quot;alert\(1\)"/);
		assert.match(html, /href="https:\/\/x\/s\.css&#39;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
		assert.equal([...html.matchAll(/<script\b/g)].length, 1);
	});

	it('refuses a nonce or source that would break the policy grammar', () => {
		assert.throws(() => panelHtml({ ...base, nonce: "abc'; script-src *" }), /nonce/);
		assert.throws(() => panelHtml({ ...base, nonce: 'short' }), /nonce/);
		assert.throws(() => panelHtml({ ...base, cspSource: "https://x; script-src 'unsafe-inline'" }), /cspSource/);
		assert.throws(() => panelHtml({ ...base, cspSource: '' }), /cspSource/);
	});

	it("accepts code-server's 'self' plus a host, and a base64 nonce from randomBytes", () => {
		const csp = contentSecurityPolicy("'self' https://*.vscode-cdn.net", 'ab+/cd+/ef+/gh+/ij+/kw==');
		assert.match(csp, /style-src 'self' https:\/\/\*\.vscode-cdn\.net;/);
		assert.match(csp, /script-src 'nonce-ab\+\/cd\+\/ef\+\/gh\+\/ij\+\/kw=='/);
		assert.doesNotThrow(() => contentSecurityPolicy('http://127.0.0.1:8080', 'q83vEjRWeJq83vEjRWeJqw=='));
	});

	it('hands the page its strings whole in data-strings, escaped, and marks the page with the display language', () => {
		const strings = panelStrings(JA);
		// A translation with quotes and markup must come back unchanged and leave no tag or attribute behind.
		const tricky = { ...strings, page: { ...strings.page, noResults: `"><script>alert(1)</script> '&` } };
		const html = panelHtml({ ...base, language: 'ja', strings: tricky });
		assert.match(html, /<html lang="ja">/);
		const m = /<body data-strings="([^"]*)">/.exec(html);
		assert.ok(m, 'the body carries the strings');
		const decoded = m[1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
		assert.deepEqual(JSON.parse(decoded), tricky);
		assert.equal([...html.matchAll(/<script\b/g)].length, 1);
		// The static text is in Japanese too: headings, buttons, tooltips, labels.
		for (const text of [strings.page.tableHeading, strings.page.copyMarkdown, strings.page.copyMarkdownTitle, strings.page.exportGroup, strings.page.formHeading, strings.charts.accNote]) {
			assert.ok(html.includes(escapeHtml(text)), text);
		}
		assert.match(panelHtml({ ...base, language: '' }), /<html lang="en">/);
	});

	it('escapeHtml covers the five characters', () => {
		assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
	});
});

describe('what the webviews may load', () => {
	const root = join(__dirname, '..', '..', '..');
	for (const [name, files, roots] of [
		['comparison panel', PANEL_FILES, PANEL_ROOTS],
		['gradient panel', GRAD_PANEL_FILES, GRAD_PANEL_ROOTS],
	] as const) {
		it(`the ${name}'s resource roots hold the files its page loads, and no other bundle or data`, () => {
			for (const file of Object.values(files)) {
				assert.ok(statSync(join(root, file)).isFile(), `${file} is a file the build or the package ships`);
				assert.ok(roots.some((r: string) => file.startsWith(`${r}/`)), `${file} is under a root`);
			}
			for (const r of roots) {
				// dist/ itself holds the extension, worker, CLI and test bundles and the bundled MNIST.
				assert.notEqual(r, 'dist');
				const shipped = readdirSync(join(root, r), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
				assert.deepEqual(shipped.filter((n) => /\.(js|wasm|gz)$|ubyte/.test(n) && !Object.values(files).some((f: string) => f.endsWith(`/${n}`))), [], `${r} holds only what the page loads`);
			}
		});
	}

	it('the comparison page references exactly those files', () => {
		const uri = (file: string) => `https://file+.vscode-resource.vscode-cdn.net/ext/${file}`;
		const html = panelHtml({ ...base, scriptUri: uri(PANEL_FILES.script), styleUri: uri(PANEL_FILES.style) });
		const loaded = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1].replace(uri(''), '')).sort();
		assert.deepEqual(loaded, Object.values(PANEL_FILES).sort());
	});
});
