// The book's run split into where its time goes (npm run bench, through speed-runner.ts): the same loop as
// src/core/train.ts's trainRun, but each phase of a step is its own call, timed apart.
import { loadMnistFolder, type Dataset } from '../src/core/dataset';
import { nodeIo } from '../src/platform/node';
import { asWasmKernel, measureSimdPeak, pickKernel, withEncodedImages } from '../src/core/fastKernel';
import { nodeWasm } from '../src/platform/nodeKernel';
import { createSampler, type SamplerId } from '../src/core/samplers';
import { BOOK_DEFAULTS, iterPerEpoch } from '../src/core/settings';
import { seededStart } from '../src/core/train';

export interface ProfileTask {
	kind: 'profile';
	dataDir: string;
	iters: number;
	sampler: SamplerId;
	seed: number;
}

/** Nonzero pixels per image. */
function nonzeros(pixels: Uint8Array, count: number, size: number): Uint16Array {
	const out = new Uint16Array(count);
	for (let r = 0; r < count; r++) {
		let n = 0;
		for (let p = r * size, end = p + size; p < end; p++) if (pixels[p] !== 0) n++;
		out[r] = n;
	}
	return out;
}

/**
 * Floating-point operations the sparse kernel must do (a multiply and an add each count one): per image forward,
 * 2·nnz·H for x·W1 and 2·H·O for z1·W2; per image backward, 2·nnz·H for the W1 update plus 2·2·H·O for dW2 and dy·W2ᵀ.
 * The activations, softmax and the small vector updates are left out, as in the usual GEMM count.
 */
export function sparseFlops(nnz: number, images: number, hidden: number, classes: number, backward: boolean): number {
	const w2 = 2 * hidden * classes * images;
	return backward ? 2 * nnz * hidden + 2 * w2 : 2 * nnz * hidden + w2;
}

export async function profile(task: ProfileTask) {
	const bootMs = performance.now(); // since the process started: node and the bundle
	const t0 = performance.now();
	const data: Dataset = await loadMnistFolder(nodeIo, task.dataDir, { shared: true });
	const loadMs = performance.now() - t0;
	const t1 = performance.now();
	const choice = pickKernel('wasm', { wasm: nodeWasm() });
	const compileMs = performance.now() - t1;
	const t2 = performance.now();
	const encoded = withEncodedImages(data, choice);
	const copyMs = performance.now() - t2;

	const settings = { ...BOOK_DEFAULTS, iters: task.iters, seed: task.seed };
	const { hidden, batchSize, lr } = settings;
	const t3 = performance.now();
	const { rng, init } = seededStart(settings.seed, data.train.size, hidden, data.classes);
	const kernel = choice.factory(encoded, init, hidden);
	const initMs = performance.now() - t3;
	const wasm = asWasmKernel(kernel);
	if (!wasm) throw new Error('profile needs the wasm kernel');
	const phases = wasm.phases();
	const sampler = createSampler(task.sampler, data.train.count, batchSize, rng);
	const ipe = iterPerEpoch(data.train.count, batchSize);
	const idx = new Int32Array(batchSize);
	const nnzTrain = nonzeros(data.train.pixels, data.train.count, data.train.size);
	const nnzTestSum = nonzeros(data.test.pixels, data.test.count, data.test.size).reduce((a, b) => a + b, 0);
	const nnzTrainSum = nnzTrain.reduce((a, b) => a + b, 0);
	const ms = { sampling: 0, gather: 0, forward: 0, backward: 0, update: 0, loss: 0, evaluation: 0 };
	let flopsTrain = 0;
	let evals = 0;
	let loss = NaN;
	let trainAcc = NaN;
	let testAcc = NaN;
	const started = performance.now();
	const cpu0 = process.cpuUsage();
	for (let i = 0; i < task.iters; i++) {
		const a = performance.now();
		const len = sampler.next(idx);
		const b = performance.now();
		phases.gather(idx, len);
		const c = performance.now();
		phases.forward(len);
		const d = performance.now();
		phases.backward(len, lr);
		const e = performance.now();
		phases.update(len, lr);
		const f = performance.now();
		loss = phases.loss(len);
		const g = performance.now();
		ms.sampling += b - a;
		ms.gather += c - b;
		ms.forward += d - c;
		ms.backward += e - d;
		ms.update += f - e;
		ms.loss += g - f;
		let nnz = 0;
		for (let r = 0; r < len; r++) nnz += nnzTrain[idx[r]];
		flopsTrain += 2 * sparseFlops(nnz, len, hidden, data.classes, false) + sparseFlops(nnz, len, hidden, data.classes, true);
		if (i % ipe === 0) {
			trainAcc = kernel.accuracy('train');
			testAcc = kernel.accuracy('test');
			ms.evaluation += performance.now() - g;
			evals++;
		}
	}
	const runMs = performance.now() - started;
	const cpu = process.cpuUsage(cpu0);
	const cpuMs = (cpu.user + cpu.system) / 1000;
	const flopsEval = evals * sparseFlops(nnzTrainSum + nnzTestSum, data.train.count + data.test.count, hidden, data.classes, false);
	const peak = choice.module ? measureSimdPeak(choice.module) : { wall: NaN, cpu: NaN };
	const s = (x: number) => x / 1000;
	return {
		kernel: kernel.name,
		iters: task.iters,
		evals,
		/** Seconds of each part; `startup` is node and the bundle, the wasm compile and the network's set-up. */
		split: {
			startup: s(bootMs + compileMs + initMs),
			loadFiles: s(loadMs),
			dataCopy: s(copyMs),
			sampling: s(ms.sampling),
			gather: s(ms.gather),
			forward: s(ms.forward),
			backward: s(ms.backward),
			update: s(ms.update),
			lossForward: s(ms.loss),
			evaluation: s(ms.evaluation),
			other: s(runMs - Object.values(ms).reduce((x, y) => x + y, 0)),
		},
		runSeconds: s(runMs),
		/** CPU seconds of the run: what a busy machine does not stretch. */
		runCpuSeconds: s(cpuMs),
		gflop: { train: flopsTrain / 1e9, evaluation: flopsEval / 1e9 },
		gflops: { train: flopsTrain / (ms.forward + ms.backward + ms.update + ms.loss) / 1e6, evaluation: flopsEval / ms.evaluation / 1e6, run: (flopsTrain + flopsEval) / runMs / 1e6, runPerCpuSecond: (flopsTrain + flopsEval) / cpuMs / 1e6 },
		/** The best of a few short tries, by the wall clock and by CPU time. */
		simdPeakGflops: peak,
		nnz: { train: nnzTrainSum, test: nnzTestSum },
		finalLoss: loss,
		trainAcc,
		testAcc,
		maxRssMB: process.resourceUsage().maxRSS / 1024,
	};
}
