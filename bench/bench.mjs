// Speed benchmark (npm run bench): the wasm SIMD kernel against the book's code in NumPy on this machine, side by side.
// Each measurement runs in a fresh process; the book runs (wasm, NumPy float32, NumPy float64) and the default
// comparison alternate rep by rep, so all of them see the same machine state, and the goals are medians of those reps.
// Usage: node bench/bench.mjs [--quick] [--reps=N] [--iters=N] [--no-numpy] [--no-f64] [--python=python3,/usr/bin/python3]
//                             [--no-comparison] [--no-gradcheck] [--no-full-gradcheck] [--reference-iters=N] [--json]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printReport } from './report.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const flag = (name) => process.argv.includes(`--${name}`);
const opt = (name, def) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def;
const quick = flag('quick');
const reps = Number(opt('reps', quick ? 1 : 3));
const iters = Number(opt('iters', quick ? 2000 : 10000));
const referenceIters = Number(opt('reference-iters', quick ? 100 : 300));
const pythons = opt('python', 'python3').split(',').filter(Boolean);
const dataDir = join(root, 'dist', 'data', 'mnist');
const wasmFile = join(root, 'dist', 'kernel.wasm');
const cliFile = join(root, 'dist', 'cli.js');
const say = (s) => process.stderr.write(s + '\n');

for (const f of [wasmFile, dataDir, cliFile]) {
	if (!existsSync(f)) {
		console.error(`bench: ${f} is missing; run node scripts/build.mjs first (npm run bench does)`);
		process.exit(1);
	}
}

const runner = join(root, 'bench', 'out', 'speed-runner.cjs');
mkdirSync(dirname(runner), { recursive: true });
await esbuild.build({ entryPoints: [join(root, 'bench', 'speed-runner.ts')], outfile: runner, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });

function node(task) {
	const r = spawnSync(process.execPath, [runner, JSON.stringify(task)], { encoding: 'utf8', maxBuffer: 1 << 26 });
	if (r.status !== 0) throw new Error(`${task.kind} failed:\n${r.stderr}`);
	return JSON.parse(r.stdout.trim().split('\n').pop());
}

// OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be pinned on this machine; NumPy's OpenBLAS picks its own kernel without them.
const pyEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };
delete pyEnv.OPENBLAS_CORETYPE;
delete pyEnv.OPENBLAS_L2_SIZE;

function python(py, args) {
	const r = spawnSync(py, args, { encoding: 'utf8', env: pyEnv, cwd: root, maxBuffer: 1 << 24 });
	if (r.status !== 0) throw new Error(`${py} ${args.join(' ')} failed:\n${r.stderr}`);
	return r.stdout;
}

function pythonInfo(py) {
	const r = spawnSync(py, [join(root, 'bench', 'blas_core.py')], { encoding: 'utf8', env: pyEnv });
	return r.status === 0 ? JSON.parse(r.stdout) : undefined;
}

const numpyScript = join(root, 'bench', 'numpy_reference.py');
const dtypes = flag('no-f64') ? ['float32'] : ['float32', 'float64'];
/** One entry per (python, dtype); the first python's float32 is the goals' anchor. */
const numpyRuns = [];
if (!flag('no-numpy') && existsSync(numpyScript)) {
	for (const py of pythons) {
		const info = pythonInfo(py);
		if (info) for (const dtype of dtypes) numpyRuns.push({ py, dtype, info, runs: [] });
		else say(`bench: ${py} has no NumPy; skipping it`);
	}
}

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const uptime = () => spawnSync('uptime', { encoding: 'utf8' }).stdout?.trim() ?? `load average: ${load()}`;
const f = (x, d = 2) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '—');

const started = Date.now();
const report = { machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, uptimeBefore: uptime() }, settings: { iters, reps, quick } };
say(`bench: ${reps} rep(s) of ${iters} iterations (batch 100, full MNIST), ${report.machine.uptimeBefore}`);

