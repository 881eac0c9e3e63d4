/**
 * The lexer's output columns and their accessors. A 1 MB line can hold a million tokens and touching fresh memory is
 * most of the cost of lexing it, so a token takes 5 bytes: its kind, a 16-bit start offset from its block's base and
 * one 16-bit `aux` value. The rare value that does not fit in 16 bits is kept in WideSlots.
 */

export const K_NAME = 1;
export const K_NUMBER = 2;
export const K_STRING = 3;
export const K_OP = 4;
export const K_OPEN = 5;
export const K_CLOSE = 6;

/** Tokens per block: each block has a 32-bit base offset, and wide values are stored a block at a time. */
export const BLOCK_BITS = 8;
const BLOCK_MASK = (1 << BLOCK_BITS) - 1;
/** A 16-bit slot holding this has its value in WideSlots. */
export const WIDE = 0xffff;

/** 32-bit values for tokens whose 16-bit slot is WIDE: a block gets its own slots the first time one of its tokens needs one. */
export class WideSlots {
	/** Per block: 1 + its chunk in `slots`, or 0. */
	private readonly chunkOf: Int32Array;
	private slots = new Int32Array(0);
	private chunks = 0;

	constructor(blocks: number) {
		this.chunkOf = new Int32Array(blocks);
	}

	set(i: number, value: number): void {
		const b = i >>> BLOCK_BITS;
		let c = this.chunkOf[b];
		if (c === 0) {
			if ((this.chunks + 1) << BLOCK_BITS > this.slots.length) {
				const grown = new Int32Array(Math.max(4, this.chunks * 2) << BLOCK_BITS);
				grown.set(this.slots);
				this.slots = grown;
			}
			c = this.chunkOf[b] = ++this.chunks;
		}
		this.slots[((c - 1) << BLOCK_BITS) | (i & BLOCK_MASK)] = value;
	}

	get(i: number): number {
		return this.slots[((this.chunkOf[i >>> BLOCK_BITS] - 1) << BLOCK_BITS) | (i & BLOCK_MASK)];
	}
}

export interface Tokens {
	readonly count: number;
	readonly kind: Uint8Array;
	/** Start offset of token i: base[i >> BLOCK_BITS] + off[i] (or in wideStart). Use startOf. */
	readonly base: Int32Array;
	readonly off: Uint16Array;
	readonly wideStart: WideSlots;
	/** A bracket: the distance to its partner, 0 when unmatched. Any other token: its length. Use endOf and matchOf. */
	readonly aux: Uint16Array;
	/** Absolute values for WIDE aux slots: the partner's index, or the end offset. */
	readonly wideAux: WideSlots;
}

function isBracket(k: number): boolean {
	return k === K_OPEN || k === K_CLOSE;
}

/** Start offset of token i. */
export function startOf(t: Tokens, i: number): number {
	const o = t.off[i];
	return o !== WIDE ? t.base[i >>> BLOCK_BITS] + o : t.wideStart.get(i);
}

/** Length of token i (cheaper than endOf - startOf: no start needed). */
export function lengthOf(t: Tokens, i: number): number {
	if (isBracket(t.kind[i])) return 1;
	const a = t.aux[i];
	return a !== WIDE ? a : t.wideAux.get(i) - startOf(t, i);
}

/** Exclusive end offset of token i. */
export function endOf(t: Tokens, i: number): number {
	if (isBracket(t.kind[i])) return startOf(t, i) + 1;
	const a = t.aux[i];
	return a !== WIDE ? startOf(t, i) + a : t.wideAux.get(i);
}

/** The partner of bracket token i, or -1 (also for a token that is not a bracket). */
export function matchOf(t: Tokens, i: number): number {
	const k = t.kind[i];
	if (!isBracket(k)) return -1;
	const a = t.aux[i];
	if (a === 0) return -1;
	if (a === WIDE) return t.wideAux.get(i);
	return k === K_OPEN ? i + a : i - a;
}

/** Steps taken one token at a time before a run without brackets is skipped with a native search. */
const HAND_STEPS = 64;

/**
 * The open bracket token enclosing token i, or -1; `floor` is the first token of i's statement (brackets never span
 * statements). Walks back over whole bracket groups: a few tokens by hand, longer runs without brackets with
 * Uint8Array.lastIndexOf, whose results stay valid as the walk only goes back (so each kind is searched once per
 * stretch). On `f(a, a, …, keepdims=True)` that is two native scans instead of a loop that may not be optimized yet.
 */
export function parentOf(t: Tokens, i: number, floor: number): number {
	const kind = t.kind;
	// A matched close has its open's parent.
	if (kind[i] === K_CLOSE) {
		const o = matchOf(t, i);
		if (o >= 0) i = o;
	}
	// Nearest open and close bracket at or before j (-1: none; -2: not searched). A result before `floor` ends the walk.
	let open = -2;
	let close = -2;
	let j = i - 1;
	while (j >= floor) {
		let k = kind[j];
		for (let n = 0; n < HAND_STEPS && !isBracket(k); n++) {
			if (--j < floor) return -1;
			k = kind[j];
		}
		if (!isBracket(k)) {
			if (open === -2 || open > j) open = kind.lastIndexOf(K_OPEN, j);
			if (close === -2 || close > j) close = kind.lastIndexOf(K_CLOSE, j);
			j = Math.max(open, close);
			if (j < floor) return -1;
			k = kind[j];
		}
		// An open bracket reached this way is still open at i: its partner, if any, comes after i.
		if (k === K_OPEN) return j;
		const o = matchOf(t, j);
		j = (o >= 0 ? o : j) - 1;
	}
	return -1;
}

/** Index of the last token whose start is <= offset, or -1. */
export function tokenAtOrBefore(t: Tokens, offset: number): number {
	let lo = 0;
	let hi = t.count - 1;
	let best = -1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if (startOf(t, mid) <= offset) {
			best = mid;
			lo = mid + 1;
		} else hi = mid - 1;
	}
	return best;
}
