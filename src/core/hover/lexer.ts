/**
 * A tolerant, single-pass Python tokenizer: enough structure for hovers (names, calls, brackets, statements),
 * never an error. Everything is forward-only so the cost stays linear in the text length.
 */

export const K_NAME = 1;
export const K_NUMBER = 2;
export const K_STRING = 3;
export const K_OP = 4;
export const K_OPEN = 5;
export const K_CLOSE = 6;

/**
 * Token columns as parallel typed arrays: a 1 MB file can hold a million tokens, and writing these columns is most
 * of the lexer's cost, so only what lookups need is stored (a token's statement is found by binary search).
 */
export interface Tokens {
	readonly count: number;
	readonly kind: Uint8Array;
	readonly start: Int32Array;
	readonly end: Int32Array;
	/** 1 + index of the enclosing open bracket token; 0 at top level. (+1 so untouched zero pages mean "none".) */
	readonly parent1: Int32Array;
	/** For brackets: 1 + the partner's index; 0 when unmatched or not a bracket. */
	readonly match1: Int32Array;
}

/** The partner of bracket token i, or -1. */
export function matchOf(t: Tokens, i: number): number {
	return t.match1[i] - 1;
}

/** The open bracket token enclosing token i, or -1. */
export function parentOf(t: Tokens, i: number): number {
	return t.parent1[i] - 1;
}

/** Statements: Python's logical lines, also split at top-level `;`. */
export interface Statements {
	readonly count: number;
	readonly firstTok: Int32Array;
	/** Exclusive. */
	readonly endTok: Int32Array;
	/** Offset where the physical line holding the first token starts. */
	readonly lineStart: Int32Array;
	/** Column of the first token (tabs count as one). Statements after `;` inherit their line's indent. */
	readonly indent: Int32Array;
	/** 1 when the statement follows a `;` on the same line. */
	readonly afterSemicolon: Uint8Array;
}

export interface Lexed {
	readonly tokens: Tokens;
	readonly stmts: Statements;
	/** Sorted, non-overlapping comment ranges. */
	readonly commentStart: Int32Array;
	readonly commentEnd: Int32Array;
	readonly commentCount: number;
}

/** Keywords that, at or left of the current statement's indent, mean an unclosed bracket was a typo. */
const RECOVERY_KEYWORDS = new Set(['def', 'class', 'for', 'while', 'if', 'elif', 'else', 'with', 'try', 'except', 'finally', 'return', 'import', 'raise']);

/** How far back a closer searches for its opener; bounded so `((((…]]]]` stays linear. */
const MAX_BRACKET_SEARCH = 16;

function widen(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
	const b = new Int32Array(cap);
	b.set(a);
	return b;
}

function widen8(a: Uint8Array, cap: number): Uint8Array<ArrayBuffer> {
	const b = new Uint8Array(cap);
	b.set(a);
	return b;
}

/** ASCII classes: 1 identifier start, 2 digit (an identifier part too). A table keeps the per-character loops branch-light. */
const ASCII = (() => {
	const t = new Uint8Array(128);
	for (let c = 97; c <= 122; c++) t[c] = 1;
	for (let c = 65; c <= 90; c++) t[c] = 1;
	t[95] = 1;
	for (let c = 48; c <= 57; c++) t[c] = 2;
	return t;
})();

function isIdentStart(c: number): boolean {
	return c < 128 ? ASCII[c] === 1 : c !== 0xa0 && c !== 0x3000 && c !== 0xfeff;
}

function isIdentPart(c: number): boolean {
	return c < 128 ? ASCII[c] !== 0 : c !== 0xa0 && c !== 0x3000 && c !== 0xfeff;
}

function isDigit(c: number): boolean {
	return c >= 48 && c <= 57;
}

/** True for r, b, u, f prefixes (any case, at most two letters) that may precede a string quote. */
function isStringPrefix(text: string, s: number, e: number): boolean {
	if (e - s > 2) return false;
	for (let i = s; i < e; i++) {
		const c = text.charCodeAt(i) | 0x20;
		if (c !== 0x72 && c !== 0x62 && c !== 0x75 && c !== 0x66) return false;
	}
	return true;
}

/** Length of the operator at i (1, 2 or 3 characters: `**=`, `//`, `==`, `->`, `...`). */
function opLength(text: string, i: number, c: number): number {
	const d = text.charCodeAt(i + 1);
	switch (c) {
		case 42: // *
		case 47: // /
		case 60: // <
		case 62: // >
			if (d === c) return text.charCodeAt(i + 2) === 61 ? 3 : 2;
			if (d === 61) return 2;
			return 1;
		case 45: // - (also ->)
			return d === 61 || d === 62 ? 2 : 1;
		case 61: // =
		case 33: // !
		case 43: // +
		case 37: // %
		case 38: // &
		case 124: // |
		case 94: // ^
		case 64: // @
		case 58: // : (walrus)
			return d === 61 ? 2 : 1;
		case 46: // .
			return d === 46 && text.charCodeAt(i + 2) === 46 ? 3 : 1;
		default:
			return 1;
	}
}

