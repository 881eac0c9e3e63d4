/**
 * Outside text in notifications: every error path that can carry a setting, a path, a file's or a worker's text gives a
 * message that VS Code would render as a link, and `inertLinks` (which src/extension/notify.ts applies to every
 * notification) leaves none while keeping the text as it reads.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parseSamplers, validateSettings } from '../../src/core/settings';
import { Comparison } from '../../src/runner/comparison';
import { inertLinks, VSCODE_LINK_PATTERN } from '../../src/shared/inertLinks';
import { nodeWorkers } from '../../src/platform/nodeWorkers';
import { loadMnistFolder, peekMnistFolder } from '../support/nodeData';
import { idxBytes } from '../support/synthetic';

const LINK = '[Fix this setting](command:workbench.action.files.newUntitledFile)';

/** The links VS Code's notification renderer would make of `text` (it first turns newlines into spaces). */
function links(text: string): string[] {
	const re = new RegExp(VSCODE_LINK_PATTERN.source, VSCODE_LINK_PATTERN.flags);
	return [...text.replace(/(\r\n|\n|\r)/gm, ' ').matchAll(re)].map((m) => m[2]);
}

/** The message is a link before and none after, and reads the same (the joiner is invisible). */
function assertDefused(message: string): void {
	assert.ok(links(message).length > 0, `the raw message carries a link, or this case tests nothing: ${message}`);
	const shown = inertLinks(message);
	assert.deepEqual(links(shown), [], shown);
	assert.equal(shown.replaceAll('\u2060', ''), message);
}

function messageOf(fn: () => unknown): string {
	try {
		fn();
	} catch (e) {
		return (e as Error).message;
	}
	assert.fail('expected an error');
}

async function messageOfAsync(fn: () => Promise<unknown>): Promise<string> {
	try {
		await fn();
	} catch (e) {
		return (e as Error).message;
	}
	assert.fail('expected an error');
}

describe('inertLinks', () => {
	it('defuses every link form VS Code parses: command, https, http, file, with a title, nested, back to back', () => {
		for (const s of [
			LINK,
			'[a](https://example.com/x)',
			'[a](http://example.com)',
			'[a](file:///etc/passwd)',
			'[a](command:x?%5B%22y%22%5D "Run it")',
			"[a](command:x 'Run it')",
			'[[a](command:x)](command:y)',
			'[a](command:x)[b](command:y)',
			'see [a](COMMAND:x) here',
			'multi\nline [a](command:x)\r\n',
		]) {
			assertDefused(s);
		}
	});

	it('leaves text without link syntax unchanged', () => {
		for (const s of ['', 'plain', 'a [bracket] and (paren)', '](', 'x] (command:y)', 'minibatchLab.batchSize must be a whole number from 1 to 60000; got 0.']) {
			if (!s.includes('](')) assert.equal(inertLinks(s), s);
		}
	});

	it('is idempotent', () => {
		assert.equal(inertLinks(inertLinks(LINK)), inertLinks(LINK));
	});
});

describe('every error path that carries outside text is defused', () => {
	it('a sampler setting', () => assertDefused(messageOf(() => parseSamplers([LINK], 'minibatchLab.samplers'))));

	it('a number setting holding text', () => assertDefused(messageOf(() => validateSettings({ iters: 1, batchSize: LINK as unknown as number, lr: 0.1, hidden: 1, seed: 0 }, { batchSize: 'minibatchLab.batchSize' }))));

	const root = mkdtempSync(join(tmpdir(), 'mbl-links-'));
	const folder = join(root, LINK, 'dataset');
	mkdirSync(folder, { recursive: true });

	it('a dataset folder that lacks files, named as a link', async () => {
		assertDefused(await messageOfAsync(() => peekMnistFolder(folder)));
	});

	it('a corrupt file in it (its path), when peeked on the host and when a worker loads it', async () => {
		const put = (name: string, magic: number, dims: number[]) => writeFileSync(join(folder, `${name}.gz`), gzipSync(idxBytes(magic, dims, new Uint8Array(dims.reduce((a, b) => a * b, 1)))));
		put('train-images-idx3-ubyte', 0x12345678, [1, 2, 2]);
		put('train-labels-idx1-ubyte', 0x801, [1]);
		put('t10k-images-idx3-ubyte', 0x803, [1, 2, 2]);
		put('t10k-labels-idx1-ubyte', 0x801, [1]);
		assertDefused(await messageOfAsync(() => peekMnistFolder(folder)));
		assertDefused(await messageOfAsync(() => loadMnistFolder(folder)));
	});

	it("a worker's failure and a crashed worker's error", async () => {
		const worker = join(root, 'crash.js');
		writeFileSync(worker, `throw new Error(${JSON.stringify(LINK)});`);
		const c = new Comparison({ workers: nodeWorkers({ train: worker }), dataDir: folder, settings: { iters: 1, batchSize: 1, lr: 0.1, hidden: 1, seed: 0 }, samplers: ['replacement'], onMessage: () => undefined });
		const [out] = await c.run();
		assert.ok(out.failure, 'the run failed');
		assertDefused(out.failure);
		const reported = join(root, 'report.js');
		// A worker that reports its own failure: while loading the data, then during a run.
		for (const phase of ['load', 'run']) {
			const reason = JSON.stringify(`${folder}: ${LINK}`);
			writeFileSync(
				reported,
				`const { parentPort } = require('node:worker_threads');
				parentPort.on('message', (m) => {
					if (m.type === 'load') parentPort.postMessage(${JSON.stringify(phase)} === 'load' ? { type: 'loadFailed', reason: ${reason} } : { type: 'shared', data: {} });
					else if (m.type === 'run') parentPort.postMessage({ type: 'failed', runKey: m.job.runKey, reason: ${reason} });
				});`,
			);
			const [failed] = await new Comparison({ workers: nodeWorkers({ train: reported }), dataDir: folder, settings: { iters: 1, batchSize: 1, lr: 0.1, hidden: 1, seed: 0 }, samplers: ['replacement'], onMessage: () => undefined }).run();
			assertDefused(failed.failure ?? '');
		}
		rmSync(root, { recursive: true, force: true });
	});
});

describe('notifications', () => {
	it('only src/extension/notify.ts shows one: every other file goes through it', () => {
		const src = join(__dirname, '..', '..', '..', 'src');
		const offenders: string[] = [];
		const walk = (dir: string) => {
			for (const name of readdirSync(dir)) {
				const p = join(dir, name);
				if (statSync(p).isDirectory()) walk(p);
				else if (p.endsWith('.ts') && relative(src, p) !== join('extension', 'notify.ts')) {
					if (/\.(showErrorMessage|showWarningMessage|showInformationMessage|withProgress)\b/.test(readFileSync(p, 'utf8'))) offenders.push(relative(src, p));
				}
			}
		};
		walk(src);
		assert.deepEqual(offenders, []);
	});
});
