// Screenshots of the real workbench with the extension loaded for development, driven like a user would drive it.
// CLI: node scripts/host/screenshot.mjs [--theme dark|light] [--command "Minibatch Lab: Run minibatch comparison"]
//        [--pick "quick pick entry"] [--open train_neuralnet.py] [--wait-webview CSS] [--wait-text TEXT] [--click-webview CSS]
//        [--wait-ms 2000] [--out file.png]
//        [--width 1400 --height 900] [--locale ja] [--workspace DIR] [--web] [--settings JSON]
// --wait-text waits until the webview shows that text (a finished run's status line, say).
// --web runs the extension with its Node entry removed in the browser's web worker extension host (as vscode.dev would);
// --settings adds user settings, e.g. '{"minibatchLab.iterations": 2000}'.
// --pick chooses the entry holding that text in the quick pick the command opens (the gradient check asks what to time).
// --click-webview clicks that element in the webview once --wait-webview has shown, then waits for --wait-webview again
// (the gradient panel's exact-log switch reruns the check and redraws the page).
// --wait-webview waits for an element inside the webview (e.g. "table") before --wait-ms; panels can take seconds to paint.
// Import the helpers (openWorkbench, runPaletteCommand, webviewFrame, ...) for end-to-end checks of your own.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { launchBrowser, startCodeServer, workbenchUrl } from './codeServer.mjs';
import { fixtureWorkspace, repoRoot } from './paths.mjs';
import { stagedWorkspace, stageWebExtension } from './webExtension.mjs';

export const themes = { dark: 'Default Dark Modern', light: 'Default Light Modern' };

/**
 * Starts code-server and chromium and opens the workbench on `workspace` with this repository as the development extension.
 * Always call close(), also on errors: it stops chromium and code-server and removes their temp dirs.
 * `web` stages the extension without its Node entry (./webExtension.mjs) and loads it into the browser's web worker host.
 * @param {{theme?: 'dark'|'light', workspace?: string, userSettings?: object, locale?: string, width?: number, height?: number, timeoutMs?: number, web?: boolean}} [opts]
 */
export async function openWorkbench({ theme = 'dark', workspace, userSettings = {}, locale, width = 1400, height = 900, timeoutMs = 120_000, web = false } = {}) {
	if (!themes[theme]) throw new Error(`unknown theme ${theme}; use ${Object.keys(themes).join(' or ')}`);
	const staging = web ? mkdtempSync(join(tmpdir(), 'minibatch-lab-web-')) : undefined;
	const extension = staging ? stageWebExtension(staging) : repoRoot;
	workspace ??= staging ? stagedWorkspace(extension) : fixtureWorkspace;
	const server = await startCodeServer({ workspace, locale, userSettings: { 'workbench.colorTheme': themes[theme], ...userSettings } });
	let browser;
	const close = async () => {
		await browser?.close().catch(() => {});
		await server.stop();
		if (staging) rmSync(staging, { recursive: true, force: true });
	};
	try {
		browser = await launchBrowser();
		const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, ...(locale ? { locale } : {}) });
		const page = await context.newPage();
		await page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: extension, web }), { waitUntil: 'domcontentloaded', timeout: timeoutMs });
		await waitForWorkbench(page, timeoutMs);
		return { server, browser, page, close };
	} catch (err) {
		await close();
		throw err;
	}
}

/**
 * Waits until the Explorer lists the workspace (the remote connection is up) and a color theme from an extension is applied.
 * The theme comes only after all extensions are registered, seconds after the first paint, which is drawn with a fallback theme.
 */
export async function waitForWorkbench(page, timeoutMs = 120_000) {
	await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: timeoutMs });
	await page.locator('.monaco-workbench[class*="vscode-theme-"]').waitFor({ state: 'attached', timeout: timeoutMs });
}

/** Runs a command the way a user does: F1, type its title, Enter on the matching entry (fails if the palette has no such entry). */
export async function runPaletteCommand(page, title, { timeoutMs = 15_000 } = {}) {
	await page.keyboard.press('F1');
	const input = page.locator('.quick-input-widget input');
	await input.waitFor({ state: 'visible', timeout: timeoutMs });
	await page.keyboard.type(title);
	const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
	try {
		await row.waitFor({ state: 'visible', timeout: timeoutMs });
	} catch {
		const shown = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
		await page.keyboard.press('Escape');
		throw new Error(`command "${title}" is not in the palette; it shows: ${shown.map((s) => s.replace(/\s+/g, ' ')).join(' | ') || 'nothing'}`);
	}
	await row.click();
}

