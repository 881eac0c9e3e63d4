// `minibatch-lab script` on real Python (Debian's /usr/bin/python3 with NumPy and matplotlib): the book's own script and
// scripts in other styles against the reference, a backprop bug, a crash, the mnist.pkl race, Cancel, and every refusal.
// Build with `node scripts/build.mjs --only=unitTests,worker,cli,data` first.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bookFolder, bookPython, countPickleBuilds } from '../support/bookFolder';
import { waitFor, within } from '../support/wait';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');
const need = bookPython();
let PYTHON = '';
/** sys.executable of the interpreter the tests use: what the JSON and the messages name. */
let executable = '';
const folders: string[] = [];

interface Eval {
	iter: number;
	trainAcc: number | null;
	testAcc: number | null;
}
interface ScriptJson {
	script: string;
	python: { executable: string; version: string; numpy: string };
	settings: { iters: number; batchSize: number; lr: number; hidden: number; trainSize: number };
	runs: {
		sampler: string;
		seed: number;
		evals: Eval[];
		seconds: number;
		error: { type: string; message: string; file: string; line: number | null } | null;
		reference: { match: boolean; identical: boolean; firstDifference: (Eval & { referenceTrainAcc: number; referenceTestAcc: number }) | null };
	}[];
}

function run(args: string[], timeout = 240_000): { status: number | null; stdout: string; stderr: string } {
	const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout });
	return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function script(file: string, ...args: string[]): { json: ScriptJson; stderr: string; status: number | null } {
	const r = run(['script', file, '--python', PYTHON, '--json', ...args]);
	assert.ok(r.stdout.trim().startsWith('{'), `no JSON (exit ${r.status}): ${r.stderr}`);
	return { json: JSON.parse(r.stdout) as ScriptJson, stderr: r.stderr, status: r.status };
}

/** The reference's evaluations for the same settings, from `minibatch-lab compare`. */
function reference(args: string[]): Record<string, Eval[]> {
	const r = run(['compare', '--json', ...args]);
	assert.equal(r.status, 0, r.stderr);
	const j = JSON.parse(r.stdout) as { runs: { sampler: string; evals: Eval[] }[] };
	return Object.fromEntries(j.runs.map((x) => [x.sampler, x.evals.map((e) => ({ iter: e.iter, trainAcc: e.trainAcc, testAcc: e.testAcc }))]));
}

/**
 * Processes whose command line holds `marker` and whose working directory is under `folder` (Linux: /proc). The folder
 * keeps other test runs on the same machine out: the shim runs in the script's folder, and its children inherit it.
 */
function processesWith(marker: string, folder: string): number[] {
	const found: number[] = [];
	const under = realpathSync(folder);
	for (const p of readdirSync('/proc')) {
		if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
		try {
			if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker) && readlinkSync(`/proc/${p}/cwd`).startsWith(under)) found.push(Number(p));
		} catch {
			// Gone meanwhile.
		}
	}
	return found;
}

