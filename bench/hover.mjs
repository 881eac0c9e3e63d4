// Hover latency benchmark (not a timed test): bundles the pure hover code with esbuild, then measures
//   1. a generated 5,000-line Python file: first analysis, then p50/p99/max of hoverAt + formatHover;
//   2. 1 MB single-line files built to be hard: analysis (median of --reps repeats) plus the slowest hover on each.
// Usage: node bench/hover.mjs [--hovers=20000] [--reps=11] [--json]
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, def) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const HOVERS = arg('hovers', 20000);
const REPS = Math.max(1, arg('reps', 11));

const out = join(root, 'bench', 'out', 'hover.cjs');
mkdirSync(dirname(out), { recursive: true });
await esbuild.build({
	stdin: {
		contents: "export * from './src/python'; export { formatHover } from './src/extension/hover/hoverText';",
		resolveDir: root,
		loader: 'ts',
	},
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	outfile: out,
	logLevel: 'warning',
});
const { analysePython, hoverAt, formatHover, samplingActions } = createRequire(import.meta.url)(out);
const t = (m, ...a) => m.replace(/\{(\d+)\}/g, (x, i) => (i < a.length ? String(a[i]) : x));

/** Small deterministic PRNG so runs compare. */
function rng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let x = Math.imul(a ^ (a >>> 15), a | 1);
		x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
		return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
	};
}

function quantiles(samples) {
	const s = Float64Array.from(samples).sort();
	const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
	return { n: s.length, p50: q(0.5), p99: q(0.99), max: s[s.length - 1] };
}

/** A 5,000-line file: the chapter-4 script, softmax helpers, classes, docstrings and comments, repeated with variations. */
function generateFile(lines) {
	const block = (k) => [
		`# ---- section ${k}: keepdims, np.random.choice and epoch appear in this comment ----`,
		`def softmax_${k}(x):`,
		`    """Softmax ${k}: uses keepdims=True so that (100, 1) broadcasts."""`,
		`    x = x - np.max(x, axis=-1, keepdims=True)`,
		`    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)`,
		``,
		`scores_${k} = np.random.randn(${k % 50 + 2}, 10)`,
		`col_${k} = scores_${k}.max(axis=0)`,
		`row_${k} = np.sum(scores_${k}, axis=1, keepdims=True)`,
		`label_${k} = "np.random.choice(train_size, batch_size) in a string"`,
		`config_${k} = {'lr': 0.1, 'batch': [1, 2, 3], 'name': f"run{${k}}"}`,
		`value_${k} = (1 + 2) * \\`,
		`    3`,
		``,
		`class Model${k}:`,
		`    def forward(self, x):`,
		`        a = np.dot(x, self.W) + self.b`,
		`        return softmax_${k}(a)`,
		``,
	];
	const header = [
		'import sys, os',
		'import numpy as np',
		'(x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=True)',
		'iters_num = 10000',
		'train_size = x_train.shape[0]',
		'batch_size = 100',
		'learning_rate = 0.1',
		'iter_per_epoch = max(train_size / batch_size, 1)',
		'',
	];
	const loop = [
		'for i in range(iters_num):',
		'    batch_mask = np.random.choice(train_size, batch_size)',
		'    x_batch = x_train[batch_mask]',
		'    t_batch = t_train[batch_mask]',
		'    grad = network.gradient(x_batch, t_batch)',
		'    for key in (\'W1\', \'b1\', \'W2\', \'b2\'):',
		'        network.params[key] -= learning_rate * grad[key]',
		'    if i % iter_per_epoch == 0:',
		'        print(i, network.accuracy(x_test, t_test))',
		'',
	];
	const out = [...header];
	let k = 0;
	while (out.length < lines - loop.length) {
		out.push(...block(k++));
		if (out.length > lines / 2 && !out.includes(loop[0])) out.push(...loop);
	}
	return out.slice(0, lines).join('\n') + '\n';
}

