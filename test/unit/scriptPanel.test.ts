// Your script's runs in the run stream: the shared fold keeps them apart from the reference's (its statistics untouched),
// and the export writes them: a Markdown table with the verdicts (English and Japanese), `script:` rows in the CSV, and
// `scriptRuns` in the JSON.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkAgainstReference } from '../../src/core/scriptCheck';
import { resultsFromHistory, toCsv, toJson, toMarkdown, type ExportMeta } from '../../src/extension/exportText';
import type { EvalPoint, RunInfo, RunMessage, RunSummary, SamplerId } from '../../src/shared/protocol';
import { foldAll, foldStats, scriptTracks, trackKey, tracksOf } from '../../src/shared/runFold';
import { ENGLISH } from '../../src/shared/strings/l10n';
import { panelStrings } from '../../src/shared/strings/panel';
import { bundleL10n } from '../support/japanese';

const EN = panelStrings(ENGLISH);
const JA = panelStrings(bundleL10n(JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.ja.json'), 'utf8')) as Record<string, string>));
const meta: ExportMeta = { extension: { name: 'minibatch-lab', version: '9.8.7' }, exportedAt: '2025-06-01T10:00:00.000Z' };

const run: RunInfo = {
	id: 3,
	settings: { iters: 121, batchSize: 100, lr: 0.1, hidden: 50, seed: 0, trainSize: 6000 },
	samplers: ['replacement', 'epoch-shuffle'],
	seeds: [0],
	dataset: 'MNIST (bundled)',
	datasetOrigin: 'bundled',
	lossStride: 1,
	startedAt: '2025-06-01T09:59:00.000Z',
	script: {
		file: 'train_neuralnet.py',
		path: '/home/me/ch04/train_neuralnet.py',
		python: { executable: '/usr/bin/python3', version: '3.11.2', numpy: '1.24.2' },
		settings: { iters: 121, batchSize: 100, lr: 0.1, hidden: 50, trainSize: 6000 },
		origin: { iters: 'script', batchSize: 'script', lr: 'script', hidden: 'script', trainSize: 'script' },
	},
};

const ref: Record<SamplerId, EvalPoint[]> = {
	replacement: [
		{ iter: 0, epoch: 0, trainAcc: 0.0857, testAcc: 0.0892 },
		{ iter: 60, epoch: 1, trainAcc: 0.1085, testAcc: 0.1028 },
		{ iter: 120, epoch: 2, trainAcc: 0.1675, testAcc: 0.1642 },
	],
	'epoch-shuffle': [
		{ iter: 0, epoch: 0, trainAcc: 0.0857, testAcc: 0.0892 },
		{ iter: 60, epoch: 1, trainAcc: 0.1118, testAcc: 0.1135 },
		{ iter: 120, epoch: 2, trainAcc: 0.1293, testAcc: 0.1311 },
	],
	sequential: [],
};

function summary(sampler: SamplerId, evals: EvalPoint[], kernel: string): RunSummary {
	const last = evals[evals.length - 1];
	return { sampler, seed: 0, kernel, finalTrainAcc: last.trainAcc, finalTestAcc: last.testAcc, bestTestAcc: last.testAcc, seconds: 2, meanCoverage: 0.632, duplicateBatches: 5, maxDraws: 4, finalLoss: 2 };
}

/** Identical with replacement; the per-epoch shuffle run crashed after two evaluations, the second one off. */
function stream(): RunMessage[] {
	const out: RunMessage[] = [{ type: 'runStarted', run }];
	for (const sampler of run.samplers) {
		for (const p of ref[sampler]) out.push({ type: 'eval', runId: 3, sampler, seed: 0, point: p });
		out.push({ type: 'loss', runId: 3, sampler, seed: 0, fromIter: 0, losses: [2.3, 2.2] });
		out.push({ type: 'runDone', runId: 3, seed: 0, summary: summary(sampler, ref[sampler], 'wasm') });
	}
	for (const p of ref.replacement) out.push({ type: 'eval', runId: 3, sampler: 'replacement', seed: 0, source: 'script', point: p });
	out.push({ type: 'loss', runId: 3, sampler: 'replacement', seed: 0, fromIter: 0, losses: [2.3, 2.2, 2.1], source: 'script' });
	out.push({ type: 'runDone', runId: 3, seed: 0, source: 'script', summary: summary('replacement', ref.replacement, 'Python 3.11.2, NumPy 1.24.2') });
	const mine = [ref['epoch-shuffle'][0], { iter: 60, epoch: 1, trainAcc: 0.2, testAcc: 0.19 }];
	// JSON turns a missing accuracy into null: the fold keeps NaN.
	for (const p of mine) out.push({ type: 'eval', runId: 3, sampler: 'epoch-shuffle', seed: 0, source: 'script', point: p });
	out.push({ type: 'eval', runId: 3, sampler: 'epoch-shuffle', seed: 0, source: 'script', point: { iter: 90, epoch: 1.5, trainAcc: null as unknown as number, testAcc: 0.2 } });
	out.push({ type: 'runFailed', runId: 3, sampler: 'epoch-shuffle', seed: 0, source: 'script', reason: 'ZeroDivisionError: division by zero (crash.py, line 22)' });
	out.push({
		type: 'scriptResult',
		runId: 3,
		sampler: 'replacement',
		seed: 0,
		result: { check: checkAgainstReference(ref.replacement, ref.replacement), error: null, mismatches: [] },
	});
	out.push({
		type: 'scriptResult',
		runId: 3,
		sampler: 'epoch-shuffle',
		seed: 0,
		result: {
			check: checkAgainstReference(mine, ref['epoch-shuffle']),
			error: { type: 'ZeroDivisionError', message: 'division by zero', file: '/home/me/ch04/crash.py', line: 22 },
			mismatches: [{ key: 'batchSize', script: 128, reference: 100 }],
		},
	});
	out.push({ type: 'finished', runId: 3, state: 'done', seconds: 9 });
	return out;
}

describe('your script in the run stream', () => {
	it('folds the script’s runs into their own tracks; the reference’s statistics are the reference’s alone', () => {
		const fold = foldAll(stream());
		assert.equal(fold.tracks.size, 4);
		assert.deepEqual([...fold.tracks.keys()], ['replacement@0', 'epoch-shuffle@0', 'script:replacement@0', 'script:epoch-shuffle@0']);
		assert.equal(trackKey('replacement', 0, 'script'), 'script:replacement@0');
		assert.deepEqual(tracksOf(fold, 'replacement').map((t) => t.source), ['reference']);
		const mine = scriptTracks(fold);
		assert.deepEqual(mine.map((t) => [t.sampler, t.evals.length, t.losses.length, t.failure !== undefined, t.script?.check.identical]), [
			['replacement', 3, 3, false, true],
			['epoch-shuffle', 3, 0, true, false],
		]);
		assert.ok(Number.isNaN(mine[1].evals[2].trainAcc), 'a missing accuracy is NaN');
		const stats = foldStats(fold)!;
		assert.deepEqual(stats.samplers.map((a) => a.metrics.finalTestAcc.mean), [0.1642, 0.1311]);
		const scriptStats = foldStats(fold, 'script')!;
		assert.deepEqual(scriptStats.samplers.map((a) => a.seeds.length), [1, 0]);
	});

	it('exports a Markdown table of the script’s runs with the verdicts, the hint, the mismatch and the error', () => {
		const r = resultsFromHistory(stream())!;
		assert.equal(r.runs.length, 2);
		assert.equal(r.scriptRuns.length, 2);
		const md = toMarkdown(r, EN, 'en', meta);
		const at = md.indexOf('Your script train\\_neuralnet.py against the reference (same seeds, same settings):');
		assert.ok(at > 0, md);
		const part = md.slice(at);
		assert.match(part, /\| run \| seed \| train accuracy \| test accuracy \| verdict \|/);
		assert.match(part, /\| your script · with replacement \| 0 \| 0\.1675 \| 0\.1642 \| identical to the reference at all 3 evaluations \|/);
		assert.match(part, /\| your script · per-epoch shuffle \| 0 \| — \| 0\.2000 \| differs from iteration 60: yours 0\.2000 \/ 0\.1900, reference 0\.1118 \/ 0\.1135 \|/);
		assert.match(part, /- your script · per-epoch shuffle, seed 0: It agreed before: look first at the gradient/);
		assert.match(part, /- your script · per-epoch shuffle, seed 0: the script ran with batch size = 128, the reference with 100/);
		assert.match(part, /- your script · per-epoch shuffle, seed 0: ZeroDivisionError: division by zero \(crash\.py, line 22\)/);
		// The settings line still ends the export.
		assert.match(md.trimEnd().split('\n').pop() ?? '', /^Settings: /);
		const ja = toMarkdown(r, JA, 'ja', meta);
		assert.match(ja, /\| あなたのスクリプト · 復元抽出 \| 0 \| 0\.1675 \| 0\.1642 \| 3 回の評価すべてで参照実装と完全に一致 \|/);
		assert.match(ja, /繰り返し 60 から不一致/);
	});

	it('exports the script’s rows in the CSV as script:<sampler>, and its runs with their verdicts in the JSON', () => {
		const r = resultsFromHistory(stream())!;
		const csv = toCsv(r, meta);
		assert.match(csv, /^# rows whose sampler starts with "script:" are your script train_neuralnet\.py run with that sampler; the others are the reference$/m);
		assert.match(csv, /^script:replacement,0,60,1,,0\.1085,0\.1028$/m);
		assert.match(csv, /^script:epoch-shuffle,0,90,1\.5,,,0\.2$/m);
		assert.match(csv, /^replacement,0,0,0,2\.3,0\.0857,0\.0892$/m);
		const json = JSON.parse(toJson(r, meta)) as {
			run: { script: { file: string } };
			runs: unknown[];
			scriptRuns: { sampler: string; state: string; reference: { identical: boolean; firstDifference: { iter: number } | null } | null; error: { line: number } | null; mismatches: unknown[] }[];
		};
		assert.equal(json.run.script.file, 'train_neuralnet.py');
		assert.equal(json.runs.length, 2);
		assert.deepEqual(
			json.scriptRuns.map((x) => [x.sampler, x.state, x.reference?.identical, x.reference?.firstDifference?.iter ?? null, x.error?.line ?? null, x.mismatches.length]),
			[
				['replacement', 'done', true, null, null, 0],
				['epoch-shuffle', 'failed', false, 60, 22, 1],
			],
		);
	});

	it('a comparison without a script exports as before', () => {
		const plain = stream().filter((m) => !('source' in m && m.source === 'script') && m.type !== 'scriptResult');
		plain[0] = { type: 'runStarted', run: { ...run, script: undefined } };
		const r = resultsFromHistory(plain)!;
		assert.equal(r.scriptRuns.length, 0);
		assert.doesNotMatch(toMarkdown(r, EN, 'en', meta), /Your script/);
		assert.doesNotMatch(toCsv(r, meta), /script:/);
		assert.equal((JSON.parse(toJson(r, meta)) as { scriptRuns?: unknown }).scriptRuns, undefined);
	});
});