// 1. Book runs and the default comparison, alternating.
const comparisonArgs = ['compare', '--seeds', '5', '--iters', String(iters), '--json'];
const wasmRuns = [];
const comparisons = [];
for (let i = 0; i < reps; i++) {
	const w = node({ kind: 'run', dataDir, kernel: 'wasm', iters, sampler: 'replacement', seed: 0 });
	wasmRuns.push({ ...w, load: load() });
	say(`  rep ${i + 1}/${reps}: wasm ${f(w.seconds)} s (${f(w.msPerIter, 3)} ms/iter, ${f(w.secondsPerEval, 3)} s/eval), load ${load()}`);
	for (const np of numpyRuns) {
		const out = JSON.parse(python(np.py, [numpyScript, '--json', '--dtype', np.dtype, '--iters', String(iters), '--seed', '0', '--sampler', 'replacement', '--data', dataDir]));
		np.runs.push({ ...out, load: load() });
		say(`           NumPy ${np.info.numpy} ${np.dtype} (${np.py}) ${f(out.seconds)} s (${f(out.msPerIter, 3)} ms/iter, ${f(out.secondsPerEval, 3)} s/eval)`);
	}
	if (!flag('no-comparison')) {
		const c = node({ kind: 'cli', args: comparisonArgs });
		comparisons.push({ ...c, load: load() });
		say(`           default comparison (${comparisonArgs.join(' ')}): ${f(c.wallSeconds)} s, peak RSS ${f(c.maxRssMB, 0)} MB`);
	}
}

// 2. Where one run's time goes, and how close it comes to the SIMD peak.
const profile = node({ kind: 'profile', dataDir, iters, sampler: 'replacement', seed: 0 });
say(`  time split of one run: ${Object.entries(profile.split).map(([k, v]) => `${k} ${f(v)}`).join(', ')} s; ${f(profile.gflops.run, 1)} GFLOP/s, ${f(profile.gflops.runPerCpuSecond, 1)} per CPU second against a peak of ${f(profile.simdPeakGflops.cpu, 1)}`);

// 3. The readable reference, briefly.
const ref = node({ kind: 'run', dataDir, kernel: 'reference', iters: referenceIters, sampler: 'replacement', seed: 0 });
say(`  reference (readable TypeScript) ${referenceIters} iterations: ${f(ref.msPerIter, 2)} ms/iter, ${f(ref.secondsPerEval, 2)} s/eval`);

// 4. Numerical gradient over all 39,760 parameters for one batch of 100.
const grads = [];
if (!flag('no-gradcheck')) {
	grads.push({ label: 'wasm f64, recomputing what each moves', ...node({ kind: 'gradcheck', dataDir, mode: 'partial', seed: 0 }) });
	if (!flag('no-full-gradcheck')) {
		// Every parameter costs the same two full passes here, so a capped run extrapolates fairly.
		const full = node({ kind: 'gradcheck', dataDir, mode: 'full', seed: 0, maxSeconds: quick ? 3 : 15 });
		grads.push({ label: 'wasm f64, full forward pass every time', ...full });
	}
	for (const np of numpyRuns.filter((r) => r.dtype === 'float64')) {
		const n = quick ? 500 : 2000;
		const out = JSON.parse(python(np.py, [numpyScript, '--gradcheck', '--gradcheck-params', String(n), '--seed', '0', '--data', dataDir]));
		grads.push({ label: `NumPy ${np.info.numpy} (${np.py}), ${n} params extrapolated`, engine: 'numpy', ...out });
	}
	for (const g of grads) say(`  numerical gradient, ${g.label}: ${f(g.numericalSeconds)} s${g.extrapolated ? ' (extrapolated)' : ''}, backprop ${f(g.backpropSeconds * 1000, 2)} ms`);
}

// 5. The extension bundle.
const extFile = join(root, 'dist', 'extension.js');
// scripts/build.mjs adds source maps only to development builds.
const ext = existsSync(extFile) ? { bytes: statSync(extFile).size, minified: !readFileSync(extFile, 'utf8').includes('sourceMappingURL') } : undefined;

report.machine.uptimeAfter = uptime();
Object.assign(report, { wasm: wasmRuns, numpy: numpyRuns, comparisons, comparisonArgs, profile, reference: ref, referenceIters, gradcheck: grads, extension: ext, seconds: (Date.now() - started) / 1000 });

if (flag('json')) console.log(JSON.stringify(report, null, 1));
else printReport(report);
