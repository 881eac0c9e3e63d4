import { parseNumberLiteral } from './chars';
import { KNOWN_FUNCS, ROUNDING, applyFunc, pyRepr, type PyNum } from './pyNumbers';
import { K_CLOSE, K_NAME, K_NUMBER, K_OP, K_OPEN, K_STRING, endOf, matchOf, startOf, type Tokens } from './tokens';

export { pyRepr, type PyNum } from './pyNumbers';

/** An expression with its value when it has one, and its text with the known names replaced by their values. */
export interface Evaluated {
	readonly num?: PyNum;
	readonly rendered: string;
	/** The first sub-expression that has no static value (`x_train.shape[0]`). */
	readonly unknown?: string;
}

export interface EvalEnv {
	readonly text: string;
	readonly tokens: Tokens;
	/** The value of a bare or dotted name (`batch_size`, `self.batch_size`) at token `tok`, or undefined when it has none. */
	resolveName(name: string, tok: number): PyNum | undefined;
	/** The length of the array a name holds at `tok` (`len(x)`, `x.shape[0]`), when the file shows it. */
	resolveLength?(name: string, tok: number): PyNum | undefined;
}

/** Parts of a dotted name read as one (`self.net.batch_size`). */
const MAX_DOTTED = 3;

/** Recursion guard: hover must not overflow the stack on `((((((…` in a generated file. */
const MAX_DEPTH = 48;
/** Rendered text is for a hover: keep it short. */
const MAX_RENDER = 120;

/** Evaluates tokens [s, e) as a Python arithmetic expression; anything else becomes `unknown`. */
export function evaluateRange(env: EvalEnv, s: number, e: number): Evaluated {
	if (s >= e) return { rendered: '', unknown: '' };
	const p = new ExprParser(env, s, e);
	const r = p.parseSum();
	if (!r || p.pos !== e) {
		const src = sliceTokens(env, s, e);
		return { rendered: src, unknown: src };
	}
	return r;
}

export function sliceTokens(env: { text: string; tokens: Tokens }, s: number, e: number): string {
	if (s >= e) return '';
	const raw = env.text.slice(startOf(env.tokens, s), endOf(env.tokens, e - 1));
	const one = raw.length > 400 ? raw.slice(0, 400) : raw;
	return clip(one.replace(/\s*(?:\\\r?\n|\r?\n|\r)\s*/g, ' '));
}

function clip(s: string): string {
	return s.length > MAX_RENDER ? s.slice(0, MAX_RENDER - 1) + '…' : s;
}

class ExprParser {
	pos: number;
	private depth = 0;
	constructor(
		private readonly env: EvalEnv,
		start: number,
		private readonly end: number,
	) {
		this.pos = start;
	}

	private op(): string | undefined {
		if (this.pos >= this.end) return undefined;
		const t = this.env.tokens;
		const k = t.kind[this.pos];
		if (k !== K_OP && k !== K_OPEN && k !== K_CLOSE) return undefined;
		return this.env.text.slice(startOf(t, this.pos), endOf(t, this.pos));
	}

	parseSum(): Evaluated | undefined {
		if (++this.depth > MAX_DEPTH) return undefined;
		let l = this.parseTerm();
		while (l) {
			const o = this.op();
			if (o !== '+' && o !== '-') break;
			this.pos++;
			const r = this.parseTerm();
			if (!r) return undefined;
			l = binary(o, l, r);
		}
		this.depth--;
		return l;
	}

	private parseTerm(): Evaluated | undefined {
		let l = this.parseUnary();
		while (l) {
			const o = this.op();
			if (o !== '*' && o !== '/' && o !== '//' && o !== '%') break;
			this.pos++;
			const r = this.parseUnary();
			if (!r) return undefined;
			l = binary(o, l, r);
		}
		return l;
	}

	private parseUnary(): Evaluated | undefined {
		const o = this.op();
		if (o === '-' || o === '+') {
			if (++this.depth > MAX_DEPTH) return undefined;
			this.pos++;
			const r = this.parseUnary();
			this.depth--;
			if (!r) return undefined;
			const rendered = clip(o + r.rendered);
			if (!r.num) return { rendered, unknown: r.unknown };
			return { num: o === '-' ? { value: -r.num.value, isFloat: r.num.isFloat } : r.num, rendered };
		}
		return this.parsePower();
	}

	private parsePower(): Evaluated | undefined {
		const a = this.parseAtom();
		if (!a) return undefined;
		if (this.op() === '**') {
			this.pos++;
			const b = this.parseUnary();
			if (!b) return undefined;
			return binary('**', a, b);
		}
		return a;
	}

