/** The "Run again" form: checks every field in the page, so the host only ever gets values it would accept. */
import { SAMPLER_IDS } from '../src/core/samplers';
import { LIMITS } from '../src/core/settings';
import { SEED_COUNT_LIMITS } from '../src/core/stats';
import { WEBVIEW_LIMITS, type FormScript, type FormValues, type SamplerId } from '../src/shared/protocol';
import { appendFilled, fill, type PanelStrings } from './strings';

type FormStrings = PanelStrings['form'];

type NumKey = 'iters' | 'batchSize' | 'lr' | 'hidden' | 'seed' | 'seedCount';
export interface Limit {
	min: number;
	max: number;
	integer: boolean;
	exclusiveMin?: boolean;
}

/** Raw field text, kept in `setState` so a half-typed edit survives the panel being hidden. */
export interface FormDraft {
	fields: Record<NumKey, string>;
	samplers: SamplerId[];
	dataset: string;
}

/** The ranges the host checks too (requestFromForm): one source, imported, never sent. */
const FIELD_LIMITS: Record<NumKey, Limit> = { ...LIMITS, seedCount: { ...SEED_COUNT_LIMITS, integer: true } };

/** The fields in order; the label is the key of the field's name in the string table, `book` the book's variable. */
const FIELDS: { key: NumKey; book?: string; title?: 'seedCountTitle'; mode: 'numeric' | 'decimal' }[] = [
	{ key: 'iters', book: 'iters_num', mode: 'numeric' },
	{ key: 'batchSize', book: 'batch_size', mode: 'numeric' },
	{ key: 'lr', book: 'learning_rate', mode: 'decimal' },
	{ key: 'hidden', book: 'hidden_size', mode: 'numeric' },
	{ key: 'seed', book: 'np.random.seed', mode: 'numeric' },
	{ key: 'seedCount', title: 'seedCountTitle', mode: 'numeric' },
];

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

export function describeLimit(l: Limit, S: FormStrings): string {
	if (l.exclusiveMin) return fill(l.integer ? S.wholeAbove : S.numberAbove, l.min, l.max);
	return fill(l.integer ? S.wholeRange : S.numberRange, l.min, l.max);
}

/** Parses one field; returns the number or the message to show next to it (naming the setting and its range). */
export function checkField(label: string, raw: string, l: Limit, S: FormStrings): number | string {
	const text = raw.trim();
	const range = describeLimit(l, S);
	if (text === '') return fill(S.empty, label, range);
	const v = NUMBER.test(text) ? Number(text) : NaN;
	const fits = Number.isFinite(v) && (!l.integer || Number.isInteger(v)) && (l.exclusiveMin ? v > l.min : v >= l.min) && v <= l.max;
	return fits ? v : fill(S.invalid, label, range, text);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}): HTMLElementTagNameMap[K] {
	return Object.assign(document.createElement(tag), props);
}

export class SettingsForm {
	private readonly inputs = new Map<NumKey, HTMLInputElement>();
	private readonly messages = new Map<NumKey | 'samplers', HTMLElement>();
	private readonly boxes = new Map<SamplerId, HTMLInputElement>();
	private readonly dataset: HTMLInputElement;
	private hostValues?: FormValues;

	private readonly S: FormStrings;
	private readonly scriptNote: HTMLParagraphElement;
	private readonly scriptNoteText: string;