/** The same size in the styles learners write: tuple settings, imported samplers, an epoch loop over slices, batched inference. */
function generateLearnerFile(lines) {
	const block = (k) => [
		`# ---- part ${k}: epochs, slices and batch processing mentioned in a comment ----`,
		`def evaluate_${k}(net, x, t, batch_size=100):`,
		`    correct = 0`,
		`    for i in range(0, len(x), batch_size):`,
		`        x_batch = x[i:i + batch_size]`,
		`        y = net.predict(x_batch)`,
		`        correct += np.sum(np.argmax(y, axis=1) == t[i:i + batch_size])`,
		`    return correct / len(x)`,
		``,
		`warmup_${k}, decay_${k} = ${k % 7}, 0.${k % 9 + 1}`,
		`sizes_${k} = hidden_${k} = (${k % 50 + 2}, 10)`,
		`scale_${k}: float = 1.0`,
		`scale_${k} *= 2`,
		``,
	];
	const header = [
		'import numpy as np',
		'from numpy.random import choice, shuffle as shuffle_in_place, default_rng',
		'(x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=True)',
		'epochs, train_size, batch_size = 20, 60000, 200',
		'iter_per_epoch = train_size // batch_size',
		'learning_rate: float = 0.1',
		'rng = default_rng(0)',
		'',
	];
	const loop = [
		'for epoch in range(epochs):',
		'    perm = rng.permutation(train_size)',
		'    for it in range(iter_per_epoch):',
		'        batch_mask = perm[it * batch_size:(it + 1) * batch_size]',
		'        grad = network.gradient(x_train[batch_mask], t_train[batch_mask])',
		'        for key in (\'W1\', \'b1\', \'W2\', \'b2\'):',
		'            network.params[key] -= learning_rate * grad[key]',
		'    print(epoch, network.accuracy(x_test, t_test))',
		'',
	];
	const out = [...header];
	let k = 0;
	while (out.length < lines - loop.length) {
		out.push(...block(k++));
		if (out.length > lines / 2 && !out.includes(loop[0])) out.push(...loop);
	}
	return out.slice(0, lines).join('\n') + '\n';
}

function timeHovers(text, model, offsets) {
	const samples = [];
	let explained = 0;
	for (const off of offsets) {
		const t0 = performance.now();
		const info = hoverAt(model, text, off);
		if (info) {
			formatHover(info, t, { documentUri: 'file:///bench.py', documentVersion: 1 });
			explained++;
		}
		samples.push(performance.now() - t0);
	}
	return { ...quantiles(samples), explained };
}

const interestingWords = /\b(keepdims|axis|choice|batch_size|train_size|iters_num|iter_per_epoch|batch_mask|x_batch|i|it|epoch|epochs|permutation|shuffle)\b/g;

function interestingOffsets(text, limit) {
	const offs = [];
	for (const m of text.matchAll(interestingWords)) {
		offs.push(m.index + 1);
		if (offs.length >= limit) break;
	}
	return offs;
}

const results = { loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))), cores: os.cpus().length };

/**
 * Wall and CPU time of fn (CPU time is the fairer number on a busy shared machine), and the minor page faults it
 * caused: touching fresh memory is a large part of analysing a 1 MB file, and on some VMs each fault is expensive.
 */
function timed(fn) {
	const f0 = process.resourceUsage().minorPageFault;
	const c0 = process.cpuUsage();
	const t0 = performance.now();
	const value = fn();
	const wall = performance.now() - t0;
	const c = process.cpuUsage(c0);
	return { value, wall, cpu: (c.user + c.system) / 1000, faults: process.resourceUsage().minorPageFault - f0 };
}

