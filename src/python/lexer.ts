/**
 * A tolerant, single-pass Python tokenizer: enough structure for hovers (names, calls, brackets, statements),
 * never an error. Everything is forward-only so the cost stays linear in the text length.
 */
import {
	C_BACKSLASH,
	C_CLOSE,
	C_DIGIT,
	C_DOT,
	C_HASH,
	C_NAME,
	C_NEWLINE,
	C_OPEN,
	C_QUOTE,
	C_SPACE,
	charClass,
	isDigit,
	isIdentPart,
	isStringPrefix,
	opLength,
	scanNumber,
	scanString,
} from './chars';
import { BLOCK_BITS, K_CLOSE, K_NAME, K_NUMBER, K_OP, K_OPEN, K_STRING, WIDE, WideSlots, type Tokens } from './tokens';

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

/**
 * Open brackets not yet matched (token index and character), reused across calls: it grows as deep as the deepest
 * nesting seen, and a fresh one per call would cost as much as a token column on `((((…`.
 */
let stackTok = new Int32Array(256);
let stackChar = new Uint8Array(256);

export function lexPython(text: string): Lexed {
	const n = text.length;
	// Every token has at least one character, so n + 1 slots never need to grow: growing by doubling used to copy and
	// touch about twice the memory. Slots past the last token are never written (large zeroed allocations are lazy).
	const cap = n + 1;
	const blocks = (cap >>> BLOCK_BITS) + 1;
	const kind = new Uint8Array(cap);
	const base = new Int32Array(blocks);
	const off = new Uint16Array(cap);
	const aux = new Uint16Array(cap);
	const wideStart = new WideSlots(blocks);
	const wideAux = new WideSlots(blocks);
	let blockBase = 0;
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

	let sp = 0; // depth of stackTok

	let lineStart = 0;
	let atLineStart = true;
	let cur = -1; // open statement, or -1
	let curIndent = 0;

	let i = 0;
	while (i < n) {
		const c = text.charCodeAt(i);
		let k: number;
		let e: number;
		switch (charClass(c)) {
			case C_NEWLINE:
				i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
				lineStart = i;
				atLineStart = true;
				if (sp === 0 && cur >= 0) {
					sEnd[cur] = count;
					cur = -1;
				}
				continue;
			case C_SPACE:
				i++;
				continue;
			case C_HASH: {
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
			case C_BACKSLASH: {
				// Backslash-newline joins lines; the statement goes on. A stray backslash is an operator.
				const d = text.charCodeAt(i + 1);
				if (d === 10 || d === 13) {
					i += d === 13 && text.charCodeAt(i + 2) === 10 ? 3 : 2;
					lineStart = i;
					continue;
				}
				k = K_OP;
				e = i + 1;
				break;
			}
			case C_NAME: {
				let j = i + 1;
				let q = text.charCodeAt(j);
				while (j < n && isIdentPart(q)) q = text.charCodeAt(++j);
				if ((q === 34 || q === 39) && isStringPrefix(text, i, j)) {
					e = scanString(text, j);
					k = K_STRING;
					break;
				}
				e = j;
				k = K_NAME;
				if (atLineStart && sp > 0 && cur >= 0 && i - lineStart <= curIndent && j - i <= 7 && RECOVERY_KEYWORDS.has(text.slice(i, j))) {
					// An unclosed bracket before a new block: close it here rather than swallow the rest of the file.
					sp = 0;
					sEnd[cur] = count;
					cur = -1;
				}
				break;
			}
			case C_QUOTE:
				e = scanString(text, i);
				k = K_STRING;
				break;
			case C_DIGIT:
				e = scanNumber(text, i);
				k = K_NUMBER;
				break;
			case C_DOT:
				if (isDigit(text.charCodeAt(i + 1))) {
					e = scanNumber(text, i);
					k = K_NUMBER;
				} else {
					e = i + (text.charCodeAt(i + 1) === 46 && text.charCodeAt(i + 2) === 46 ? 3 : 1); // `...` or `.`
					k = K_OP;
				}
				break;
			case C_OPEN:
				e = i + 1;
				k = K_OPEN;
				break;
			case C_CLOSE:
				e = i + 1;
				k = K_CLOSE;
				break;
			default:
				e = i + opLength(text, i, c);
				k = K_OP;
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
		const t = count++;
		kind[t] = k;
		if ((t & ((1 << BLOCK_BITS) - 1)) === 0) base[t >>> BLOCK_BITS] = blockBase = i;
		if (i - blockBase < WIDE) off[t] = i - blockBase;
		else {
			off[t] = WIDE;
			wideStart.set(t, i);
		}

		if (k === K_OPEN) {
			if (sp === stackTok.length) {
				stackTok = widen(stackTok, sp * 2);
				stackChar = widen8(stackChar, sp * 2);
			}
			stackTok[sp] = t;
			stackChar[sp++] = c;
		} else if (k === K_CLOSE) {
			const want = c === 41 ? 40 : c === 93 ? 91 : 123;
			const floor = Math.max(0, sp - MAX_BRACKET_SEARCH);
			for (let s = sp - 1; s >= floor; s--) {
				if (stackChar[s] === want) {
					// Opens above s are popped unmatched (their aux stays 0).
					const o = stackTok[s];
					sp = s;
					if (t - o < WIDE) aux[o] = aux[t] = t - o;
					else {
						aux[o] = aux[t] = WIDE;
						wideAux.set(o, t);
						wideAux.set(t, o);
					}
					break;
				}
			}
		} else {
			if (e - i < WIDE) aux[t] = e - i;
			else {
				aux[t] = WIDE;
				wideAux.set(t, e);
			}
			if (c === 59 && sp === 0 && k === K_OP) {
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
		}
		i = e;
	}
	if (cur >= 0) sEnd[cur] = count;

	return {
		tokens: { count, kind, base, off, wideStart, aux, wideAux },
		stmts: { count: sCount, firstTok: sFirst, endTok: sEnd, lineStart: sLine, indent: sIndent, afterSemicolon: sSemi },
		commentStart: cStart,
		commentEnd: cEnd,
		commentCount: cCount,
	};
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
