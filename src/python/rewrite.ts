/**
 * The study group's fix as text edits: the book's with-replacement `np.random.choice(train_size, batch_size)`
 * becomes one shuffled pass per epoch, cut into consecutive slices; and back again.
 */
import { endOf, matchOf, startOf } from './tokens';
import { analysePython, type PythonModel } from './model';
import { randomReceiver } from './samplers';

export interface OffsetRange {
	readonly start: number;
	readonly end: number;
}

/** Replace [start, end) of the original text with newText. Edits of one action never overlap. */
export interface TextEdit extends OffsetRange {
	readonly newText: string;
}

export type SamplingDirection = 'apply' | 'reverse';

export interface SamplingAction {
	/** `apply`: "Sample without replacement (reshuffle every epoch)"; `reverse`: back to the book's `np.random.choice`. */
	readonly direction: SamplingDirection;
	/** The statement to mark (the `choice` statement, or the rewritten one). */
	readonly anchor: OffsetRange;
	/** Every range the action is about (statement, inserted helper, loop header); a request touching one of them may offer it. */
	readonly ranges: readonly OffsetRange[];
	/** Sorted by start, non-overlapping, offsets into the analysed text. */
	readonly edits: readonly TextEdit[];
}

/** Marks the rewritten line and keeps the original statement verbatim, so the reverse restores it exactly. */
const ORIGINAL_MARK = '# original: ';

/** The pieces the generated text is built from; the reverse rebuilds them to find exactly what was inserted. */
interface FixParts {
	/** Indent of the `for`, the body's extra indent unit, and the file's line ending. */
	readonly forIndent: string;
	readonly unit: string;
	readonly eol: string;
	readonly loopVar: string;
	readonly mask: string;
	/** `np.random` as written in the call (whitespace removed). */
	readonly random: string;
	readonly trainArg: string;
	readonly batchArg: string;
	readonly fn: string;
	readonly list: string;
	readonly perEpoch: string;
	/** The original statement after its indent, trailing comment included. */
	readonly original: string;
}

/** The helper and the int epoch length, inserted just before the `for` line. */
function renderBlock(p: FixParts): string {
	const f = p.forIndent;
	const b = f + p.unit;
	const e = p.eol;
	return (
		`${f}def ${p.fn}(train_size, batch_size):${e}` +
		`${b}# One epoch without replacement: a shuffled np.arange(train_size) cut into slices; the last may be shorter.${e}` +
		`${b}order = ${p.random}.permutation(train_size)${e}` +
		`${b}return [order[k:k + batch_size] for k in range(0, train_size, batch_size)]${e}` +
		`${e}` +
		`${f}# An int, to index the list: iter_per_epoch is a float (600.0) and need not be whole.${e}` +
		`${f}${p.perEpoch} = (${paren(p.trainArg)} + ${paren(p.batchArg)} - 1) // ${paren(p.batchArg)}${e}`
	);
}

/** The lines that replace the `choice` statement (without the final line ending, which stays). */
function renderLoopLines(p: FixParts): string {
	const b = p.forIndent + p.unit;
	const e = p.eol;
	return (
		`${b}if ${p.loopVar} % ${p.perEpoch} == 0:${e}` +
		`${b}${p.unit}${p.list} = ${p.fn}(${p.trainArg}, ${p.batchArg})${e}` +
		`${b}${p.mask} = ${p.list}[${p.loopVar} % ${p.perEpoch}]  ${ORIGINAL_MARK}${p.original}`
	);
}

/** Wraps an argument in parentheses unless it is a name, a number or a call/attribute chain. */
function paren(expr: string): string {
	return /^[\w.]+(?:\([^()]*\)|\[[^[\]]*\])*(?:\.[\w]+)*$/u.test(expr) ? expr : `(${expr})`;
}