const median = (xs) => {
	const s = [...xs].sort((x, y) => x - y);
	return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// A running extension host has analysed documents before: warm the JIT up on small files first
// (ordinary code, and 20 KB versions of the hard shapes below, so every lexer path has type feedback).
const MB = 1 << 20;
// A document's text arrives as one flat string (the editor joins its lines); a string built with + is a rope that the
// first analysis would flatten, a copy that is not the analyser's cost. JSON round-tripping returns a flat copy.
const flat = (s) => JSON.parse(JSON.stringify(s));
const fill = (size, unit, prefix = '', suffix = '') =>
	flat(prefix + unit.repeat(Math.ceil((size - prefix.length - suffix.length) / unit.length)).slice(0, size - prefix.length - suffix.length) + suffix);
const g = rng(7);
// No '#' (the rest of the line would be one comment) and no newline: a single line of token soup.
const SOUP = 'ab_=(),[]{}:;.%/*"\'\\ 019keepdims';
const garbage = (size) => Array.from({ length: size }, () => SOUP[Math.floor(g() * SOUP.length)]).join('');
const hardShapes = (size) => ({
	'reductions joined by +': fill(size, 'np.sum(a, axis=1, keepdims=True) + ', 'x = ', '0'),
	'one call, 100k+ args, keepdims last': fill(size, 'a, ', 'y = np.sum(x, ', 'axis=1, keepdims=True)'),
	'nesting 1M deep': fill(size, '(', 'y = ', ''),
	'np.sum( nested, keepdims at the end': fill(size, 'np.sum(', 'y = ', 'x, axis=1, keepdims=True)'),
	'statements joined by ;': fill(size, 'batch_mask = np.random.choice(train_size, batch_size); ', 'iters_num = 10; ', ''),
	'one long attribute chain': fill(size, '.b', 'a', '.sum(axis=0, keepdims=True)'),
	'unterminated string': fill(size, 'x', 's = "np.random.choice(', ''),
	'random garbage': garbage(size),
});
{
	const warm = [generateFile(200), generateLearnerFile(200), ...Object.values(hardShapes(20000))];
	for (let k = 0; k < 40; k++) {
		for (const w of warm) {
			const m = analysePython(w);
			for (let j = 0; j < w.length; j += 97) {
				const info = hoverAt(m, w, j);
				if (info) formatHover(info, t, { documentUri: 'file:///warm.py' });
			}
		}
	}
}

// ---- 1. 5,000-line files: the book's layout, and the same size written the way learners write it ----
for (const [key, text, words] of [
	['file5000', generateFile(5000), ['iters_num = ', 'keepdims=True', 'choice(', 'i % iter']],
	['learnerFile5000', generateLearnerFile(5000), ['epochs, ', 'axis=1', 'permutation(', 'it * batch', 'x_batch = ', 'i in range']],
]) {
	const first = timed(() => analysePython(text));
	let model = first.value;
	const again = [];
	const againCpu = [];
	for (let k = 0; k < 20; k++) {
		const r = timed(() => analysePython(text));
		model = r.value;
		again.push(r.wall);
		againCpu.push(r.cpu);
	}
	// The first hover of each kind fills the lazy caches (training setup, quick-fix plan); report it apart.
	const firsts = [];
	for (const word of words) {
		const a = performance.now();
		const info = hoverAt(model, text, text.indexOf(word) + 1);
		if (info) formatHover(info, t, { documentUri: 'file:///bench.py' });
		firsts.push(performance.now() - a);
	}
	const r = rng(1);
	const random = Array.from({ length: HOVERS }, () => Math.floor(r() * text.length));
	const targeted = interestingOffsets(text, HOVERS);
	results[key] = {
		lines: text.split('\n').length - 1,
		bytes: text.length,
		firstAnalysisMs: { wall: first.wall, cpu: first.cpu },
		analysisMs: quantiles(again),
		analysisCpuMs: quantiles(againCpu),
		firstHoverOfEachKindMs: Math.max(...firsts),
		randomOffsets: timeHovers(text, model, random),
		onExplainedWords: timeHovers(text, model, targeted),
		codeActionsOnceMs: (() => {
			const a = performance.now();
			samplingActions(model);
			return performance.now() - a;
		})(),
	};
}

// ---- 2. 1 MB single-line worst cases: the first analysis of each, its slowest hover, then REPS more analyses ----
results.singleLine1MB = {};
for (const [name, text] of Object.entries(hardShapes(MB))) {
	const first = timed(() => analysePython(text));
	const model = first.value;
	const r = rng(3);
	const offsets = [0, 1, text.length - 1, text.length, text.lastIndexOf('keepdims') + 1, text.lastIndexOf('choice') + 1, text.indexOf('choice') + 1, text.indexOf('axis') + 1];
	for (let k = 0; k < 200; k++) offsets.push(Math.floor(r() * text.length));
	const hovers = timeHovers(text, model, offsets);
	const again = Array.from({ length: REPS }, () => timed(() => analysePython(text)));
	const wall = again.map((x) => x.wall);
	results.singleLine1MB[name] = {
		tokens: model.tokens.count,
		firstMs: { wall: first.wall, cpu: first.cpu },
		// On a shared, loaded machine the minimum is the best estimate of the intrinsic cost; the median shows contention.
		repeatMs: { min: Math.min(...wall), median: median(wall), cpuMedian: median(again.map((x) => x.cpu)) },
		pageFaultsMedian: median(again.map((x) => x.faults)),
		maxHoverMs: hovers.max,
		explained: hovers.explained,
		// What the goal (≤ 50 ms) is about: an analysis plus the slowest hover on it.
		worstMs: median(wall) + hovers.max,
	};
}

if (process.argv.includes('--json')) console.log(JSON.stringify(results, null, 2));
else {
	const f = (x) => x.toFixed(3);
	console.log(`load average ${results.loadAverage.join(' ')} on ${results.cores} cores (wall times inflate under load; CPU times less so)`);
	for (const [key, title] of [['file5000', "5,000-line file, the book's layout"], ['learnerFile5000', '5,000-line file, learner style (epoch loop, tuples, imports, inference)']]) {
		const a = results[key];
		console.log(`${title} (${a.bytes.toLocaleString('en-US')} chars)`);
		console.log(`  first analysis ${f(a.firstAnalysisMs.wall)} ms wall / ${f(a.firstAnalysisMs.cpu)} ms CPU; repeated: p50 ${f(a.analysisMs.p50)} ms wall, ${f(a.analysisCpuMs.p50)} ms CPU; max ${f(a.analysisMs.max)} ms wall`);
		console.log(`  first hover of each kind (fills caches): max ${f(a.firstHoverOfEachKindMs)} ms; all code actions once: ${f(a.codeActionsOnceMs)} ms`);
		for (const key of ['randomOffsets', 'onExplainedWords']) {
			const q = a[key];
			console.log(`  ${key}: n=${q.n} (${q.explained} explained) p50 ${f(q.p50)} ms, p99 ${f(q.p99)} ms, max ${f(q.max)} ms`);
		}
	}
	console.log(`1 MB single line: first analysis, ${REPS} more (min / median wall, median CPU, median page faults), slowest of 208 hovers`);
	for (const [name, q] of Object.entries(results.singleLine1MB)) {
		console.log(
			`  ${name.padEnd(36)} ${String(q.tokens).padStart(8)} tokens: first ${f(q.firstMs.wall).padStart(8)} ms (${f(q.firstMs.cpu).padStart(8)} CPU), repeat min ${f(q.repeatMs.min).padStart(7)} / median ${f(q.repeatMs.median).padStart(7)} ms (${f(q.repeatMs.cpuMedian).padStart(7)} CPU, ${String(q.pageFaultsMedian).padStart(5)} faults), hover max ${f(q.maxHoverMs).padStart(6)} ms`,
		);
	}
	const [worstName, worst] = Object.entries(results.singleLine1MB).reduce((a, b) => (b[1].worstMs > a[1].worstMs ? b : a));
	console.log(`  worst: ${worstName}, median analysis + slowest hover ${f(worst.worstMs)} ms (goal ≤ 50 ms)`);
}
