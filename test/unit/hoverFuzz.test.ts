import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ja from '../../l10n/bundle.l10n.ja.json';
import { analysePython, applyTextEdits, hoverAt, samplingActions, type SamplingAction } from '../../src/python';
import { formatHover, type Translate } from '../../src/extension/hover/hoverText';

// Random and garbage documents, hovers at random offsets: nothing may throw, ranges must hold the offset,
// and every offered quick fix must round-trip. Reproduce a failure with the printed seed and case:
//   MINIBATCH_LAB_FUZZ_SEED=<seed> MINIBATCH_LAB_FUZZ_CASES=<case + 1> node --test dist/test/unit/hoverFuzz.test.js

const SEED = Number(process.env.MINIBATCH_LAB_FUZZ_SEED ?? 0x5eed_2024) >>> 0;
const CASES = Math.max(1, Number(process.env.MINIBATCH_LAB_FUZZ_CASES ?? 10_000) | 0);
const HOVERS_PER_DOC = 8;

const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'python', name), 'utf8');

/** mulberry32: small, fast, and the same on every machine. */
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

const WORDS = [
	'keepdims', 'axis', 'choice', 'np', 'numpy', 'random', 'shuffle', 'permutation', 'default_rng', 'for', 'in', 'range', 'if', 'def',
	'import', 'as', 'True', 'False', 'None', 'iters_num', 'train_size', 'batch_size', 'batch_mask', 'iter_per_epoch', 'epoch', 'i',
	'learning_rate', 'x_batch', 'x_train', 'max', 'min', 'int', 'sum', 'mean', 'argmax', 'reshape', 'zeros', 'randn', 'T', 'shape',
	'make_batch_mask_list', 'batches_per_epoch', 'batch_mask_list', '# original: batch_mask = np.random.choice(train_size, batch_size)',
	'0', '1', '-1', '600.0', '1e-3', '10_000', '0x1F', '3j', '.5', '100', '60000',
];
const PUNCT = ['(', ')', '[', ']', '{', '}', ',', ':', ';', '.', '=', '==', '%', '/', '//', '*', '**', '+', '-', '\\', '\\\n', '#', '"', "'", '"""', "'''", 'f"', 'rb\''];
const SPACE = [' ', ' ', ' ', '\n', '\n', '\r\n', '\r', '\t', '    ', '\n    ', '\n\t', '\u3000', '\ufeff'];
const ODD = ['日本語', 'エポック', '😀', '\ud800', '\udc00', '\u0000', '\u2028', 'é'];

function pick<T>(r: () => number, xs: readonly T[]): T {
	return xs[Math.floor(r() * xs.length)];
}

function garbage(r: () => number, len: number): string {
	let s = '';
	while (s.length < len) {
		const k = r();
		if (k < 0.35) s += pick(r, WORDS);
		else if (k < 0.65) s += pick(r, PUNCT);
		else if (k < 0.9) s += pick(r, SPACE);
		else if (k < 0.95) s += pick(r, ODD);
		else s += String.fromCharCode(Math.floor(r() * 0x3000));
	}
	return s;
}

function mutate(r: () => number, text: string): string {
	let s = text;
	const n = 1 + Math.floor(r() * 5);
	for (let k = 0; k < n; k++) {
		const a = Math.floor(r() * (s.length + 1));
		const b = Math.min(s.length, a + Math.floor(r() * 80));
		switch (Math.floor(r() * 6)) {
			case 0:
				s = s.slice(0, a) + s.slice(b);
				break;
			case 1:
				s = s.slice(0, a) + s.slice(a, b) + s.slice(a);
				break;
			case 2:
				s = s.slice(0, a) + garbage(r, Math.floor(r() * 20)) + s.slice(a);
				break;
			case 3: {
				const lines = s.split('\n');
				const i = Math.floor(r() * lines.length);
				const j = Math.floor(r() * lines.length);
				[lines[i], lines[j]] = [lines[j], lines[i]];
				s = lines.join('\n');
				break;
			}
			case 4:
				s = s.replace(/\n/g, () => (r() < 0.1 ? '\r\n' : '\n'));
				break;
			default:
				s = s.slice(0, a);
		}
	}
	return s;
}

const bundle = ja as Record<string, string>;
const sub = (m: string, args: (string | number)[]) => m.replace(/\{(\d+)\}/g, (x, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : x));
const en: Translate = (m, ...args) => sub(m, args);
const jt: Translate = (m, ...args) => sub(bundle[m] ?? m, args);

function checkEdits(text: string, a: SamplingAction): void {
	let pos = 0;
	for (const e of a.edits) {
		assert.ok(e.start >= pos && e.end >= e.start && e.end <= text.length, 'edits sorted, disjoint and in range');
		pos = e.end;
	}
}

