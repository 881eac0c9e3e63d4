import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pickKernel } from '../../src/core/fastKernel';
import { nodeWasm } from '../../src/platform/nodeKernel';
import { nodeWorkers } from '../../src/platform/nodeWorkers';
import { trainRun } from '../../src/core/train';
import { Comparison, liveWorkers, takePeakLiveWorkers } from '../../src/runner/comparison';
import { armFault, FAULT_ITER, takeFault, type FaultKind } from '../../src/runner/faults';
import type { WorkerMessage } from '../../src/shared/protocol';
import * as dataset from '../../src/core/dataset';
import { io, loadMnistFolder } from '../support/nodeData';
import { syntheticDataset, writeMnistFolder } from '../support/synthetic';
import { waitFor, within } from '../support/wait';

const workerPath = join(__dirname, '..', '..', 'trainWorker.js');
const workers = nodeWorkers({ train: workerPath });
const dir = writeMnistFolder(syntheticDataset(600, 200, 6, 2));
const settings = { iters: 130, batchSize: 10, lr: 2, hidden: 8, seed: 3 };
/** How long a small comparison may take on 2 busy cores before the test fails, saying what it waited for. */
const RUN_LIMIT_MS = 120_000;
const finished = (c: Comparison) => within('the comparison to finish', c.run(), RUN_LIMIT_MS);

/** Every iteration's loss per run, from the stream: the pool itself keeps none (the extension host's one copy is its history). */
function lossCollector() {
	const by = new Map<string, number[]>();
	return {
		collect(m: WorkerMessage) {
			if (m.type !== 'loss') return;
			const list = by.get(m.runKey) ?? by.set(m.runKey, []).get(m.runKey)!;
			m.losses.forEach((v, i) => (list[m.fromIter + i] = v));
		},
		get: (o: { sampler: string; seed: number }) => by.get(`${o.sampler}@${o.seed}`),
	};
}

