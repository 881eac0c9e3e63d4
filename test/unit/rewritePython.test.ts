import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { analysePython, applyTextEdits, samplingActions } from '../../src/python';
import { needPython } from '../support/python';

// Runs the quick fix's output with a real Python and NumPy (Debian's python3-numpy), on stub data whose rows carry their own index.

const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'python', name), 'utf8');

const numpy = needPython(['numpy'], ['python3-numpy']);

/** `load_mnist` stub: n rows whose first column is the row's index, labels one-hot. */
const MNIST_STUB = `import os
import numpy as np


def load_mnist(normalize=True, flatten=True, one_hot_label=False):
    n = int(os.environ['MBL_TRAIN_SIZE'])
    x = np.zeros((n, 3))
    x[:, 0] = np.arange(n)
    t = np.zeros((n, 10))
    t[np.arange(n), np.arange(n) % 10] = 1
    return (x, t), (x[:5].copy(), t[:5].copy())
`;

/** `TwoLayerNet` stub: records each minibatch's indices (column 0) and returns zero gradients. */
const NET_STUB = `import atexit
import os
import numpy as np

_log = open(os.environ['MBL_LOG'], 'w')
atexit.register(_log.close)


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        self.params = {'W1': np.zeros(1), 'b1': np.zeros(1), 'W2': np.zeros(1), 'b2': np.zeros(1)}

    def gradient(self, x, t):
        _log.write(' '.join(map(str, x[:, 0].astype(int).tolist())) + '\\n')
        return {k: np.zeros_like(v) for k, v in self.params.items()}

    def loss(self, x, t):
        return 0.0

    def accuracy(self, x, t):
        return 0.0
`;

