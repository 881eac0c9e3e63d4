import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { formatInterval, formatSigned, mean, pairedComparison, sampleStd, verdict, type SeedRun } from '../../src/core/stats';
import type { RunSummary, SamplerId } from '../../src/shared/protocol';
import { EXTENSION_ID, readBytes, readText, runComparison, scratchFolder, setSettings, shownPath, snapshot, until } from './util';


/** The JSON export, as far as these tests read it. */
interface ExportDoc {
	format: string;
	extension: { name: string; version: string };
	run: { state: string; seeds: number[]; samplers: SamplerId[]; settings: { iters: number; trainSize: number | null; seed: number }; dataset: { label: string; origin: string } };
	runs: { sampler: SamplerId; seed: number; state: string; summary: RunSummary | null; failure: string | null; evals: { iter: number; epoch: number; trainAcc: number; testAcc: number }[]; losses: (number | null)[] }[];
}

const SEEDS = [0, 1, 2];
const SAMPLERS: SamplerId[] = ['replacement', 'epoch-shuffle'];
// 6000 training images in batches of 100: iter_per_epoch = 60, so 601 iterations evaluate at 0, 60, …, 600 (11 times).
const ITERS = 601;
const EVAL_ITERS = Array.from({ length: 11 }, (_, i) => 60 * i);

