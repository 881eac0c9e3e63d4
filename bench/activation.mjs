// Activation benchmark (not a timed test): loads the extension bundle with a stubbed `vscode` module and times
// `require` + `activate(context)`, each run in a fresh node process because the extension host loads the bundle once.
// Build first; the shipped figure is the production bundle: `node scripts/build.mjs --production` (or `npm run package`).
// Usage: node bench/activation.mjs [--runs=15] [--file=dist/extension.js] [--json]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import Module, { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argOf = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');

/** Any property, call or `new` gives another stub; enough for registration calls, which is all activate() should do. */
function stub() {
	const cache = new Map();
	const target = function () {};
	const get = (key) => {
		if (key === 'then') return undefined; // not a thenable, or `await stub` would hang
		if (key === Symbol.toPrimitive) return () => '';
		if (key === Symbol.iterator) return function* () {};
		if (key === 'prototype') return target.prototype; // so `class X extends vscode.Y` works
		if (!cache.has(key)) cache.set(key, stub());
		return cache.get(key);
	};
	// esbuild's __toESM copies only own keys into an object whose prototype is the module's; lookups reach us through it.
	const viaPrototype = new Proxy(Object.create(null), { get: (_, key) => get(key) });
	return new Proxy(target, {
		get: (_, key) => get(key),
		getPrototypeOf: () => viaPrototype,
		apply: () => stub(),
		construct: () => stub(),
	});
}

/** The child: one cold load and activation, printed as JSON. */
async function child(file) {
	const vscode = stub();
	const loaded = {}; // module -> ms its first load took, to show what a lazy import would save
	const originalLoad = Module._load;
	Module._load = function (request, parent, isMain) {
		if (request === 'vscode') return vscode;
		if (parent?.filename !== file || request === file || request in loaded) return originalLoad.call(this, request, parent, isMain);
		const t = performance.now();
		const m = originalLoad.call(this, request, parent, isMain);
		loaded[request] = performance.now() - t;
		return m;
	};
	const subscriptions = [];
	const context = new Proxy(
		{ subscriptions, extensionPath: root, extensionMode: 3, extension: { id: 'minibatch-lab.minibatch-lab' } },
		{ get: (t, key) => (key in t ? t[key] : vscode[key]) },
	);
	const require = createRequire(file);
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	const ext = require(file);
	const t1 = performance.now();
	await ext.activate(context);
	const t2 = performance.now();
	// CPU time barely moves with the machine's load, unlike wall time on a busy box.
	const cpu = process.cpuUsage(cpu0);
	const cpuMs = (cpu.user + cpu.system) / 1000;
	process.stdout.write(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, totalMs: t2 - t0, cpuMs, subscriptions: subscriptions.length, loaded }));
	process.exit(0); // whatever activate() scheduled must not keep the process alive
}

const quantile = (xs, q) => {
	const s = [...xs].sort((a, b) => a - b);
	const i = (s.length - 1) * q;
	return s[Math.floor(i)] + (s[Math.ceil(i)] - s[Math.floor(i)]) * (i - Math.floor(i));
};

async function main() {
	const file = resolve(root, argOf('file') ?? 'dist/extension.js');
	const runs = Number(argOf('runs') ?? 15);
	if (!existsSync(file)) throw new Error(`${file} is missing; run \`node scripts/build.mjs --production\` first`);
	const text = readFileSync(file, 'utf8');
	const size = statSync(file).size;
	// esbuild marks each source file with a `// src/...` comment unless it minifies.
	const production = !text.includes('sourceMappingURL=') && !/^\s*\/\/ src\//m.test(text);

	const samples = [];
	for (let i = 0; i < runs; i++) {
		const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), `--child=${file}`], { encoding: 'utf8', timeout: 60_000 });
		if (r.status !== 0) throw new Error(`run ${i + 1} failed (exit ${r.status}):\n${r.stderr}`);
		samples.push(JSON.parse(r.stdout));
	}
	const stat = (key) => {
		const xs = samples.map((s) => s[key]);
		return { median: quantile(xs, 0.5), min: Math.min(...xs), max: Math.max(...xs) };
	};
	const report = {
		file: file.startsWith(root) ? file.slice(root.length + 1) : file,
		bytes: size,
		kb: +(size / 1024).toFixed(1),
		build: production ? 'production (minified, no source map)' : 'development (run `node scripts/build.mjs --production` for the shipped figure)',
		runs,
		require: stat('requireMs'),
		activate: stat('activateMs'),
		total: stat('totalMs'),
		cpu: stat('cpuMs'),
		loadavg: os.loadavg(),
		subscriptions: samples[0].subscriptions,
		modulesLoadedByBundle: Object.fromEntries(Object.keys(samples[0].loaded).map((m) => [m, +quantile(samples.map((s) => s.loaded[m] ?? 0), 0.5).toFixed(1)])),
	};
	if (process.argv.includes('--json')) {
		console.log(JSON.stringify(report, null, '\t'));
		return;
	}
	const ms = (s) => `median ${s.median.toFixed(1)} ms (min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)})`;
	console.log(`${report.file}: ${size} bytes (${report.kb} KB), ${report.build}; goal ≤ 200 KB`);
	console.log(`${runs} cold runs, each in a fresh node ${process.version} with a stubbed vscode module (load average ${report.loadavg.map((l) => l.toFixed(2)).join(' ')}):`);
	console.log(`  require(extension.js)      ${ms(report.require)}`);
	console.log(`  activate(context)          ${ms(report.activate)}`);
	console.log(`  require + activate         ${ms(report.total)}; goal < 50 ms`);
	console.log(`  CPU time of both           ${ms(report.cpu)} (user + system, all threads)`);
	console.log(`  subscriptions registered:  ${report.subscriptions}`);
	const mods = Object.entries(report.modulesLoadedByBundle).map(([m, t]) => `${m} ${t} ms`);
	console.log(`  modules the bundle loads at require time (median first-load ms, part of require): ${mods.join(', ') || 'none'}`);
}

const childFile = argOf('child');
if (childFile) await child(childFile);
else
	await main().catch((err) => {
		console.error(`activation bench: ${err instanceof Error ? err.message : String(err)}`);
		process.exitCode = 1;
	});
