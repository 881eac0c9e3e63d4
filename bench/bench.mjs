// Speed benchmark (npm run bench): the wasm SIMD kernel against the book's NumPy code on this machine, side by side.
// Each measurement runs in a fresh process; the wasm and NumPy full runs alternate, so both see the same machine state.
// Usage: node bench/bench.mjs [--quick] [--reps=N] [--iters=N] [--no-numpy] [--python=python3,/usr/bin/python3]
//                             [--no-gradcheck] [--no-full-gradcheck] [--no-parallel] [--reference-iters=N] [--json]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const flag = (name) => process.argv.includes(`--${name}`);
const opt = (name, def) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def;
const quick = flag('quick');
const reps = Number(opt('reps', 3));
const iters = Number(opt('iters', quick ? 2000 : 10000));
const referenceIters = Number(opt('reference-iters', quick ? 100 : 300));
const pythons = opt('python', 'python3').split(',').filter(Boolean);
const dataDir = join(root, 'dist', 'data', 'mnist');
const wasmFile = join(root, 'dist', 'kernel.wasm');
const say = (s) => process.stderr.write(s + '\n');

if (!existsSync(wasmFile) || !existsSync(dataDir)) {
	console.error(`bench: ${existsSync(wasmFile) ? dataDir : wasmFile} is missing; run node scripts/build.mjs first (npm run bench does)`);
	process.exit(1);
}

const runner = join(root, 'bench', 'out', 'speed-runner.cjs');
mkdirSync(dirname(runner), { recursive: true });
await esbuild.build({ entryPoints: [join(root, 'bench', 'speed-runner.ts')], outfile: runner, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });

function node(task) {
	const r = spawnSync(process.execPath, [runner, JSON.stringify(task)], { encoding: 'utf8', maxBuffer: 1 << 24 });
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
const numpyRuns = [];
if (!flag('no-numpy') && existsSync(numpyScript)) {
	for (const py of pythons) {
		const info = pythonInfo(py);
		if (info) numpyRuns.push({ py, info, runs: [] });
		else say(`bench: ${py} has no NumPy; skipping it`);
	}
}

const median = (xs) => {
	const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
	if (s.length === 0) return NaN;
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (x, d = 2) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '—');
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const uptime = () => spawnSync('uptime', { encoding: 'utf8' }).stdout?.trim() ?? `load average: ${load()}`;

const started = Date.now();
const report = { machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, uptimeBefore: uptime() }, settings: { iters, reps, quick } };
say(`bench: ${reps} × ${iters} iterations (batch 100, full MNIST, ${iters >= 9601 ? 17 : Math.floor((iters - 1) / 600) + 1} evaluations), ${report.machine.uptimeBefore}`);

// 1. Full runs, wasm and NumPy alternating.
const wasmRuns = [];
for (let i = 0; i < reps; i++) {
	const w = node({ kind: 'run', dataDir, kernel: 'wasm', iters, sampler: 'replacement', seed: 0 });
	wasmRuns.push(w);
	say(`  run ${i + 1}/${reps}: wasm ${f(w.seconds)} s (${f(w.msPerIter, 3)} ms/iter, ${f(w.secondsPerEval, 3)} s/eval)`);
	for (const np of numpyRuns) {
		const out = JSON.parse(python(np.py, [numpyScript, '--json', '--iters', String(iters), '--seed', '0', '--sampler', 'replacement', '--data', dataDir]));
		np.runs.push(out);
		say(`             NumPy ${np.info.numpy} (${np.py}) ${f(out.seconds)} s (${f(out.msPerIter, 3)} ms/iter, ${f(out.secondsPerEval, 3)} s/eval)`);
	}
}
const ref = node({ kind: 'run', dataDir, kernel: 'reference', iters: referenceIters, sampler: 'replacement', seed: 0 });
say(`  reference (readable TypeScript) ${referenceIters} iterations: ${f(ref.msPerIter, 2)} ms/iter, ${f(ref.secondsPerEval, 2)} s/eval`);

// 2. Numerical gradient over all 39,760 parameters for one batch of 100.
const grads = [];
if (!flag('no-gradcheck')) {
	grads.push({ label: 'wasm f64, recomputing what each moves', ...node({ kind: 'gradcheck', dataDir, mode: 'partial', seed: 0 }) });
	if (!flag('no-full-gradcheck')) {
		// Every parameter costs the same two full passes here, so a capped run extrapolates fairly.
		const full = node({ kind: 'gradcheck', dataDir, mode: 'full', seed: 0, maxSeconds: quick ? 3 : 15 });
		grads.push({ label: 'wasm f64, full forward pass every time', ...full });
	}
	for (const np of numpyRuns) {
		const n = quick ? 500 : 2000;
		const out = JSON.parse(python(np.py, [numpyScript, '--gradcheck', '--gradcheck-params', String(n), '--seed', '0', '--data', dataDir]));
		grads.push({ label: `NumPy ${np.info.numpy} (${np.py}), ${n} params extrapolated`, engine: 'numpy', ...out });
	}
	for (const g of grads) say(`  numerical gradient, ${g.label}: ${f(g.numericalSeconds)} s${g.extrapolated ? ' (extrapolated)' : ''}, backprop ${f(g.backpropSeconds * 1000, 2)} ms, max rel err ${g.maxRelErr?.toExponential(1)}`);
}

// 3. Two workers (both samplers) against one.
const par = flag('no-parallel') ? undefined : node({ kind: 'parallel', dataDir, kernel: 'wasm', iters, seed: 0 });
if (par) say(`  worker_threads: one run ${f(par.oneWallSeconds)} s, two in parallel ${f(par.twoWallSeconds)} s`);