	private parseAtom(): Evaluated | undefined {
		if (this.pos >= this.end) return undefined;
		const env = this.env;
		const t = env.tokens;
		const i = this.pos;
		const k = t.kind[i];
		if (k === K_NUMBER) {
			this.pos++;
			const src = env.text.slice(startOf(t, i), endOf(t, i));
			const lit = parseNumberLiteral(src);
			if (Number.isNaN(lit.value)) return this.trailers(i, { rendered: src, unknown: src });
			return this.trailers(i, { num: lit, rendered: src });
		}
		if (k === K_OPEN && env.text.charCodeAt(startOf(t, i)) === 40) {
			const close = matchOf(t, i);
			if (close < 0 || close >= this.end) return undefined;
			this.pos++;
			const inner = this.parseSum();
			if (!inner || this.pos !== close) return undefined;
			this.pos = close + 1;
			return this.trailers(i, { ...inner, rendered: clip(`(${inner.rendered})`) });
		}
		if (k === K_NAME) {
			const name = env.text.slice(startOf(t, i), endOf(t, i));
			this.pos++;
			const next = this.pos < this.end ? t.kind[this.pos] : 0;
			const nextIsCall = next === K_OPEN && env.text.charCodeAt(startOf(t, this.pos)) === 40;
			if (nextIsCall && KNOWN_FUNCS.has(name)) {
				const r = this.call(name, this.pos);
				return r && this.trailers(i, r);
			}
			if (nextIsCall && name === 'len') {
				const r = this.length(this.pos);
				if (r) return this.trailers(i, r);
			}
			if (name === 'True' || name === 'False' || name === 'None') return this.trailers(i, { rendered: name, unknown: name });
			if (!nextIsCall && this.op() === '.') {
				const r = this.dotted(i, name);
				if (r) return r;
			}
			// hp['batch']: one string key, resolved as the name `hp['batch']`.
			if (!nextIsCall && this.op() === '[' && this.pos + 2 < this.end && t.kind[this.pos + 1] === K_STRING && this.isOpAt(this.pos + 2, ']')) {
				const after = this.pos + 3;
				const num = after < this.end && (this.isOpAt(after, '.') || this.isOpAt(after, '(') || this.isOpAt(after, '[')) ? undefined : env.resolveName(`${name}[${this.text(this.pos + 1)}]`, i);
				if (num) {
					this.pos = after;
					return { num, rendered: pyRepr(num) };
				}
			}
			const num = nextIsCall || this.startsTrailer() ? undefined : env.resolveName(name, i);
			if (num) return { num, rendered: pyRepr(num) };
			return this.trailers(i, { rendered: name, unknown: name });
		}
		return undefined;
	}

	/** `a.b` (up to MAX_DOTTED parts) not followed by a call or subscript, as one name; `a.shape[0]` as a length. */
	private dotted(first: number, name: string): Evaluated | undefined {
		const t = this.env.tokens;
		let full = name;
		let j = this.pos;
		for (let parts = 1; parts < MAX_DOTTED && this.isOpAt(j, '.') && j + 1 < this.end && t.kind[j + 1] === K_NAME; parts++) {
			full += '.' + this.text(j + 1);
			j += 2;
		}
		// x.shape[0], self.x_train.shape[0]
		if (full.endsWith('.shape') && j + 2 < this.end && this.isOpAt(j, '[') && this.text(j + 1) === '0' && this.isOpAt(j + 2, ']')) {
			const after = j + 3;
			if (after < this.end && (this.isOpAt(after, '.') || this.isOpAt(after, '(') || this.isOpAt(after, '['))) return undefined;
			const num = this.lengthOf(full.slice(0, -'.shape'.length), first);
			if (!num) return undefined;
			this.pos = after;
			return { num, rendered: pyRepr(num) };
		}
		// math.ceil(…), np.floor(…)
		const fn = ROUNDING[full];
		if (fn && this.isOpAt(j, '(')) {
			const r = this.call(fn, j, full);
			return r && this.trailers(first, r);
		}
		if (j === this.pos || this.isOpAt(j, '(') || this.isOpAt(j, '[') || this.isOpAt(j, '.')) return undefined;
		const num = this.env.resolveName(full, first);
		this.pos = j;
		if (num) return { num, rendered: pyRepr(num) };
		return { rendered: full, unknown: full };
	}

