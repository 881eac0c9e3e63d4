/** Character classes and the scanners for one token each (names, strings, numbers, operators), for the lexer. */

/** What a character can start, for the lexer's dispatch. */
export const C_OP = 0;
export const C_NAME = 1;
export const C_DIGIT = 2;
export const C_SPACE = 3;
export const C_NEWLINE = 4;
export const C_HASH = 5;
export const C_BACKSLASH = 6;
export const C_QUOTE = 7;
export const C_OPEN = 8;
export const C_CLOSE = 9;
export const C_DOT = 10;

/** Classes of ASCII characters; a table keeps the per-character work to one load and one switch. */
const ASCII = (() => {
	const t = new Uint8Array(128);
	for (let c = 97; c <= 122; c++) t[c] = C_NAME;
	for (let c = 65; c <= 90; c++) t[c] = C_NAME;
	t[95] = C_NAME;
	for (let c = 48; c <= 57; c++) t[c] = C_DIGIT;
	for (const c of [32, 9, 12]) t[c] = C_SPACE;
	t[10] = t[13] = C_NEWLINE;
	t[35] = C_HASH;
	t[92] = C_BACKSLASH;
	t[34] = t[39] = C_QUOTE;
	t[40] = t[91] = t[123] = C_OPEN;
	t[41] = t[93] = t[125] = C_CLOSE;
	t[46] = C_DOT;
	return t;
})();

/** Non-ASCII characters are identifier characters, except these spaces. */
function isWideSpace(c: number): boolean {
	return c === 0xa0 || c === 0x3000 || c === 0xfeff;
}

export function charClass(c: number): number {
	return c < 128 ? ASCII[c] : isWideSpace(c) ? C_SPACE : C_NAME;
}

export function isIdentPart(c: number): boolean {
	if (c < 128) {
		const k = ASCII[c];
		return k === C_NAME || k === C_DIGIT;
	}
	return !isWideSpace(c);
}

export function isDigit(c: number): boolean {
	return c >= 48 && c <= 57;
}

/** True for r, b, u, f prefixes (any case, at most two letters) that may precede a string quote. */
export function isStringPrefix(text: string, s: number, e: number): boolean {
	if (e - s > 2) return false;
	for (let i = s; i < e; i++) {
		const c = text.charCodeAt(i) | 0x20;
		if (c !== 0x72 && c !== 0x62 && c !== 0x75 && c !== 0x66) return false;
	}
	return true;
}

/** Length of the operator at i (1, 2 or 3 characters: `**=`, `//`, `==`, `->`, `...`). */
export function opLength(text: string, i: number, c: number): number {
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

/** Returns the end of the string literal whose opening quote is at `q`. Unterminated strings end at the line (or file) end. */
export function scanString(text: string, q: number): number {
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

export function scanNumber(text: string, i: number): number {
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
