/**
 * The comparison panel's page. Pure (no vscode import) so the CSP and the escaping are unit-tested.
 * The page holds only landmarks and empty containers; media/main.ts fills them from the host's messages, with the
 * strings this page carries in `data-strings` (built by the host with its l10n, so the script has no translations).
 */
import { fill, pageLanguage } from '../shared/strings/l10n';
import type { PanelStrings } from '../shared/strings/panel';

/** The only files the page loads, relative to the extension's folder. */
export const PANEL_FILES = { script: 'dist/webview/webview.js', style: 'media/style.css' } as const;
/**
 * Its localResourceRoots: the folders of those files (VS Code takes folders only). The page's bundle has a folder of its
 * own, so the page cannot load the other bundles, the test bundles or the bundled MNIST in dist/.
 */
export const PANEL_ROOTS = ['dist/webview', 'media'] as const;

export interface PanelHtmlOptions {
	/** `webview.cspSource` */
	cspSource: string;
	nonce: string;
	/** `asWebviewUri` of dist/webview/webview.js */
	scriptUri: string;
	/** `asWebviewUri` of media/style.css */
	styleUri: string;
	title: string;
	/** `vscode.env.language`, for the page's `lang` (and so the verdict's language). */
	language: string;
	/** `panelStrings(vscode.l10n)`: every word the page shows. */
	strings: PanelStrings;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and double-quoted attribute values. */
export function escapeHtml(s: string): string {
	return s.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

// HTML escaping cannot protect the CSP's own grammar (the entity for ' decodes back to ' inside the attribute),
// so the two values that go into the policy are checked instead: anything else is a bug on the host side.
const NONCE = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;
// One source expression: 'self' (code-server adds it), a scheme (`https:`) or a host with optional port and path.
const CSP_SOURCE = /^(?:'self'|[A-Za-z][A-Za-z0-9+.-]*:(?:\/\/[A-Za-z0-9*._[\]:-]+(?:\/[A-Za-z0-9/._~%-]*)?)?)$/;

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
	if (!NONCE.test(nonce)) throw new Error(`panelHtml: the nonce must be at least 16 base64 characters, got ${JSON.stringify(nonce)}`);
	const sources = cspSource.trim().split(/\s+/);
	if (!sources.every((t) => CSP_SOURCE.test(t))) throw new Error(`panelHtml: cspSource is not a list of CSP sources: ${JSON.stringify(cspSource)}`);
	return [
		"default-src 'none'",
		`img-src ${sources.join(' ')} data:`,
		`style-src ${sources.join(' ')}`,
		`script-src 'nonce-${nonce}'`,
		`font-src ${sources.join(' ')}`,
	].join('; ');
}

export function panelHtml(o: PanelHtmlOptions): string {
	const csp = escapeHtml(contentSecurityPolicy(o.cspSource, o.nonce));
	const title = escapeHtml(o.title);
	const S = o.strings;
	const P = S.page;
	const t = escapeHtml;
	const exportButton = (format: string, label: string, tip: string) => `<button type="button" class="secondary small" data-export="${format}" title="${t(tip)}" disabled>${t(label)}</button>`;
	const noData = (name: string) => t(fill(S.charts.aria, name, S.charts.ariaNoData));
	return `<!DOCTYPE html>
<html lang="${t(pageLanguage(o.language))}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${t(o.styleUri)}">
<title>${title}</title>
</head>
<body data-strings="${t(JSON.stringify(S))}">
<main>
<header class="run-header">
<h1>${title}</h1>
<p id="run-settings" class="run-settings">${t(P.noRunYet)}</p>
<div class="status-line">
<p id="status">${t(P.waiting)}</p>
<button id="cancel" type="button" class="secondary" hidden>${t(P.cancel)}</button>
</div>
<p id="status-announce" class="visually-hidden" role="status"></p>
<p id="error" class="error-line" role="alert" hidden></p>
</header>
<section aria-labelledby="table-heading">
<div class="section-head">
<h2 id="table-heading">${t(P.tableHeading)}</h2>
<div class="export-buttons" role="group" aria-label="${t(P.exportGroup)}">
${exportButton('markdown', P.copyMarkdown, P.copyMarkdownTitle)}
${exportButton('csv', P.saveCsv, P.saveCsvTitle)}
${exportButton('json', P.saveJson, P.saveJsonTitle)}
${exportButton('png', P.savePng, P.savePngTitle)}
</div>
</div>
<div class="table-scroll"><table id="comparison"></table></div>
<p id="table-empty" class="muted">${t(P.noResults)}</p>
<p id="table-notes" class="muted table-note" hidden></p>
<p class="muted table-note">${t(P.coverageNote)}</p>
<div id="script-results" class="script-results" hidden></div>
<div id="pairs" class="pairs" hidden></div>
</section>
<section aria-labelledby="charts-heading">
<h2 id="charts-heading">${t(P.chartsHeading)}</h2>
<div class="chart-head">
<h3 class="chart-title">${t(P.accuracyTitle)} <span id="acc-note" class="chart-note">${t(S.charts.accNote)}</span></h3>
<div class="chart-tools">
<label id="show-seeds-label" class="check" hidden title="${t(P.showSeedsTitle)}"><input id="show-seeds" type="checkbox"> ${t(P.showSeeds)}</label>
<button id="acc-zoom" type="button" class="secondary small" aria-pressed="false" title="${t(P.zoomTitle)}">${t(P.zoom)}</button>
</div>
</div>
<div class="chart-box"><canvas id="accuracy" role="img" aria-label="${noData(S.charts.ariaAccuracy)}"></canvas></div>
<h3 class="chart-title">${t(P.lossTitle)} <span id="loss-note" class="chart-note">${t(S.charts.lossNote)}</span></h3>
<div class="chart-box"><canvas id="loss" role="img" aria-label="${noData(S.charts.ariaLoss)}"></canvas></div>
</section>
<section aria-labelledby="form-heading">
<h2 id="form-heading">${t(P.formHeading)}</h2>
<form id="settings" novalidate></form>
</section>
</main>
<script nonce="${t(o.nonce)}" src="${t(o.scriptUri)}"></script>
</body>
</html>
`;
}