	constructor(
		private readonly form: HTMLFormElement,
		strings: PanelStrings,
		private readonly onSubmit: (v: FormValues) => void,
		private readonly onDraft: (d: FormDraft | undefined) => void,
		/** The messages shown when the form's own check refuses "Run again" (the host logs them). */
		private readonly onRefused: (problems: string[]) => void = () => undefined,
	) {
		const S = (this.S = strings.form);
		this.scriptNoteText = strings.script.page.formNote;
		this.scriptNote = el('p', { id: 'form-script-note', className: 'muted hint' });
		this.scriptNote.hidden = true;
		const grid = el('div', { className: 'fields' });
		for (const f of FIELDS) {
			const id = `field-${f.key}`;
			const wrap = el('div', { className: 'field' });
			const label = el('label', { htmlFor: id });
			label.append(S[f.key]);
			if (f.book) label.append(' ', el('code', { textContent: f.book }));
			if (f.title) label.title = S[f.title];
			const input = el('input', { id, name: f.key, type: 'text', inputMode: f.mode, autocomplete: 'off', spellcheck: false });
			const msg = el('p', { id: `${id}-msg`, className: 'field-error' });
			input.setAttribute('aria-describedby', msg.id);
			wrap.append(label, input, msg);
			grid.append(wrap);
			this.inputs.set(f.key, input);
			this.messages.set(f.key, msg);
			input.addEventListener('input', () => this.edited(f.key));
		}

		const samplers = el('fieldset', { className: 'samplers' });
		samplers.append(el('legend', { textContent: S.samplers }));
		for (const s of SAMPLER_IDS) {
			const id = `sampler-${s}`;
			const box = el('input', { id, type: 'checkbox', value: s, name: 'samplers' });
			const label = el('label', { htmlFor: id, className: 'check' });
			label.prepend(box, ` ${strings.samplers[s]}`);
			samplers.append(label);
			this.boxes.set(s, box);
			box.addEventListener('change', () => this.edited('samplers'));
		}
		const samplerMsg = el('p', { id: 'samplers-msg', className: 'field-error' });
		samplers.setAttribute('aria-describedby', samplerMsg.id);
		samplers.append(samplerMsg);
		this.messages.set('samplers', samplerMsg);

		const dsWrap = el('div', { className: 'field dataset' });
		this.dataset = el('input', { id: 'field-dataset', name: 'dataset', type: 'text', placeholder: S.datasetAuto, autocomplete: 'off', spellcheck: false });
		const dsHint = el('p', { id: 'field-dataset-hint', className: 'muted hint' });
		const code = (text: string) => el('code', { textContent: text });
		appendFilled(dsHint, S.datasetHint, code('minibatchLab.datasetPath'), code('dataset/'), code('train-images-idx3-ubyte.gz'));
		this.dataset.setAttribute('aria-describedby', dsHint.id);
		dsWrap.append(el('label', { htmlFor: this.dataset.id, textContent: S.dataset }), this.dataset, dsHint);
		this.dataset.addEventListener('input', () => this.saveDraft());

		const buttons = el('div', { className: 'buttons' });
		const submit = el('button', { type: 'submit', textContent: S.runAgain });
		const revert = el('button', { type: 'button', className: 'secondary', textContent: S.revert });
		revert.addEventListener('click', () => this.revert());
		buttons.append(submit, revert);

		form.replaceChildren(this.scriptNote, grid, samplers, dsWrap, buttons);
		form.addEventListener('submit', (e) => {
			e.preventDefault();
			this.submit();
		});
		// Enter in a text field submits natively; make it do the same on the checkboxes.
		form.addEventListener('keydown', (e) => {
			if (e.key === 'Enter' && e.target instanceof HTMLInputElement && e.target.type === 'checkbox') {
				e.preventDefault();
				form.requestSubmit();
			}
		});
	}

	/** The host's values; a saved draft wins, since it holds edits the user has not sent yet. */
	setValues(values: FormValues, draft: FormDraft | undefined): void {
		this.hostValues = values;
		if (draft) this.fill(draft);
		else this.fill({ fields: Object.fromEntries(FIELDS.map((f) => [f.key, String(values[f.key])])) as Record<NumKey, string>, samplers: values.samplers, dataset: values.dataset });
	}

