// Tests the packaged extension itself: installs minibatch-lab.vsix into a fresh code-server (no development path, so only
// what the .vsix ships is loaded), runs "Minibatch Lab: Run minibatch comparison" from the palette like a user and waits
// for the table. Usage (after `npm run package`, or via `npm run test:package`):
//   node scripts/host/package-test.mjs [--vsix minibatch-lab.vsix] [--out /tmp/minibatch-lab-package-test.png] [--verbose]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { launchBrowser, quietSettings, registerCleanup, startCodeServer, workbenchUrl } from './codeServer.mjs';
import { codeServerEntry, fixtureWorkspace, repoRoot } from './paths.mjs';
import { runPaletteCommand, themes, waitForWorkbench, webviewFrame } from './screenshot.mjs';

const { values: opts } = parseArgs({
	options: {
		vsix: { type: 'string', default: join(repoRoot, 'minibatch-lab.vsix') },
		out: { type: 'string', default: join(tmpdir(), 'minibatch-lab-package-test.png') },
		'timeout-ms': { type: 'string', default: '300000' },
		verbose: { type: 'boolean', short: 'v', default: false },
	},
});
const vsix = resolve(opts.vsix);
const timeoutMs = Number(opts['timeout-ms']);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (msg) => console.log(`package-test: ${msg}`);
const COMMAND = 'Minibatch Lab: Run minibatch comparison';
const EXTENSION_ID = 'minibatch-lab.minibatch-lab';

class TestError extends Error {}

// Installing a .vsix needs no gallery; a dead loopback one fails fast instead of waiting on DNS (as codeServer.mjs does).
const deadGallery = JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item', resourceUrlTemplate: 'http://127.0.0.1:9/resource/{publisher}/{name}/{version}/{path}', controlUrl: '', recommendationsUrl: '' });

/** code-server's own extension CLI; HOME-ish dirs point into `tmp` so nothing lands in ~/.config or ~/.local. */
function installVsix(extensionsDir, userDataDir, tmp) {
	const config = join(tmp, 'install-config.yaml');
	writeFileSync(config, ''); // without --config code-server writes ~/.config/code-server/config.yaml
	const args = [codeServerEntry, '--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'];
	return new Promise((resolveInstall, reject) => {
		const child = spawn(process.execPath, args, {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, XDG_DATA_HOME: join(tmp, 'xdg-data'), XDG_CONFIG_HOME: join(tmp, 'xdg-config'), EXTENSIONS_GALLERY: deadGallery },
		});
		let output = '';
		child.stdout.on('data', (c) => (output += c));
		child.stderr.on('data', (c) => (output += c));
		const kill = () => child.kill('SIGKILL');
		const unregister = registerCleanup(kill); // Ctrl-C during the install
		const timer = setTimeout(kill, 120_000);
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			unregister();
			if (code === 0 && /successfully installed/i.test(output)) resolveInstall(output.trim());
			else reject(new TestError(`--install-extension failed (code ${code}, signal ${signal}):\n${output.trim()}`));
		});
	});
}