describe('minibatch-lab script (real Python)', need.options, () => {
	let book = '';
	before(() => {
		PYTHON = need.require();
		executable = spawnSync(PYTHON, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
		book = bookFolder(root);
		folders.push(book);
	});
	after(() => {
		for (const f of folders) rmSync(f, { recursive: true, force: true });
	});

	it('the book’s unchanged ch04/train_neuralnet.py is identical to the reference, with both samplers', () => {
		const { json, status, stderr } = script(join(book, 'ch04', 'train_neuralnet.py'), '--iters', '601');
		assert.equal(status, 0, stderr);
		assert.deepEqual(json.settings, { iters: 601, batchSize: 100, lr: 0.1, hidden: 50, trainSize: 60000 });
		assert.equal(json.python.executable, executable);
		const ref = reference(['--iters', '601', '--seed', '0']);
		assert.deepEqual(json.runs.map((r) => r.sampler), ['replacement', 'epoch-shuffle']);
		for (const r of json.runs) {
			assert.equal(r.error, null);
			assert.deepEqual(r.evals, ref[r.sampler], r.sampler);
			assert.deepEqual([r.reference.match, r.reference.identical, r.reference.firstDifference], [true, true, null], r.sampler);
		}
		// What the book's own code prints after np.random.seed(0) (/work/shared notes; README).
		assert.deepEqual(json.runs[0].evals, [
			{ iter: 0, trainAcc: 0.09915, testAcc: 0.1009 },
			{ iter: 600, trainAcc: 0.7823333333333333, testAcc: 0.7915 },
		]);
		assert.equal(json.runs[1].evals[0].trainAcc, 0.07243333333333334);
	});

	for (const file of ['fstrings.py', 'train_function.py', 'epoch_loop.py']) {
		it(`another style, ${file}, matches exactly`, () => {
			const { json, status, stderr } = script(join(book, 'ch04', file), '--seed', '1');
			assert.equal(status, 0, stderr);
			for (const r of json.runs) {
				assert.equal(r.error, null, `${r.sampler}: ${JSON.stringify(r.error)}`);
				assert.ok(r.evals.length === 3, `${r.sampler}: ${JSON.stringify(r.evals)}`);
				assert.equal(r.reference.identical, true, `${r.sampler}: ${JSON.stringify(r.reference)}`);
			}
			// The epoch loop evaluates after 60, 120 and 180 updates: the reference evaluates there too.
			if (file === 'epoch_loop.py') assert.deepEqual(json.runs[0].evals.map((e) => e.iter), [59, 119, 179]);
		});
	}

	it('a wrong sigmoid derivative is flagged at the first evaluation that differs', () => {
		const { json, status } = script(join(book, 'ch04', 'wrong_sigmoid_grad.py'), '--samplers', 'replacement');
		assert.equal(status, 0, 'a run that finished exits 0, matching or not');
		const r = json.runs[0];
		const ref = reference(['--iters', '301', '--train-size', '6000', '--samplers', 'replacement'])['replacement'].map((e) => ({ iter: e.iter, trainAcc: e.trainAcc ?? NaN, testAcc: e.testAcc ?? NaN }));
		const first = r.evals.findIndex((e, k) => Math.abs((e.trainAcc ?? 0) - ref[k].trainAcc) > 2e-4 || Math.abs((e.testAcc ?? 0) - ref[k].testAcc) > 2e-4);
		assert.ok(first > 0, `the bug shows after the first evaluation: ${JSON.stringify(r.evals)}`);
		assert.equal(r.reference.match, false);
		assert.deepEqual(r.reference.firstDifference, { ...r.evals[first], referenceTrainAcc: ref[first].trainAcc, referenceTestAcc: ref[first].testAcc });
	});

	it('a crash names its exception and line (the same line in the rewritten run), and keeps the evaluations so far', () => {
		const { json, status, stderr } = script(join(book, 'ch04', 'crash.py'));
		assert.equal(status, 1);
		for (const r of json.runs) {
			assert.deepEqual(r.error, { type: 'ZeroDivisionError', message: 'division by zero', file: join(book, 'ch04', 'crash.py'), line: 22 }, r.sampler);
			assert.equal(r.evals.length, 1);
			assert.equal(r.reference.identical, true);
		}
		assert.match(stderr, /crash\.py:22: ZeroDivisionError: division by zero/);
		assert.doesNotMatch(stderr, /at .*\.js:\d+/, 'no JavaScript stack');
	});

	it('parallel first runs build dataset/mnist.pkl once', () => {
		const fresh = bookFolder(root);
		folders.push(fresh);
		const builds = countPickleBuilds(fresh);
		const { json, status, stderr } = script(join(fresh, 'ch04', 'fstrings.py'), '--seeds', '2', '--iters', '1');
		assert.equal(status, 0, stderr);
		assert.equal(json.runs.length, 4);
		for (const r of json.runs) assert.equal(r.error, null, JSON.stringify(r.error));
		assert.equal(builds(), 1);
	});

	it('input() ends at once instead of waiting, and the script’s line is named', () => {
		const file = join(book, 'ch04', 'asks.py');
		writeFileSync(file, readFileSync(join(book, 'ch04', 'fstrings.py'), 'utf8') + 'name = input("Your name? ")\n');
		const { json, status } = script(file, '--samplers', 'replacement');
		assert.equal(status, 1);
		assert.equal(json.runs[0].error?.type, 'EOFError');
		assert.equal(json.runs[0].error?.line, 29);
		assert.equal(json.runs[0].reference.identical, true);
	});

	it('sequential, when asked for: the same rewrite over np.arange matches the reference’s sequential sampler', () => {
		const { json, status, stderr } = script(join(book, 'ch04', 'fstrings.py'), '--samplers', 'sequential');
		assert.equal(status, 0, stderr);
		assert.deepEqual(json.runs.map((r) => [r.sampler, r.error, r.reference.identical, r.evals.length]), [['sequential', null, true, 3]]);
	});

	it('warns before starting when the loop calls numerical_gradient, with the cost model’s estimate', () => {
		const file = join(book, 'ch04', 'numgrad.py');
		// Never taken, so the run stays quick: the warning comes from reading the file.
		const text = readFileSync(join(book, 'ch04', 'fstrings.py'), 'utf8').replace('    g = net.gradient(xb, yb)', '    g = net.numerical_gradient(xb, yb) if step < 0 else net.gradient(xb, yb)');
		writeFileSync(file, text);
		const { status, stderr } = script(file, '--samplers', 'replacement', '--iters', '1');
		assert.equal(status, 0, stderr);
		assert.match(stderr, /Warning: Line 21 calls numerical_gradient: each iteration then evaluates the loss 2 × 39,760 = 79,520 times, so 1 iterations take about [\d.]+ to [\d.]+ hours\./);
	});

	it('a script that never reaches an evaluation says so, and how far its loop got', () => {
		const file = join(book, 'ch04', 'never.py');
		writeFileSync(file, readFileSync(join(book, 'ch04', 'fstrings.py'), 'utf8').replace('if step % per_epoch == 0:', 'if step % per_epoch == 1000:'));
		const { json, status, stderr } = script(file, '--samplers', 'replacement');
		assert.equal(status, 1);
		assert.deepEqual(json.runs[0].error, { type: 'NoEvaluation', message: 'the script ran 121 iterations but never reached an evaluation (no accuracy call inside the loop ran)', file, line: null });
		assert.match(stderr, /never reached an evaluation/);
	});

	it('Cancel (Ctrl+C) leaves no Python process, not even one the script started', async () => {
		const marker = `mbl-cancel-${process.pid}`;
		const file = join(book, 'ch04', 'long.py');
		const text = readFileSync(join(book, 'ch04', 'fstrings.py'), 'utf8')
			.replace('steps = 121', 'steps = 1000000')
			.replace('import numpy as np', `import numpy as np\nimport subprocess\nsubprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)  # ${marker}'])`);
		writeFileSync(file, text);
		const child = spawn(process.execPath, [cli, 'script', file, '--python', PYTHON, '--seeds', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
		await waitFor('the runs to get going (iteration 60 on stderr)', () => /iteration 60 /.test(stderr), 60_000, 100);
		assert.ok(processesWith(marker, book).length >= 1, 'the script started its own child');
		assert.ok(processesWith("Minibatch Lab: runs a learner's training script", book).length >= 2, 'two runs in parallel');
		child.kill('SIGINT');
		assert.equal(await within('the CLI to exit after Ctrl+C', exited, 60_000), 130);
		// The event, not a pause: the processes' exit, under a generous limit.
		await waitFor('no Python process left', () => processesWith(marker, book).length === 0 && processesWith("Minibatch Lab: runs a learner's training script", book).length === 0, 30_000, 100);
	});

	it('refuses, in one line with exit code 2: no Python, no NumPy, no file, no loop, a hidden setting', () => {
		const file = join(book, 'ch04', 'train_neuralnet.py');
		const noPython = run(['script', file, '--python', join(book, 'no-such-python')]);
		assert.equal(noPython.status, 2);
		assert.match(noPython.stderr, /^minibatch-lab: No Python found \(tried .*no-such-python\).*--python PATH\.\n$/);
		// A Python that cannot see its site-packages: NumPy missing, with the interpreter and the install command named.
		const bare = join(book, 'bare-python');
		writeFileSync(bare, `#!/bin/sh\nexec ${PYTHON} -S "$@"\n`);
		chmodSync(bare, 0o755);
		const noNumpy = run(['script', file, '--python', bare]);
		assert.equal(noNumpy.status, 2);
		const install = executable === '/usr/bin/python3' ? 'sudo apt-get install python3-numpy' : `${executable} -m pip install numpy`;
		assert.equal(noNumpy.stderr, `minibatch-lab: NumPy is missing for ${executable} (Python ${/\(Python ([\d.]+)\)/.exec(noNumpy.stderr)?.[1]}): install it with ${install}\n`);
		const noFile = run(['script', join(book, 'nope.py')]);
		assert.deepEqual([noFile.status, noFile.stderr.trim()], [2, `minibatch-lab: ${join(book, 'nope.py')}: no such file`]);
		const noLoop = join(book, 'ch04', 'no_loop.py');
		writeFileSync(noLoop, 'import numpy as np\nprint(np.ones(3))\n');
		const r = run(['script', noLoop, '--python', PYTHON]);
		assert.equal(r.status, 2);
		assert.match(r.stderr, /no_loop\.py has no training loop Minibatch Lab recognises: it looks for a for loop/);
		const hidden = join(book, 'ch04', 'hidden.py');
		writeFileSync(hidden, readFileSync(file, 'utf8').replace('learning_rate = 0.1', 'learning_rate = float(sys.argv[1]) if len(sys.argv) > 1 else 0.1'));
		const h = run(['script', hidden, '--python', PYTHON]);
		assert.equal(h.status, 2);
		assert.match(h.stderr, /The script does not give its learning rate as a number Minibatch Lab can read \(line 17: float\(sys\.argv\[1\]\).*\)\. Give it with --lr N\.\n$/);
	});
});
