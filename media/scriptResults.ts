/**
 * Under the table when the run compares your own script: one block per script run with its verdict against the
 * reference (in the display language), the hint when it differs, the settings it ran with that the reference did not,
 * and where it raised, as a link the host opens.
 */
import type { SamplerId } from '../src/shared/protocol';
import { errorText, mismatchText, verdictText } from '../src/shared/scriptVerdict';
import { scriptTracks, type PanelModel } from './model';
import { fill, type PanelStrings } from './strings';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
	const e = document.createElement(tag);
	if (text !== undefined) e.textContent = text;
	if (className) e.className = className;
	return e;
}

export class ScriptResults {
	constructor(
		private readonly box: HTMLElement,
		private readonly S: PanelStrings,
		private readonly openError: (sampler: SamplerId, seed: number) => void,
	) {}

	render(model: PanelModel): void {
		const tracks = model.run?.script ? scriptTracks(model) : [];
		this.box.hidden = tracks.length === 0;
		if (tracks.length === 0) {
			this.box.replaceChildren();
			return;
		}
		const P = this.S.script.page;
		const running = model.state === 'running' || model.state === 'cancelling';
		const blocks = tracks.map((t) => {
			const block = el('div', undefined, 'script-run');
			block.dataset.sampler = t.sampler;
			const who = el('p', fill(P.who, this.S.script.runs[t.sampler], t.seed), 'script-who');
			block.append(who);
			const r = t.script;
			if (!r) {
				block.append(el('p', running ? P.running : t.failure ?? P.cancelled, t.failure ? 'script-error' : 'muted'));
				return block;
			}
			const v = verdictText(r.check, this.S.script);
			const verdict = el('p', v.verdict, `verdict ${r.check.identical ? 'identical' : r.check.match ? 'match' : 'differs'}`);
			block.append(verdict);
			if (v.hint) block.append(el('p', v.hint, 'script-hint muted'));
			for (const m of r.mismatches) block.append(el('p', mismatchText(m, this.S.script), 'script-mismatch'));
			if (r.error) {
				const err = el('p', errorText(r.error, this.S.script), 'script-error');
				if (r.error.line !== null && r.error.file) {
					const file = r.error.file.split(/[\\/]/).pop() ?? r.error.file;
					const link = el('a', fill(P.goTo, file, r.error.line), 'script-link');
					link.href = '#';
					link.addEventListener('click', (e) => {
						e.preventDefault();
						this.openError(t.sampler, t.seed);
					});
					err.append(' ', link);
				}
				block.append(err);
			}
			return block;
		});
		this.box.replaceChildren(el('h3', P.heading, 'script-title'), ...blocks);
	}

	/** For the snapshot: what each block shows. */
	texts(): { who: string; verdict: string; hint: string; error: string; link: string }[] {
		return [...this.box.querySelectorAll<HTMLElement>('.script-run')].map((b) => ({
			who: b.querySelector('.script-who')?.textContent ?? '',
			verdict: b.querySelector('.verdict')?.textContent ?? '',
			hint: b.querySelector('.script-hint')?.textContent ?? '',
			error: b.querySelector('.script-error')?.textContent ?? '',
			link: b.querySelector('.script-link')?.textContent ?? '',
		}));
	}
}
