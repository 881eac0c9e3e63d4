import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { apply, emptyModel, noChanges } from '../../media/model';
import { resultsFromHistory } from '../../src/extension/exportText';
import { RunHistory, type HistoryStore } from '../../src/extension/history';
import { historyFileText, readHistoryFile, HISTORY_VERSION } from '../../src/shared/historyFile';
import type { RunInfo, RunMessage, RunSummary, SamplerId, ToWebview } from '../../src/shared/protocol';
import { foldAll, runKey, seedRuns } from '../../src/shared/runFold';

const info: RunInfo = {
	id: 3,
	settings: { iters: 120, batchSize: 100, lr: 0.1, hidden: 50, seed: 4 },
	samplers: ['replacement', 'epoch-shuffle'],
	seeds: [4, 5],
	dataset: 'MNIST (bundled)',
	datasetOrigin: 'bundled',
	startedAt: '2025-06-01T09:59:00.000Z',
	lossStride: 1,
};

const summary = (sampler: SamplerId, seed: number, acc: number): RunSummary => ({
	sampler,
	seed,
	kernel: 'reference',
	finalTrainAcc: acc,
	finalTestAcc: acc,
	bestTestAcc: acc,
	seconds: 1,
	meanCoverage: 1,
	duplicateBatches: 0,
	maxDraws: 1,
	finalLoss: 0.3,
});

/** Seed 5 of epoch-shuffle fails; evals arrive out of order and twice; one loss is NaN. */
function stream(): RunMessage[] {
	const out: RunMessage[] = [{ type: 'runStarted', run: info }];
	for (const seed of info.seeds) {
		for (const sampler of info.samplers) {
			out.push({ type: 'eval', runId: 3, sampler, seed, point: { iter: 60, epoch: 1, trainAcc: 0.8, testAcc: 0.79 } });
			out.push({ type: 'eval', runId: 3, sampler, seed, point: { iter: 0, epoch: 0, trainAcc: 0.1, testAcc: 0.1 } });
			out.push({ type: 'eval', runId: 3, sampler, seed, point: { iter: 60, epoch: 1, trainAcc: 0.8, testAcc: 0.8 } });
			out.push({ type: 'loss', runId: 3, sampler, seed, fromIter: 0, losses: [2.3, NaN, 2.1] });
			if (sampler === 'epoch-shuffle' && seed === 5) out.push({ type: 'runFailed', runId: 3, sampler, seed, reason: 'out of memory' });
			else out.push({ type: 'runDone', runId: 3, seed, summary: summary(sampler, seed, 0.8 + seed / 100) });
		}
	}
	out.push({ type: 'finished', runId: 3, state: 'done', seconds: 4 });
	return out;
}

describe('one fold of the run stream', () => {
	it('gives the panel and the export the same runs', () => {
		const model = emptyModel();
		// The page gets the stream in batches of any size.
		const msgs = stream();
		for (let i = 0; i < msgs.length; i += 5) apply(model, { type: 'batch', messages: msgs.slice(i, i + 5) } as ToWebview, noChanges());
		const results = resultsFromHistory(msgs)!;
		assert.deepEqual(
			results.runs.map((r) => runKey(r.sampler, r.seed)),
			[...model.tracks.keys()],
		);
		for (const r of results.runs) {
			const t = model.tracks.get(runKey(r.sampler, r.seed))!;
			assert.deepEqual(r.evals, t.evals);
			assert.deepEqual(r.evals.map((e) => e.testAcc), [0.1, 0.8], 'sorted, a repeated iteration replaced');
			assert.deepEqual(r.losses, [2.3, null, 2.1]);
			assert.equal(r.summary, t.summary);
			assert.equal(r.failure, t.failure);
		}
		assert.deepEqual(seedRuns(model), seedRuns(foldAll(msgs)));
		assert.deepEqual(results.runs.map((r) => r.state), ['done', 'done', 'done', 'failed']);
	});

	it('the run key is the worker pool’s', () => {
		assert.equal(runKey('epoch-shuffle', 12), 'epoch-shuffle@12');
	});
});