	/**
	 * When the panel shows your script's run, "Run again" runs the script again: the fields the script sets itself (batch
	 * size, learning rate, hidden size) and the dataset are shown but not editable, and a note says so.
	 */
	setScript(script: FormScript | undefined): void {
		this.scriptNote.hidden = !script;
		this.scriptNote.textContent = script ? fill(this.scriptNoteText, script.file) : '';
		for (const key of ['batchSize', 'lr', 'hidden'] as const) this.inputs.get(key)!.readOnly = script !== undefined;
		this.dataset.readOnly = script !== undefined;
	}

	private fill(d: FormDraft): void {
		// A draft saved before a field existed has no text for it: take the host's value.
		for (const f of FIELDS) this.inputs.get(f.key)!.value = d.fields[f.key] ?? (this.hostValues ? String(this.hostValues[f.key]) : '');
		for (const [s, box] of this.boxes) box.checked = d.samplers.includes(s);
		this.dataset.value = d.dataset;
		for (const key of this.messages.keys()) this.show(key, '');
	}

	private revert(): void {
		this.onDraft(undefined);
		if (this.hostValues) this.setValues(this.hostValues, undefined);
	}

	private draft(): FormDraft {
		const fields = {} as Record<NumKey, string>;
		for (const f of FIELDS) fields[f.key] = this.inputs.get(f.key)!.value;
		return { fields, samplers: this.checkedSamplers(), dataset: this.dataset.value };
	}

	private saveDraft(): void {
		this.onDraft(this.draft());
	}

	private checkedSamplers(): SamplerId[] {
		return SAMPLER_IDS.filter((s) => this.boxes.get(s)!.checked);
	}

	/** Re-checks a field the user is fixing, so its message goes away as soon as the value is right. */
	private edited(key: NumKey | 'samplers'): void {
		this.saveDraft();
		if (this.messages.get(key)!.textContent) this.check(key);
	}

	private check(key: NumKey | 'samplers'): number | SamplerId[] | undefined {
		if (key === 'samplers') {
			const list = this.checkedSamplers();
			this.show(key, list.length ? '' : this.S.noSampler);
			return list.length ? list : undefined;
		}
		const f = FIELDS.find((x) => x.key === key)!;
		const r = checkField(this.S[f.key], this.inputs.get(key)!.value, FIELD_LIMITS[key], this.S);
		this.show(key, typeof r === 'string' ? r : '');
		return typeof r === 'number' ? r : undefined;
	}

	private show(key: NumKey | 'samplers', message: string): void {
		this.messages.get(key)!.textContent = message;
		const target = key === 'samplers' ? this.form.querySelector('fieldset') : this.inputs.get(key);
		if (message) target?.setAttribute('aria-invalid', 'true');
		else target?.removeAttribute('aria-invalid');
	}

	private submit(): void {
		const nums = {} as Record<NumKey, number>;
		let firstBad: HTMLElement | undefined;
		for (const f of FIELDS) {
			const v = this.check(f.key);
			if (typeof v === 'number') nums[f.key] = v;
			else firstBad ??= this.inputs.get(f.key);
		}
		// The seeds are consecutive, so the last one must still be a valid seed.
		if (nums.seed !== undefined && nums.seedCount !== undefined && nums.seed + nums.seedCount - 1 > LIMITS.seed.max) {
			this.show('seedCount', fill(this.S.seedOverflow, nums.seed, nums.seedCount, LIMITS.seed.max));
			firstBad ??= this.inputs.get('seedCount');
		}
		const samplers = this.check('samplers');
		if (!Array.isArray(samplers)) firstBad ??= this.boxes.get(SAMPLER_IDS[0]);
		if (firstBad || !Array.isArray(samplers)) {
			firstBad?.focus();
			this.onRefused([...this.messages.values()].map((m) => (m.textContent ?? '').slice(0, WEBVIEW_LIMITS.problemChars)).filter((t) => t !== ''));
			return;
		}
		this.onDraft(undefined);
		this.onSubmit({ ...nums, samplers, dataset: this.dataset.value.trim() });
	}
}
