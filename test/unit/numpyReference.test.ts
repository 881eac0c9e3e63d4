import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadMnistFolder } from '../support/nodeData';
import type { SamplerId } from '../../src/core/samplers';
import { LOSS_DELTA } from '../../src/core/fastKernel';
import { gradientCheck, gradientCheckStart, gradientDifference, type GradientCheckResult } from '../../src/core/gradientCheck';
import { trainRun } from '../../src/core/train';
import type { Params } from '../../src/core/twoLayerNet';
import { needPython } from '../support/python';
import { within } from '../support/wait';
import { nodeWasm } from '../../src/platform/nodeKernel';

// The TypeScript training against NumPy end to end: bench/numpy_reference.py (the book's chapter-4 code, seeded) run by
// Debian's python3 with NumPy, and the core's readable float64 kernel, on the bundled MNIST. The initial weights, every
// batch and every shuffle are the same draws, and both sides compute in float64, so every accuracy at every evaluation
// must be identical, not close.

const root = join(__dirname, '..', '..', '..');
const mnist = join(root, 'dist', 'data', 'mnist');
const ITERS = 601; // evaluations at i = 0 and 600
const SEEDS = [0, 1];
const SAMPLERS: SamplerId[] = ['replacement', 'epoch-shuffle'];
/** Reference BLAS on 2 busy cores: about 10 s per run here; four runs at once. */
const PYTHON_LIMIT_MS = 10 * 60_000;

interface NumpyRun {
	settings: { iters: number; seed: number; sampler: string; batchSize: number; lr: number; hidden: number; trainSize: number };
	evals: { iter: number; trainAcc: number; testAcc: number }[];
	finalLoss: number;
	numpy: string;
}

function numpyRun(python: string, seed: number, sampler: SamplerId): Promise<NumpyRun> {
	return numpyJson(python, ['--seed', String(seed), '--sampler', sampler, '--iters', String(ITERS), '--data', mnist, '--json']);
}

/** bench/numpy_reference.py with `args`, its JSON output parsed; killed at the limit. */
function numpyJson<T>(python: string, args: string[]): Promise<T> {
	args = [join(root, 'bench', 'numpy_reference.py'), ...args];
	return new Promise((resolve, reject) => {
		const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		child.stdout.on('data', (c: Buffer) => (out += c));
		child.stderr.on('data', (c: Buffer) => (err += c));
		const kill = setTimeout(() => child.kill('SIGKILL'), PYTHON_LIMIT_MS);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(kill);
			if (code !== 0) reject(new Error(`numpy_reference.py ${args.slice(1).join(' ')} exited ${code ?? signal}:\n${err}`));
			else resolve(JSON.parse(out) as T);
		});
	});
}

describe('the TypeScript training against NumPy, end to end', () => {
	const numpy = needPython(['numpy'], ['python3-numpy']);
	const built = existsSync(mnist) ? {} : { skip: `no MNIST at ${mnist} (node scripts/build.mjs copies it)` };

	it(`${ITERS} iterations, seeds ${SEEDS.join(' and ')}, both samplers: identical accuracies at every evaluation`, { ...numpy.options, ...built, timeout: PYTHON_LIMIT_MS + 120_000 }, async (t) => {
		const python = numpy.require();
		const runs = SEEDS.flatMap((seed) => SAMPLERS.map((sampler) => ({ seed, sampler })));
		// NumPy runs in child processes while the core trains here.
		const fromNumpy = Promise.all(runs.map(({ seed, sampler }) => numpyRun(python, seed, sampler)));
		fromNumpy.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
		const data = await loadMnistFolder(mnist);
		const ours = runs.map(({ seed, sampler }) => trainRun({ settings: { iters: ITERS, batchSize: 100, lr: 0.1, hidden: 50, seed }, data, sampler }));
		const theirs = await within('the four NumPy runs', fromNumpy, PYTHON_LIMIT_MS + 60_000);
		t.diagnostic(`NumPy ${theirs[0].numpy} (${python})`);
		runs.forEach(({ seed, sampler }, k) => {
			const what = `seed ${seed}, ${sampler}`;
			const np = theirs[k];
			assert.deepEqual([np.settings.seed, np.settings.sampler, np.settings.iters, np.settings.trainSize], [seed, sampler, ITERS, 60000], what);
			assert.deepEqual(
				ours[k].evals.map((e) => [e.iter, e.trainAcc, e.testAcc]),
				np.evals.map((e) => [e.iter, e.trainAcc, e.testAcc]),
				`${what}: [iteration, train accuracy, test accuracy] at every evaluation`,
			);
			assert.equal(np.evals.length, 2, `${what}: evaluations at 0 and 600`);
			const loss = ours[k].losses[ITERS - 1];
			assert.ok(Math.abs(loss - np.finalLoss) <= 1e-12 * Math.abs(np.finalLoss), `${what}: final loss ${loss} vs NumPy's ${np.finalLoss}`);
			t.diagnostic(`${what}: ${np.evals.map((e) => `${e.iter}: ${e.trainAcc} / ${e.testAcc}`).join(', ')}; final loss ${loss} (NumPy ${np.finalLoss})`);
		});
	});
});

interface NumpyGradcheck {
	tensors: string[];
	delta: number;
	normRelErr: number;
	maxRelErr: number;
}

