// One measurement per process, driven by bench/bench.mjs (bundled to bench/out/speed-runner.cjs):
//   node speed-runner.cjs '<json task>'  →  one JSON line on stdout.
// A fresh process per measurement keeps peak RSS and JIT state honest.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadMnistFolder } from '../src/core/dataset';
import { nodeIo } from '../src/platform/node';
import { nodeWasm } from '../src/platform/nodeKernel';
import { pickKernel, withEncodedImages, type KernelPreference } from '../src/core/fastKernel';
import { gradientCheck, gradientCheckStart } from '../src/core/gradientCheck';
import type { KernelFactory } from '../src/core/kernel';
import type { SamplerId } from '../src/core/samplers';
import { BOOK_DEFAULTS } from '../src/core/settings';
import { trainRun } from '../src/core/train';
import { profile, type ProfileTask } from './profile';

export type Task =
	| { kind: 'run'; dataDir: string; kernel: KernelPreference; iters: number; sampler: SamplerId; seed: number }
	| { kind: 'gradcheck'; dataDir: string; mode: 'partial' | 'full'; seed: number; maxSeconds?: number }
	| { kind: 'cli'; args: string[] }
	| ProfileTask;

const rssMB = () => process.resourceUsage().maxRSS / 1024;

/**
 * The book's run with the chosen kernel, timing steps and evaluations apart. The data is prepared as a comparison's
 * worker has it (decoded into shared memory, encoded once for wasm); like NumPy's `seconds`, the run's time leaves the
 * loading out and counts everything from the seed on.
 */
async function run(task: Extract<Task, { kind: 'run' }>) {
	const t0 = performance.now();
	const choice = pickKernel(task.kernel, { wasm: nodeWasm() });
	const raw = await loadMnistFolder(nodeIo, task.dataDir, { shared: true });
	const loadSeconds = (performance.now() - t0) / 1000;
	const c0 = performance.now();
	const data = withEncodedImages(raw, choice);
	const encodeSeconds = (performance.now() - c0) / 1000;
	let stepMs = 0;
	let evalMs = 0;
	let createMs = 0;
	const timed: KernelFactory = (d, init, hidden) => {
		const c0 = performance.now();
		const k = choice.factory(d, init, hidden);
		createMs = performance.now() - c0;
		return {
			name: k.name,
			step(indices, len, lr) {
				const a = performance.now();
				const loss = k.step(indices, len, lr);
				stepMs += performance.now() - a;
				return loss;
			},
			accuracy(which) {
				const a = performance.now();
				const acc = k.accuracy(which);
				evalMs += performance.now() - a;
				return acc;
			},
			params: () => k.params(),
		};
	};
	const cpu0 = process.cpuUsage();
	const r = trainRun({ settings: { ...BOOK_DEFAULTS, iters: task.iters, seed: task.seed }, data, sampler: task.sampler, kernel: timed });
	const cpu = process.cpuUsage(cpu0);
	const last = r.evals.at(-1);
	return {
		kernel: r.kernel,
		fallbackReason: choice.fallbackReason,
		iters: r.losses.length,
		seconds: r.seconds,
		cpuSeconds: (cpu.user + cpu.system) / 1e6,
		loadSeconds,
		encodeSeconds,
		createSeconds: createMs / 1000,
		trainSeconds: stepMs / 1000,
		evalSeconds: evalMs / 1000,
		evals: r.evals.length,
		msPerIter: stepMs / r.losses.length,
		secondsPerEval: r.evals.length ? evalMs / 1000 / r.evals.length : null,
		finalLoss: r.losses.at(-1),
		trainAcc: last?.trainAcc,
		testAcc: last?.testAcc,
		maxRssMB: rssMB(),
	};
}

/** numpy_reference.py --gradcheck's batch: the first np.random.choice after the seed, at the initial weights. */
async function gradcheck(task: Extract<Task, { kind: 'gradcheck' }>) {
	const data = await loadMnistFolder(nodeIo, task.dataDir);
	const { batch, params } = gradientCheckStart(data, task.seed, BOOK_DEFAULTS.hidden, BOOK_DEFAULTS.batchSize);
	const started = performance.now();
	const stopAt = task.maxSeconds === undefined ? Infinity : started + task.maxSeconds * 1000;
	const r = gradientCheck(batch, params, { mode: task.mode, wasm: nodeWasm(), shouldStop: () => performance.now() > stopAt });
	const n = r.numerical;
	return {
		engine: n.engine,
		mode: task.mode,
		params: n.total,
		done: n.done,
		measuredSeconds: n.seconds,
		numericalSeconds: (n.seconds * n.total) / n.done,
		extrapolated: n.done < n.total,
		backpropSeconds: r.backpropSeconds,
		maxRelErr: r.maxRelErr,
		maxRssMB: rssMB(),
	};
}

/**
 * The CLI itself, in this process (so its peak RSS, workers included, is this process's), its output captured: the
 * whole command's wall time as a user waits for it.
 */
async function cli(task: Extract<Task, { kind: 'cli' }>) {
	// The built CLI, loaded at run time (not bundled in): what `node dist/cli.js` runs.
	const { main } = createRequire(__filename)(join(__dirname, '..', '..', 'dist', 'cli.js')) as { main(argv: string[]): Promise<number> };
	let out = '';
	const write = process.stdout.write.bind(process.stdout);
	const writeErr = process.stderr.write.bind(process.stderr);
	process.stdout.write = ((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof process.stdout.write;
	process.stderr.write = (() => true) as typeof process.stderr.write;
	const t0 = performance.now();
	const cpu0 = process.cpuUsage();
	let code: number;
	try {
		code = await main(task.args);
	} finally {
		process.stdout.write = write;
		process.stderr.write = writeErr;
	}
	const wallSeconds = (performance.now() - t0) / 1000;
	const cpu = process.cpuUsage(cpu0);
	const json = task.args.includes('--json') ? (JSON.parse(out) as { runs: { sampler: string; seed: number; kernel?: string; summary?: { finalTrainAcc: number; finalTestAcc: number; seconds: number } }[] }) : undefined;
	return {
		code,
		wallSeconds,
		/** CPU seconds of every thread of the process: the host and its workers. */
		cpuSeconds: (cpu.user + cpu.system) / 1e6,
		maxRssMB: rssMB(),
		runs: json?.runs.map((r) => ({ sampler: r.sampler, seed: r.seed, kernel: r.kernel, seconds: r.summary?.seconds, trainAcc: r.summary?.finalTrainAcc, testAcc: r.summary?.finalTestAcc })),
	};
}

async function main(): Promise<void> {
	const task = JSON.parse(process.argv[2] ?? '{}') as Task;
	if ('dataDir' in task && !existsSync(task.dataDir)) throw new Error(`no MNIST at ${task.dataDir}`);
	const out = task.kind === 'run' ? await run(task) : task.kind === 'gradcheck' ? await gradcheck(task) : task.kind === 'profile' ? await profile(task) : await cli(task);
	process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e: unknown) => {
	console.error(e instanceof Error ? e.stack : String(e));
	process.exit(1);
});