const dirs: string[] = [];
after(() => {
	for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs a script next to the stubs; returns the recorded batches. */
function run(script: string, trainSize: number): number[][] {
	const dir = mkdtempSync(join(tmpdir(), 'mbl-rewrite-'));
	dirs.push(dir);
	mkdirSync(join(dir, 'dataset'));
	writeFileSync(join(dir, 'dataset', '__init__.py'), '');
	writeFileSync(join(dir, 'dataset', 'mnist.py'), MNIST_STUB);
	writeFileSync(join(dir, 'two_layer_net.py'), NET_STUB);
	writeFileSync(join(dir, 'script.py'), script);
	const log = join(dir, 'batches.txt');
	const r = spawnSync(numpy.require(), ['script.py'], {
		cwd: dir,
		encoding: 'utf8',
		env: { ...process.env, MBL_TRAIN_SIZE: String(trainSize), MBL_LOG: log, PYTHONDONTWRITEBYTECODE: '1' },
		timeout: 120_000,
	});
	assert.equal(r.error, undefined, `python did not finish: ${String(r.error)}`);
	assert.equal(r.status, 0, `python failed:\n${r.stderr}`);
	return readFileSync(log, 'utf8')
		.split('\n')
		.filter((l) => l.length > 0)
		.map((l) => l.split(' ').map(Number));
}

/** Every index exactly once in each full epoch, no repeats in the last partial one, and the slice sizes of a pass. */
function checkEpochs(batches: number[][], n: number, b: number, iterations: number): void {
	assert.equal(batches.length, iterations);
	const perEpoch = Math.ceil(n / b);
	const sizes = Array.from({ length: perEpoch }, (_, k) => Math.min(b, n - k * b));
	for (let start = 0; start < batches.length; start += perEpoch) {
		const epoch = batches.slice(start, start + perEpoch);
		const seen = new Uint8Array(n);
		epoch.forEach((batch, k) => {
			assert.equal(batch.length, sizes[k], `epoch at ${start}, slice ${k}: size`);
			for (const idx of batch) {
				assert.ok(idx >= 0 && idx < n, `index ${idx} out of range`);
				assert.equal(seen[idx], 0, `epoch starting at iteration ${start}: index ${idx} drawn twice`);
				seen[idx] = 1;
			}
		});
		if (epoch.length === perEpoch) assert.ok(seen.every((s) => s === 1), `epoch starting at iteration ${start}: some index never drawn`);
	}
}

function rewrite(text: string): string {
	const [action] = samplingActions(analysePython(text));
	assert.equal(action?.direction, 'apply');
	return applyTextEdits(text, action.edits);
}

describe('sampling quick fix: the rewritten scripts run under Python and draw every index once per epoch', { ...numpy.options, timeout: 600_000 }, () => {
	it('the book script at the book\'s sizes (60,000 / 100, iter_per_epoch = 600.0, 10,000 iterations)', () => {
		const batches = run(rewrite(fixture('train_neuralnet.py')), 60000);
		checkEpochs(batches, 60000, 100, 10000);
		// Two epochs are shuffled differently.
		assert.notDeepEqual(batches[0], batches[600]);
	});

	it('a batch size that does not divide (1,000 / 300: slices of 300, 300, 300, 100)', () => {
		const batches = run(rewrite(fixture('train_variant.py')), 1000);
		checkEpochs(batches, 1000, 300, 40);
	});

	it('the book script with a non-dividing training set (1,050 / 100: iter_per_epoch = 10.5)', () => {
		const batches = run(rewrite(fixture('train_neuralnet.py')), 1050);
		checkEpochs(batches, 1050, 100, 10000);
	});

	it('the harness sees the difference: the original with-replacement script repeats indices within an epoch', () => {
		const batches = run(fixture('train_variant.py'), 1000);
		assert.equal(batches.length, 40);
		const first = batches.slice(0, 4).flat();
		assert.ok(new Set(first).size < first.length, 'with replacement, 1,000 draws from 1,000 should repeat');
	});

	// The layouts test/unit/rewrite.test.ts checks as text, here also run: each must draw every index once per epoch.
	const STUBS = ['import numpy as np', 'from dataset.mnist import load_mnist', 'from two_layer_net import TwoLayerNet', ''];
	const variants: { what: string; lines: string[]; n: number; b: number; iterations: number; expect: string }[] = [
		{
			what: 'inside a nested function, with two-space indents',
			lines: [
				...STUBS,
				'def outer():',
				'  def train(x_train, t_train, net):',
				'    n = len(x_train)',
				'    for it in range(50):',
				'      m = np.random.choice(n, 7)',
				'      net.gradient(x_train[m], t_train[m])',
				'    return 1',
				'  (x, t), _ = load_mnist()',
				'  return train(x, t, TwoLayerNet(784, 50, 10))',
				'',
				'outer()',
			],
			n: 100,
			b: 7,
			iterations: 50,
			expect: '      if it % batches_per_epoch == 0:\n        m_list = make_batch_mask_list(n, 7)\n',
		},
		{
			what: 'an argument expression that needs parentheses in the epoch length (batch_size * 2)',
			lines: [
				...STUBS,
				'(x_train, t_train), _ = load_mnist()',
				'network = TwoLayerNet(784, 50, 10)',
				'batch_size = 15',
				'for i in range(70):',
				'    batch_mask = np.random.choice(x_train.shape[0], batch_size * 2)',
				'    network.gradient(x_train[batch_mask], t_train[batch_mask])',
			],
			n: 1000,
			b: 30,
			iterations: 70,
			expect: 'batches_per_epoch = (x_train.shape[0] + (batch_size * 2) - 1) // (batch_size * 2)\n',
		},
		{
			what: 'a file that already uses the helper names (renamed helpers)',
			lines: [
				...STUBS,
				'batch_mask_list = []',
				'def make_batch_mask_list(): pass',
				'(x_train, t_train), _ = load_mnist()',
				'network = TwoLayerNet(784, 50, 10)',
				'train_size = x_train.shape[0]',
				'batch_size = 40',
				'for i in range(30):',
				'    batch_mask = np.random.choice(train_size, batch_size)',
				'    network.gradient(x_train[batch_mask], t_train[batch_mask])',
				'assert batch_mask_list == [] and make_batch_mask_list() is None',
			],
			n: 200,
			b: 40,
			iterations: 30,
			expect: 'batch_mask_list_2 = make_batch_mask_list_2(train_size, batch_size)\n',
		},
	];
	for (const v of variants) {
		it(v.what, () => {
			const text = v.lines.join('\n') + '\n';
			const applied = rewrite(text);
			assert.ok(applied.includes(v.expect), applied);
			checkEpochs(run(applied, v.n), v.n, v.b, v.iterations);
		});
	}

	it('CRLF line endings: the rewritten book script keeps them and still runs (1,050 / 100)', () => {
		const text = fixture('train_neuralnet.py').replace(/\r?\n/g, '\r\n');
		const applied = rewrite(text);
		assert.equal(/[^\r]\n/.test(applied), false, 'no bare LF');
		checkEpochs(run(applied, 1050), 1050, 100, 10000);
	});

	it('apply then reverse gives back the original text, which still runs', () => {
		for (const name of ['train_neuralnet.py', 'train_variant.py']) {
			const text = fixture(name);
			const applied = rewrite(text);
			const [rev] = samplingActions(analysePython(applied));
			assert.equal(rev?.direction, 'reverse');
			const back = applyTextEdits(applied, rev.edits);
			assert.equal(back, text, name);
		}
		assert.equal(run(fixture('train_variant.py'), 600).length, 40);
	});
});
