import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { formatSeconds, gradContentSecurityPolicy, gradPanelHtml, type GradPanelOptions } from '../../src/extension/gradPanelHtml';
import type { GradReport } from '../../src/shared/protocol';

const report: GradReport = {
	seed: 0,
	hidden: 50,
	batchSize: 100,
	mode: 'partial',
	engine: 'wasm-simd128-f64',
	parameters: 39760,
	checked: 39760,
	measuredSeconds: 0.79,
	numericalSeconds: 0.79,
	estimate: false,
	backpropSeconds: 0.0099,
	ratio: 79.8,
	lossEvaluations: 79520,
	maxRelErr: 9.01e-5,
	avgAbsDiff: { W1: 5.72e-11, b1: 1.33e-10, W2: 7.76e-9, b2: 1.53e-8 },
	maxRelErrBy: { W1: 9.01e-5, b1: 2e-6, W2: 3e-7, b2: 4e-8 },
};
const base: GradPanelOptions = {
	cspSource: 'https://*.vscode-cdn.net',
	styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/grad.css',
	language: 'en',
	report,
	cancelled: false,
};

const text = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');

describe('gradPanelHtml', () => {
	it('sets a strict CSP without scripts', () => {
		const html = gradPanelHtml(base);
		const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
		assert.ok(m);
		assert.equal(m[1].replace(/&#39;/g, "'"), "default-src 'none'; style-src https://*.vscode-cdn.net");
		assert.doesNotMatch(html, /<script/i);
		assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<link'));
		assert.throws(() => gradContentSecurityPolicy("x; script-src 'unsafe-inline'"));
	});

	it('shows the times, the ratio, the cost model and every tensor', () => {
		const t = text(gradPanelHtml(base));
		assert.match(t, /Numerical gradient 数値微分 790\.00 ms/);
		assert.match(t, /Backprop 誤差逆伝播法 9\.90 ms/);
		assert.match(t, /80×/);
		assert.match(t, /2 × P = 2 × 39,760 = 79,520 loss evaluations/);
		assert.match(t, /one forward and one backward pass/);
		for (const [k, mean, rel] of [['W1', '5.72e-11', '9.01e-5'], ['b1', '1.33e-10', '2.00e-6'], ['W2', '7.76e-9', '3.00e-7'], ['b2', '1.53e-8', '4.00e-8']]) {
			assert.match(t, new RegExp(`${k} ${mean.replace('.', '\\.')} ${rel.replace('.', '\\.')}`));
		}
		assert.doesNotMatch(t, /estimate/i);
	});

	it('labels an extrapolated time as an estimate and marks unchecked tensors', () => {
		const est: GradReport = { ...report, checked: 2000, measuredSeconds: 0.05, numericalSeconds: 0.994, estimate: true, avgAbsDiff: { ...report.avgAbsDiff, b1: NaN, W2: NaN, b2: NaN }, maxRelErrBy: { ...report.maxRelErrBy, b1: NaN, W2: NaN, b2: NaN } };
		const t = text(gradPanelHtml({ ...base, report: est }));
		assert.match(t, /estimate from 2,000 random parameters, 50\.00 ms measured/);
		assert.match(t, /994\.00 ms estimate 推定/);
		assert.match(t, /b1 — —/);
		assert.match(text(gradPanelHtml({ ...base, report: est, cancelled: true })), /Cancelled after 2,000 of 39,760 parameters/);
	});

	it('puts Japanese first for a Japanese UI', () => {
		const html = gradPanelHtml({ ...base, language: 'ja' });
		assert.match(html, /<html lang="ja">/);
		assert.match(html, /<h1><span lang="ja">数値微分と誤差逆伝播法<\/span><span class="other" lang="en">/);
	});

	it('escapes what it is given', () => {
		const html = gradPanelHtml({ ...base, styleUri: 'x"><script>alert(1)</script>', report: { ...report, engine: '<img src=x onerror=alert(1)>' } });
		assert.doesNotMatch(html, /<script|<img/);
		assert.match(html, /&lt;img src=x/);
	});

	it('formats seconds', () => {
		assert.equal(formatSeconds(12.345), '12.35 s');
		assert.equal(formatSeconds(0.0123), '12.30 ms');
		assert.equal(formatSeconds(NaN), '—');
	});
});
