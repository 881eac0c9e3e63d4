/* global document, NodeFilter -- used inside page.evaluate, which runs in the browser */
// Screenshots of real hovers in the workbench: the mouse rests on a word like a user's, then the hover widget is captured.
// node scripts/host/hover-screenshot.mjs [--theme dark|light] [--locale ja] [--out-dir DIR] [--height 1300] [--set book|learner|styles|axes] [--web]
// Writes the whole window (hover-<word>-<theme>[-<locale>].png) and a close-up of the hover (…-closeup.png) per word.
// --set styles shoots an aliased permutation, a function's parameters and while loops over epochs and steps.
// --set learner opens a throwaway workspace with the learner-style fixtures (tuple settings, epoch loops) and the book's
// chapter-3 inference script, copied from test/fixtures, and rests on their new hovers. --set axes does the same with
// test/fixtures/python/axes.py: a repeated axis (NumPy's ValueError) and a kept axis of size 1.
// --locale ja runs VS Code in Japanese (a minimal language pack, see codeServer.mjs) and needs a Japanese font for chromium.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openFileInExplorer, openWorkbench } from './screenshot.mjs';
import { repoRoot } from './paths.mjs';

const { values: opts } = parseArgs({
	options: {
		theme: { type: 'string', default: 'dark' },
		locale: { type: 'string' },
		'out-dir': { type: 'string' },
		height: { type: 'string', default: '1300' },
		set: { type: 'string', default: 'book' },
		web: { type: 'boolean', default: false },
	},
});
const outDir = resolve(opts['out-dir'] ?? join(repoRoot, '.vscode-test', 'screenshots'));
mkdirSync(outDir, { recursive: true });

/** Per set: file, the word to rest on, which occurrence of it in the editor's rendered text, the shot's name. */
const SETS = {
	book: [
		['functions.py', 'keepdims', 1, 'keepdims'],
		['train_neuralnet.py', 'choice', 0, 'choice'],
		['train_neuralnet.py', 'iter_per_epoch', 0, 'iter-per-epoch'],
	],
	learner: [
		['train_tuple.py', 'batch_size', 0, 'tuple-batch-size'],
		['train_tuple.py', 'choice', 2, 'imported-choice'],
		['train_epochs.py', 'epochs', 0, 'epochs'],
		['train_epochs.py', 'iter_per_epoch', 0, 'epoch-iter-per-epoch'],
		['train_epochs_short.py', 'n_epochs', 0, 'epochs-short-slice'],
		['neuralnet_mnist_batch.py', 'batch_size', 0, 'inference-batch-size'],
		['neuralnet_mnist_batch.py', 'x_batch', 0, 'inference-x-batch'],
	],
	styles: [
		['train_alias_perm.py', 'mb', 3, 'alias-perm-batch'],
		['train_function.py', 'batch_size', 1, 'function-batch-size'],
		['train_while_epochs.py', 'max_epochs', 0, 'while-epochs'],
		['train_while_steps.py', 'step', 2, 'while-steps'],
	],
	axes: [
		['axes.py', 'keepdims', 0, 'keepdims-repeated-axis'],
		['axes.py', 'keepdims', 1, 'keepdims-size-one'],
	],
};
const targets = SETS[opts.set];
if (!targets) throw new Error(`unknown --set ${opts.set}; use ${Object.keys(SETS).join(' or ')}`);

/** The learner set's files, copied into a throwaway workspace (the Explorer lists only the workspace). */
const LEARNER_FILES = [
	'test/fixtures/python/learner/train_tuple.py',
	'test/fixtures/python/learner/train_epochs.py',
	'test/fixtures/python/learner/train_epochs_short.py',
	'test/fixtures/book/ch03/neuralnet_mnist_batch.py',
];
const SET_FILES = {
	learner: LEARNER_FILES,
	axes: ['test/fixtures/python/axes.py'],
	styles: ['train_alias_perm.py', 'train_function.py', 'train_while_epochs.py', 'train_while_steps.py'].map((f) => `test/fixtures/python/learner/${f}`),
};
let workspace;
if (SET_FILES[opts.set]) {
	workspace = mkdtempSync(join(tmpdir(), 'minibatch-lab-hovers-'));
	for (const f of SET_FILES[opts.set]) copyFileSync(join(repoRoot, f), join(workspace, basename(f)));
}

