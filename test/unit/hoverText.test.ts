import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ja from '../../l10n/bundle.l10n.ja.json';
import { analysePython, applyTextEdits, hoverAt, samplingActions, type HoverInfo, type ReductionHover } from '../../src/python';
import { code } from '../../src/extension/hover/hoverMarkdown';
import { APPLY_SAMPLING_FIX_COMMAND, RUN_COMPARISON_COMMAND, formatHover, samplingFixTitle, type ApplySamplingFixArgs, type Translate } from '../../src/extension/hover/hoverText';

const root = join(__dirname, '..', '..', '..');
const fixture = (name: string) => readFileSync(join(root, 'test', 'fixtures', 'python', name), 'utf8');
const bundle = ja as Record<string, string>;

/** vscode.l10n.t's substitution: `{n}` → the nth argument. */
function format(message: string, args: (string | number)[]): string {
	return message.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}
const en: Translate = (message, ...args) => format(message, args);

/** A Japanese translator that records messages missing from the bundle. */
function japanese(): { t: Translate; missing: string[] } {
	const missing: string[] = [];
	return {
		missing,
		t: (message, ...args) => {
			const m = bundle[message];
			if (m === undefined) missing.push(message);
			return format(m ?? message, args);
		},
	};
}

function hoverOn(text: string, needle: string, nth = 0, delta = 1): HoverInfo {
	let i = -1;
	for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
	assert.ok(i >= 0, needle);
	const info = hoverAt(analysePython(text), text, i + delta);
	assert.ok(info, `no hover at ${needle}`);
	return info;
}

/** The hover texts' sources: hoverText.ts and the parts it calls (keepdims/axis, loops, footnotes). */
const HOVER_TEXT_FILES = ['hoverText.ts', 'reductionText.ts', 'loopText.ts', 'quantityText.ts'];

