/**
 * The comparison panel's page. Pure (no vscode import) so the CSP and the escaping are unit-tested.
 * The page holds only landmarks and empty containers; media/main.ts fills them from the host's messages.
 */
export interface PanelHtmlOptions {
	/** `webview.cspSource` */
	cspSource: string;
	nonce: string;
	/** `asWebviewUri` of dist/webview.js */
	scriptUri: string;
	/** `asWebviewUri` of media/style.css */
	styleUri: string;
	title: string;
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
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>${title}</title>
</head>
<body>
<main>
<header class="run-header">
<h1>${title}</h1>
<p id="run-settings" class="run-settings">No run yet.</p>
<div class="status-line">
<p id="status">Waiting for the extension…</p>
<button id="cancel" type="button" class="secondary" hidden>Cancel</button>
</div>
<p id="status-announce" class="visually-hidden" role="status"></p>
<p id="error" class="error-line" role="alert" hidden></p>
</header>
<section aria-labelledby="table-heading">
<div class="section-head">
<h2 id="table-heading">Sampler comparison</h2>
<div class="export-buttons" role="group" aria-label="Export the results">
<button type="button" class="secondary small" data-export="markdown" title="Copy the table (mean ± std), the paired differences with their verdicts and the settings as Markdown" disabled>Copy as Markdown</button>
<button type="button" class="secondary small" data-export="csv" title="Save the loss and accuracy curves of every run, with the settings, as CSV" disabled>Save CSV…</button>
<button type="button" class="secondary small" data-export="json" title="Save every run (curves and summaries), the statistics and the settings as JSON" disabled>Save JSON…</button>
<button type="button" class="secondary small" data-export="png" title="Save the accuracy chart as a PNG image" disabled>Save chart as PNG…</button>
</div>
</div>
<div class="table-scroll"><table id="comparison"></table></div>
<p id="table-empty" class="muted">No results yet.</p>
<p id="table-notes" class="muted table-note" hidden></p>
<p class="muted table-note">Coverage: share of the training images drawn at least once in an epoch. A batch with a duplicate holds some image twice.</p>
<div id="pairs" class="pairs" hidden></div>
</section>
<section aria-labelledby="charts-heading">
<h2 id="charts-heading">Accuracy and loss</h2>
<div class="chart-head">
<h3 class="chart-title">Accuracy per epoch <span id="acc-note" class="chart-note">(train dashed, test solid)</span></h3>
<div class="chart-tools">
<label id="show-seeds-label" class="check" hidden title="Draw every seed's run as a faint line under the means (test accuracy and loss)"><input id="show-seeds" type="checkbox"> Show each seed</label>
<button id="acc-zoom" type="button" class="secondary small" aria-pressed="false" title="Show the last half of the epochs with the accuracy axis fitted to the data">Zoom in on the last half</button>
</div>
</div>
<div class="chart-box"><canvas id="accuracy" role="img" aria-label="Accuracy per epoch: no data yet"></canvas></div>
<h3 class="chart-title">Training loss per iteration <span id="loss-note" class="chart-note">(smoothed)</span></h3>
<div class="chart-box"><canvas id="loss" role="img" aria-label="Training loss per iteration: no data yet"></canvas></div>
</section>
<section aria-labelledby="form-heading">
<h2 id="form-heading">Settings for the next run</h2>
<form id="settings" novalidate></form>
</section>
</main>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}