/** The on-screen box of the nth occurrence of `word` in the editor's rendered lines (a token may hold more than the word). */
function wordBox(page, word, nth) {
	return page.evaluate(
		([w, n]) => {
			let seen = 0;
			const lines = [...document.querySelectorAll('.monaco-editor .view-line')].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
			for (const line of lines) {
				const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
				for (let node = walker.nextNode(); node; node = walker.nextNode()) {
					for (let at = node.data.indexOf(w); at >= 0; at = node.data.indexOf(w, at + 1)) {
						if (seen++ < n) continue;
						const range = document.createRange();
						range.setStart(node, at);
						range.setEnd(node, at + w.length);
						const r = range.getBoundingClientRect();
						return { x: r.x, y: r.y, width: r.width, height: r.height };
					}
				}
			}
			return null;
		},
		[word, nth],
	);
}

// Chromium draws Japanese with whatever CJK font fontconfig has; without one every glyph is a box (tofu).
if (opts.locale && /^(ja|zh|ko)/i.test(opts.locale)) {
	const lang = opts.locale.slice(0, 2).toLowerCase();
	const fonts = spawnSync('fc-list', [`:lang=${lang}`, 'family'], { encoding: 'utf8' });
	if (fonts.status === 0 && !fonts.stdout.trim()) console.warn(`hover-screenshot: no font for ${lang} (node scripts/setup-system.mjs installs fonts-ipafont-gothic); the text will show as boxes`);
}

const suffix = `${opts.theme}${opts.locale ? `-${opts.locale}` : ''}`;
const wb = await openWorkbench({ theme: opts.theme, locale: opts.locale, width: 1400, height: Number(opts.height), web: opts.web, ...(workspace ? { workspace } : {}) });
try {
	for (const [file, word, nth, name] of targets) {
		await openFileInExplorer(wb.page, file);
		await wb.page.waitForTimeout(1500);
		const hover = wb.page.locator('.monaco-hover:not(.hidden)').first();
		// The box is measured anew on each try: the editor may re-render (fonts loading, activation) after it was first drawn.
		let box;
		for (let attempt = 1; ; attempt++) {
			box = await wordBox(wb.page, word, nth);
			if (!box) throw new Error(`"${word}" is not visible in ${file}`);
			// Two moves: the editor starts its hover timer on a mouse move inside the word.
			await wb.page.mouse.move(box.x + 2, box.y + box.height / 2);
			await wb.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
			try {
				await hover.waitFor({ state: 'visible', timeout: 15000 });
				break;
			} catch (e) {
				if (attempt < 3) {
					await wb.page.mouse.move(5, 5);
					await wb.page.waitForTimeout(1000);
					continue;
				}
				await wb.page.screenshot({ path: join(outDir, `hover-${name}-${suffix}-failed.png`) });
				throw new Error(`no hover over "${word}" in ${file} at ${JSON.stringify(box)} after ${attempt} tries: ${e.message}`);
			}
		}
		await wb.page.waitForTimeout(800);
		const out = join(outDir, `hover-${name}-${suffix}.png`);
		await wb.page.screenshot({ path: out });
		// VS Code caps a hover at max(editor height / 4, 250 px) and scrolls the rest; say so, since the shot then hides some.
		const fit = await hover.evaluate((el) => {
			const content = el.querySelector('.monaco-hover-content');
			return content ? { scrollHeight: content.scrollHeight, clientHeight: content.clientHeight } : undefined;
		});
		// A close-up at full size, for reading: the hover and the hovered word with a margin around both.
		const h = await hover.boundingBox();
		if (h) {
			const x = Math.max(0, Math.min(h.x, box.x) - 40);
			const y = Math.max(0, Math.min(h.y, box.y) - 40);
			const clip = { x, y, width: Math.max(h.x + h.width, box.x + box.width) + 40 - x, height: Math.max(h.y + h.height, box.y + box.height) + 40 - y };
			await wb.page.screenshot({ path: out.replace(/\.png$/, '-closeup.png'), clip });
		}
		if (fit && fit.scrollHeight > fit.clientHeight + 1) console.log(`hover-screenshot: the hover scrolls (${fit.scrollHeight} px of content in ${fit.clientHeight} px); a taller --height shows all of it`);
		console.log(`hover-screenshot: ${out}\n${(await hover.innerText()).slice(0, 400)}\n`);
		await wb.page.mouse.move(5, 5);
		await wb.page.waitForTimeout(300);
	}
} finally {
	await wb.close();
	if (workspace) rmSync(workspace, { recursive: true, force: true });
}