/** The `t('…')` message literals in the hover texts, read from the source. */
function messageLiterals(): { messages: string[]; nonLiteral: string[] } {
	// Comments may mention t(...) in prose; only code counts.
	const src = HOVER_TEXT_FILES.map((f) => readFileSync(join(root, 'src', 'extension', 'hover', f), 'utf8'))
		.join('\n')
		.replace(/\/\*[\s\S]*?\*\//g, '')
		.replace(/^\s*\/\/.*$/gm, '');
	const messages: string[] = [];
	const nonLiteral: string[] = [];
	const re = /\bt\(\s*([^\s)])/g;
	let m: RegExpExecArray | null;
	while ((m = re.exec(src))) {
		const quote = m[1];
		if (quote !== "'" && quote !== '"') {
			nonLiteral.push(src.slice(m.index, m.index + 40));
			continue;
		}
		let j = m.index + m[0].length;
		let raw = '';
		while (j < src.length && src[j] !== quote) {
			if (src[j] === '\\') {
				raw += src.slice(j, j + 2);
				j += 2;
			} else raw += src[j++];
		}
		// JSON reads the literal once single-quote escapes are normalized.
		messages.push(JSON.parse(`"${raw.replace(/\\'/g, "'").replace(/(^|[^\\])"/g, '$1\\"')}"`) as string);
	}
	return { messages, nonLiteral };
}

const placeholders = (s: string) => [...new Set(s.match(/\{\d+\}/g) ?? [])].sort();

describe('hover text: Japanese bundle', () => {
	const { messages, nonLiteral } = messageLiterals();

	it('finds the messages, all as string literals', () => {
		assert.ok(messages.length >= 60, `only ${messages.length} messages found`);
		assert.deepEqual(nonLiteral, [], 't(...) must take a string literal so the bundle can be checked');
	});

	it('has a Japanese translation for every t(...) message in the hover texts', () => {
		const missing = messages.filter((m) => !(m in bundle));
		assert.deepEqual(missing, []);
	});

	// The bundle is shared with the rest of the extension, so only this file's messages are checked (no "stale key" test).
	it('translates each message with the same placeholders, in real Japanese text', () => {
		for (const key of messages) {
			const value = bundle[key];
			if (value === undefined) continue; // reported by the test above
			assert.deepEqual(placeholders(value), placeholders(key), key);
			assert.match(value, /[\u3040-\u30ff\u4e00-\u9fff]/, `not Japanese: ${value}`);
		}
	});

	it('uses the book\'s Japanese terms', () => {
		const all = messages.map((m) => bundle[m] ?? '').join('\n');
		for (const word of ['エポック', 'イテレーション', 'バッチサイズ', 'ミニバッチ', '復元抽出', '非復元抽出', '学習率', '訓練データ', '認識精度']) {
			assert.ok(all.includes(word), word);
		}
	});
});

describe('hover text: English Markdown', () => {
	const train = fixture('train_neuralnet.py');
	const fns = fixture('functions.py');

	it('iter_per_epoch: the computed line, epochs, draws, evaluations, the float note and the assumption', () => {
		const { markdown, commandLinks } = formatHover(hoverOn(train, 'iter_per_epoch = '), en);
		assert.ok(markdown.includes('`iter_per_epoch = max(60000 / 100, 1) = 600.0`'), markdown);
		assert.ok(markdown.includes('10,000 iterations ≈ 16.7 epochs'));
		assert.ok(markdown.includes('each epoch draws 600 × 100 = 60,000 samples'));
		assert.ok(markdown.includes('accuracy is evaluated 17 times: `i` = 0, 600, …, 9600'));
		assert.ok(markdown.includes('It is a float (600.0)'));
		assert.ok(markdown.includes('_Assumed `train_size` = 60,000: `x_train.shape[0]` is only known when the script runs. 60,000 is the size of the MNIST training set._'));
		assert.deepEqual(commandLinks, []);
	});

	it('every term formats with its name and stays short', () => {
		const needles = ['iters_num = ', 'train_size = ', 'batch_size = ', 'learning_rate = ', 'batch_mask = ', 'x_batch = ', 'i % iter', 'iter_per_epoch = '];
		for (const n of needles) {
			const info = hoverOn(train, n);
			assert.equal(info.kind, 'term');
			const { markdown } = formatHover(info, en);
			assert.ok(markdown.includes(code(n.split(' ')[0])), `${n}: ${markdown}`);
			assert.ok(markdown.length < 900, `${n}: ${markdown.length} characters`);
		}
		const epoch = formatHover(hoverOn('epochs = 5\n', 'epochs'), en).markdown;
		assert.ok(epoch.startsWith('An epoch is one pass over the training data.'), epoch);
		assert.ok(epoch.includes('60,000 ÷ 100 = 600 iterations per epoch'));
		assert.ok(epoch.includes('_Assumed `train_size` = 60,000: this file does not set it.'));
	});

	it('np.random.choice: the figures, the comparison link and the quick-fix link with its JSON arguments', () => {
		const info = hoverOn(train, 'choice(train_size', 1);
		const { markdown, commandLinks } = formatHover(info, en, { documentUri: 'file:///project/train_neuralnet.py', documentVersion: 7 });
		assert.ok(markdown.includes('`np.random.choice` samples with replacement by default (replace=True)'));
		assert.ok(markdown.includes('A batch of 100 from 60,000 contains a repeat with probability 7.9%.'));
		assert.ok(markdown.includes('One epoch of draws (600 × 100 = 60,000) sees about 63.2% of the 60,000 samples (1 − 1/e)'));
		assert.ok(markdown.includes('[▶ Run minibatch comparison](command:minibatchLab.runComparison)'));
		assert.deepEqual(commandLinks, [RUN_COMPARISON_COMMAND, APPLY_SAMPLING_FIX_COMMAND]);
		const link = /\[Sample without replacement \(reshuffle every epoch\)\]\(command:minibatchLab\.applySamplingFix\?([^)]+)\)/.exec(markdown);
		assert.ok(link, markdown);
		const args = JSON.parse(decodeURIComponent(link[1])) as ApplySamplingFixArgs[];
		assert.deepEqual(args, [{ uri: 'file:///project/train_neuralnet.py', version: 7, direction: 'apply', offset: train.indexOf('batch_mask = np.random') }]);

		// Without a document URI there is no quick-fix link.
		assert.deepEqual(formatHover(info, en).commandLinks, [RUN_COMPARISON_COMMAND]);
	});

	it('the rewritten helper links back with a reverse action', () => {
		const applied = applyTextEdits(train, samplingActions(analysePython(train))[0].edits);
		const info = hoverOn(applied, 'permutation(');
		assert.equal(info.kind, 'withoutReplacement');
		const { markdown, commandLinks } = formatHover(info, en, { documentUri: 'untitled:1' });
		assert.ok(markdown.startsWith('`np.random.permutation` returns a shuffled copy'));
		assert.ok(markdown.includes("[Sample with replacement again (the book's np.random.choice)](command:minibatchLab.applySamplingFix?"));
		assert.deepEqual(commandLinks, [RUN_COMPARISON_COMMAND, APPLY_SAMPLING_FIX_COMMAND]);
	});

	it('keepdims in softmax: the shape table and why (100, 1) broadcasts where (100,) cannot', () => {
		const { markdown } = formatHover(hoverOn(fns, 'keepdims=True)  #'), en);
		assert.ok(markdown.includes('| `x` | `(100, 10)` |'), markdown);
		assert.ok(markdown.includes('| `np.max(x, axis=-1)` | `(100,)` |'));
		assert.ok(markdown.includes('| `np.max(x, axis=-1, keepdims=True)` | `(100, 1)` |'));
		assert.ok(markdown.includes('In `x - np.max(x, axis=-1, keepdims=True)`, `(100, 10)` and `(100, 1)` line up from the right, so each row is combined with its own value.'));
		assert.ok(markdown.includes('Without keepdims, `(100, 10)` and `(100,)` do not broadcast: shapes are compared from the right, and 10 ≠ 100.'));
		assert.ok(markdown.includes("(100, 10) is an example shape: the softmax input in the book's chapter 4"));
		const sum = formatHover(hoverOn(fns, 'keepdims=True)\n'), en).markdown;
		assert.ok(sum.includes('In `np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)`'), sum);
	});

	it('keepdims and axis with shapes from the file: lined up anyway, misaligned, scalar', () => {
		const col = formatHover(hoverOn(fns, 'axis=0)'), en).markdown;
		assert.ok(col.includes('`scores.max(axis=0)` reduces along axis 0 (size 4)'), col);
		assert.ok(col.includes('`(4, 3)` → `(3,)`'));
		assert.ok(col.includes('Shape of `scores` from line 26: `scores = np.random.randn(4, 3)`'));
		const bad = formatHover(hoverOn(fns, 'axis=1)\n', 1), en).markdown;
		assert.ok(bad.includes('axis=1 gives one value per row'), bad);
		const badKd = formatHover({ ...(hoverOn(fns, 'axis=1)\n', 1) as ReductionHover), kind: 'keepdims' }, en).markdown;
		assert.ok(badKd.includes('still broadcast, but only because the sizes happen to match'), badKd);
		const total = formatHover(hoverOn(fns, 'keepdims=True)\nsquare'), en).markdown;
		assert.ok(total.includes('| `np.sum(scores)` | `scalar` |'), total);
		assert.ok(total.includes('keepdims=True gives `(1, 1)` instead of a scalar'));
		const lead = formatHover({ ...(hoverOn(fns, 'axis=0)') as ReductionHover), kind: 'keepdims' }, en).markdown;
		assert.ok(lead.includes('Here keepdims is optional: `(3,)` already lines up with the trailing axes of `(4, 3)`.'), lead);
	});

	it('axis errors are explained instead of shapes', () => {
		const src = 'import numpy as np\na = np.zeros((2, 3))\nb = np.sum(a, axis=2, keepdims=True)\nc = np.argmax(a, axis=(0, 1))\n';
		assert.ok(formatHover(hoverOn(src, 'keepdims'), en).markdown.includes('`axis=2` is out of range for an input with 2 dimensions (2, 3): NumPy raises an AxisError.'));
		assert.ok(formatHover(hoverOn(src, 'axis=(0'), en).markdown.includes('`argmax` takes a single axis, not a tuple'));
	});

	it('code spans survive backticks in file text', () => {
		assert.equal(code('a`b'), '``a`b``');
		assert.equal(code('`x`'), '`` `x` ``');
		assert.equal(code('x\ny'), '`x y`');
	});

	it('titles for the code action', () => {
		assert.equal(samplingFixTitle('apply', en), 'Sample without replacement (reshuffle every epoch)');
		assert.equal(samplingFixTitle('reverse', en), "Sample with replacement again (the book's np.random.choice)");
	});
});