describe('the saved last run (last-run.json)', () => {
	it('round-trips with its format version', () => {
		const text = historyFileText(stream());
		assert.equal(JSON.parse(text).version, HISTORY_VERSION);
		const read = readHistoryFile(text);
		assert.ok('messages' in read && !read.migrated);
		assert.deepEqual(resultsFromHistory(read.messages), resultsFromHistory(JSON.parse(JSON.stringify(stream())) as RunMessage[]));
	});

	it('migrates a bare array from before versions, also one from before seeds existed', () => {
		const withSeeds = readHistoryFile(JSON.stringify(stream()));
		assert.ok('messages' in withSeeds && withSeeds.migrated, 'a version 1 file says it was migrated');
		// The oldest files: one seed, no `seeds` on the run and no `seed` on the messages.
		const single: RunMessage[] = stream().filter((m) => !('seed' in m) || m.seed === 4);
		single[0] = { type: 'runStarted', run: { ...info, seeds: [4] } };
		const stripped = single.map((m) => {
			const copy = JSON.parse(JSON.stringify(m)) as Record<string, unknown> & { run?: Record<string, unknown> };
			delete copy.seed;
			delete copy.run?.seeds;
			return copy;
		});
		const old = readHistoryFile(JSON.stringify(stripped));
		assert.ok('messages' in old && old.migrated, JSON.stringify(old).slice(0, 200));
		assert.deepEqual(resultsFromHistory(old.messages), resultsFromHistory(JSON.parse(JSON.stringify(single)) as RunMessage[]));
		assert.equal(resultsFromHistory(old.messages)!.runs[0].summary?.finalTestAcc, 0.8 + 4 / 100);
	});

	it('ignores, with the reason, what it cannot read', () => {
		const cases: [string, RegExp][] = [
			['{"format":"minibatch-lab-history","version":99,"messages":[]}', /newer version/],
			['{"format":"minibatch-lab-history","version":"2","messages":[]}', /unknown/],
			['{"format":"something-else","version":2}', /not a Minibatch Lab history/],
			['{"format":"minibatch-lab-history","version":2,"messages":[{"type":"eval"}]}', /does not start with a run/],
			['{"format":"minibatch-lab-history","version":2,"messages":{}}', /not a list/],
			['[{"type":"runStarted","run":{"settings":{}}}]', /does not start with a run/],
			['[1, 2]', /not a list/],
			['{"format": "minibatch-lab-hist', /not JSON/],
		];
		for (const [text, why] of cases) {
			const read = readHistoryFile(text);
			assert.ok('ignored' in read, text);
			assert.match(read.ignored, why, text);
		}
	});
});

describe('RunHistory on disk', () => {
	const tmp = () => join(mkdtempSync(join(tmpdir(), 'minibatch-history-')), 'last-run.json');
	/** A plain file, as workspace.fs gives the extension. */
	const store = (file: string): HistoryStore => ({
		name: file,
		read: async () => {
			try {
				return readFileSync(file, 'utf8');
			} catch (e) {
				if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
				throw e;
			}
		},
		write: async (text) => {
			mkdirSync(dirname(file), { recursive: true });
			writeFileSync(file, text);
		},
	});
	const logger = () => {
		const lines: string[] = [];
		return { lines, log: { info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`) } };
	};

	it('saves with the version and loads it back', async () => {
		const file = tmp();
		const a = new RunHistory(store(file));
		a.reset(stream()[0]);
		for (const m of stream().slice(1)) a.push(m);
		assert.equal(await a.save(), undefined);
		assert.equal(JSON.parse(readFileSync(file, 'utf8')).version, HISTORY_VERSION);
		const { lines, log } = logger();
		const b = new RunHistory(store(file), log);
		assert.equal(await b.load(), true);
		assert.equal(b.all().length, stream().length);
		assert.deepEqual(lines, []);
	});

	it('migrates an old file with a log line naming it, and ignores a bad one with the reason, without throwing', async () => {
		const file = tmp();
		writeFileSync(file, JSON.stringify(stream()));
		let { lines, log } = logger();
		const old = new RunHistory(store(file), log);
		assert.equal(await old.load(), true);
		assert.equal(resultsFromHistory(old.all())!.runs.length, 4);
		assert.equal(lines.length, 1);
		assert.match(lines[0], /^info Read the saved last run .*last-run\.json: .*migrated/);

		for (const text of ['not json', `{"format":"minibatch-lab-history","version":${HISTORY_VERSION + 1},"messages":[]}`, '[{"type":"loss"}]']) {
			writeFileSync(file, text);
			({ lines, log } = logger());
			const bad = new RunHistory(store(file), log);
			assert.equal(await bad.load(), false, text);
			assert.ok(bad.isEmpty);
			assert.equal(lines.length, 1, text);
			assert.match(lines[0], /^warn Ignored the saved last run .*last-run\.json: /, text);
		}
		// No file yet: nothing to say.
		({ lines, log } = logger());
		assert.equal(await new RunHistory(store(join(tmpdir(), 'minibatch-no-such-dir', 'last-run.json')), log).load(), false);
		assert.deepEqual(lines, []);
	});
});
