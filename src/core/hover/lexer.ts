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

export const K_NAME = 1;
export const K_NUMBER = 2;
export const K_STRING = 3;
export const K_OP = 4;
export const K_OPEN = 5;
export const K_CLOSE = 6;

/**
 * Token columns as parallel typed arrays. A 1 MB line can hold a million tokens, and touching fresh memory for these
 * columns is most of the cost of lexing it, so a token takes 9 bytes: a bracket's end is implied (start + 1), which
 * frees its `aux` slot for its partner. A token's statement and enclosing bracket are found by search, not stored.
 */
export interface Tokens {
	readonly count: number;
	readonly kind: Uint8Array;
	readonly start: Int32Array;
	/** A bracket: 1 + its partner's index, 0 when unmatched. Any other token: its end offset. Use endOf and matchOf. */
	readonly aux: Int32Array;
}

function isBracket(k: number): boolean {
	return k === K_OPEN || k === K_CLOSE;
}

/** Exclusive end offset of token i. */
export function endOf(t: Tokens, i: number): number {
	return isBracket(t.kind[i]) ? t.start[i] + 1 : t.aux[i];
}

/** The partner of bracket token i, or -1 (also for a token that is not a bracket). */
export function matchOf(t: Tokens, i: number): number {
	return isBracket(t.kind[i]) ? t.aux[i] - 1 : -1;
}

/**
 * The open bracket token enclosing token i, or -1; `floor` is the first token of i's statement (brackets never span
 * statements). Walks back over whole bracket groups, so it costs the number of siblings before i.
 */
export function parentOf(t: Tokens, i: number, floor: number): number {
	const kind = t.kind;
	const aux = t.aux;
	// A matched close has its open's parent.
	if (kind[i] === K_CLOSE && aux[i] > 0) i = aux[i] - 1;
	for (let j = i - 1; j >= floor; j--) {
		const k = kind[j];
		// An open bracket reached this way is still open at i: its partner, if any, comes after i.
		if (k === K_OPEN) return j;
		if (k === K_CLOSE && aux[j] > 0) j = aux[j] - 1;
	}
	return -1;
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

/** Marks every open bracket on the stack whose top is `top` as unmatched (the stack is linked through `aux`). */
function dropOpen(aux: Int32Array, top: number): void {
	for (let p = top; p >= 0; ) {
		const below = aux[p] - 1;
		aux[p] = 0;
		p = below;
	}
}

export function lexPython(text: string): Lexed {
	const n = text.length;
	// Every token has at least one character, so n + 1 slots never need to grow: growing by doubling used to copy and
	// touch about twice the memory. Slots past the last token are never written (large zeroed allocations are lazy).
	const cap = n + 1;
	const kind = new Uint8Array(cap);
	const start = new Int32Array(cap);
	const aux = new Int32Array(cap);
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

	// The innermost open bracket, or -1. Until matched, an open bracket's `aux` holds 1 + the one below it, so the
	// stack needs no memory of its own.
	let top = -1;

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
				if (top < 0 && cur >= 0) {
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
				while (j < n && isIdentPart(text.charCodeAt(j))) j++;
				const q = text.charCodeAt(j);
				if ((q === 34 || q === 39) && isStringPrefix(text, i, j)) {
					e = scanString(text, j);
					k = K_STRING;
					break;
				}
				e = j;
				k = K_NAME;
				if (atLineStart && top >= 0 && cur >= 0 && i - lineStart <= curIndent && j - i <= 7 && RECOVERY_KEYWORDS.has(text.slice(i, j))) {
					// An unclosed bracket before a new block: close it here rather than swallow the rest of the file.
					dropOpen(aux, top);
					top = -1;
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
					e = i + opLength(text, i, c);
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
		start[t] = i;

		if (k === K_OPEN) {
			if (top >= 0) aux[t] = top + 1;
			top = t;
		} else if (k === K_CLOSE) {
			const want = c === 41 ? 40 : c === 93 ? 91 : 123;
			let o = top;
			let depth = 0;
			while (o >= 0 && depth < MAX_BRACKET_SEARCH && text.charCodeAt(start[o]) !== want) {
				o = aux[o] - 1;
				depth++;
			}
			if (o >= 0 && depth < MAX_BRACKET_SEARCH) {
				// Pop o; the opens above it stay unmatched.
				const below = aux[o] - 1;
				for (let p = top; p !== o; ) {
					const next = aux[p] - 1;
					aux[p] = 0;
					p = next;
				}
				aux[o] = t + 1;
				aux[t] = o + 1;
				top = below;
			}
		} else {
			aux[t] = e;
			if (c === 59 && top < 0 && k === K_OP) {
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
	dropOpen(aux, top);

	return {
		tokens: { count, kind, start, aux },
		stmts: { count: sCount, firstTok: sFirst, endTok: sEnd, lineStart: sLine, indent: sIndent, afterSemicolon: sSemi },
		commentStart: cStart,
		commentEnd: cEnd,
		commentCount: cCount,
	};
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
