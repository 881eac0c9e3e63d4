/**
 * The gradient comparison panel: a static report page, no script. Pure (no vscode import) so the numbers, the
 * escaping and the CSP are unit-tested.
 */
import type { GradParamName, GradReport } from '../shared/protocol';
import { escapeHtml } from './panelHtml';

export interface GradPanelOptions {
	/** `webview.cspSource` */
	cspSource: string;
	/** `asWebviewUri` of media/grad.css */
	styleUri: string;
	/** `vscode.env.language`: 'ja*' shows Japanese first, anything else English first. */
	language: string;
	report: GradReport;
	cancelled: boolean;
}

const PARAMS: readonly GradParamName[] = ['W1', 'b1', 'W2', 'b2'];
// The same shape of check as panelHtml: escaping cannot protect the policy's own grammar.
const CSP_SOURCE = /^(?:'self'|[A-Za-z][A-Za-z0-9+.-]*:(?:\/\/[A-Za-z0-9*._[\]:-]+(?:\/[A-Za-z0-9/._~%-]*)?)?)$/;

export function gradContentSecurityPolicy(cspSource: string): string {
	const sources = cspSource.trim().split(/\s+/);
	if (!sources.every((t) => CSP_SOURCE.test(t))) throw new Error(`gradPanelHtml: cspSource is not a list of CSP sources: ${JSON.stringify(cspSource)}`);
	return `default-src 'none'; style-src ${sources.join(' ')}`;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const exp = (n: number) => (Number.isFinite(n) ? n.toExponential(2) : '—');

export function formatSeconds(s: number): string {
	if (!Number.isFinite(s)) return '—';
	return s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(2)} ms`;
}

export function gradPanelHtml(o: GradPanelOptions): string {
	const ja = o.language.toLowerCase().startsWith('ja');
	const r = o.report;
	/** Both languages: the user's first, the other smaller. Inputs are plain text; everything is escaped here. */
	const both = (en: string, jp: string) => {
		const [first, second] = ja ? [[jp, 'ja'], [en, 'en']] : [[en, 'en'], [jp, 'ja']];
		return `<span lang="${first[1]}">${escapeHtml(first[0])}</span><span class="other" lang="${second[1]}">${escapeHtml(second[0])}</span>`;
	};
	const P = r.parameters;
	const num = formatSeconds(r.numericalSeconds);
	const numLabel = r.estimate
		? both(`Numerical gradient (estimate from ${int(r.checked)} random parameters, ${formatSeconds(r.measuredSeconds)} measured)`, `数値微分(ランダムな ${int(r.checked)} 個のパラメータから推定、実測 ${formatSeconds(r.measuredSeconds)})`)
		: both('Numerical gradient', '数値微分');
	const cancelled = o.cancelled
		? `<p class="warning">${both(`Cancelled after ${int(r.checked)} of ${int(P)} parameters; the time is extrapolated from them.`, `${int(P)} 個中 ${int(r.checked)} 個のパラメータで中止しました。時間はそこからの推定です。`)}</p>`
		: '';
	const rows = PARAMS.map(
		(k) => `<tr><th scope="row">${k}</th><td class="num">${exp(r.avgAbsDiff[k])}</td><td class="num">${exp(r.maxRelErrBy[k])}</td></tr>`,
	).join('\n');
	const partial =
		r.mode === 'partial'
			? both(
					'Here each loss evaluation recomputes only the part of the forward pass that the nudged parameter can change (same loss values, bit for bit), so the measured ratio is smaller than the cost model.',
					'ここでは各損失の計算で、動かしたパラメータが影響する部分だけを計算し直します(損失の値はビット単位で同じ)。そのため実測の比はコストモデルより小さくなります。',
				)
			: both('Each loss evaluation is a whole forward pass, as in the book’s code.', '各損失の計算は、本書のコードと同じく順伝播をまるごと 1 回行います。');
	return `<!DOCTYPE html>
<html lang="${ja ? 'ja' : 'en'}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(gradContentSecurityPolicy(o.cspSource))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>${escapeHtml(ja ? '数値微分と誤差逆伝播法' : 'Numerical gradient vs backprop')}</title>
</head>
<body>
<main>
<h1>${both('Numerical gradient vs backprop', '数値微分と誤差逆伝播法')}</h1>
<p class="settings">${both(
		`TwoLayerNet, ${int(r.hidden)} hidden units, one batch of ${int(r.batchSize)}, seed ${r.seed}, P = ${int(P)} parameters, mode ${r.mode}, ${r.engine}`,
		`TwoLayerNet、隠れ層 ${int(r.hidden)}、バッチ 1 つ(${int(r.batchSize)} 枚)、シード ${r.seed}、P = ${int(P)} パラメータ、モード ${r.mode}、${r.engine}`,
	)}</p>
${cancelled}
<table class="times">
<tr><th scope="row">${numLabel}</th><td class="num" id="numerical">${escapeHtml(num)}${r.estimate ? ` <span class="estimate">${both('estimate', '推定')}</span>` : ''}</td></tr>
<tr><th scope="row">${both('Backprop', '誤差逆伝播法')}</th><td class="num" id="backprop">${escapeHtml(formatSeconds(r.backpropSeconds))}</td></tr>
<tr><th scope="row">${both('Ratio', '比')}</th><td class="num" id="ratio">${escapeHtml(`${int(r.ratio)}×`)}</td></tr>
</table>
<h2>${both('Gradient check', '勾配確認')}</h2>
<table class="check">
<thead><tr><th scope="col">${both('Parameter', 'パラメータ')}</th><th scope="col">${both('mean |numerical − backprop|', '|数値微分 − 誤差逆伝播法| の平均')}</th><th scope="col">${both('largest relative error', '最大相対誤差')}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="note">${r.checked < P ? `${both('“—”: not checked in this run.', '「—」はこの実行で確認していないもの。')} ` : ''}${both('Most of the relative error comes from the 1e-7 inside the log, which backprop’s (y − t)/B ignores.', '相対誤差の大半は log の中の 1e-7 によるもので、誤差逆伝播法の (y − t)/B はこれを無視します。')}</p>
<h2>${both('The cost model', 'コストモデル')}</h2>
<ul class="cost">
<li>${both(`Numerical gradient: about 2 × P = 2 × ${int(P)} = ${int(2 * P)} loss evaluations, each a forward pass over the batch.`, `数値微分：約 2 × P = 2 × ${int(P)} = ${int(2 * P)} 回の損失の計算。それぞれがバッチ全体の順伝播です。`)}</li>
<li>${both('Backprop: one forward and one backward pass.', '誤差逆伝播法：順伝播 1 回と逆伝播 1 回。')}</li>
<li>${both('Why: the central difference nudges one parameter at a time, so its cost grows with P; backprop gets every partial derivative at once by the chain rule.', 'なぜ違うのか：中心差分はパラメータを 1 つずつ動かすので、コストは P に比例します。誤差逆伝播法は連鎖律で、すべての偏微分を一度に求めます。')}</li>
<li>${partial}</li>
</ul>
</main>
</body>
</html>
`;
}