export function lexPython(text: string): Lexed {
	const n = text.length;
	// Typed columns held in locals (not closures) so the hot loop stays fast; grown by doubling.
	// Real code has about one token per 4–5 characters; dense generated lines up to one per 2. Growing costs a copy.
	let cap = Math.max(64, n >> 1);
	let kind = new Uint8Array(cap);
	let start = new Int32Array(cap);
	let end = new Int32Array(cap);
	let parent = new Int32Array(cap);
	let match = new Int32Array(cap);
	let count = 0;

	let sCap = 64;
	let sFirst = new Int32Array(sCap);
	let sEnd = new Int32Array(sCap);
	let sLine = new Int32Array(sCap);
	let sIndent = new Int32Array(sCap);
	let sSemi = new Uint8Array(sCap);
	let sCount = 0;

	let cCap = 16;
	let cStart = new Int32Array(cCap);
	let cEnd = new Int32Array(cCap);
	let cCount = 0;

	let stack = new Int32Array(256);
	let sp = 0;

	let lineStart = 0;
	let atLineStart = true;
	let cur = -1; // open statement, or -1
	let curIndent = 0;

	let i = 0;
	while (i < n) {
		const c = text.charCodeAt(i);
		if (c === 10 || c === 13) {
			i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
			lineStart = i;
			atLineStart = true;
			if (sp === 0 && cur >= 0) {
				sEnd[cur] = count;
				cur = -1;
			}
			continue;
		}
		if (c === 32 || c === 9 || c === 12 || c === 0xa0 || c === 0x3000 || c === 0xfeff) {
			i++;
			continue;
		}
		if (c === 35) {
			let j = i + 1;
			while (j < n) {
				const d = text.charCodeAt(j);
				if (d === 10 || d === 13) break;
				j++;
			}
			if (cCount === cCap) {
				cCap *= 2;
				cStart = widen(cStart, cCap);
				cEnd = widen(cEnd, cCap);
			}
			cStart[cCount] = i;
			cEnd[cCount++] = j;
			i = j;
			continue;
		}
		if (c === 92) {
			// Backslash-newline joins lines; the statement goes on.
			const d = text.charCodeAt(i + 1);
			if (d === 10 || d === 13) {
				i += d === 13 && text.charCodeAt(i + 2) === 10 ? 3 : 2;
				lineStart = i;
				continue;
			}
		}

		// A real token starts at i.
		let k: number;
		let e: number;
		if (isIdentStart(c)) {
			let j = i + 1;
			while (j < n && isIdentPart(text.charCodeAt(j))) j++;
			const q = text.charCodeAt(j);
			if ((q === 34 || q === 39) && isStringPrefix(text, i, j)) {
				e = scanString(text, j);
				k = K_STRING;
			} else {
				e = j;
				k = K_NAME;
				if (atLineStart && sp > 0 && cur >= 0 && i - lineStart <= curIndent && j - i <= 7 && RECOVERY_KEYWORDS.has(text.slice(i, j))) {
					// An unclosed bracket before a new block: close it here rather than swallow the rest of the file.
					sp = 0;
					sEnd[cur] = count;
					cur = -1;
				}
			}
		} else if (c === 34 || c === 39) {
			e = scanString(text, i);
			k = K_STRING;
		} else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
			e = scanNumber(text, i);
			k = K_NUMBER;
		} else if (c === 40 || c === 91 || c === 123) {
			e = i + 1;
			k = K_OPEN;
		} else if (c === 41 || c === 93 || c === 125) {
			e = i + 1;
			k = K_CLOSE;
		} else {
			k = K_OP;
			e = i + opLength(text, i, c);
		}
		atLineStart = false;

		if (cur < 0) {
			curIndent = i - lineStart;
			if (sCount === sCap) {
				sCap *= 2;
				sFirst = widen(sFirst, sCap);
				sEnd = widen(sEnd, sCap);
				sLine = widen(sLine, sCap);
				sIndent = widen(sIndent, sCap);
				sSemi = widen8(sSemi, sCap);
			}
			cur = sCount++;
			sFirst[cur] = count;
			sEnd[cur] = count;
			sLine[cur] = lineStart;
			sIndent[cur] = curIndent;
			sSemi[cur] = 0;
		}
		if (count === cap) {
			cap *= 2;
			kind = widen8(kind, cap);
			start = widen(start, cap);
			end = widen(end, cap);
			parent = widen(parent, cap);
			match = widen(match, cap);
		}
		const t = count++;
		kind[t] = k;
		start[t] = i;
		end[t] = e;
		if (sp > 0) parent[t] = stack[sp - 1] + 1;

		if (k === K_OPEN) {
			if (sp === stack.length) stack = widen(stack, sp * 2);
			stack[sp++] = t;
		} else if (k === K_CLOSE) {
			const want = c === 41 ? 40 : c === 93 ? 91 : 123;
			const floor = Math.max(0, sp - MAX_BRACKET_SEARCH);
			for (let s = sp - 1; s >= floor; s--) {
				const open = stack[s];
				if (text.charCodeAt(start[open]) === want) {
					sp = s;
					parent[t] = parent[open];
					match[t] = open + 1;
					match[open] = t + 1;
					break;
				}
			}
		} else if (c === 59 && sp === 0 && k === K_OP) {
			// `a = 1; b = 2`: two statements, the second one sharing the line's indent; the `;` belongs to neither.
			sEnd[cur] = t;
			if (sCount === sCap) {
				sCap *= 2;
				sFirst = widen(sFirst, sCap);
				sEnd = widen(sEnd, sCap);
				sLine = widen(sLine, sCap);
				sIndent = widen(sIndent, sCap);
				sSemi = widen8(sSemi, sCap);
			}
			cur = sCount++;
			sFirst[cur] = count;
			sEnd[cur] = count;
			sLine[cur] = lineStart;
			sIndent[cur] = curIndent;
			sSemi[cur] = 1;
			// An empty trailing statement (`x = 1;`) has no tokens; readers skip those.
		}
		i = e;
	}
	if (cur >= 0) sEnd[cur] = count;

	return {
		tokens: { count, kind, start, end, parent1: parent, match1: match },
		stmts: { count: sCount, firstTok: sFirst, endTok: sEnd, lineStart: sLine, indent: sIndent, afterSemicolon: sSemi },
		commentStart: cStart,
		commentEnd: cEnd,
		commentCount: cCount,
	};
}