describe('Several seeds, paired', function () {
	this.timeout(300_000);
	let dir: vscode.Uri;
	let doc: ExportDoc;

	before(async () => {
		await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
		await setSettings({ iterations: ITERS, batchSize: 100, trainSize: 6000, seed: 0, seedCount: SEEDS.length, samplers: SAMPLERS, datasetPath: '' });
		dir = await scratchFolder('exports');
	});

	after(async () => {
		await setSettings({ iterations: undefined, batchSize: undefined, trainSize: undefined, seed: undefined, seedCount: undefined, samplers: undefined });
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		await vscode.workspace.fs.delete(dir, { recursive: true });
	});

	it('a 3-seed short run fills the table with mean ± std, and a verdict per sampler pair', async () => {
		await runComparison(240_000);
		const snap = await until(
			'the finished 3-seed table',
			async () => {
				const s = await snapshot();
				return s && /^Done/.test(s.status) && s.tableRows.length === 2 && s.pairs.length === 1 ? s : undefined;
			},
			240_000,
		);
		assert.equal(snap.tableHead[1], 'N');
		assert.match(snap.header, /601 iterations · batch 100 · lr 0\.1 · seeds 0–2 · 6000 training images · MNIST \(bundled\)/);
		for (const row of snap.tableRows) {
			assert.equal(row[1], '3', `N in ${row.join(' | ')}`);
			for (const c of row.slice(2, 5)) assert.match(c, /^\d{1,3}\.\d\d% ± \d+\.\d\d%$/, `accuracy cell in ${row.join(' | ')}`);
			assert.ok(parseFloat(row[3]) > 70, `test accuracy ${row[3]}`);
		}
		const [pair] = snap.pairs;
		assert.equal(pair.title, 'epoch-shuffle − replacement');
		assert.match(pair.numbers, /^mean [−+]?\d\.\d{4}, sd \d\.\d{4}, 95% CI \([−+]?\d\.\d+, [−+]?\d\.\d+\), t = 4\.303 \(df 2\), N = 3$/);
		const lang = vscode.env.language.startsWith('ja') ? 'ja' : 'en';
		assert.equal(pair.verdictLang, lang);
		assert.match(lang === 'en' ? pair.verdict : pair.other, /at N = 3: the 95% CI of the difference \(.+\) (contains|excludes) 0\.$/);
		assert.match(lang === 'en' ? pair.other : pair.verdict, /^N = 3 では/);
		// The CI in the verdict is the one in the numbers line.
		assert.ok(pair.verdict.includes(/95% CI (\([^)]*\))/.exec(pair.numbers)![1]));

		// Per sampler: train, test, the test band's two edges, and one line per seed.
		const acc = snap.charts.find((c) => c.id === 'accuracy');
		assert.ok(acc && acc.drawn && acc.datasets === SAMPLERS.length * (4 + SEEDS.length), `accuracy chart ${JSON.stringify(acc)}`);
		assert.deepEqual(snap.seedLines, { shown: true, checked: false });
		assert.equal(snap.exportEnabled, true);
	});

	it('Save results as JSON writes every curve of every run, the settings, the dataset and the version', async () => {
		const file = vscode.Uri.joinPath(dir, 'results.json');
		const saved = await vscode.commands.executeCommand<string>('minibatchLab.saveResultsJson', { uri: file });
		assert.equal(saved, shownPath(file));
		doc = JSON.parse(await readText(file)) as ExportDoc;
		const version = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { version: string }).version;
		assert.equal(doc.format, 'minibatch-lab-results');
		assert.equal(doc.extension.version, version);
		assert.equal(doc.run.state, 'done');
		assert.deepEqual(doc.run.seeds, SEEDS);
		assert.deepEqual(doc.run.samplers, SAMPLERS);
		assert.equal(doc.run.settings.iters, ITERS);
		assert.equal(doc.run.settings.trainSize, 6000);
		assert.deepEqual(doc.run.dataset, { label: 'MNIST (bundled)', origin: 'bundled' });
		assert.deepEqual(
			doc.runs.map((r) => `${r.sampler}@${r.seed}`),
			SEEDS.flatMap((seed) => SAMPLERS.map((s) => `${s}@${seed}`)),
		);
		for (const r of doc.runs) {
			assert.equal(r.state, 'done');
			assert.deepEqual(
				r.evals.map((e) => e.iter),
				EVAL_ITERS,
			);
			assert.equal(r.losses.length, ITERS);
			assert.ok(r.losses.every((l) => typeof l === 'number' && l > 0));
			assert.equal(r.summary?.finalTestAcc, r.evals[r.evals.length - 1].testAcc);
		}
	});

	it('Copy as Markdown puts the study group table on the clipboard, with numbers that agree with the runs', async () => {
		assert.ok(doc, 'needs the JSON export of the previous test');
		await vscode.env.clipboard.writeText('');
		const returned = await vscode.commands.executeCommand<string>('minibatchLab.copyResultsMarkdown');
		const md = await vscode.env.clipboard.readText();
		assert.equal(md, returned);
		const lines = md.split('\n');
		const table = lines.filter((l) => l.startsWith('|')).map((l) => l.slice(1, -1).split('|').map((c) => c.trim()));
		assert.deepEqual(table[0], ['sampler', 'train accuracy', 'test accuracy']);
		assert.deepEqual(table[1], ['---', '---:', '---:']);
		assert.deepEqual(
			table.slice(2).map((r) => r[0]),
			SAMPLERS,
		);
		const summaries = (s: SamplerId) => doc.runs.filter((r) => r.sampler === s).map((r) => r.summary!);
		for (const row of table.slice(2)) {
			const xs = summaries(row[0] as SamplerId);
			const pm = (v: number[]) => `${mean(v).toFixed(4)} ± ${sampleStd(v).toFixed(4)}`;
			assert.equal(row[1], pm(xs.map((x) => x.finalTrainAcc)));
			assert.equal(row[2], pm(xs.map((x) => x.finalTestAcc)));
		}
		assert.match(md, /mean ± sample std over N = 3 of seeds 0–2/);

		// The CI line and the verdict, recomputed from the exported runs.
		const runs: SeedRun[] = doc.runs.map((r) => ({ sampler: r.sampler, seed: r.seed, summary: r.summary ?? undefined, failure: r.failure ?? undefined }));
		const pair = pairedComparison(runs, 'epoch-shuffle', 'replacement');
		assert.equal(pair.n, 3);
		const ciLine = lines.find((l) => l.startsWith('epoch-shuffle − replacement'));
		assert.equal(ciLine?.trimEnd(), `epoch-shuffle − replacement, final test accuracy paired by seed: mean ${formatSigned(pair.meanDiff, 4)}, 95% CI ${formatInterval(pair.ci!.low, pair.ci!.high)}, N = 3.`);
		const lang = vscode.env.language.startsWith('ja') ? 'ja' : 'en';
		assert.equal(lines[lines.indexOf(ciLine!) + 1], verdict(pair, lang));
		assert.match(md, /\nSettings: TwoLayerNet 784-50-10 · 601 iterations · batch 100 · lr 0\.1 · seeds 0–2 · 6000 training images · MNIST \(bundled\) · Minibatch Lab \d+\.\d+\.\d+\n$/);

		// The panel shows the same means (as percentages).
		const snap = (await snapshot())!;
		const testMean = mean(summaries('replacement').map((x) => x.finalTestAcc));
		assert.ok(snap.tableRows[0][3].startsWith(`${(100 * testMean).toFixed(2)}%`), `${snap.tableRows[0][3]} vs ${testMean}`);
	});

	it('Save results as CSV writes one row per (sampler, seed, iteration) with the settings in # lines', async () => {
		const file = vscode.Uri.joinPath(dir, 'results.csv');
		const saved = await vscode.commands.executeCommand<string>('minibatchLab.saveResultsCsv', { uri: file });
		assert.equal(saved, shownPath(file));
		const lines = (await readText(file)).trimEnd().split('\n');
		const comments = lines.filter((l) => l.startsWith('#')).join('\n');
		assert.match(comments, new RegExp(`Minibatch Lab ${doc.extension.version.replace(/\./g, '\\.')} results`));
		assert.match(comments, /iters_num=601 batch_size=100 learning_rate=0\.1 hidden_size=50 train_size=6000 seeds=0;1;2 samplers=replacement;epoch-shuffle/);
		assert.match(comments, /^# dataset,"MNIST \(bundled\) \(bundled\)"$/m);
		const data = lines.filter((l) => !l.startsWith('#'));
		assert.equal(data[0], 'sampler,seed,iteration,epoch,loss,train_acc,test_acc');
		const rows = data.slice(1).map((l) => l.split(','));
		assert.equal(rows.length, SAMPLERS.length * SEEDS.length * ITERS);
		for (const r of doc.runs) {
			const mine = rows.filter((row) => row[0] === r.sampler && row[1] === String(r.seed));
			assert.equal(mine.length, ITERS);
			assert.deepEqual(
				mine.map((row) => Number(row[2])),
				Array.from({ length: ITERS }, (_, i) => i),
			);
			assert.deepEqual(
				mine.map((row) => Number(row[4])),
				r.losses,
			);
			const evals = mine.filter((row) => row[6] !== '');
			assert.deepEqual(
				evals.map((row) => [Number(row[2]), Number(row[5]), Number(row[6])]),
				r.evals.map((e) => [e.iter, e.trainAcc, e.testAcc]),
			);
		}
	});

	it('Save chart as PNG writes a PNG of the accuracy chart', async () => {
		const file = vscode.Uri.joinPath(dir, 'accuracy.png');
		const saved = await vscode.commands.executeCommand<string>('minibatchLab.saveChartPng', { uri: file });
		assert.equal(saved, shownPath(file));
		const png = await readBytes(file);
		assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
		assert.equal(String.fromCharCode(...png.subarray(12, 16)), 'IHDR');
		const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
		const width = view.getUint32(16);
		const height = view.getUint32(20);
		assert.ok(width >= 300 && height >= 200, `${width} × ${height}`);
		assert.ok(png.length > 5000, `${png.length} bytes: a drawn chart, not an empty canvas`);
	});

	it('a revived panel shows the same seeds, table and verdict from the saved history', async () => {
		const before = (await snapshot())!;
		assert.ok(await vscode.commands.executeCommand('minibatchLab._simulateRevive'));
		const snap = await until('a revived 3-seed table', async () => {
			const s = await snapshot();
			return s && s.tableRows.length === 2 && s.pairs.length === 1 ? s : undefined;
		});
		assert.deepEqual(snap.tableRows, before.tableRows);
		assert.deepEqual(snap.pairs, before.pairs);
		assert.equal(snap.header, before.header);
	});
});
