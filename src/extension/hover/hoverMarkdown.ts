/** Markdown building blocks shared by the hover texts (hoverText.ts, reductionText.ts): numbers, code spans, lists. */

/** `vscode.l10n.t`, passed in so the texts stay free of `vscode`. */
export type Translate = (message: string, ...args: (string | number)[]) => string;

/** An inline code span that survives backticks in file-derived text. */
export function code(s: string): string {
	const one = s.replace(/[\r\n]+/g, ' ');
	let longest = 0;
	for (const run of one.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
	const fence = '`'.repeat(longest + 1);
	const pad = one.startsWith('`') || one.endsWith('`') ? ' ' : '';
	return `${fence}${pad}${one}${pad}${fence}`;
}

/** 60,000 for counts; up to 3 decimals otherwise. */
export function num(v: number): string {
	if (!Number.isFinite(v)) return '—';
	if (Number.isInteger(v)) return v.toLocaleString('en-US');
	return v.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** 16.7 (one decimal), or 17 when whole. */
export function approx(v: number): string {
	if (!Number.isFinite(v)) return '—';
	const r = Math.round(v * 10) / 10;
	return Number.isInteger(r) ? r.toLocaleString('en-US') : r.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

export function pct(p: number | undefined): string {
	if (p === undefined || !Number.isFinite(p)) return '—';
	if (p > 0 && p < 0.001) return '<0.1%';
	if (p < 1 && p > 0.999) return '>99.9%';
	return `${(p * 100).toFixed(1)}%`;
}

/** Python's own spelling: 600 for an int, 600.0 for a float. */
export function py(q: { value: number; isFloat: boolean }): string {
	const v = q.value;
	if (!Number.isFinite(v)) return String(v);
	if (q.isFloat && Number.isInteger(v) && Math.abs(v) < 1e16) return v.toFixed(1);
	if (q.isFloat) return String(Number(v.toPrecision(6)));
	return String(v);
}

/** Two sentences in one paragraph: a space after English punctuation, none after Japanese (。：). */
export function joinSentences(a: string | undefined, b: string | undefined): string {
	if (!a || !b) return a || b || '';
	return /[。：、）]$/.test(a) ? a + b : `${a} ${b}`;
}

export function paragraphs(parts: (string | undefined | false)[]): string {
	return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join('\n\n');
}

export function bullets(items: (string | undefined | false)[]): string {
	return items
		.filter((p): p is string => typeof p === 'string' && p.length > 0)
		.map((p) => `- ${p}`)
		.join('\n');
}
