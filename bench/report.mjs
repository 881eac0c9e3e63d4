// The summary bench/bench.mjs prints: the goals of the speed issue with their anchors, then the details.

export const GOALS = { runVsNumpy32: 0.3, comparisonVsNumpy32: 1.7, comparisonRssMB: 200 };

export const median = (xs) => {
	const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
	if (s.length === 0) return NaN;
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (x, d = 2) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '—');
const verdict = (ok) => (ok === undefined ? '' : ok ? 'met' : 'NOT met');

export function printReport(report) {
	const { wasm, numpy, comparisons, profile, reference: ref, referenceIters, gradcheck: grads, extension: ext, settings } = report;
	const lines = [];
	const row = (cells, first = 46) => lines.push(cells.map((c, i) => (i === 0 ? String(c).padEnd(first) : String(c).padStart(13))).join(''));
	const anchor = numpy.find((n) => n.dtype === 'float32');
	const np32 = anchor ? median(anchor.runs.map((r) => r.seconds)) : NaN;
	const wasmS = median(wasm.map((r) => r.seconds));
	const compS = median(comparisons.map((c) => c.wallSeconds));
	const rss = Math.max(...comparisons.map((c) => c.maxRssMB));

	lines.push('');
	lines.push(`Minibatch Lab speed benchmark — ${report.machine.cpus} × ${report.machine.cpu}, Node ${report.machine.node}`);
	lines.push(`before: ${report.machine.uptimeBefore}`);
	lines.push(`after:  ${report.machine.uptimeAfter}`);
	lines.push(`${settings.reps} rep(s), alternating; medians. The book's run: ${settings.iters.toLocaleString('en-US')} iterations, batch 100, full MNIST, ${wasm[0]?.evals} evaluations, one thread.`);
	lines.push('');
	lines.push('Goals (issue 12), against one NumPy float32 run measured in the same reps:');
	row(['', 'measured', 'anchor', 'ratio', 'goal', '']);
	const runRatio = wasmS / np32;
	const compRatio = compS / np32;
	row(['one book run (wasm) / NumPy float32', `${f(wasmS)} s`, `${f(np32)} s`, `${f(runRatio)}×`, `≤ ${GOALS.runVsNumpy32}×`, verdict(Number.isFinite(runRatio) ? runRatio <= GOALS.runVsNumpy32 : undefined)]);
	if (comparisons.length) {
		row(['default comparison (CLI) / NumPy float32', `${f(compS)} s`, `${f(np32)} s`, `${f(compRatio)}×`, `≤ ${GOALS.comparisonVsNumpy32}×`, verdict(Number.isFinite(compRatio) ? compRatio <= GOALS.comparisonVsNumpy32 : undefined)]);
		row(['peak RSS of the default comparison', `${f(rss, 0)} MB`, '', '', `≤ ${GOALS.comparisonRssMB} MB`, verdict(rss <= GOALS.comparisonRssMB)]);
		lines.push(`  default comparison: node dist/cli.js ${report.comparisonArgs.join(' ')} (10 runs, one worker per core), whole command, in-process: ${comparisons.map((c) => f(c.wallSeconds)).join(', ')} s`);
	}
	lines.push(`  load average (1 min) after each rep's wasm run: ${wasm.map((r) => r.load.split(' ')[0]).join(', ')}`);
	// CPU seconds do not stretch when other processes take the cores, so these ratios show what a quiet machine would.
	const np32cpu = anchor ? median(anchor.runs.map((r) => r.cpuSeconds)) : NaN;
	const wasmCpu = median(wasm.map((r) => r.cpuSeconds));
	const compCpu = median(comparisons.map((c) => c.cpuSeconds));
	lines.push(`  by CPU time instead (what a busy machine does not stretch): one run ${f(wasmCpu)} CPU s / NumPy float32 ${f(np32cpu)} CPU s = ${f(wasmCpu / np32cpu)}×${comparisons.length ? `; the comparison ${f(compCpu)} CPU s over ${report.machine.cpus} cores = ${f(compCpu / report.machine.cpus)} s, ${f(compCpu / report.machine.cpus / np32cpu)}× NumPy` : ''}`);
	lines.push('');

	lines.push('One book run (seed 0, with replacement), the run itself (loading the files left out on both sides):');
	row(['', 'ms/iter', 's/eval', 'run s', 'vs NumPy f32']);
	row([`wasm SIMD128 (${wasm[0]?.kernel})`, f(median(wasm.map((r) => r.msPerIter)), 3), f(median(wasm.map((r) => r.secondsPerEval)), 3), f(wasmS), `${f(runRatio)}×`]);
	for (const np of numpy) {
		const s = median(np.runs.map((r) => r.seconds));
		row([`NumPy ${np.info.numpy} ${np.dtype} + ${np.info.corename ?? np.info.blas}`, f(median(np.runs.map((r) => r.msPerIter)), 3), f(median(np.runs.map((r) => r.secondsPerEval)), 3), f(s), `${f(s / np32)}×`]);
	}
	row([`reference TypeScript (${referenceIters} iters)`, f(ref.msPerIter, 2), f(ref.secondsPerEval, 2), f(ref.msPerIter * 10 + ref.secondsPerEval * 17, 0) + '*', '']);
	lines.push(`  wasm runs: ${wasm.map((r) => f(r.seconds)).join(', ')} s; loading the idx files ${f(median(wasm.map((r) => r.loadSeconds)))} s and encoding them for wasm ${f(median(wasm.map((r) => r.encodeSeconds)))} s, not counted (NumPy's loading is not counted either)`);
	for (const np of numpy) lines.push(`  NumPy ${np.dtype} runs (${np.py}): ${np.runs.map((r) => f(r.seconds)).join(', ')} s; BLAS ${np.info.blas}, kernel ${np.info.corename ?? 'unknown'}`);
	lines.push('  * the reference\'s full run is extrapolated: 10,000 × ms/iter + 17 × s/eval.');
	const acc = (r) => `${f(r.trainAcc, 4)}/${f(r.testAcc, 4)}`;
	const npAcc = (n) => (n?.runs[0]?.evals?.length ? `${f(n.runs[0].evals.at(-1).trainAcc, 4)}/${f(n.runs[0].evals.at(-1).testAcc, 4)}` : '—');
	lines.push(`  final train/test accuracy: wasm ${wasm[0] ? acc(wasm[0]) : '—'}${numpy.map((n) => `, NumPy ${n.dtype} ${npAcc(n)}`).join('')}`);
	if (comparisons[0]?.runs) lines.push(`  default comparison, seed 0: ${comparisons[0].runs.filter((r) => r.seed === 0).map((r) => `${r.sampler} ${acc(r)}`).join(', ')}`);
	lines.push('');

	const s = profile.split;
	const total = profile.runSeconds;
	lines.push(`Where one run's time goes (the same run, each phase of a step timed apart; ${f(total)} s in all):`);
	const part = (name, v, note = '') => row([`  ${name}`, `${f(v, 3)} s`, total ? `${f((100 * v) / total, 1)}%` : '', note], 36);
	part('sampling (np.random.choice)', s.sampling);
	part('batch gather', s.gather);
	part('forward', s.forward);
	part('backward (gradients)', s.backward);
	part('update (W1 over nonzero pixels)', s.update);
	part('forward after the update (loss)', s.lossForward);
	part(`evaluation (${profile.evals} × 70,000)`, s.evaluation);
	part('other (loop, bookkeeping)', s.other);
	lines.push(`  outside the run: start-up ${f(s.startup)} s (node, the bundle, compiling the wasm), loading the files ${f(s.loadFiles)} s, data copy ${f(s.dataCopy)} s (encoding the images for wasm; once per comparison)`);
	const g = profile.gflop;
	lines.push(`  work: ${f(g.train + g.evaluation, 1)} GFLOP of sparse products (${f(g.train, 1)} training, ${f(g.evaluation, 1)} evaluation; ${(profile.nnz.train / 60000).toFixed(0)} nonzero pixels per training image on average)`);
	const peak = profile.simdPeakGflops;
	lines.push(`  achieved: ${f(profile.gflops.run, 1)} GFLOP/s over the run by the wall clock (training steps ${f(profile.gflops.train, 1)}, evaluation ${f(profile.gflops.evaluation, 1)}); the SIMD128 peak of this core measured beside it: ${f(peak.wall, 1)} GFLOP/s (multiply + add)`);
	const atPeak = (g.train + g.evaluation) / peak.cpu;
	lines.push(`  by CPU time (which a busy machine does not stretch): ${f(profile.gflops.runPerCpuSecond, 1)} GFLOP per CPU second against a peak of ${f(peak.cpu, 1)} → ${f((100 * profile.gflops.runPerCpuSecond) / peak.cpu, 0)}% of it; the run took ${f(profile.runCpuSeconds)} CPU s`);
	const np32cpuAnchor = anchor ? median(anchor.runs.map((r) => r.cpuSeconds)) : NaN;
	lines.push(`  the floor: these products at that peak, with nothing else, take ${f(atPeak)} s = ${f(atPeak / np32cpuAnchor)}× NumPy float32's ${f(np32cpuAnchor)} CPU s`);

	if (grads.length) {
		lines.push('');
		lines.push("The book's numerical gradient, all 39,760 parameters, one batch of 100 (seed 0):");
		row(['', 'seconds', 'backprop ms', 'max rel err']);
		for (const gr of grads) row([gr.label.slice(0, 45), f(gr.numericalSeconds) + (gr.extrapolated ? '*' : ''), f(gr.backpropSeconds * 1000, 2), gr.maxRelErr?.toExponential(1)]);
		lines.push('  * extrapolated from the parameters timed.');
	}
	if (ext) {
		lines.push('');
		lines.push(`dist/extension.js: ${(ext.bytes / 1024).toFixed(1)} KB${ext.minified ? ' (production build)' : ' (development build: npm run bench builds with --production)'} (activation time: node bench/activation.mjs)`);
	}
	lines.push('');
	lines.push(`bench: ${report.seconds.toFixed(0)} s`);
	console.log(lines.join('\n'));
}
