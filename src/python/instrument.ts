/**
 * The source a run executes: the learner's file, with its sampler rewritten in memory when the run asks for another one,
 * and calls to the shim's hooks wrapped around the expressions it reports (each hook returns its argument unchanged).
 * Wrapping never adds a line, so tracebacks name the user's own lines; a sampler rewrite adds lines, and then `lineMap`
 * takes each line of the run's source back to the file's. Pure: no `vscode`.
 */
import type { SamplerId } from '../core/samplers';
import { analysePython } from './model';
import { applyTextEdits, type OffsetRange, type TextEdit } from './rewrite';
import type { ScriptPlan } from './scriptPlan';
import { endOf, matchOf, startOf } from './tokens';

/** The global the shim installs (in builtins, so functions and class bodies see it; one underscore, so no name mangling). */
export const HOOK = '_minibatch_lab';

export interface Instrumented {
	readonly sampler: SamplerId;
	readonly source: string;
	/** 1-based: lineMap[k - 1] is the file's line for line k of `source`. Absent when the lines are the file's own. */
	readonly lineMap?: number[];
}

/** Why a run cannot be built: the sampler rewrite needs the book's pattern; the override needs one `range(...)` loop. */
export type InstrumentFailure = 'noRewrite' | 'itersOverride';

export function instrument(plan: ScriptPlan, sampler: SamplerId, itersOverride?: number): Instrumented | InstrumentFailure {
	const text = plan.model.text;
	if (!plan.asWritten || !plan.draw) throw new Error('instrument: the plan has no training loop');
	const edits: TextEdit[] = [];
	const wrap = (r: OffsetRange, before: string, after = ')') => {
		edits.push({ start: r.start, end: r.start, newText: before }, { start: r.end, end: r.end, newText: after });
	};
	const sampling = samplerEdits(plan, sampler);
	if (sampling === undefined) return 'noRewrite';
	edits.push(...sampling.edits);
	if (!sampling.drawReplaced) wrap(plan.draw, `${HOOK}.batch(`);
	if (plan.iterable) wrap(plan.iterable, `${HOOK}.loop(`);
	for (const c of plan.accuracyCalls) wrap(c, `${HOOK}.acc${c.kind ? `_${c.kind}` : ''}(`);
	for (const l of plan.lossArgs) if (!plan.accuracyCalls.some((c) => c.start < l.end && l.start < c.end)) wrap(l, `${HOOK}.loss(`);
	if (itersOverride !== undefined) {
		if (!plan.itersTarget) return 'itersOverride';
		edits.push({ ...plan.itersTarget, newText: String(itersOverride) });
	}
	const sorted = sortEdits(edits);
	const source = applyTextEdits(text, sorted);
	const multiLine = sorted.some((e) => /[\r\n]/.test(e.newText) || /[\r\n]/.test(text.slice(e.start, e.end)));
	return { sampler, source, ...(multiLine ? { lineMap: lineMap(text, sorted) } : {}) };
}

/** Insertions at one offset keep their order; a zero-width insertion goes before a replacement starting there. */
function sortEdits(edits: TextEdit[]): TextEdit[] {
	const sorted = edits.map((e, k) => ({ e, k })).sort((a, b) => a.e.start - b.e.start || (a.e.end - a.e.start) - (b.e.end - b.e.start) || a.k - b.k);
	for (let k = 1; k < sorted.length; k++) {
		const p = sorted[k - 1].e;
		const c = sorted[k].e;
		if (c.start < p.end) throw new RangeError(`instrument: edits overlap at ${c.start}`);
	}
	return sorted.map((x) => x.e);
}