describe('hover text: Japanese Markdown', () => {
	const train = fixture('train_neuralnet.py');
	const fns = fixture('functions.py');

	it('every hover kind renders fully in Japanese, numbers intact', () => {
		const { t, missing } = japanese();
		const cases: [string, string, number][] = [
			[train, 'iter_per_epoch = ', 0],
			[train, 'choice(train_size', 1],
			[train, 'i % iter', 0],
			[train, 'learning_rate = ', 0],
			[fns, 'keepdims=True)  #', 0],
			[fns, 'axis=0)', 0],
		];
		const out = cases.map(([text, needle, nth]) => formatHover(hoverOn(text, needle, nth), t, { documentUri: 'file:///a.py' }).markdown);
		assert.deepEqual(missing, []);
		assert.ok(out[0].includes('`iter_per_epoch = max(60000 / 100, 1) = 600.0`'));
		assert.ok(out[0].includes('10,000 イテレーション ≈ 16.7 エポック'), out[0]);
		assert.ok(out[1].includes('復元抽出'), out[1]);
		assert.ok(out[1].includes('7.9%') && out[1].includes('63.2%'));
		assert.ok(out[1].includes('[▶ ミニバッチの比較を実行](command:minibatchLab.runComparison)'));
		assert.ok(out[1].includes('[非復元抽出にする（エポックごとにシャッフルし直す）](command:minibatchLab.applySamplingFix?'));
		assert.ok(out[4].includes('| 式 | 形状 |'));
		assert.ok(out[4].includes('10 ≠ 100'));
	});
});
