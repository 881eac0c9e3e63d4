import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadMnistFolder } from '../support/nodeData';
import type { SamplerId } from '../../src/core/samplers';
import { trainRun } from '../../src/core/train';
import { needPython } from '../support/python';
import { within } from '../support/wait';

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
	const args = [join(root, 'bench', 'numpy_reference.py'), '--seed', String(seed), '--sampler', sampler, '--iters', String(ITERS), '--data', mnist, '--json'];
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
			if (code !== 0) reject(new Error(`numpy_reference.py --seed ${seed} --sampler ${sampler} exited ${code ?? signal}:\n${err}`));
			else resolve(JSON.parse(out) as NumpyRun);
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