/** Applies non-overlapping edits (any order) to text. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
	const sorted = [...edits].sort((a, b) => a.start - b.start);
	let out = '';
	let pos = 0;
	for (const e of sorted) {
		if (e.start < pos || e.end < e.start || e.end > text.length) throw new RangeError('overlapping or out-of-range edit');
		out += text.slice(pos, e.start) + e.newText;
		pos = e.end;
	}
	return out + text.slice(pos);
}

/** Each reverse candidate costs a re-analysis of the document; a real file has one or two. */
const MAX_REVERSE_CANDIDATES = 16;

/** Both directions' actions for the document, computed once per model. */
export function samplingActions(model: PythonModel): readonly SamplingAction[] {
	const cached = model.cache.samplingActions as SamplingAction[] | undefined;
	if (cached) return cached;
	const out: SamplingAction[] = [];
	for (const c of model.choiceCalls) {
		const a = applyActionFor(model, c);
		if (a) out.push(a);
	}
	out.push(...reverseActions(model));
	model.cache.samplingActions = out;
	return out;
}

/** The apply action for the `choice` at token c, if that call is the book pattern (what a `choice` hover needs, and no more). */
export function applyActionFor(model: PythonModel, c: number): SamplingAction | undefined {
	let memo = model.cache.applyActions as Map<number, SamplingAction | null> | undefined;
	if (!memo) memo = model.cache.applyActions = new Map();
	const hit = memo.get(c);
	if (hit !== undefined) return hit ?? undefined;
	const a = planApply(model, c)?.action;
	memo.set(c, a ?? null);
	return a;
}

/** The reverse actions (the study group's rewrite, found by its `# original:` line), computed once per model. */
export function reverseActions(model: PythonModel): readonly SamplingAction[] {
	const cached = model.cache.reverseActions as SamplingAction[] | undefined;
	if (cached) return cached;
	const out = findReverse(model);
	model.cache.reverseActions = out;
	return out;
}

/** Actions one of whose ranges touches [start, end] (inclusive, so a cursor at a statement's end still counts). */
export function samplingActionsAt(model: PythonModel, start: number, end = start): SamplingAction[] {
	return samplingActions(model).filter((a) => a.ranges.some((r) => r.start <= end && start <= r.end));
}

function lineEnd(text: string, from: number): number {
	let i = from;
	while (i < text.length) {
		const c = text.charCodeAt(i);
		if (c === 10 || c === 13) break;
		i++;
	}
	return i;
}

function eolAt(text: string, i: number): string {
	if (text.charCodeAt(i) === 13) return text.charCodeAt(i + 1) === 10 ? '\r\n' : '\r';
	return '\n';
}

function freshName(names: Set<string>, base: string): string {
	if (!names.has(base)) return base;
	for (let k = 2; ; k++) if (!names.has(`${base}_${k}`)) return `${base}_${k}`;
}

