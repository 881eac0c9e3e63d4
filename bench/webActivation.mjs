// Activation in the browser's web worker extension host (code-server, offline): fetching the browser bundle, evaluating it,
// and activate(), as the host itself marks them, over several fresh launches. The goal: evaluate + activate() ≤ 50 ms.
// Builds the production bundles first (what the .vsix ships), plus the browser test bundle that measures.
// Usage: node bench/webActivation.mjs [--runs=5] [--no-build] [--json]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argOf = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const runs = Number(argOf('runs') ?? 5);

function run(cmd, args, env = {}) {
	const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
	if (r.status !== 0) throw new Error(`${[cmd, ...args].join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
	return r.stdout;
}

if (!process.argv.includes('--no-build')) {
	run(process.execPath, ['scripts/build.mjs', '--production']);
	run(process.execPath, ['scripts/build.mjs', '--only=webHostTests']);
}
const bundle = join(root, 'dist', 'web', 'extension.js');
const bytes = readFileSync(bundle).length;

const tmp = mkdtempSync(join(tmpdir(), 'mbl-web-activation-'));
const samples = [];
try {
	for (let i = 0; i < runs; i++) {
		const out = join(tmp, `run-${i}.json`);
		run(process.execPath, ['scripts/host/run-host-tests.mjs', '--no-build', '--pass', 'web', '--grep', 'activation in the browser host'], { MINIBATCH_LAB_BENCH: '1', MINIBATCH_LAB_BENCH_OUT: out });
		samples.push(JSON.parse(readFileSync(out, 'utf8')));
	}
} finally {
	rmSync(tmp, { recursive: true, force: true });
}

const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stat = (key) => {
	const xs = samples.map((s) => s[key]);
	return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
};
const report = { bundle: 'dist/web/extension.js', bytes, runs, fetch: stat('fetchMs'), evaluate: stat('evaluateMs'), activate: stat('activateMs'), activation: stat('activationMs'), loadavg: os.loadavg() };
if (process.argv.includes('--json')) console.log(JSON.stringify(report, null, '\t'));
else {
	const ms = (s) => `median ${s.median.toFixed(1)} ms (min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)})`;
	console.log(`${report.bundle}: ${bytes} bytes (${(bytes / 1024).toFixed(1)} KB); ${runs} fresh launches of code-server's web worker extension host (load average ${report.loadavg.map((l) => l.toFixed(2)).join(' ')}):`);
	console.log(`  fetch the bundle           ${ms(report.fetch)}`);
	console.log(`  evaluate it                ${ms(report.evaluate)}`);
	console.log(`  activate(context)          ${ms(report.activate)}`);
	console.log(`  evaluate + activate        ${ms(report.activation)}; goal ≤ 50 ms`);
}