/** Returns the end of the string literal whose opening quote is at `q`. Unterminated strings end at the line (or file) end. */
function scanString(text: string, q: number): number {
	const n = text.length;
	const quote = text.charCodeAt(q);
	if (text.charCodeAt(q + 1) === quote && text.charCodeAt(q + 2) === quote) {
		let j = q + 3;
		while (j < n) {
			const d = text.charCodeAt(j);
			if (d === 92) j += 2;
			else if (d === quote && text.charCodeAt(j + 1) === quote && text.charCodeAt(j + 2) === quote) return j + 3;
			else j++;
		}
		return n;
	}
	let j = q + 1;
	while (j < n) {
		const d = text.charCodeAt(j);
		if (d === 92) {
			// A backslash-newline continues the string; \r\n counts as one.
			j += text.charCodeAt(j + 1) === 13 && text.charCodeAt(j + 2) === 10 ? 3 : 2;
		} else if (d === quote) return j + 1;
		else if (d === 10 || d === 13) return j;
		else j++;
	}
	return Math.min(j, n);
}

function scanNumber(text: string, i: number): number {
	const n = text.length;
	let j = i;
	const hex = text.charCodeAt(i) === 48 && (text.charCodeAt(i + 1) | 0x20) === 0x78;
	while (j < n) {
		const d = text.charCodeAt(j);
		if (isDigit(d) || d === 46 || d === 95 || (d >= 97 && d <= 122) || (d >= 65 && d <= 90)) {
			j++;
			// An exponent sign: 1e-3, 2.5E+8 (never in hex, where e is a digit).
			if (!hex && (d | 0x20) === 0x65) {
				const s = text.charCodeAt(j);
				if ((s === 43 || s === 45) && isDigit(text.charCodeAt(j + 1))) j++;
			}
		} else break;
	}
	return j;
}

/** Python's value of a numeric literal; NaN for complex or malformed ones. */
export function parseNumberLiteral(src: string): { value: number; isFloat: boolean } {
	const s = src.replace(/_/g, '');
	if (/^0[xX][0-9a-fA-F]+$/.test(s)) return { value: parseInt(s.slice(2), 16), isFloat: false };
	if (/^0[oO][0-7]+$/.test(s)) return { value: parseInt(s.slice(2), 8), isFloat: false };
	if (/^0[bB][01]+$/.test(s)) return { value: parseInt(s.slice(2), 2), isFloat: false };
	if (/^[0-9]+$/.test(s)) return { value: Number(s), isFloat: false };
	if (/^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(s)) return { value: Number(s), isFloat: true };
	return { value: NaN, isFloat: true };
}

/** Index of the last token whose start is <= offset, or -1. */
export function tokenAtOrBefore(tokens: Tokens, offset: number): number {
	let lo = 0;
	let hi = tokens.count - 1;
	let best = -1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (tokens.start[mid] <= offset) {
			best = mid;
			lo = mid + 1;
		} else hi = mid - 1;
	}
	return best;
}

/** True when offset lies inside a comment. */
export function inComment(lexed: Lexed, offset: number): boolean {
	let lo = 0;
	let hi = lexed.commentCount - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (lexed.commentStart[mid] <= offset) {
			if (offset < lexed.commentEnd[mid]) return true;
			lo = mid + 1;
		} else hi = mid - 1;
	}
	return false;
}