/** Opens a file by clicking it in the Explorer (Quick Open lists no files in code-server 4.100.3). */
export async function openFileInExplorer(page, name, { timeoutMs = 15_000 } = {}) {
	await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click({ timeout: timeoutMs });
	await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * The DOM of a webview: VS Code nests it two iframes deep. With several webviews open, pass a more specific outer selector
 * (frame locators are strict), e.g. 'iframe.webview.ready >> nth=0'.
 */
export function webviewFrame(page, outerSelector = 'iframe.webview') {
	return page.frameLocator(outerSelector).frameLocator('#active-frame');
}

/**
 * Opens the workbench, optionally opens a file and runs a palette command, waits, and saves a PNG of the whole window.
 * @returns {Promise<string>} the absolute path written
 */
export async function takeScreenshot({ theme = 'dark', command, pick, open, waitWebview, waitText, clickWebview, waitMs = 2000, out, width, height, locale, workspace, web = false, userSettings } = {}) {
	const file = resolve(out ?? join(repoRoot, '.vscode-test', 'screenshots', `workbench-${web ? 'web-' : ''}${theme}.png`));
	const wb = await openWorkbench({ theme, width, height, locale, workspace, web, userSettings });
	try {
		if (open) await openFileInExplorer(wb.page, open);
		if (command) await runPaletteCommand(wb.page, command);
		if (pick) await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: pick }).first().click({ timeout: 15_000 });
		if (waitWebview) await webviewFrame(wb.page).locator(waitWebview).first().waitFor({ state: 'visible', timeout: 90_000 });
		if (waitText) await webviewFrame(wb.page).getByText(waitText).first().waitFor({ state: 'visible', timeout: 300_000 });
		if (clickWebview) {
			await webviewFrame(wb.page).locator(clickWebview).first().click({ timeout: 30_000 });
			await wb.page.waitForTimeout(1000);
			if (waitWebview) await webviewFrame(wb.page).locator(waitWebview).first().waitFor({ state: 'visible', timeout: 90_000 });
		}
		await wb.page.waitForTimeout(waitMs);
		mkdirSync(dirname(file), { recursive: true });
		await wb.page.screenshot({ path: file });
		return file;
	} finally {
		await wb.close();
	}
}

// CLI only when run directly, so other scripts can import the helpers.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const { values: opts } = parseArgs({
		options: {
			theme: { type: 'string', default: 'dark' },
			command: { type: 'string' },
			pick: { type: 'string' },
			open: { type: 'string' },
			'wait-webview': { type: 'string' },
			'wait-text': { type: 'string' },
			'click-webview': { type: 'string' },
			'wait-ms': { type: 'string', default: '2000' },
			out: { type: 'string' },
			width: { type: 'string', default: '1400' },
			height: { type: 'string', default: '900' },
			locale: { type: 'string' },
			workspace: { type: 'string' },
			web: { type: 'boolean', default: false },
			settings: { type: 'string' },
		},
	});
	const started = Date.now();
	try {
		const file = await takeScreenshot({
			theme: opts.theme,
			command: opts.command,
			pick: opts.pick,
			open: opts.open,
			waitWebview: opts['wait-webview'],
			waitText: opts['wait-text'],
			clickWebview: opts['click-webview'],
			waitMs: Number(opts['wait-ms']),
			out: opts.out,
			width: Number(opts.width),
			height: Number(opts.height),
			locale: opts.locale,
			workspace: opts.workspace ? resolve(opts.workspace) : undefined,
			web: opts.web,
			userSettings: opts.settings ? JSON.parse(opts.settings) : undefined,
		});
		console.log(`screenshot: wrote ${file} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
	} catch (err) {
		console.error(`screenshot: ERROR: ${err instanceof Error ? err.message : String(err)}`);
		process.exitCode = 1;
	}
}
