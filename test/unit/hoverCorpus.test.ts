import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ja from '../../l10n/bundle.l10n.ja.json';
import { analysePython, hoverAt, type HoverInfo, type Quantity } from '../../src/python';
import { formatHover, type Translate } from '../../src/extension/hover/hoverText';

// Every hover on real training scripts: the book's chapters 4 to 6 and common/trainer.py (vendored unchanged, MIT), and
// learner-style rewrites of them. No hover may state an assumption about a name the file assigns a literal to.

const root = join(__dirname, '..', '..', '..');
const fixtures = join(root, 'test', 'fixtures');
const BOOK = ['ch04', 'ch05', 'ch06'].flatMap((d) => readdirSync(join(fixtures, 'book', d)).filter((f) => f.endsWith('.py')).map((f) => join('book', d, f)));
const CORPUS = [
	...BOOK,
	join('book', 'common', 'trainer.py'),
	...readdirSync(join(fixtures, 'python', 'learner')).map((f) => join('python', 'learner', f)),
	join('python', 'train_neuralnet.py'),
	join('python', 'train_variant.py'),
];

const NUMBER = String.raw`[-+]?(?:\d[\d_]*\.?[\d_]*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)`;
const NAME = String.raw`[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*`;
/** A tuple or list of numbers, or one number: `3000, 50`, `(4, 64)`, `[1, 2]`. */
const NUMBERS = new RegExp(String.raw`^[([]?\s*${NUMBER}(?:\s*,\s*${NUMBER})*\s*,?\s*[)\]]?$`);
const TARGETS = new RegExp(String.raw`^[([]?\s*${NAME}(?:\s*,\s*${NAME})*\s*,?\s*[)\]]?(?:\s*:\s*\w+)?$`);

/**
 * The names a file assigns a number literal to, read independently of the analyser: `a = 1`, `a, b = 1, 2`,
 * `(a, b) = (1, 2)`, `a = b = 1`, `a: int = 1`, and parameter defaults `def f(a=1)`.
 */
function literalNames(text: string): Set<string> {
	const out = new Set<string>();
	for (const raw of text.split(/\r?\n/)) {
		const line = raw.replace(/#.*$/, '').trim();
		if (!line || /^(?:if|elif|while|for|return|print|assert)\b/.test(line)) continue;
		const parts = line.split(/(?<![=!<>+\-*/%&|^@:])=(?!=)/).map((p) => p.trim());
		if (parts.length < 2) continue;
		const value = parts[parts.length - 1];
		if (!NUMBERS.test(value)) continue;
		const count = value.replace(/[()[\]\s]/g, '').split(',').filter(Boolean).length;
		for (const target of parts.slice(0, -1)) {
			if (!TARGETS.test(target)) continue;
			const names = target.replace(/:\s*\w+$/, '').replace(/[()[\]\s]/g, '').split(',').filter(Boolean);
			if (names.length === count || names.length === 1) names.forEach((n) => out.add(n));
		}
	}
	for (const m of text.matchAll(/\bdef\s+\w+\s*\(([^)]*)\)/g)) {
		for (const p of m[1].matchAll(new RegExp(String.raw`(\w+)\s*(?::\s*\w+\s*)?=\s*(${NUMBER})\s*(?=,|$)`, 'g'))) out.add(p[1]);
	}
	return out;
}

/** The quantities a hover presents as assumed. */
function assumedIn(info: HoverInfo): Quantity[] {
	switch (info.kind) {
		case 'term':
			return [...info.numbers.assumptions, info.numbers.learningRate].filter((q) => q.source === 'assumed');
		case 'choice':
			return [...info.assumptions];
		case 'batchProcessing':
			return [info.batches.population, info.batches.batchSize].filter((q) => q.source === 'assumed');
		default:
			return [];
	}
}

const bundle = ja as Record<string, string>;
const fill = (m: string, a: (string | number)[]) => m.replace(/\{(\d+)\}/g, (x, i: string) => (Number(i) < a.length ? String(a[Number(i)]) : x));
const en: Translate = (m, ...a) => fill(m, a);
const jt: Translate = (m, ...a) => fill(bundle[m] ?? m, a);

