/**
 * The gradient comparison panel: a static report page, no script. Pure (no vscode import) so the numbers, the
 * escaping and the CSP are unit-tested.
 */
import type { GradParamName, GradReport } from '../shared/protocol';
import type { GradStrings } from '../shared/strings/grad';
import { fill, pageLanguage } from '../shared/strings/l10n';
import { escapeHtml } from './panelHtml';

/** The only file the page loads (it runs no script), relative to the extension's folder, and its folder (its localResourceRoots). */
export const GRAD_PANEL_FILES = { style: 'media/grad.css' } as const;
export const GRAD_PANEL_ROOTS = ['media'] as const;

export interface GradPanelOptions {
	/** `webview.cspSource` */
	cspSource: string;
	/** `asWebviewUri` of media/grad.css */
	styleUri: string;
	/** `vscode.env.language`, for the page's `lang`. */
	language: string;
	/** `gradStrings(vscode.l10n)`: every word on the page, in the display language. */
	strings: GradStrings;
	report: GradReport;
	cancelled: boolean;
	/**
	 * A `command:` link that runs the check again with the other log (the host enables only that command's links). Absent:
	 * no switch is shown.
	 */
	exactLogToggle?: string;
}

const PARAMS: readonly GradParamName[] = ['W1', 'b1', 'W2', 'b2'];
// The same shape of check as panelHtml: escaping cannot protect the policy's own grammar.
const CSP_SOURCE = /^(?:'self'|[A-Za-z][A-Za-z0-9+.-]*:(?:\/\/[A-Za-z0-9*._[\]:-]+(?:\/[A-Za-z0-9/._~%-]*)?)?)$/;

export function gradContentSecurityPolicy(cspSource: string): string {
	const sources = cspSource.trim().split(/\s+/);
	if (!sources.every((t) => CSP_SOURCE.test(t))) throw new Error(`gradPanelHtml: cspSource is not a list of CSP sources: ${JSON.stringify(cspSource)}`);
	return `default-src 'none'; style-src ${sources.join(' ')}`;
}

/** The only links the page may hold: the host's own command, with JSON arguments. */
const TOGGLE_HREF = /^command:minibatchLab\.compareGradients\?[A-Za-z0-9%._~!*'()-]*$/;

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const exp = (n: number) => (Number.isFinite(n) ? n.toExponential(2) : '—');

/** "12.35 s" or "12.30 ms", with the display language's units. */
export function formatSeconds(s: number, S: Pick<GradStrings, 'seconds' | 'milliseconds'>): string {
	if (!Number.isFinite(s)) return '—';
	return s >= 1 ? fill(S.seconds, s.toFixed(2)) : fill(S.milliseconds, (s * 1000).toFixed(2));
}

export function gradPanelHtml(o: GradPanelOptions): string {
	const S = o.strings;
	const r = o.report;
	const sec = (x: number) => formatSeconds(x, S);
	/** A template from the table, escaped, with its placeholders filled by HTML built here (numbers, code spans). */
	const html = (template: string, ...args: (string | number)[]) => fill(escapeHtml(template), ...args);
	const code = (s: string) => `<code>${escapeHtml(s)}</code>`;
	const P = r.parameters;
	const numLabel = r.estimate ? html(S.numericalEstimate, int(r.checked), escapeHtml(sec(r.measuredSeconds))) : html(S.numerical);
	const cancelled = o.cancelled ? `<p class="warning">${html(S.cancelled, int(r.checked), int(P))}</p>` : '';
	const rows = PARAMS.map(
		(k) => `<tr><th scope="row"><code>${k}</code></th><td class="num">${exp(r.avgAbsDiff[k])}</td><td class="num">${exp(r.normRelErrBy[k])}</td><td class="num">${exp(r.maxRelErrBy[k])}</td></tr>`,
	).join('\n');
	if (o.exactLogToggle !== undefined && !TOGGLE_HREF.test(o.exactLogToggle)) throw new Error(`gradPanelHtml: not a compareGradients command link: ${JSON.stringify(o.exactLogToggle)}`);
	const toggle =
		o.exactLogToggle === undefined
			? ''
			: `<p class="switch-line"><a class="switch" id="exact-log" role="switch" aria-checked="${r.exactLog}" href="${escapeHtml(o.exactLogToggle)}" title="${escapeHtml(r.exactLog ? S.exactLogOn : S.exactLogOff)}"><span class="track" aria-hidden="true"></span>${html(S.exactLogSwitch, code('log(y)'))}</a></p>`;
	const loss = r.exactLog ? code('log(y)') : code('log(y + 1e-7)');
	const note = r.exactLog ? html(S.noteExactLog, loss, code('(y − t)/B')) : `${html(S.noteBookLog, loss, code('(y − t)/B'), code('log(y)'))}${toggle ? ` ${html(S.tryExactLog)}` : ''}`;
	return `<!DOCTYPE html>
<html lang="${escapeHtml(pageLanguage(o.language))}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(gradContentSecurityPolicy(o.cspSource))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>${html(S.title)}</title>
</head>
<body>
<main>
<h1>${html(S.title)}</h1>
<p class="settings">${html(S.settings, int(r.hidden), int(r.batchSize), r.seed, int(P), code(r.mode), code(r.engine))}</p>
${cancelled}
<table class="times">
<tr><th scope="row">${numLabel}</th><td class="num" id="numerical">${escapeHtml(sec(r.numericalSeconds))}${r.estimate ? ` <span class="estimate">${html(S.estimate)}</span>` : ''}</td></tr>
<tr><th scope="row">${html(S.backprop)}</th><td class="num" id="backprop">${escapeHtml(sec(r.backpropSeconds))}</td></tr>
<tr><th scope="row">${html(S.ratio)}</th><td class="num" id="ratio">${escapeHtml(`${int(r.ratio)}×`)}</td></tr>
</table>
<h2>${html(S.checkHeading)}</h2>
${toggle}
<p class="summary" id="errors">${html(S.errorSummary, code('‖num − bp‖ / (‖num‖ + ‖bp‖)'), `<strong id="norm-rel-err">${exp(r.normRelErr)}</strong>`, `<strong id="max-rel-err">${exp(r.maxRelErr)}</strong>`)}</p>
<table class="check">
<thead><tr><th scope="col">${html(S.parameter)}</th><th scope="col">${html(S.meanAbsDiff)}</th><th scope="col">${html(S.normRelErr)}</th><th scope="col">${html(S.largestRelErr)}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="note">${r.checked < P ? `${html(S.notChecked)} ` : ''}${note}</p>
<h2>${html(S.costHeading)}</h2>
<ul class="cost">
<li>${html(S.costNumerical, int(P), int(2 * P))}</li>
<li>${html(S.costBackprop)}</li>
<li>${html(S.costWhy)}</li>
<li>${html(r.mode === 'partial' ? S.modePartial : S.modeFull)}</li>
</ul>
</main>
</body>
</html>
`;
}
