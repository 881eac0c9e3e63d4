import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatSeconds, gradContentSecurityPolicy, gradPanelHtml, type GradPanelOptions } from '../../src/extension/gradPanelHtml';
import type { GradReport } from '../../src/shared/protocol';
import { gradStrings } from '../../src/shared/strings/grad';
import { ENGLISH } from '../../src/shared/strings/l10n';
import { bundleL10n, englishWords } from '../support/japanese';

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
	exactLog: false,
	maxRelErr: 9.01e-5,
	normRelErr: 4.61e-7,
	avgAbsDiff: { W1: 5.72e-11, b1: 1.33e-10, W2: 7.76e-9, b2: 1.53e-8 },
	maxRelErrBy: { W1: 9.01e-5, b1: 2e-6, W2: 3e-7, b2: 4e-8 },
	normRelErrBy: { W1: 4.6e-7, b1: 4.55e-7, W2: 4.61e-7, b2: 4.6e-7 },
};
const TOGGLE = `command:minibatchLab.compareGradients?${encodeURIComponent(JSON.stringify([{ mode: 'partial', exactLog: true }]))}`;
const base: GradPanelOptions = {
	cspSource: 'https://*.vscode-cdn.net',
	styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/grad.css',
	language: 'en',
	strings: gradStrings(ENGLISH),
	report,
	cancelled: false,
};

/** The Japanese bundle as vscode.l10n would serve it; a key it lacks fails the test. */
const bundle = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.ja.json'), 'utf8')) as Record<string, string>;
const JAPANESE = bundleL10n(bundle);

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
		assert.match(t, /Numerical gradient 790\.00 ms/);
		assert.match(t, /Backprop 9\.90 ms/);
		assert.match(t, /80×/);
		assert.match(t, /2 × P = 2 × 39,760 = 79,520 loss evaluations/);
		assert.match(t, /one forward and one backward pass/);
		assert.match(t, /mode partial ?, wasm-simd128-f64/);
		for (const [k, mean, norm, rel] of [['W1', '5.72e-11', '4.60e-7', '9.01e-5'], ['b1', '1.33e-10', '4.55e-7', '2.00e-6'], ['W2', '7.76e-9', '4.61e-7', '3.00e-7'], ['b2', '1.53e-8', '4.60e-7', '4.00e-8']]) {
			assert.match(t, new RegExp(`${k} ${[mean, norm, rel].map((x) => x.replace('.', '\\.')).join(' ')}`));
		}
		assert.match(t, /Norm-relative error ‖num − bp‖ \/ \(‖num‖ \+ ‖bp‖\) ?: 4\.61e-7 ?\. Largest relative error \(over elements above 1e-6\): 9\.01e-5 ?\./);
		assert.doesNotMatch(t, /estimate/i);
	});

	it('the exact-log switch: a command link to the same check with the other log, its state, and the note that fits it', () => {
		const book = gradPanelHtml({ ...base, exactLogToggle: TOGGLE });
		const sw = /<a class="switch" id="exact-log" role="switch" aria-checked="(\w+)" href="([^"]*)" title="([^"]*)">/.exec(book);
		assert.ok(sw, book);
		assert.deepEqual([sw[1], sw[2].replace(/&#39;/g, "'"), sw[3]], ['false', TOGGLE, 'Runs the check again with the exact log(y)']);
		assert.match(text(book), /Exact log\(y\) in the numerical gradient/);
		assert.match(text(book), /the book’s loss, log\(y \+ 1e-7\) ?; backprop’s \(y − t\)\/B is the derivative of log\(y\) ?\. That 1e-7 causes most of the difference\. Turn on the exact log to see it go\./);
		const exact = gradPanelHtml({ ...base, report: { ...report, exactLog: true, normRelErr: 1.1e-9, maxRelErr: 2.1e-6 }, exactLogToggle: TOGGLE });
		assert.match(exact, /role="switch" aria-checked="true"/);
		assert.match(text(exact), /differentiates log\(y\) ?, the loss backprop’s \(y − t\)\/B is the derivative of\. What remains is rounding/);
		assert.match(text(exact), /Norm-relative error .*: 1\.10e-9 ?\. Largest relative error .*: 2\.10e-6 ?\./);
		assert.doesNotMatch(gradPanelHtml(base), /role="switch"/, 'no switch without a link');
		// The page holds no other link: anything but the one command is refused.
		for (const bad of ['command:workbench.action.terminal.sendSequence?%5B%5D', 'https://example.com', 'command:minibatchLab.compareGradients?"><script>']) {
			assert.throws(() => gradPanelHtml({ ...base, exactLogToggle: bad }), /not a compareGradients command link/, bad);
		}
	});

	it('labels an extrapolated time as an estimate and marks unchecked tensors', () => {
		const est: GradReport = { ...report, checked: 2000, measuredSeconds: 0.05, numericalSeconds: 0.994, estimate: true, avgAbsDiff: { ...report.avgAbsDiff, b1: NaN, W2: NaN, b2: NaN }, maxRelErrBy: { ...report.maxRelErrBy, b1: NaN, W2: NaN, b2: NaN }, normRelErrBy: { ...report.normRelErrBy, b1: NaN, W2: NaN, b2: NaN } };
		const t = text(gradPanelHtml({ ...base, report: est }));
		assert.match(t, /estimate from 2,000 random parameters, 50\.00 ms measured/);
		assert.match(t, /994\.00 ms estimate/);
		assert.match(t, /b1 — — —/);
		assert.match(text(gradPanelHtml({ ...base, report: est, cancelled: true })), /Cancelled after 2,000 of 39,760 parameters/);
	});

	it('in Japanese: every word from the bundle, in one language, ids and formulas in code font', () => {
		const est: GradReport = { ...report, checked: 2000, measuredSeconds: 0.05, numericalSeconds: 1.5, estimate: true, avgAbsDiff: { ...report.avgAbsDiff, b1: NaN } };
		const S = gradStrings(JAPANESE);
		const html = gradPanelHtml({ ...base, language: 'ja', strings: S, report: est, cancelled: true, exactLogToggle: TOGGLE });
		assert.match(html, /role="switch"/);
		assert.match(html, /<html lang="ja">/);
		assert.match(html, new RegExp(`<h1>${bundle['Numerical gradient vs backprop']}</h1>`));
		const t = text(html);
		assert.ok(t.includes('数値微分（ランダムな 2,000 個のパラメータから推定、実測 50.00 ミリ秒）'), t);
		assert.ok(t.includes('1.50 秒'), t);
		assert.ok(t.includes('39,760 個中 2,000 個のパラメータで中止しました'), t);
		// Left after the proper names: no English word (single letters are symbols: P, B, t, y).
		const code = [...html.matchAll(/<code>(.*?)<\/code>/g)].map((m) => m[1]);
		assert.deepEqual(englishWords(text(html.replace(/<title>.*?<\/title>/, '')), code), []);
	});

	it('escapes what it is given', () => {
		const html = gradPanelHtml({ ...base, styleUri: 'x"><script>alert(1)</script>', report: { ...report, engine: '<img src=x onerror=alert(1)>' } });
		assert.doesNotMatch(html, /<script|<img/);
		assert.match(html, /&lt;img src=x/);
		assert.match(gradPanelHtml({ ...base, language: '"><script>' }), /<html lang="en">/);
	});

	it('formats seconds', () => {
		const S = gradStrings(ENGLISH);
		assert.equal(formatSeconds(12.345, S), '12.35 s');
		assert.equal(formatSeconds(0.0123, S), '12.30 ms');
		assert.equal(formatSeconds(NaN, S), '—');
	});
});