/** The code spans of the footnote lines that state an assumption (English `Assumed`, Japanese `仮定`). */
function assumedSpans(markdown: string): string[] {
	return markdown
		.split('\n')
		.filter((l) => /Assumed|仮定/.test(l))
		.flatMap((l) => [...l.matchAll(/`([^`]+)`/g)].map((m) => m[1]));
}

describe('hover corpus: real chapter-4 to chapter-6 training scripts and learner rewrites', () => {
	it('reads the literal assignments of the corpus independently (the check below depends on it)', () => {
		assert.ok(BOOK.length >= 7, BOOK.join(', '));
		const names = literalNames(readFileSync(join(fixtures, 'python', 'learner', 'train_tuple.py'), 'utf8'));
		for (const n of ['iters_num', 'batch_size', 'train_size', 'learning_rate']) assert.ok(names.has(n), n);
		const book = literalNames(readFileSync(join(fixtures, 'book', 'ch06', 'overfit_weight_decay.py'), 'utf8'));
		for (const n of ['weight_decay_lambda', 'max_epochs', 'batch_size', 'epoch_cnt']) assert.ok(book.has(n), n);
		assert.ok(!book.has('train_size'), 'x_train.shape[0] is no literal');
		assert.ok(literalNames(readFileSync(join(fixtures, 'book', 'common', 'trainer.py'), 'utf8')).has('epochs'));
		assert.deepEqual([...literalNames('a = b = 3\n(c, d) = (1, 2.5)\ne: int = 7\nf, g = h(), 2\nx == 1\n')].sort(), ['a', 'b', 'c', 'd', 'e']);
	});

	for (const file of CORPUS) {
		it(`${file}: no hover assumes a value the file sets, in English or Japanese`, () => {
			const text = readFileSync(join(fixtures, file), 'utf8');
			const literal = literalNames(text);
			const model = analysePython(text);
			let explained = 0;
			const bad: string[] = [];
			for (const m of text.matchAll(/[A-Za-z_]\w*/g)) {
				for (const offset of [m.index + 1, m.index + m[0].length]) {
					const info = hoverAt(model, text, offset);
					if (!info) continue;
					explained++;
					for (const q of assumedIn(info)) {
						for (const n of [q.name, q.assumed?.from]) if (n && literal.has(n)) bad.push(`${m[0]}@${offset}: assumed ${n} (${q.assumed?.why})`);
					}
					for (const t of [en, jt]) {
						for (const span of assumedSpans(formatHover(info, t, { documentUri: 'file:///corpus.py' }).markdown)) {
							if (literal.has(span)) bad.push(`${m[0]}@${offset}: the text assumes ${span}`);
						}
					}
				}
			}
			assert.deepEqual(bad, []);
			assert.ok(explained > 0 || /gradient_check|two_layer_net/.test(file), `${file}: no hover at all`);
		});
	}

	it('the training scripts get their loop\'s hovers: iteration counts from the file, not the book\'s 10,000', () => {
		const expected: Record<string, number> = {
			[join('book', 'ch04', 'train_neuralnet.py')]: 10000,
			[join('book', 'ch06', 'optimizer_compare_mnist.py')]: 2000,
			[join('book', 'ch06', 'weight_init_compare.py')]: 2000,
			[join('book', 'ch06', 'overfit_weight_decay.py')]: 601,
			[join('book', 'common', 'trainer.py')]: 12000,
			[join('python', 'learner', 'train_tuple.py')]: 3000,
			[join('python', 'learner', 'train_epochs.py')]: 6000,
			[join('python', 'learner', 'train_epochs_short.py')]: 3752,
			[join('python', 'learner', 'train_epochs_floor.py')]: 2600,
			[join('python', 'learner', 'train_epochs_choice.py')]: 2000,
			[join('python', 'learner', 'train_epochs_math.py')]: 948,
			[join('python', 'learner', 'train_epochs_len.py')]: 705,
		};
		for (const [file, iters] of Object.entries(expected)) {
			const text = readFileSync(join(fixtures, file), 'utf8');
			const at = text.search(/\bfor (?:i|it|b|step|start) in range/);
			assert.ok(at >= 0, file);
			const info = hoverAt(analysePython(text), text, at + 4);
			assert.ok(info?.kind === 'term', `${file}: ${info?.kind}`);
			assert.equal(info.numbers.itersNum.value, iters, file);
		}
	});
});