function planApply(model: PythonModel, c: number): { action: SamplingAction; parts: FixParts } | undefined {
	const t = model.tokens;
	const st = model.stmts;
	const text = model.text;
	const recv = randomReceiver(model, c - 1);
	if (!recv || recv.kind !== 'legacy') return undefined;
	const s = model.stmtOf(c);
	const a = st.firstTok[s];
	const e = st.endTok[s];
	// `mask = np.random.choice(A, B)` and nothing else in the statement.
	if (!model.isName(a) || !model.isOp(a + 1, '=') || model.chainStart(c - 1) !== a + 2 || matchOf(t, c + 1) !== e - 1) return undefined;
	if (st.afterSemicolon[s] || (s + 1 < st.count && st.afterSemicolon[s + 1] && st.lineStart[s + 1] === st.lineStart[s])) return undefined;
	const args = model.callArgs(c + 1);
	if (args.length !== 2 || args.some((x) => x.keyword !== undefined || x.end <= x.start)) return undefined;

	// One physical line, optionally with a trailing comment.
	const lineStart = st.lineStart[s];
	const stmtStart = startOf(t, a);
	const stmtEnd = endOf(t, e - 1);
	const eol = lineEnd(text, stmtStart);
	if (eol < stmtEnd || !/^[ \t]*(?:#.*)?$/.test(text.slice(stmtEnd, eol))) return undefined;

	const loop = model.rangeLoopAt(c);
	if (!loop || model.loopAt(c) !== loop || s < loop.bodyFirst || s >= loop.bodyEnd) return undefined;
	// The loop must start at 0 (`range(n)`), or the first reshuffle would never run.
	const rangeArgs = model.callArgs(loop.rangeOpen);
	if (rangeArgs.length !== 1 || rangeArgs[0].keyword !== undefined) return undefined;
	if (st.afterSemicolon[loop.stmt]) return undefined;
	const forIndent = text.slice(st.lineStart[loop.stmt], startOf(t, st.firstTok[loop.stmt]));
	const bodyIndent = text.slice(st.lineStart[loop.bodyFirst], startOf(t, st.firstTok[loop.bodyFirst]));
	const ownIndent = text.slice(lineStart, stmtStart);
	if (ownIndent !== bodyIndent || !bodyIndent.startsWith(forIndent) || bodyIndent.length <= forIndent.length) return undefined;
	if (!/^[ \t]*$/.test(bodyIndent)) return undefined;

	// The arguments are evaluated before the loop: they must not depend on anything the loop changes.
	const mask = model.tok(a);
	for (const arg of args) {
		for (let j = arg.start; j < arg.end; j++) {
			if (!model.isName(j) || model.isOp(j - 1, '.')) continue;
			const name = model.tok(j);
			if (name === loop.varName || name === mask) return undefined;
			if ((model.assignments.get(name) ?? []).some((x) => x.stmt >= loop.bodyFirst && x.stmt < loop.bodyEnd)) return undefined;
		}
	}

	const names = model.allNames();
	const forLineStart = st.lineStart[loop.stmt];
	const parts: FixParts = {
		forIndent,
		unit: bodyIndent.slice(forIndent.length),
		eol: eolAt(text, lineEnd(text, forLineStart)),
		loopVar: loop.varName,
		mask,
		random: recv.chain,
		trainArg: text.slice(startOf(t, args[0].start), endOf(t, args[0].end - 1)),
		batchArg: text.slice(startOf(t, args[1].start), endOf(t, args[1].end - 1)),
		fn: freshName(names, 'make_batch_mask_list'),
		list: freshName(names, `${mask}_list`),
		perEpoch: freshName(names, 'batches_per_epoch'),
		original: text.slice(stmtStart, eol),
	};
	const anchor = { start: stmtStart, end: stmtEnd };
	return {
		parts,
		action: {
			direction: 'apply',
			anchor,
			ranges: [anchor, { start: startOf(t, st.firstTok[loop.stmt]), end: endOf(t, loop.rangeOpen) }],
			edits: [
				{ start: forLineStart, end: forLineStart, newText: renderBlock(parts) },
				{ start: lineStart, end: eol, newText: renderLoopLines(parts) },
			],
		},
	};
}

function findReverse(model: PythonModel): SamplingAction[] {
	const out: SamplingAction[] = [];
	const text = model.text;
	const lx = model.lexed;
	let candidates = 0;
	for (let k = 0; k < lx.commentCount && candidates < MAX_REVERSE_CANDIDATES; k++) {
		const cs = lx.commentStart[k];
		if (!text.startsWith(ORIGINAL_MARK, cs)) continue;
		candidates++;
		const action = planReverse(model, cs, lx.commentEnd[k]);
		if (action) out.push(action);
	}
	return out;
}

function planReverse(model: PythonModel, commentStart: number, commentEnd: number): SamplingAction | undefined {
	const t = model.tokens;
	const st = model.stmts;
	const text = model.text;
	// The token just before the comment ends `mask = list[i % per_epoch]`.
	let last = -1;
	for (let lo = 0, hi = t.count - 1; lo <= hi; ) {
		const mid = (lo + hi) >> 1;
		if (startOf(t, mid) < commentStart) {
			last = mid;
			lo = mid + 1;
		} else hi = mid - 1;
	}
	if (last < 0) return undefined;
	const s = model.stmtOf(last);
	const a = st.firstTok[s];
	if (st.endTok[s] !== last + 1 || last - a !== 7 || s < 2) return undefined;
	if (!(model.isName(a) && model.isOp(a + 1, '=') && model.isName(a + 2) && model.isOp(a + 3, '[') && model.isName(a + 4) && model.isOp(a + 5, '%') && model.isName(a + 6) && model.isOp(a + 7, ']'))) {
		return undefined;
	}
	if (lineEnd(text, startOf(t, a)) !== commentEnd) return undefined;
	const original = text.slice(commentStart + ORIGINAL_MARK.length, commentEnd);
	const loopVar = model.tok(a + 4);
	const perEpoch = model.tok(a + 6);
	const list = model.tok(a + 2);
	const mask = model.tok(a);
	// `list = fn(A, B)` just before.
	const fa = st.firstTok[s - 1];
	if (!model.isName(fa, list) || !model.isOp(fa + 1, '=') || !model.isName(fa + 2) || !model.isOp(fa + 3, '(')) return undefined;
	const fn = model.tok(fa + 2);

	// The stored statement must itself be the book pattern.
	const orig = analysePython(original);
	const oc = orig.choiceCalls[0];
	if (oc === undefined || !orig.isName(0, mask) || !orig.isOp(1, '=')) return undefined;
	const recv = randomReceiver(orig, oc - 1);
	if (!recv || recv.kind !== 'legacy') return undefined;
	const oargs = orig.callArgs(oc + 1);
	if (oargs.length !== 2) return undefined;
	const ot = orig.tokens;

	const loop = model.rangeLoopAt(a);
	if (!loop || loop.varName !== loopVar || st.afterSemicolon[loop.stmt]) return undefined;
	const forLineStart = st.lineStart[loop.stmt];
	const forIndent = text.slice(forLineStart, startOf(t, st.firstTok[loop.stmt]));
	const bodyIndent = text.slice(st.lineStart[s], startOf(t, a));
	if (!bodyIndent.startsWith(forIndent)) return undefined;
	const parts: FixParts = {
		forIndent,
		unit: bodyIndent.slice(forIndent.length),
		eol: eolAt(text, lineEnd(text, forLineStart)),
		loopVar,
		mask,
		random: recv.chain,
		trainArg: original.slice(startOf(ot, oargs[0].start), endOf(ot, oargs[0].end - 1)),
		batchArg: original.slice(startOf(ot, oargs[1].start), endOf(ot, oargs[1].end - 1)),
		fn,
		list,
		perEpoch,
		original,
	};
	const block = renderBlock(parts);
	const lines = renderLoopLines(parts);
	const blockStart = forLineStart - block.length;
	const linesStart = commentEnd - lines.length;
	if (blockStart < 0 || linesStart < forLineStart || text.slice(blockStart, forLineStart) !== block || text.slice(linesStart, commentEnd) !== lines) return undefined;

	const edits: TextEdit[] = [
		{ start: blockStart, end: forLineStart, newText: '' },
		{ start: linesStart, end: commentEnd, newText: bodyIndent + original },
	];
	// Only offer what round-trips: the restored text must re-apply to exactly this text.
	const restored = applyTextEdits(text, edits);
	const again = analysePython(restored);
	const roundTrips = again.choiceCalls.some((c) => {
		const p = planApply(again, c);
		return p !== undefined && applyTextEdits(restored, p.action.edits) === text;
	});
	if (!roundTrips) return undefined;
	const anchor = { start: startOf(t, a), end: endOf(t, last) };
	return {
		direction: 'reverse',
		anchor,
		ranges: [anchor, { start: blockStart, end: forLineStart }, { start: startOf(t, st.firstTok[loop.stmt]), end: endOf(t, loop.rangeOpen) }],
		edits,
	};
}