const stats = { hovers: 0, explained: 0, actions: 0, byKind: new Map<string, number>(), byDirection: new Map<string, number>() };
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

function runCase(caseIndex: number, seeds: string[]): void {
	const r = rng(SEED ^ Math.imul(caseIndex + 1, 0x9e3779b1));
	let text: string;
	const kind = r();
	if (kind < 0.3) text = garbage(r, Math.floor(r() * 400));
	else if (kind < 0.85) text = mutate(r, pick(r, seeds));
	else if (kind < 0.95) text = pick(r, seeds).slice(0, Math.floor(r() * 2000)) + garbage(r, 50);
	else {
		// Deep nesting and long lines.
		const depth = 1 + Math.floor(r() * 3000);
		text = 'y = ' + pick(r, ['(', '[', 'np.sum(']).repeat(depth) + 'x, axis=1, keepdims=True' + ')'.repeat(Math.floor(r() * depth)) + '\n' + garbage(r, 30);
	}
	const model = analysePython(text);
	const offsets = [0, text.length, Math.floor(text.length / 2)];
	for (let k = 0; k < HOVERS_PER_DOC; k++) offsets.push(Math.floor(r() * (text.length + 1)));
	for (const off of offsets) {
		const info = hoverAt(model, text, off);
		stats.hovers++;
		if (!info) continue;
		stats.explained++;
		bump(stats.byKind, info.kind);
		assert.ok(info.range.start <= off && off <= info.range.end && info.range.end <= text.length, 'the hover range holds the offset');
		for (const t of [en, jt]) {
			const f = formatHover(info, t, { documentUri: 'file:///fuzz.py', documentVersion: caseIndex });
			assert.equal(typeof f.markdown, 'string');
			assert.ok(f.markdown.length > 0);
		}
	}
	for (const a of samplingActions(model)) {
		stats.actions++;
		bump(stats.byDirection, a.direction);
		checkEdits(text, a);
		const out = applyTextEdits(text, a.edits);
		const back = samplingActions(analysePython(out)).filter((b) => b.direction !== a.direction);
		assert.ok(
			back.some((b) => applyTextEdits(out, b.edits) === text),
			`${a.direction} must round-trip`,
		);
	}
}

describe('hover fuzz', () => {
	it(`${CASES} random documents (seed ${SEED}) never throw, and every quick fix round-trips`, () => {
		const base = [fixture('train_neuralnet.py'), fixture('train_variant.py'), fixture('functions.py')];
		const seeds = [...base];
		for (const b of base) {
			const a = samplingActions(analysePython(b))[0];
			if (a) seeds.push(applyTextEdits(b, a.edits));
		}
		const started = Date.now();
		for (let c = 0; c < CASES; c++) {
			try {
				runCase(c, seeds);
			} catch (e) {
				assert.fail(`case ${c} (MINIBATCH_LAB_FUZZ_SEED=${SEED}): ${(e as Error).stack ?? String(e)}`);
			}
		}
		console.log(`hover fuzz: ${CASES} cases, seed ${SEED}: ${stats.hovers} hovers, ${stats.explained} explained (${[...stats.byKind].map(([k, n]) => `${k} ${n}`).join(", ")}), ${stats.actions} quick fixes round-tripped (${[...stats.byDirection].map(([k, n]) => `${k} ${n}`).join(", ")}), ${Date.now() - started} ms`);
		// An analyser that explains nothing, or stops offering a kind of hover or quick fix, must fail here. The floors are
		// about a third of what seeds 1, 2, 3 and 99999 reach per case, so other seeds and shorter runs pass too.
		for (const [what, got, perCase] of [
			['explained hovers', stats.explained, 0.2],
			['term hovers (epoch, batch_size, …)', stats.byKind.get('term') ?? 0, 0.15],
			['keepdims hovers', stats.byKind.get('keepdims') ?? 0, 0.008],
			['axis hovers', stats.byKind.get('axis') ?? 0, 0.006],
			['np.random.choice hovers', stats.byKind.get('choice') ?? 0, 0.002],
			['without-replacement hovers', stats.byKind.get('withoutReplacement') ?? 0, 0.008],
			['quick fixes that apply the shuffle', stats.byDirection.get('apply') ?? 0, 0.05],
			['quick fixes that switch back', stats.byDirection.get('reverse') ?? 0, 0.015],
		] as const) {
			const floor = Math.floor(perCase * CASES);
			assert.ok(got >= floor, `only ${got} ${what} in ${CASES} cases (seed ${SEED}); at least ${floor} expected`);
		}
	});
});