/** The edits that make the file draw its batches with `sampler`, and whether they already wrap the draw in the hook. */
function samplerEdits(plan: ScriptPlan, sampler: SamplerId): { edits: TextEdit[]; drawReplaced: boolean } | undefined {
	const text = plan.model.text;
	if (sampler === plan.asWritten) return { edits: [], drawReplaced: false };
	const r = plan.rewrite;
	if (!r || r.edits.length !== 2) return undefined;
	if (plan.asWritten === 'replacement') {
		// The quick fix: a helper before the loop, and `mask = list[i % per_epoch]` in it.
		const [block, lines] = r.edits;
		const wrapped = wrapLastMaskLine(lines.newText);
		if (!wrapped) return undefined;
		const helper = sampler === 'sequential' ? sequentialHelper(block.newText) : block.newText;
		if (helper === undefined) return undefined;
		return { edits: [{ ...block, newText: helper }, { ...lines, newText: wrapped }], drawReplaced: true };
	}
	// Written with the per-epoch rewrite.
	if (sampler === 'sequential') {
		const block = r.ranges[1];
		const helper = block && sequentialHelper(text.slice(block.start, block.end));
		if (helper === undefined) return undefined;
		return { edits: [{ start: block.start, end: block.end, newText: helper }], drawReplaced: false };
	}
	// Back to the book's `np.random.choice`.
	const [block, line] = r.edits;
	const restored = wrapChoice(line.newText);
	return restored === undefined ? undefined : { edits: [block, { ...line, newText: restored }], drawReplaced: true };
}

/** `mask = list[i % per_epoch]  # original: …` → `mask = _minibatch_lab.batch(list[i % per_epoch])  # original: …`. */
function wrapLastMaskLine(lines: string): string | undefined {
	const cut = Math.max(lines.lastIndexOf('\n'), lines.lastIndexOf('\r')) + 1;
	const last = lines.slice(cut);
	const m = /^(\s*[A-Za-z_]\w*\s*=\s*)([A-Za-z_]\w*\[[^\]\n]*\])(\s*#.*)$/.exec(last);
	return m ? lines.slice(0, cut) + `${m[1]}${HOOK}.batch(${m[2]})${m[3]}` : undefined;
}

/** The helper with its shuffle replaced by the identity order: consecutive slices of 0..n-1, as the reference's sequential sampler. */
function sequentialHelper(block: string): string | undefined {
	const m = /([A-Za-z_][\w.]*)\.permutation\(/.exec(block);
	return m ? block.slice(0, m.index) + `__import__('numpy').arange(` + block.slice(m.index + m[0].length) : undefined;
}

/** `mask = np.random.choice(A, B)` (with its indent and comment) with the call wrapped in the batch hook. */
function wrapChoice(line: string): string | undefined {
	const m = analysePython(line);
	const c = m.choiceCalls[0];
	if (c === undefined) return undefined;
	const s = m.chainStart(c - 1);
	const close = matchOf(m.tokens, c + 1);
	if (s < 0 || close < 0) return undefined;
	const a = startOf(m.tokens, s);
	const b = endOf(m.tokens, close);
	return `${line.slice(0, a)}${HOOK}.batch(${line.slice(a, b)})${line.slice(b)}`;
}

/** Counts line breaks as Python does (\r\n, \r or \n). */
function countLines(s: string): number {
	let n = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c === 10 || (c === 13 && s.charCodeAt(i + 1) !== 10)) n++;
	}
	return n;
}

/** For each line of the edited text, the 1-based line of `text` it comes from (inserted lines: the line of their edit). */
export function lineMap(text: string, sorted: readonly TextEdit[]): number[] {
	const map: number[] = [];
	let orig = 1;
	let pos = 0;
	const keep = (s: string) => {
		for (let k = countLines(s); k > 0; k--) map.push(orig++);
	};
	for (const e of sorted) {
		keep(text.slice(pos, e.start));
		for (let k = countLines(e.newText); k > 0; k--) map.push(orig);
		orig += countLines(text.slice(e.start, e.end));
		pos = e.end;
	}
	keep(text.slice(pos));
	map.push(orig);
	return map;
}
