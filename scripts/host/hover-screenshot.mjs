/* global document, NodeFilter -- used inside page.evaluate, which runs in the browser */
// Screenshots of real hovers in the workbench: the mouse rests on a word like a user's, then the hover widget is captured.
// node scripts/host/hover-screenshot.mjs [--theme dark|light] [--locale ja] [--out-dir DIR]
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openFileInExplorer, openWorkbench } from './screenshot.mjs';
import { repoRoot } from './paths.mjs';

const { values: opts } = parseArgs({ options: { theme: { type: 'string', default: 'dark' }, locale: { type: 'string' }, 'out-dir': { type: 'string' } } });
const outDir = resolve(opts['out-dir'] ?? join(repoRoot, '.vscode-test', 'screenshots'));
mkdirSync(outDir, { recursive: true });

/** file, the word to rest on, which occurrence of it in the editor's rendered text */
const targets = [
	['functions.py', 'keepdims', 1, 'keepdims'],
	['train_neuralnet.py', 'choice', 0, 'choice'],
	['train_neuralnet.py', 'iter_per_epoch', 0, 'iter-per-epoch'],
];

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

const wb = await openWorkbench({ theme: opts.theme, locale: opts.locale, width: 1400, height: 1000 });
try {
	for (const [file, word, nth, name] of targets) {
		await openFileInExplorer(wb.page, file);
		await wb.page.waitForTimeout(1500);
		const box = await wordBox(wb.page, word, nth);
		if (!box) throw new Error(`"${word}" is not visible in ${file}`);
		// Two moves: the editor starts its hover timer on a mouse move inside the word.
		await wb.page.mouse.move(box.x + 2, box.y + box.height / 2);
		await wb.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
		const hover = wb.page.locator('.monaco-hover:not(.hidden)').first();
		try {
			await hover.waitFor({ state: 'visible', timeout: 15000 });
		} catch (e) {
			await wb.page.screenshot({ path: join(outDir, `hover-${name}-failed.png`) });
			throw new Error(`no hover over "${word}" in ${file} at ${JSON.stringify(box)}: ${e.message}`);
		}
		await wb.page.waitForTimeout(800);
		const out = join(outDir, `hover-${name}-${opts.theme}${opts.locale ? `-${opts.locale}` : ''}.png`);
		await wb.page.screenshot({ path: out });
		console.log(`hover-screenshot: ${out}\n${(await hover.innerText()).slice(0, 400)}\n`);
		await wb.page.mouse.move(5, 5);
		await wb.page.waitForTimeout(300);
	}
} finally {
	await wb.close();
}
