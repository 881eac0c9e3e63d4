// One measurement per process, driven by bench/bench.mjs (bundled to bench/out/speed-runner.cjs):
//   node speed-runner.cjs '<json task>'  →  one JSON line on stdout.
// A fresh process per measurement keeps peak RSS and JIT state honest, like a training worker.
import { existsSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { loadMnistFolder } from '../src/core/dataset';
import { nodeIo } from '../src/platform/node';
import { pickKernel, type KernelPreference } from '../src/core/fastKernel';
import { gradientCheck, gradientCheckStart } from '../src/core/gradientCheck';
import type { KernelFactory } from '../src/core/kernel';
import type { SamplerId } from '../src/core/samplers';
import { BOOK_DEFAULTS } from '../src/core/settings';
import { trainRun } from '../src/core/train';

export type Task =
	| { kind: 'run'; dataDir: string; kernel: KernelPreference; iters: number; sampler: SamplerId; seed: number }
	| { kind: 'gradcheck'; dataDir: string; mode: 'partial' | 'full'; seed: number; maxSeconds?: number }
	| { kind: 'parallel'; dataDir: string; kernel: KernelPreference; iters: number; seed: number };

const rssMB = () => process.resourceUsage().maxRSS / 1024;

/** The book's run with the chosen kernel, timing steps and evaluations apart. */
async function run(task: Extract<Task, { kind: 'run' }>) {
	const t0 = performance.now();
	const data = await loadMnistFolder(nodeIo, task.dataDir);
	const loadSeconds = (performance.now() - t0) / 1000;
	const choice = pickKernel(task.kernel);
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
	const r = gradientCheck(batch, params, { mode: task.mode, shouldStop: () => performance.now() > stopAt });
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

interface WorkerReply {
	wallSeconds: number;
	result: ReturnType<typeof run>;
}

function inWorker(task: Extract<Task, { kind: 'run' }>): Promise<WorkerReply> {
	return new Promise((resolve, reject) => {
		const t0 = performance.now();
		const w = new Worker(__filename, { workerData: task });
		w.once('message', (result: ReturnType<typeof run>) => resolve({ wallSeconds: (performance.now() - t0) / 1000, result }));
		w.once('error', reject);
	});
}

/** The default command's shape: each sampler in its own worker_thread, each worker loading MNIST itself. */
async function parallel(task: Extract<Task, { kind: 'parallel' }>) {
	const base = { kind: 'run' as const, dataDir: task.dataDir, kernel: task.kernel, iters: task.iters, seed: task.seed };
	const one = await inWorker({ ...base, sampler: 'replacement' });
	const t0 = performance.now();
	const two = await Promise.all([inWorker({ ...base, sampler: 'replacement' }), inWorker({ ...base, sampler: 'epoch-shuffle' })]);
	const twoWall = (performance.now() - t0) / 1000;
	return {
		kernel: one.result.kernel,
		oneWallSeconds: one.wallSeconds,
		twoWallSeconds: twoWall,
		/** Runs per second with two workers over runs per second with one. */
		speedup: (2 * one.wallSeconds) / twoWall,
		wallRatio: twoWall / one.wallSeconds,
		twoWorkerSeconds: two.map((t) => t.wallSeconds),
		maxRssMB: rssMB(),
	};
}

async function main(): Promise<void> {
	if (!isMainThread) {
		parentPort?.postMessage(await run(workerData as Extract<Task, { kind: 'run' }>));
		return;
	}
	const task = JSON.parse(process.argv[2] ?? '{}') as Task;
	if ('dataDir' in task && !existsSync(task.dataDir)) throw new Error(`no MNIST at ${task.dataDir}`);
	const out = task.kind === 'run' ? await run(task) : task.kind === 'gradcheck' ? await gradcheck(task) : await parallel(task);
	process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e: unknown) => {
	console.error(e instanceof Error ? e.stack : String(e));
	process.exit(1);
});