async function main() {
	if (!existsSync(vsix)) throw new TestError(`${vsix} is missing; run \`npm run package\` first`);
	const tmp = mkdtempSync(join(tmpdir(), 'minibatch-lab-package-test-'));
	const removeTmp = () => rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
	const unregister = registerCleanup(removeTmp);
	let server;
	let browser;
	try {
		// startCodeServer makes a fresh, empty extensions dir next to its user data dir; the .vsix goes there before any
		// window connects (the server scans extensions when the extension host starts).
		server = await startCodeServer({
			workspace: fixtureWorkspace,
			onOutput: opts.verbose ? (t) => process.stdout.write(t.replace(/^/gm, '  [code-server] ')) : undefined,
		});
		const extensionsDir = join(dirname(server.userDataDir), 'extensions');
		if (!existsSync(extensionsDir) || readdirSync(extensionsDir, { withFileTypes: true }).some((e) => e.isDirectory())) {
			throw new TestError(`expected a fresh extensions dir at ${extensionsDir}; did startCodeServer change its layout?`);
		}
		say(`code-server up at ${server.url} (${elapsed()}); installing ${vsix}`);
		const installLog = await installVsix(extensionsDir, server.userDataDir, tmp);
		if (opts.verbose) say(installLog);
		const installed = readdirSync(extensionsDir).filter((d) => d.startsWith(`${EXTENSION_ID}-`));
		if (installed.length !== 1) throw new TestError(`expected one ${EXTENSION_ID} folder in ${extensionsDir}, found: ${readdirSync(extensionsDir).join(', ')}`);
		const installedDir = join(extensionsDir, installed[0]);
		const manifest = JSON.parse(readFileSync(join(installedDir, 'package.json'), 'utf8'));
		say(`installed ${installed[0]}: ${listFiles(installedDir).length} files`);

		// A short run; seedCount only if this package declares it (an older manifest would flag it as unknown).
		const declared = manifest.contributes?.configuration?.properties ?? {};
		const runSettings = { 'minibatchLab.iterations': 601, 'minibatchLab.samplers': ['replacement', 'epoch-shuffle'] };
		if ('minibatchLab.seedCount' in declared) runSettings['minibatchLab.seedCount'] = 1;
		const settingsFile = join(server.userDataDir, 'User', 'settings.json');
		writeFileSync(settingsFile, JSON.stringify({ ...quietSettings, 'workbench.colorTheme': themes.dark, ...runSettings }, null, '\t') + '\n');
		say(`settings: ${JSON.stringify(runSettings)}`);

		browser = await launchBrowser();
		const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
		const page = await context.newPage();
		const pageErrors = [];
		page.on('pageerror', (err) => pageErrors.push(err.message));
		// No extensionDevelopmentPath: the extension can only come from the installed package.
		await page.goto(workbenchUrl(server, { folder: fixtureWorkspace }), { waitUntil: 'domcontentloaded', timeout: 120_000 });
		await waitForWorkbench(page);
		say(`workbench ready (${elapsed()}); running "${COMMAND}" from the palette`);
		await runPaletteCommand(page, COMMAND, { timeoutMs: 60_000 });

		const view = webviewFrame(page);
		const table = view.locator('table#comparison');
		await table.waitFor({ state: 'attached', timeout: 90_000 });
		// Proof that the panel's resources come from the installed folder, not from the repository.
		const styleHref = (await view.locator('link[rel="stylesheet"]').first().getAttribute('href')) ?? '';
		if (!styleHref.includes(installed[0])) throw new TestError(`the panel's stylesheet does not come from the installed extension: ${styleHref}`);

		const status = view.locator('#status');
		const deadline = Date.now() + timeoutMs;
		let rows = [];
		let statusText = '';
		for (;;) {
			statusText = (await status.innerText().catch(() => '')).trim();
			rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.innerText.trim())));
			const numeric = rows.length === 2 && rows.every((r) => r.slice(1).filter((c) => /^\d[\d.,]*%?$/.test(c)).length >= 3);
			if (/^Done/i.test(statusText) && numeric) break;
			if (/error|fail/i.test(statusText)) throw new TestError(`the run failed: ${statusText}`);
			if (Date.now() > deadline) throw new TestError(`no finished table with 2 numeric rows after ${timeoutMs} ms; status "${statusText}", rows ${JSON.stringify(rows)}`);
			await page.waitForTimeout(500);
		}
		const head = await table.locator('thead th').allInnerTexts();
		const settingsLine = (await view.locator('#run-settings').innerText()).trim();
		say(`status: ${statusText}`);
		say(`run: ${settingsLine}`);
		console.log(`  ${head.map((h) => h.trim()).join(' | ')}`);
		for (const r of rows) console.log(`  ${r.join(' | ')}`);

		mkdirSync(dirname(resolve(opts.out)), { recursive: true });
		await page.screenshot({ path: resolve(opts.out) });
		say(`screenshot: ${resolve(opts.out)}`);
		say(`VS Code's own activation figure: ${await runningExtensionsActivation(page, manifest.displayName)}`);
		if (pageErrors.length > 0) say(`note: ${pageErrors.length} page error(s) in the workbench: ${pageErrors.slice(0, 3).join(' | ')}`);
		say(`PASS in ${elapsed()}`);
		return 0;
	} finally {
		await browser?.close().catch(() => {});
		await server?.stop();
		removeTmp();
		unregister();
	}
}

/**
 * What "Developer: Show Running Extensions" says for this extension: VS Code's codeLoadingTime + activateCallTime of the
 * installed (production) bundle, activated by the palette command. Informational only: a change in the workbench's markup
 * must not fail the package test.
 */
async function runningExtensionsActivation(page, displayName) {
	try {
		await runPaletteCommand(page, 'Developer: Show Running Extensions', { timeoutMs: 15_000 });
		// Offline there is no marketplace entry, so the row shows the manifest's displayName.
		const rows = page.locator('.runtime-extensions-editor .monaco-list-row');
		const deadline = Date.now() + 15_000;
		for (;;) {
			const found = await rows.evaluateAll((els, want) => {
				const row = els.find((el) => el.querySelector('.name')?.textContent?.trim() === want);
				return row?.querySelector('.activation-time')?.textContent?.trim();
			}, displayName);
			if (found && /\d+ms/.test(found)) return found;
			if (Date.now() > deadline) return `not read (no "${displayName}" row with a time; got ${JSON.stringify(found ?? null)})`;
			await page.waitForTimeout(250);
		}
	} catch (err) {
		return `not read (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
	}
}

function listFiles(dir) {
	return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
}

try {
	process.exitCode = await main();
} catch (err) {
	const msg = err instanceof Error ? err.message : String(err);
	console.error(`package-test: FAIL: ${msg}`);
	if (!(err instanceof TestError) && err instanceof Error && err.stack) console.error(err.stack);
	process.exitCode = 1;
}