/** The check restricted to b1, W2 and b2 (what NumPy with reference BLAS does in a second), W1 left out on both sides. */
function withoutW1(r: GradientCheckResult): { normRelErr: number; maxRelErr: number } {
	const drop = (p: Params): Params => ({ ...p, W1: new Float64Array(p.W1.length) });
	return gradientDifference(drop(r.numerical.grad), drop(r.backprop), r.numerical.total);
}

describe('the gradient check against NumPy: the book\'s log(y + 1e-7) and the exact log', () => {
	const numpy = needPython(['numpy'], ['python3-numpy']);
	const built = existsSync(mnist) ? {} : { skip: `no MNIST at ${mnist} (node scripts/build.mjs copies it)` };

	it('seed 0\'s batch: the 1e-7 makes the difference, and what the exact log leaves is rounding on tiny gradients', { ...numpy.options, ...built, timeout: 300_000 }, async (t) => {
		const python = numpy.require();
		const checks = [LOSS_DELTA, 0].map((delta) => numpyJson<NumpyGradcheck>(python, ['--gradcheck', '--gradcheck-tensors', 'b1,W2,b2', '--delta', String(delta), '--data', mnist]));
		Promise.all(checks).catch(() => undefined);
		const data = await loadMnistFolder(mnist);
		const { batch, params } = gradientCheckStart(data, 0, 50, 100);
		const [book, exact] = [LOSS_DELTA, 0].map((delta) => gradientCheck(batch, params, { delta, wasm: nodeWasm() }));
		const [npBook, npExact] = await within('NumPy\'s gradient checks', Promise.all(checks), 240_000);
		const [ours, oursExact] = [withoutW1(book), withoutW1(exact)];
		const e = (x: number) => x.toExponential(2);
		t.diagnostic(`b1, W2, b2 with log(y + 1e-7): norm-relative ${e(ours.normRelErr)} (NumPy ${e(npBook.normRelErr)}), largest relative ${e(ours.maxRelErr)} (NumPy ${e(npBook.maxRelErr)})`);
		t.diagnostic(`b1, W2, b2 with log(y): norm-relative ${e(oursExact.normRelErr)} (NumPy ${e(npExact.normRelErr)}), largest relative ${e(oursExact.maxRelErr)} (NumPy ${e(npExact.maxRelErr)})`);
		t.diagnostic(`every parameter: log(y + 1e-7) ${e(book.normRelErr)} / ${e(book.maxRelErr)}, log(y) ${e(exact.normRelErr)} / ${e(exact.maxRelErr)}`);
		assert.deepEqual([npBook.tensors, npBook.delta, npExact.delta], [['b1', 'W2', 'b2'], 1e-7, 0]);

		// With the book's log the 1e-7 dominates, so both sides agree to a few digits: the anchors 4.6e-7 and 9.0e-5.
		const near = (got: number, want: number, rel: number, what: string) => assert.ok(Math.abs(got - want) <= rel * want, `${what}: ${got} vs ${want}`);
		near(ours.normRelErr, npBook.normRelErr, 0.01, 'norm-relative error, log(y + 1e-7)');
		near(ours.maxRelErr, npBook.maxRelErr, 0.01, 'largest relative error, log(y + 1e-7)');
		near(npBook.normRelErr, 4.6e-7, 0.02, 'NumPy\'s norm-relative error, log(y + 1e-7)');
		near(npBook.maxRelErr, 9.0e-5, 0.02, 'NumPy\'s largest relative error, log(y + 1e-7)');
		// With the exact log only rounding is left, on both sides: the norm-relative error falls by more than 100×.
		for (const [who, b, x] of [['ours', ours, oursExact], ['NumPy', npBook, npExact]] as const) {
			assert.ok(x.normRelErr < 1e-8 && b.normRelErr / x.normRelErr > 100, `${who}: norm-relative ${b.normRelErr} → ${x.normRelErr}`);
			assert.ok(x.maxRelErr < 1e-5 && b.maxRelErr / x.maxRelErr > 10, `${who}: largest relative ${b.maxRelErr} → ${x.maxRelErr}`);
		}
		// Rounding on tiny gradients: the element with the largest relative error is far below the typical gradient.
		const worst = worstElement(exact);
		t.diagnostic(`the worst element under the exact log: ${worst.name}[${worst.index}], |gradient| ${e(worst.magnitude)}, relative error ${e(worst.relErr)}; median |gradient| ${e(worst.median)}`);
		assert.ok(worst.magnitude < worst.median / 10, `the largest relative error is on |g| = ${worst.magnitude}, median ${worst.median}`);
	});
});

/** Where the largest relative error sits (elements above 1e-6, as maxRelErr counts them), and the median magnitude there. */
function worstElement(r: GradientCheckResult): { name: string; index: number; magnitude: number; relErr: number; median: number } {
	let best = { name: '', index: -1, magnitude: 0, relErr: -1 };
	const mags: number[] = [];
	for (const name of ['W1', 'b1', 'W2', 'b2'] as const) {
		const a = r.numerical.grad[name];
		const b = r.backprop[name];
		for (let i = 0; i < a.length; i++) {
			const big = Math.max(Math.abs(a[i]), Math.abs(b[i]));
			if (big <= 1e-6) continue;
			mags.push(big);
			const rel = Math.abs(a[i] - b[i]) / big;
			if (rel > best.relErr) best = { name, index: i, magnitude: big, relErr: rel };
		}
	}
	mags.sort((x, y) => x - y);
	return { ...best, median: mags[mags.length >> 1] };
}