// 4. The extension bundle.
const extFile = join(root, 'dist', 'extension.js');
// scripts/build.mjs adds source maps only to development builds.
const ext = existsSync(extFile) ? { bytes: statSync(extFile).size, minified: !readFileSync(extFile, 'utf8').includes('sourceMappingURL') } : undefined;

report.machine.uptimeAfter = uptime();
report.wasm = wasmRuns;
report.numpy = numpyRuns;
report.reference = ref;
report.gradcheck = grads;
report.parallel = par;
report.extension = ext;

if (flag('json')) {
	console.log(JSON.stringify(report, null, 1));
	process.exit(0);
}

// ---- summary --------------------------------------------------------------------------------------------------------
const lines = [];
const row = (cells) => lines.push(cells.map((c, i) => (i === 0 ? String(c).padEnd(44) : String(c).padStart(12))).join(''));
lines.push('');
lines.push(`Minibatch Lab speed benchmark — ${report.machine.cpus} × ${report.machine.cpu}, Node ${report.machine.node}`);
lines.push(`before: ${report.machine.uptimeBefore}`);
lines.push(`after:  ${report.machine.uptimeAfter}`);
lines.push('');
lines.push(`The book's run: ${iters.toLocaleString('en-US')} iterations, batch 100, full MNIST, ${wasmRuns[0]?.evals} evaluations, one thread; median of ${reps} (runs alternate).`);
row(['', 'ms/iter', 's/eval', 'full run s', 'vs NumPy']);
const wasmMed = { ms: median(wasmRuns.map((r) => r.msPerIter)), ev: median(wasmRuns.map((r) => r.secondsPerEval)), s: median(wasmRuns.map((r) => r.seconds)) };
const firstNumpy = numpyRuns[0] && median(numpyRuns[0].runs.map((r) => r.seconds));
row([`wasm SIMD128 (${wasmRuns[0]?.kernel})`, f(wasmMed.ms, 3), f(wasmMed.ev, 3), f(wasmMed.s), firstNumpy ? `${f(wasmMed.s / firstNumpy)}×` : '—']);
for (const np of numpyRuns) {
	const s = median(np.runs.map((r) => r.seconds));
	row([`NumPy ${np.info.numpy} + ${np.info.corename ?? np.info.blas} (${np.py})`, f(median(np.runs.map((r) => r.msPerIter)), 3), f(median(np.runs.map((r) => r.secondsPerEval)), 3), f(s), `${f(s / firstNumpy)}×`]);
}
row([`reference TypeScript (${referenceIters} iters)`, f(ref.msPerIter, 2), f(ref.secondsPerEval, 2), f(ref.msPerIter * 10 + ref.secondsPerEval * 17, 0) + '*', '']);
lines.push(`  wasm runs: ${wasmRuns.map((r) => f(r.seconds)).join(', ')} s (includes copying MNIST into wasm: ${f(median(wasmRuns.map((r) => r.createSeconds)), 3)} s; loading the idx files: ${f(median(wasmRuns.map((r) => r.loadSeconds)), 2)} s, not counted, as in NumPy)`);
for (const np of numpyRuns) lines.push(`  NumPy runs (${np.py}): ${np.runs.map((r) => f(r.seconds)).join(', ')} s; BLAS ${np.info.blas}, kernel ${np.info.corename ?? 'unknown'} (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for it)`);
lines.push(`  * the reference's full run is extrapolated: 10,000 × ms/iter + 17 × s/eval.`);
const accs = wasmRuns.map((r) => `${f(r.trainAcc, 4)}/${f(r.testAcc, 4)}`);
lines.push(`  final train/test accuracy: wasm ${accs[0]}${numpyRuns[0] ? `, NumPy ${f(numpyRuns[0].runs[0].evals.at(-1).trainAcc, 4)}/${f(numpyRuns[0].runs[0].evals.at(-1).testAcc, 4)}` : ''}`);
lines.push(`  peak RSS of a worker-like process (loads MNIST, trains with wasm): ${f(median(wasmRuns.map((r) => r.maxRssMB)), 0)} MB`);
if (grads.length) {
	lines.push('');
	lines.push("The book's numerical gradient, all 39,760 parameters, one batch of 100 (seed 0):");
	row(['', 'seconds', 'backprop ms', 'max rel err']);
	for (const g of grads) row([g.label.slice(0, 43), f(g.numericalSeconds) + (g.extrapolated ? '*' : ''), f(g.backpropSeconds * 1000, 2), g.maxRelErr?.toExponential(1)]);
	lines.push('  * extrapolated from the parameters timed.');
}
if (par) {
	lines.push('');
	lines.push(`Both samplers in two worker_threads vs one (wasm, ${iters.toLocaleString('en-US')} iterations each, each worker loads MNIST):`);
	lines.push(`  one ${f(par.oneWallSeconds)} s, two ${f(par.twoWallSeconds)} s: wall ${f(par.wallRatio)}× one run, throughput speed-up ${f(par.speedup)}×; peak RSS of that process ${f(par.maxRssMB, 0)} MB`);
}
if (ext) {
	lines.push('');
	lines.push(`dist/extension.js: ${(ext.bytes / 1024).toFixed(1)} KB${ext.minified ? ' (production build)' : ' (development build: npm run bench builds with --production)'} (activation time: node bench/activation.mjs)`);
}
lines.push('');
lines.push(`bench: ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(lines.join('\n'));