	/** `len(name)` and `len(self.name)`: the length the file shows for that array. */
	private length(open: number): Evaluated | undefined {
		const t = this.env.tokens;
		const close = matchOf(t, open);
		if (close < open + 2 || close >= this.end || (close - open) % 2 !== 0 || close - open > 2 * MAX_DOTTED) return undefined;
		let name = '';
		for (let j = open + 1; j < close; j += 2) {
			if (t.kind[j] !== K_NAME || (j + 1 < close && !this.isOpAt(j + 1, '.'))) return undefined;
			name += (name ? '.' : '') + this.text(j);
		}
		const num = this.lengthOf(name, open + 1);
		if (!num) return undefined;
		this.pos = close + 1;
		return { num, rendered: pyRepr(num) };
	}

	/** The array's length from the file, else from the resolver as the pseudo-name `len(name)` (an assumed value). */
	private lengthOf(name: string, tok: number): PyNum | undefined {
		return this.env.resolveLength?.(name, tok) ?? this.env.resolveName(`len(${name})`, tok);
	}

	private text(i: number): string {
		const t = this.env.tokens;
		return this.env.text.slice(startOf(t, i), endOf(t, i));
	}

	private isOpAt(i: number, op: string): boolean {
		if (i >= this.end) return false;
		const k = this.env.tokens.kind[i];
		return (k === K_OP || k === K_OPEN || k === K_CLOSE) && this.text(i) === op;
	}

	private startsTrailer(): boolean {
		const o = this.op();
		return o === '.' || o === '(' || o === '[';
	}

	/** `.shape[0]`, `(…)`, `[…]` after an atom: the whole chain has no static value. */
	private trailers(first: number, atom: Evaluated): Evaluated | undefined {
		if (!this.startsTrailer()) return atom;
		const t = this.env.tokens;
		while (this.pos < this.end) {
			const o = this.op();
			if (o === '.') {
				if (this.pos + 1 >= this.end || t.kind[this.pos + 1] !== K_NAME) return undefined;
				this.pos += 2;
			} else if (o === '(' || o === '[') {
				const close = matchOf(t, this.pos);
				if (close < 0 || close >= this.end) return undefined;
				this.pos = close + 1;
			} else break;
		}
		const src = sliceTokens(this.env, first, this.pos);
		return { rendered: src, unknown: src };
	}

	private call(name: string, open: number, display = name): Evaluated | undefined {
		const t = this.env.tokens;
		const close = matchOf(t, open);
		if (close < 0 || close >= this.end) return undefined;
		const args: Evaluated[] = [];
		this.pos = open + 1;
		while (this.pos < close) {
			if (++this.depth > MAX_DEPTH) return undefined;
			const a = this.parseSum();
			this.depth--;
			if (!a) return undefined;
			args.push(a);
			if (this.op() === ',') this.pos++;
			else if (this.pos !== close) return undefined;
		}
		this.pos = close + 1;
		const rendered = clip(`${display}(${args.map((a) => a.rendered).join(', ')})`);
		const missing = args.find((a) => !a.num);
		if (args.length === 0) return { rendered, unknown: rendered };
		if (missing) return { rendered, unknown: missing.unknown };
		const nums = args.map((a) => a.num as PyNum);
		const num = applyFunc(name, nums);
		return num ? { num, rendered } : { rendered, unknown: rendered };
	}
}

/** `l op r` for the arithmetic operators (an augmented assignment's `op=`); anything else has no value. */
export function combine(op: string, l: Evaluated, r: Evaluated): Evaluated {
	return binary(op, l, r);
}

function binary(op: string, l: Evaluated, r: Evaluated): Evaluated {
	const rendered = clip(`${l.rendered} ${op} ${r.rendered}`);
	if (!l.num || !r.num) return { rendered, unknown: l.unknown ?? r.unknown };
	const a = l.num.value;
	const b = r.num.value;
	const anyFloat = l.num.isFloat || r.num.isFloat;
	let value: number;
	let isFloat = anyFloat;
	switch (op) {
		case '+':
			value = a + b;
			break;
		case '-':
			value = a - b;
			break;
		case '*':
			value = a * b;
			break;
		case '/':
			// ZeroDivisionError in Python: no value.
			if (b === 0) return { rendered, unknown: rendered };
			value = a / b;
			isFloat = true;
			break;
		case '//':
			if (b === 0) return { rendered, unknown: rendered };
			value = Math.floor(a / b);
			break;
		case '%': {
			if (b === 0) return { rendered, unknown: rendered };
			let m = a % b;
			if (m !== 0 && m < 0 !== b < 0) m += b;
			value = m;
			break;
		}
		case '**':
			value = a ** b;
			if (!anyFloat && b < 0) isFloat = true;
			break;
		default:
			return { rendered, unknown: rendered };
	}
	return { num: { value, isFloat }, rendered };
}
