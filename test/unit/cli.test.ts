// Runs the built CLI (dist/cli.js with dist/trainWorker.js) as a user would; build with
// `node scripts/build.mjs --only=unitTests,worker,cli` first.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ciContainsZero, tQuantile } from '../../src/core/stats';
import { syntheticDataset, writeMnistFolder } from '../support/synthetic';

const cli = join(__dirname, '..', '..', 'cli.js');
const tiny = ['--iters', '130', '--batch-size', '10', '--lr', '2', '--hidden', '8'];

let dir = '';
const folders: string[] = [];

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
	const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });
	// A CLI that never ends is killed at the limit and fails here, naming the command.
	assert.equal(r.error, undefined, `minibatch-lab ${args.join(' ')} did not finish: ${String(r.error)}`);
	return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The parts of `--json` these tests read. */
interface Json {
	settings: Record<string, unknown> & { seeds: number[]; samplers: string[] };
	dataset: { source: string; train: number; test: number };
	runs: {
		sampler: string;
		seed: number;
		seconds: number;
		evals: { iter: number; epoch: number; trainAcc: number; testAcc: number }[];
		epochStats: { coverage: number; duplicateBatches: number; maxDraws: number }[];
		summary: { finalTestAcc: number; seed: number };
	}[];
	stats: {
		seeds: number[];
		samplers: { sampler: string; seeds: number[]; metrics: Record<string, { mean: number; std: number | null; n: number }> }[];
		pairs: {
			a: string;
			b: string;
			n: number;
			diffs: number[];
			meanDiff: number;
			sdDiff: number | null;
			ci: { low: number; high: number; t: number; df: number; level: number } | null;
			verdict: { en: string; ja: string };
		}[];
	};
}

function json(args: string[]): Json {
	const r = runCli(['compare', '--data', dir, ...tiny, '--json', ...args]);
	assert.equal(r.status, 0, r.stderr);
	return JSON.parse(r.stdout) as Json;
}

before(() => {
	assert.ok(existsSync(cli), `${cli} is missing; run "node scripts/build.mjs --only=unitTests,worker,cli"`);
	dir = writeMnistFolder(syntheticDataset(600, 200, 6, 2));
	folders.push(dir);
});
after(() => {
	for (const f of folders) rmSync(f, { recursive: true, force: true });
});

