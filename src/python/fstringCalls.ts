/**
 * Calls inside an f-string's replacement fields (`f"{net.accuracy(x, t):.4f}"`), which the lexer keeps as one string
 * token. Enough of Python's f-string grammar to find a call and its closing parenthesis: braces (`{{` is a literal
 * brace) and quoted strings inside the field.
 */

export interface FieldCall {
	/** Offsets into the token's text: the call from its dotted name to its `)`, inclusive-exclusive. */
	readonly start: number;
	readonly end: number;
	/** The last name of the callee (`accuracy` in `net.accuracy`). */
	readonly name: string;
	/** The arguments' source. */
	readonly args: string;
}

const CALL = /(?<![\w.])((?:[A-Za-z_]\w*\s*\.\s*)*([A-Za-z_]\w*))\s*\(/g;

/** Calls whose callee's last name passes `wanted`, in an f-string token's fields; [] for any other string. */
export function fstringCalls(token: string, wanted: (name: string) => boolean): FieldCall[] {
	const prefix = /^[A-Za-z]*/.exec(token)?.[0] ?? '';
	if (!/f/i.test(prefix)) return [];
	const inField = fieldMask(token, prefix.length);
	const out: FieldCall[] = [];
	let from = 0;
	for (const m of token.matchAll(CALL)) {
		const at = m.index ?? 0;
		if (at < from || !inField[at] || !wanted(m[2])) continue;
		const open = at + m[0].length - 1;
		const close = closeParen(token, open);
		if (close < 0) continue;
		out.push({ start: at, end: close + 1, name: m[2], args: token.slice(open + 1, close) });
		from = close + 1;
	}
	return out;
}

/** 1 where a character is inside a replacement field (outside a nested string's quotes too, roughly: good enough to start a call). */
function fieldMask(token: string, quoteAt: number): Uint8Array {
	const mask = new Uint8Array(token.length);
	const q = token[quoteAt];
	const triple = token.startsWith(q.repeat(3), quoteAt);
	let depth = 0;
	for (let i = quoteAt + (triple ? 3 : 1); i < token.length; i++) {
		const c = token[i];
		if (depth === 0) {
			if (c === '{') {
				if (token[i + 1] === '{') i++;
				else depth = 1;
			}
			continue;
		}
		if (c === '{') depth++;
		else if (c === '}') depth--;
		if (depth > 0) mask[i] = 1;
	}
	return mask;
}

/** The `)` matching the `(` at `open`, skipping quoted strings; -1 if none. */
function closeParen(s: string, open: number): number {
	let depth = 0;
	for (let i = open; i < s.length; i++) {
		const c = s[i];
		if (c === "'" || c === '"') {
			const end = s.indexOf(c, i + 1);
			if (end < 0) return -1;
			i = end;
		} else if (c === '(' || c === '[') depth++;
		else if (c === ')' || c === ']') {
			depth--;
			if (depth === 0) return c === ')' ? i : -1;
		}
	}
	return -1;
}
