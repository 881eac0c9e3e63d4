import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { analysePython, hoverAt, type ReductionHover } from '../../src/python';
import { lexPython, type Lexed } from '../../src/python/lexer';
import { K_CLOSE, K_OPEN, WideSlots, endOf, matchOf, parentOf, startOf } from '../../src/python/tokens';

/** Deterministic PRNG so a failure can be replayed. */
function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let x = Math.imul(a ^ (a >>> 15), a | 1);
		x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
		return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
	};
}

const PIECES = [
	'(', ')', '[', ']', '{', '}', ',', ' ', '\n', '\n    ', '\r\n', ';', ':', '=', '.', '#c\n', '"s"', "'t", '\\\n', '\\', 'np.sum(', 'x',
	'keepdims=True', 'for i in range(', 'def f(x):', 'return', 'if', '100', '1e-3', '.5', 'r"raw"', '"""doc"""', '\t', '\u00a0', 'é', '+', '**=',
];
/** Pieces past 16 bits: a long string, a long gap, a long comment, a call 40,000 tokens long, deep nesting. */
const BIG = ['"' + 'a'.repeat(70_000) + '"', ' '.repeat(66_000), '#' + 'c'.repeat(70_000) + '\n', 'f(' + 'a, '.repeat(20_000) + ')', '('.repeat(33_000) + 'x' + ')'.repeat(33_000)];
/** Long runs without brackets between groups and unmatched closes: parentOf skips such runs with native searches. */
const RUNS = ['[' + ('a '.repeat(100) + ')').repeat(50), '(' + ('b '.repeat(100) + '(x)').repeat(50) + ('c '.repeat(70) + '[y]').repeat(50)];

const GAP = /^(?:[ \t\f\r\n\u00a0\u3000\ufeff]|#[^\r\n]*|\\(?:\r\n|\r|\n))*$/;
const PAIR: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/**
 * Checks the columns against what they must mean: ordered tokens separated only by blanks and comments, and brackets
 * matched by the lexer's rule (the nearest open bracket of the right kind among the 16 innermost, within a statement),
 * with parentOf giving the innermost open bracket.
 */
function checkColumns(text: string, lx: Lexed, parentsToCheck: (i: number) => boolean): void {
	const t = lx.tokens;
	let prevEnd = 0;
	for (let i = 0; i < t.count; i++) {
		const s = startOf(t, i);
		const e = endOf(t, i);
		assert.ok(prevEnd <= s && s < e && e <= text.length, `token ${i} at [${s}, ${e}) after ${prevEnd}`);
		assert.match(text.slice(prevEnd, s), GAP, `only blanks and comments before token ${i}`);
		prevEnd = e;
	}
	assert.match(text.slice(prevEnd), GAP);
	const st = lx.stmts;
	for (let s = 0; s < st.count; s++) {
		const stack: number[] = [];
		for (let j = st.firstTok[s]; j < st.endTok[s]; j++) {
			// The innermost open bracket; a matched close has its open's.
			let parent = stack.length ? stack[stack.length - 1] : -1;
			if (t.kind[j] === K_OPEN) stack.push(j);
			else if (t.kind[j] === K_CLOSE) {
				let k = stack.length - 1;
				while (k >= 0 && k >= stack.length - 16 && PAIR[text[startOf(t, stack[k])]] !== text[startOf(t, j)]) k--;
				const partner = k >= 0 && k >= stack.length - 16 ? stack[k] : -1;
				assert.equal(matchOf(t, j), partner, `partner of token ${j}`);
				if (partner >= 0) {
					assert.equal(matchOf(t, partner), j);
					stack.length = k;
					parent = k > 0 ? stack[k - 1] : -1;
				}
			}
			if (parentsToCheck(j)) assert.equal(parentOf(t, j, st.firstTok[s]), parent, `parent of token ${j}`);
		}
		// Brackets still open at the end of a statement are unmatched.
		for (const o of stack) assert.equal(matchOf(t, o), -1, `unclosed token ${o}`);
	}
}

describe('hover lexer: token columns', () => {
	it('WideSlots keeps 32-bit values a block at a time and grows', () => {
		const w = new WideSlots(64);
		const written = new Map<number, number>();
		const r = rng(5);
		for (let k = 0; k < 2000; k++) {
			const i = Math.floor(r() * 64 * 256);
			const v = Math.floor(r() * 2 ** 31);
			w.set(i, v);
			written.set(i, v);
		}
		for (const [i, v] of written) assert.equal(w.get(i), v);
	});

	it('agree with a reference over random text, small and with values past 16 bits', () => {
		const r = rng(11);
		const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
		for (let c = 0; c < 120; c++) {
			let text = '';
			const len = 20 + Math.floor(r() * 400);
			while (text.length < len) text += pick(PIECES);
			checkColumns(text, lexPython(text), () => true);
		}
		// A close looks for its open among the 16 innermost brackets only (`]` here is unmatched, then matched).
		for (const text of [`x = [${'('.repeat(16)}]`, `x = [${'('.repeat(15)}]`, `x = ([${'{'.repeat(20)}) + f(a]`]) checkColumns(text, lexPython(text), () => true);
		for (const run of RUNS) checkColumns(`x = ${run} + z`, lexPython(`x = ${run} + z`), () => true);
		for (const big of BIG) {
			let text = '';
			for (let k = 0; k < 60; k++) text += pick(PIECES);
			text += big;
			for (let k = 0; k < 60; k++) text += pick(PIECES);
			// A parent walk costs its siblings: check every token near the big piece's ends, a sample elsewhere.
			checkColumns(text, lexPython(text), (i) => i < 200 || i % 97 === 0);
		}
	});

	it('a string, a gap and a call past 16 bits keep exact offsets and partners', () => {
		const long = '"' + 'a'.repeat(70_000) + '"';
		const text = `s = ${long}${' '.repeat(66_000)}t = f(${'a, '.repeat(40_000)}b)\n`;
		const t = lexPython(text).tokens;
		assert.equal(endOf(t, 2) - startOf(t, 2), long.length);
		assert.equal(startOf(t, 3), text.indexOf('t = f('));
		const open = 6;
		assert.equal(text[startOf(t, open)], '(');
		assert.equal(matchOf(t, open), t.count - 1);
		assert.equal(matchOf(t, t.count - 1), open);
		assert.equal(endOf(t, t.count - 1), text.length - 1);
	});
});

describe('hover lexer: hovers on long constructs', () => {
	it('keepdims after 40,000 arguments and after a 70,000-character string', () => {
		const text = `s = "${'x'.repeat(70_000)}"\ny = np.sum(x, ${'a, '.repeat(40_000)}axis=1, keepdims=True)\n`;
		const off = text.lastIndexOf('keepdims') + 1;
		const h = hoverAt(analysePython(text), text, off) as ReductionHover;
		assert.equal(h?.kind, 'keepdims');
		assert.deepEqual([h.call.fn, h.call.form, h.call.keepdims, h.call.input, h.axes], ['sum', 'function', 'true', 'x', [1]]);
		assert.deepEqual(h.range, { start: off - 1, end: off - 1 + 'keepdims'.length });
	});
});