describe('CLI compare', () => {
	it('prints the table for one seed', () => {
		const r = runCli(['compare', '--data', dir, ...tiny]);
		assert.equal(r.status, 0, r.stderr);
		const lines = r.stdout.trim().split('\n');
		assert.match(lines[0], /^TwoLayerNet 36-8-10, 130 iterations, batch 10, lr 2, seed 0, train 600 \/ test 200/);
		assert.match(lines[2], /^sampler\s+final train\s+final test\s+best test\s+seconds\s+coverage\/epoch\s+dup\. batches\s+max draws$/);
		assert.match(lines[4], /^with replacement \(book\)\s+[01]\.\d{4}\s+[01]\.\d{4}/);
		assert.match(lines[5], /^per-epoch shuffle\s+[01]\.\d{4}\s+[01]\.\d{4}\s+[01]\.\d{4}\s+\d+\.\d\s+100\.0%\s+0\s+1$/);
		assert.doesNotMatch(r.stdout, /±|Paired difference/);
	});

	it('says on stderr which file it reads when a folder has both X and X.gz', () => {
		const both = writeMnistFolder(syntheticDataset(600, 200, 6, 2));
		folders.push(both);
		writeFileSync(join(both, 't10k-images-idx3-ubyte'), gunzipSync(readFileSync(join(both, 't10k-images-idx3-ubyte.gz'))));
		const r = runCli(['compare', '--data', both, ...tiny, '--samplers', 'sequential']);
		assert.equal(r.status, 0, r.stderr);
		assert.ok(r.stderr.includes(`${both} holds both t10k-images-idx3-ubyte and t10k-images-idx3-ubyte.gz; reading t10k-images-idx3-ubyte\n`), r.stderr);
		assert.doesNotMatch(runCli(['compare', '--data', dir, ...tiny, '--samplers', 'sequential']).stderr, /holds both/);
	});

	it('prints settings, dataset and every run with its seed as JSON', () => {
		const out = json(['--seed', '4']);
		assert.deepEqual(out.settings, { iters: 130, batchSize: 10, lr: 2, hidden: 8, seed: 4, trainSize: 600, samplers: ['replacement', 'epoch-shuffle'], seeds: [4] });
		assert.equal(out.dataset.train, 600);
		assert.equal(out.dataset.test, 200);
		assert.deepEqual(
			out.runs.map((r) => [r.sampler, r.seed]),
			[
				['replacement', 4],
				['epoch-shuffle', 4],
			],
		);
		for (const r of out.runs) {
			assert.equal(typeof r.seconds, 'number');
			// iter_per_epoch = 600 / 10 = 60: evaluations at 0, 60, 120
			assert.deepEqual(r.evals.map((e) => e.iter), [0, 60, 120]);
			assert.ok(r.evals.every((e) => e.testAcc >= 0 && e.testAcc <= 1 && typeof e.trainAcc === 'number' && typeof e.epoch === 'number'));
			assert.equal(r.epochStats.length, 3);
			assert.ok(r.epochStats.every((s) => s.coverage > 0 && s.coverage <= 1 && Number.isInteger(s.duplicateBatches) && Number.isInteger(s.maxDraws)));
			assert.equal(r.summary.seed, 4);
		}
		assert.equal(out.stats.pairs[0].n, 1);
		assert.equal(out.stats.pairs[0].ci, null);
	});

	it('--seeds 3: runs seeds seed..seed+2 and reports consistent statistics', () => {
		const out = json(['--seed', '7', '--seeds', '3']);
		assert.deepEqual(out.settings.seeds, [7, 8, 9]);
		assert.deepEqual(out.stats.seeds, [7, 8, 9]);
		assert.deepEqual(
			out.runs.map((r) => `${r.sampler}@${r.seed}`),
			['replacement@7', 'epoch-shuffle@7', 'replacement@8', 'epoch-shuffle@8', 'replacement@9', 'epoch-shuffle@9'],
		);
		const acc = (sampler: string, seed: number) => out.runs.find((r) => r.sampler === sampler && r.seed === seed)!.summary.finalTestAcc;

		for (const agg of out.stats.samplers) {
			const xs = [7, 8, 9].map((s) => acc(agg.sampler, s));
			const m = xs.reduce((a, b) => a + b, 0) / 3;
			assert.deepEqual(agg.seeds, [7, 8, 9]);
			assert.equal(agg.metrics.finalTestAcc.n, 3);
			assert.ok(Math.abs(agg.metrics.finalTestAcc.mean - m) < 1e-12);
			assert.ok(Math.abs(agg.metrics.finalTestAcc.std! - Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / 2)) < 1e-12);
		}

		assert.equal(out.stats.pairs.length, 1);
		const p = out.stats.pairs[0];
		assert.equal(`${p.a} − ${p.b}`, 'epoch-shuffle − replacement');
		assert.equal(p.n, 3);
		const diffs = [7, 8, 9].map((s) => acc('epoch-shuffle', s) - acc('replacement', s));
		assert.deepEqual(p.diffs, diffs);
		assert.ok(Math.abs(p.meanDiff - (diffs[0] + diffs[1] + diffs[2]) / 3) < 1e-12);
		assert.ok(p.ci);
		assert.equal(p.ci.df, 2);
		assert.ok(Math.abs(p.ci.t - tQuantile(0.975, 2)) < 1e-12);
		assert.ok(Math.abs(p.ci.high - p.ci.low - (2 * p.ci.t * p.sdDiff!) / Math.sqrt(3)) < 1e-12);
		assert.ok(p.ci.low <= p.meanDiff && p.meanDiff <= p.ci.high, 'the CI contains the mean difference');
		const contains = ciContainsZero(p.ci);
		assert.equal(p.verdict.en.includes('contains 0'), contains, p.verdict.en);
		assert.equal(p.verdict.en.includes('excludes 0'), !contains, p.verdict.en);
		assert.match(p.verdict.en, /at N = 3: the 95% CI of the difference \(/);
		assert.equal(p.verdict.ja.includes('0 を含みます'), contains, p.verdict.ja);
		assert.match(p.verdict.ja, /^N = 3 では/);

		// The table shows the same numbers and the English verdict (training is deterministic per seed).
		const t = runCli(['compare', '--data', dir, ...tiny, '--seed', '7', '--seeds', '3']);
		assert.equal(t.status, 0, t.stderr);
		assert.match(t.stdout, /seeds 7–9 \(N = 3\)/);
		assert.match(t.stdout, /^sampler\s+N\s+final train\s+final test/m);
		const rep = out.stats.samplers[0].metrics.finalTestAcc;
		assert.ok(t.stdout.includes(`${rep.mean.toFixed(4)} ± ${rep.std!.toFixed(4)}`), t.stdout);
		assert.match(t.stdout, /^ {2}epoch-shuffle − replacement: mean [−+]?\d\.\d{4}, sd \d\.\d{4}, N = 3, 95% CI \(/m);
		assert.ok(t.stdout.includes(`    ${p.verdict.en}\n`), t.stdout);
	});

	it('compares every pair of samplers', () => {
		const out = json(['--iters', '20', '--seeds', '2', '--samplers', 'sequential,replacement,epoch-shuffle']);
		assert.deepEqual(
			out.stats.pairs.map((p) => `${p.a} − ${p.b}`),
			['epoch-shuffle − replacement', 'sequential − replacement', 'sequential − epoch-shuffle'],
		);
		assert.equal(out.runs.length, 6);
	});

	describe('refuses bad input with one line on stderr and exit code 2', () => {
		const cases: [string, string[], RegExp][] = [
			['an unknown flag', ['--bogus'], /bogus/],
			['--seeds 0', ['--seeds', '0'], /--seeds must be a whole number from 1 to 100; got "0"/],
			['--seeds 101', ['--seeds', '101'], /--seeds must be/],
			['--seeds 2.5', ['--seeds', '2.5'], /--seeds must be/],
			['--seeds abc', ['--seeds', 'abc'], /--seeds must be/],
			['an empty --seeds', ['--seeds', ''], /--seeds must be/],
			['--seeds past the last seed', ['--seed', '4294967295', '--seeds', '2'], /past the largest seed/],
			['a negative --iters', ['--iters', '-5'], /argument is ambiguous.*--iters=-XYZ/],
			['--iters=-5', ['--iters=-5'], /--iters must be a whole number from 1 to 1000000; got "-5"/],
			['an unknown sampler', ['--samplers', 'nope'], /unknown sampler "nope"/],
			['a batch larger than the data', ['--batch-size', '601'], /--batch-size is 601 but training uses only 600 images/],
			['a stray argument', ['extra'], /unexpected argument "extra"/],
		];
		for (const [what, args, message] of cases) {
			it(what, () => {
				const r = runCli(['compare', '--data', dir, ...tiny, ...args]);
				assertUsageError(r, message);
			});
		}

		it('an unknown command', () => assertUsageError(runCli(['frobnicate']), /unknown command "frobnicate"/));

		it('a missing data folder', () => assertUsageError(runCli(['compare', '--data', join(dir, 'nope'), ...tiny]), /does not exist/));

		it('a data folder that is a file', () => {
			const file = join(dir, 'train-labels-idx1-ubyte.gz');
			assertUsageError(runCli(['compare', '--data', file, ...tiny]), /is a file/);
		});

		it('a corrupt idx file', () => {
			const bad = writeMnistFolder(syntheticDataset(50, 20, 6, 2));
			folders.push(bad);
			writeFileSync(join(bad, 'train-images-idx3-ubyte.gz'), 'oops');
			assertUsageError(runCli(['compare', '--data', bad, ...tiny, '--batch-size', '5']), /train-images-idx3-ubyte\.gz: is named \.gz but is not gzip/);
		});
	});
});

function assertUsageError(r: { status: number | null; stdout: string; stderr: string }, message: RegExp): void {
	assert.equal(r.status, 2, `exit code; stderr: ${r.stderr}`);
	assert.equal(r.stdout, '');
	const lines = r.stderr.split('\n').filter((l) => l !== '');
	assert.equal(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
	assert.match(lines[0], /^minibatch-lab: /);
	assert.match(lines[0], message);
	assert.doesNotMatch(r.stderr, /\n\s+at |Error:/, 'no stack trace');
}

describe('CLI gradcheck', () => {
	it('times the numerical gradient against backprop and agrees with it (partial and full)', () => {
		const results = ['partial', 'full'].map((mode) => {
			const r = runCli(['gradcheck', '--data', dir, '--batch-size', '20', '--hidden', '6', '--seed', '3', '--mode', mode, '--json']);
			assert.equal(r.status, 0, r.stderr);
			return JSON.parse(r.stdout) as { settings: { parameters: number }; numericalSeconds: number; backpropSeconds: number; ratio: number; lossEvaluations: number; maxRelErr: number; avgAbsDiff: Record<string, number> };
		});
		for (const g of results) {
			assert.equal(g.settings.parameters, 36 * 6 + 6 + 6 * 10 + 10);
			assert.equal(g.lossEvaluations, 2 * g.settings.parameters);
			assert.ok(g.numericalSeconds > 0 && g.backpropSeconds > 0 && g.ratio > 0);
			assert.ok(g.maxRelErr < 1e-2, `max relative error ${g.maxRelErr}`);
			assert.deepEqual(Object.keys(g.avgAbsDiff).sort(), ['W1', 'W2', 'b1', 'b2']);
		}
		assert.deepEqual(results[0].avgAbsDiff, results[1].avgAbsDiff, 'partial recomputation gives the same gradient as full passes');
	});

	it('--exact-log: the loss takes log(y); --json gives both errors, the setting and the explanation in English and Japanese', () => {
		type G = { settings: { exactLog: boolean }; maxRelErr: number; normRelErr: number; normRelErrBy: Record<string, number>; maxRelErrBy: Record<string, number>; explanation: { en: string; ja: string } };
		const [book, exact] = [[], ['--exact-log']].map((extra) => {
			const r = runCli(['gradcheck', '--data', dir, '--batch-size', '20', '--hidden', '6', '--seed', '3', ...extra, '--json']);
			assert.equal(r.status, 0, r.stderr);
			return JSON.parse(r.stdout) as G;
		});
		assert.deepEqual([book.settings.exactLog, exact.settings.exactLog], [false, true]);
		for (const g of [book, exact]) {
			assert.ok(g.normRelErr > 0 && g.normRelErr < 1e-3 && g.maxRelErr > 0, JSON.stringify(g));
			assert.deepEqual(Object.keys(g.normRelErrBy).sort(), ['W1', 'W2', 'b1', 'b2']);
			assert.deepEqual(Object.keys(g.maxRelErrBy).sort(), ['W1', 'W2', 'b1', 'b2']);
		}
		assert.ok(exact.normRelErr < book.normRelErr / 10, `the exact log leaves rounding only: ${book.normRelErr} → ${exact.normRelErr}`);
		assert.match(book.explanation.en, /the book’s loss, log\(y \+ 1e-7\); backprop’s \(y − t\)\/B is the derivative of log\(y\)\. That 1e-7 causes most of the difference\.$/);
		assert.match(book.explanation.ja, /^数値微分が微分しているのは本書の損失 log\(y \+ 1e-7\) ですが/);
		assert.match(exact.explanation.en, /^The numerical gradient differentiates log\(y\), .* What remains is rounding in the central difference/);
		assert.match(exact.explanation.ja, /丸め誤差/);

		const text = runCli(['gradcheck', '--data', dir, '--batch-size', '20', '--hidden', '6', '--seed', '3', '--exact-log']);
		assert.equal(text.status, 0, text.stderr);
		assert.match(text.stdout, /^loss of the numerical gradient: log\(y\), exact \(--exact-log\)$/m);
		assert.match(text.stdout, /^norm-relative error ‖num − bp‖ \/ \(‖num‖ \+ ‖bp‖\): \d\.\d\de-\d+$/m);
		assert.match(text.stdout, /^largest relative error \(elements above 1e-6\): +\d\.\d\de-\d+$/m);
		assert.match(runCli(['gradcheck', '--help']).stdout, /--exact-log +the numerical gradient's loss takes log\(y\)/);
	});

	it('rejects a bad mode in one line with exit code 2', () => {
		const r = runCli(['gradcheck', '--data', dir, '--mode', 'fast']);
		assert.equal(r.status, 2);
		assert.match(r.stderr.trim(), /^minibatch-lab: --mode must be partial or full; got "fast"\.$/);
	});
});