describe('comparison in worker threads', () => {
	it('runs each sampler in its own worker and leaves none behind', async () => {
		const seen: Record<string, WorkerMessage['type'][]> = {};
		const c = new Comparison({ workers, dataDir: dir, settings, samplers: ['replacement', 'epoch-shuffle'], onMessage: (s, m) => (seen[s] ??= []).push(m.type) });
		const out = await finished(c);
		assert.deepEqual(out.map((o) => o.sampler), ['replacement', 'epoch-shuffle']);
		for (const o of out) {
			assert.equal(o.failure, undefined);
			assert.ok(o.summary && o.summary.finalTestAcc > 0.5, `${o.sampler} test accuracy ${o.summary?.finalTestAcc}`);
		}
		assert.equal(out[1].summary?.meanCoverage, 1);
		assert.deepEqual(seen.replacement.filter((t) => t === 'eval').length, 3);
		assert.equal(seen.replacement[0], 'loaded');
		assert.equal(seen.replacement.at(-1), 'done');
		assert.equal(liveWorkers(), 0);
	});

	it('runs every (seed, sampler) pair, each sampler from its seed\'s weights, and tags outcomes and messages with the seed', async () => {
		const doneBy = new Map<string, number>();
		const lossesOf = lossCollector();
		const c = new Comparison({
			workers,
			dataDir: dir,
			settings: { ...settings, iters: 40 },
			samplers: ['replacement', 'epoch-shuffle'],
			seeds: [5, 6, 7],
			parallel: 2,
			onMessage: (s, m, seed) => {
				if (m.type === 'done') doneBy.set(`${s}@${seed}`, m.summary.seed);
				lossesOf.collect(m);
			},
		});
		const out = await finished(c);
		assert.deepEqual(
			out.map((o) => `${o.sampler}@${o.seed}`),
			['replacement@5', 'epoch-shuffle@5', 'replacement@6', 'epoch-shuffle@6', 'replacement@7', 'epoch-shuffle@7'],
		);
		for (const o of out) {
			assert.equal(o.failure, undefined);
			assert.equal(o.summary?.seed, o.seed, 'the worker trained with the outcome\'s seed');
			assert.equal(doneBy.get(`${o.sampler}@${o.seed}`), o.seed);
		}
		// Each worker trained exactly the in-process run with settings.seed replaced by its seed (hence seededStart(seed)'s weights).
		const data = await loadMnistFolder(dir);
		for (const o of [out[3], out[4]]) {
			const ref = trainRun({ settings: { ...settings, iters: 40, seed: o.seed }, data, sampler: o.sampler, kernel: pickKernel('auto', { wasm: nodeWasm() }).factory });
			assert.deepEqual(lossesOf.get(o), [...ref.losses], `${o.sampler}@${o.seed}`);
		}
		assert.notDeepEqual(lossesOf.get(out[0]), lossesOf.get(out[2]), 'different seeds train differently');
		assert.equal(liveWorkers(), 0);
		// The pool keeps no per-iteration loss array of its own: at the settings' limits that copy alone was gigabytes.
		for (const o of out) assert.equal('losses' in o, false);
	});

	it('defaults to the settings\' seed', async () => {
		const c = new Comparison({ workers, dataDir: dir, settings: { ...settings, iters: 5 }, samplers: ['sequential'], onMessage: () => undefined });
		const [o] = await finished(c);
		assert.equal(o.seed, settings.seed);
		assert.equal(o.summary?.seed, settings.seed);
	});

	it('cancel mid-run: every worker exits, none starts after it, and every run says cancelled', async () => {
		const events: string[] = [];
		const training = new Set<string>();
		const c = new Comparison({
			workers,
			dataDir: dir,
			settings: { ...settings, iters: 10_000_000, batchSize: 100 },
			samplers: ['replacement', 'epoch-shuffle', 'sequential'],
			parallel: 2,
			onMessage: (s, m) => {
				events.push(`${m.type} ${s}`);
				if (m.type === 'loss') training.add(s);
			},
		});
		const running = c.run();
		await waitFor('two workers training', () => training.size >= 2, RUN_LIMIT_MS);
		assert.equal(liveWorkers(), 2);
		events.push('cancel');
		c.cancel();
		// The event itself: run() settles once every worker has exited. A generous limit, and no clock in the assertions.
		const out = await within('every worker to exit after the cancel', running, RUN_LIMIT_MS);
		assert.equal(liveWorkers(), 0);
		assert.deepEqual(
			out.map((o) => [o.sampler, o.cancelled]),
			[
				['replacement', true],
				['epoch-shuffle', true],
				['sequential', true],
			],
		);
		const after = events.slice(events.indexOf('cancel') + 1);
		assert.deepEqual(after.filter((e) => e.startsWith('loaded ')), [], 'no worker started after the cancel');
		assert.ok(!events.some((e) => e.endsWith(' sequential')), 'the third run, waiting for a free lane, never started');
	});

	it('marks a run failed with a reason that names the file, and still reports the others', async () => {
		const bad = writeMnistFolder(syntheticDataset(50, 20, 6, 2));
		writeFileSync(join(bad, 'train-images-idx3-ubyte.gz'), 'oops');
		const c = new Comparison({ workers, dataDir: bad, settings: { ...settings, batchSize: 5 }, samplers: ['replacement'], onMessage: () => undefined });
		const [o] = await finished(c);
		assert.match(o.failure ?? '', /train-images-idx3-ubyte\.gz: is named \.gz but is not gzip/);
		assert.equal(liveWorkers(), 0);
		rmSync(bad, { recursive: true });
	});

	// The faults the in-host tests inject (test/host/faults.test.ts), here without the editor around them.
	const faults: [FaultKind, RegExp][] = [
		['throw', new RegExp(`^injected fault at iteration ${FAULT_ITER}$`)],
		['oom', /^the worker ran out of memory$/],
		['kill', /^the worker stopped unexpectedly \(exit code 1\)$/],
	];
	for (const [kind, reason] of faults) {
		it(`a worker that faults (${kind}) mid-run fails with its reason; the other sampler still reports; no worker is left`, async () => {
			assert.equal(liveWorkers(), 0);
			takePeakLiveWorkers();
			const losses = new Map<string, number>();
			const c = new Comparison({
				workers,
				dataDir: dir,
				settings: { ...settings, iters: 200 },
				samplers: ['replacement', 'epoch-shuffle'],
				parallel: 2,
				fault: { sampler: 'replacement', kind },
				onMessage: (s, m) => {
					if (m.type === 'loss') losses.set(s, (losses.get(s) ?? 0) + m.losses.length);
				},
			});
			const [bad, good] = await finished(c);
			assert.match(bad.failure ?? '', reason);
			assert.equal(bad.summary, undefined);
			assert.ok((losses.get('replacement') ?? 0) > 0, 'the faulty worker trained before it failed');
			assert.equal(good.failure, undefined);
			assert.ok(good.summary && good.summary.finalTestAcc > 0.5, `epoch-shuffle test accuracy ${good.summary?.finalTestAcc}`);
			assert.equal(liveWorkers(), 0);
			assert.ok(takePeakLiveWorkers() <= 2);
		});
	}

	it('runs many runs on one worker per lane, decoding the dataset once for all of them', async () => {
		takePeakLiveWorkers();
		const lossesOf = lossCollector();
		const c = new Comparison({ workers, dataDir: dir, settings: { ...settings, iters: 30 }, samplers: ['replacement', 'epoch-shuffle', 'sequential'], seeds: [1, 2, 3], parallel: 2, onMessage: (_s, m) => lossesOf.collect(m) });
		const out = await c.run();
		assert.equal(out.length, 9);
		for (const o of out) assert.equal(o.failure, undefined, `${o.sampler}@${o.seed}`);
		assert.deepEqual(c.counts, { workers: 2, decodes: 1 });
		assert.equal(takePeakLiveWorkers(), 2);
		assert.equal(liveWorkers(), 0);
		// A dataset decoded beforehand into shared memory (as the CLI does) is not decoded again, and trains the same.
		const data = await dataset.loadMnistFolder(io, dir, { shared: true });
		const againLosses = lossCollector();
		const given = new Comparison({ workers, dataDir: dir, data, settings: { ...settings, iters: 30 }, samplers: ['replacement'], seeds: [2], parallel: 2, onMessage: (_s, m) => againLosses.collect(m) });
		const [again] = await given.run();
		assert.equal(given.counts.decodes, 0);
		assert.deepEqual(againLosses.get(again), lossesOf.get(out[3]));
	});

	for (const kind of ['oom', 'kill'] as const) {
		it(`a lane whose worker dies (${kind}) starts a new one for its next runs, which still report`, async () => {
			takePeakLiveWorkers();
			const c = new Comparison({
				workers,
				dataDir: dir,
				settings: { ...settings, iters: 200 },
				samplers: ['replacement', 'epoch-shuffle'],
				seeds: [1, 2],
				parallel: 1,
				fault: { sampler: 'replacement', kind },
				onMessage: () => undefined,
			});
			const out = await c.run();
			assert.deepEqual(out.map((o) => [o.sampler, o.failure !== undefined]), [['replacement', true], ['epoch-shuffle', false], ['replacement', true], ['epoch-shuffle', false]]);
			for (const o of out.filter((x) => x.sampler === 'epoch-shuffle')) assert.ok(o.summary && o.summary.finalTestAcc > 0.5, `${o.seed}: ${o.summary?.finalTestAcc}`);
			assert.equal(c.counts.decodes, 1, 'the shared dataset outlives the worker that decoded it');
			assert.equal(takePeakLiveWorkers(), 1);
			assert.equal(liveWorkers(), 0);
		});
	}

	it('the fault hook takes only a known sampler and kind, and a run takes an armed fault once', () => {
		for (const bad of [null, 'oom', {}, { sampler: 'replacement' }, { sampler: 'nope', kind: 'oom' }, { sampler: 'replacement', kind: 'segfault' }]) {
			assert.throws(() => armFault(bad), TypeError, JSON.stringify(bad));
		}
		assert.equal(takeFault(), undefined);
		armFault({ sampler: 'sequential', kind: 'kill' });
		armFault(undefined);
		assert.equal(takeFault(), undefined, 'undefined disarms');
		armFault({ sampler: 'sequential', kind: 'kill' });
		new Comparison({ workers, dataDir: dir, settings, samplers: ['sequential'], onMessage: () => undefined });
		assert.equal(takeFault(), undefined, 'the comparison took it');
	});
});
