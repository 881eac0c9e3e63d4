import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ja from '../../l10n/bundle.l10n.ja.json';
import { analysePython, hoverAt, trainingSetup } from '../../src/python';
import { formatHover, type Translate } from '../../src/extension/hover/hoverText';

// The learner-style and book files broken in small ways (lines dropped, duplicated, swapped, re-indented, numbers
// changed): the epoch, tuple, import and inference paths never throw and their hovers always format.
//   MINIBATCH_LAB_FUZZ_SEED=<seed> MINIBATCH_LAB_LOOPS_FUZZ_CASES=<n> node --test dist/test/unit/hoverLoopsFuzz.test.js

const SEED = Number(process.env.MINIBATCH_LAB_FUZZ_SEED ?? 0x10095) >>> 0;
const CASES = Math.max(1, Number(process.env.MINIBATCH_LAB_LOOPS_FUZZ_CASES ?? 1500) | 0);

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures');
const files = [
	...readdirSync(join(fixtures, 'python', 'learner')).map((f) => join(fixtures, 'python', 'learner', f)),
	join(fixtures, 'book', 'ch03', 'neuralnet_mnist_batch.py'),
	join(fixtures, 'book', 'ch06', 'overfit_weight_decay.py'),
	join(fixtures, 'book', 'common', 'trainer.py'),
].map((f) => readFileSync(f, 'utf8'));

function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const NUMBERS = ['0', '1', '-1', '3', '0.5', '1e9', '60000', '128', '2**40', '0.0', '7 // 0', 'n / 0', 'x'];

function mutate(r: () => number, text: string): string {
	const lines = text.split('\n');
	const n = 1 + Math.floor(r() * 4);
	for (let k = 0; k < n; k++) {
		const i = Math.floor(r() * lines.length);
		const j = Math.floor(r() * lines.length);
		switch (Math.floor(r() * 6)) {
			case 0:
				lines.splice(i, 1);
				break;
			case 1:
				lines.splice(i, 0, lines[j]);
				break;
			case 2:
				[lines[i], lines[j]] = [lines[j], lines[i]];
				break;
			case 3:
				lines[i] = (r() < 0.5 ? '    ' : '') + lines[i].replace(/^ {4}/, '');
				break;
			case 4:
				lines[i] = lines[i].replace(/\b\d[\d_]*(?:\.\d+)?\b/, () => NUMBERS[Math.floor(r() * NUMBERS.length)]);
				break;
			default:
				lines[i] = lines[i].slice(0, Math.floor(r() * (lines[i].length + 1)));
		}
	}
	return lines.join(r() < 0.1 ? '\r\n' : '\n');
}

const bundle = ja as Record<string, string>;
const fill = (m: string, a: (string | number)[]) => m.replace(/\{(\d+)\}/g, (x, i: string) => (Number(i) < a.length ? String(a[Number(i)]) : x));
const en: Translate = (m, ...a) => fill(m, a);
const jt: Translate = (m, ...a) => fill(bundle[m] ?? m, a);

describe('hover fuzz: loops, tuples, imports and inference', () => {
	it(`${CASES} broken learner-style files (seed ${SEED}) never throw, and every hover formats`, () => {
		let explained = 0;
		for (let c = 0; c < CASES; c++) {
			const r = rng(SEED ^ Math.imul(c + 1, 0x9e3779b1));
			const text = mutate(r, files[Math.floor(r() * files.length)]);
			try {
				const model = analysePython(text);
				const n = trainingSetup(model).numbers;
				for (const q of [n.trainSize, n.batchSize, n.itersNum, n.iterPerEpoch]) assert.equal(typeof q.value, 'number');
				for (let k = 0; k < 12; k++) {
					const off = Math.floor(r() * (text.length + 1));
					const info = hoverAt(model, text, off);
					if (!info) continue;
					explained++;
					assert.ok(info.range.start <= off && off <= info.range.end);
					for (const t of [en, jt]) assert.ok(formatHover(info, t, { documentUri: 'file:///f.py' }).markdown.length > 0);
				}
			} catch (e) {
				assert.fail(`case ${c} (MINIBATCH_LAB_FUZZ_SEED=${SEED}): ${(e as Error).stack ?? String(e)}\n--- text ---\n${text}`);
			}
		}
		assert.ok(explained > CASES, `only ${explained} hovers explained in ${CASES} cases`);
	});
});
