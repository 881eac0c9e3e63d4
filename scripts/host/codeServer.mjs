// Starts code-server (VS Code 1.100.3 in a browser) and headless Debian chromium, offline and with throwaway state.
// Reused by run-host-tests.mjs and screenshot.mjs; each flag is here because the offline host needs it (see the comments below).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URLSearchParams } from 'node:url';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { codeServerBuiltinExtensions, codeServerEntry, codeServerMarker } from './paths.mjs';

/** Settings that keep a test or screenshot window quiet and deterministic; callers' settings win. */
export const quietSettings = {
	'workbench.startupEditor': 'none',
	'workbench.tips.enabled': false,
	'workbench.enableExperiments': false,
	'telemetry.telemetryLevel': 'off',
	'update.mode': 'none',
	'extensions.autoCheckUpdates': false,
	'extensions.autoUpdate': false,
	'extensions.ignoreRecommendations': true,
	'security.workspace.trust.enabled': false,
	// The fixture workspace sits inside this repository; without this a "git repository found" prompt covers screenshots.
	'git.openRepositoryInParentFolders': 'never',
};

// A port nothing listens on: gallery requests fail at once instead of timing out on DNS.
const deadGallery = JSON.stringify({
	serviceUrl: 'http://127.0.0.1:9/gallery',
	itemUrl: 'http://127.0.0.1:9/item',
	resourceUrlTemplate: 'http://127.0.0.1:9/resource/{publisher}/{name}/{version}/{path}',
	controlUrl: '',
	recommendationsUrl: '',
});

// Every live server and temp dir, so an uncaught error or Ctrl-C still leaves no process or folder behind.
const cleanups = new Set();
let exitHooksInstalled = false;
function installExitHooks() {
	if (exitHooksInstalled) return;
	exitHooksInstalled = true;
	process.on('exit', () => {
		for (const fn of cleanups) fn();
	});
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.once(sig, () => process.exit(sig === 'SIGINT' ? 130 : 143));
	}
}

/** Runs `fn` synchronously if the process exits (or gets Ctrl-C) before the returned unregister function is called. */
export function registerCleanup(fn) {
	installExitHooks();
	cleanups.add(fn);
	return () => cleanups.delete(fn);
}

export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

function getStatus(url) {
	return new Promise((resolve) => {
		const req = http.get(url, { timeout: 2000 }, (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on('timeout', () => req.destroy());
		req.on('error', () => resolve(0));
	});
}

/** Signals the whole process group: code-server's children (extension host, pty host) can outlive the wrapper we spawned. */
function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal); // detached => its own process group
	} catch {
		if (child.exitCode === null && child.signalCode === null) child.kill(signal); // ESRCH: group already empty
	}
}

/**
 * Installs an empty language pack for `locale`, the way installing one from the marketplace would, but offline.
 *
 * code-server 4.100.3 resolves the display language on the server (vs/base/node/nls.js, resolveNLSConfiguration): a locale
 * other than English counts only if `<user-data-dir>/languagepacks.json` has an entry for it (or for its prefix, 'ja' for
 * 'ja-jp') whose `translations.vscode` file exists. Otherwise it falls back to 'en' everywhere: the workbench's
 * _VSCODE_NLS_LANGUAGE, hence vscode.env.language in the extension host, which picks the extension's l10n bundle, and the
 * language the extensions' manifests are localized in (package.nls.<language>.json). The server writes that file itself
 * only after installing a pack extension (contributes.localizations), which needs the marketplace, so this writes what it
 * would: the pack extension in the extensions folder and its entry in languagepacks.json. Its translations are empty
 * (`contents: {}`), so VS Code's own strings fall back to English; only the language changes.
 * @param {{locale: string, userDataDir: string, extensionsDir: string}} opts
 */
export function writeLanguagePack({ locale, userDataDir, extensionsDir }) {
	const languageId = locale.toLowerCase();
	const id = `minibatch-lab-test.language-pack-${languageId}`;
	const version = '0.0.1';
	const dir = join(extensionsDir, `${id}-${version}`);
	mkdirSync(join(dir, 'translations'), { recursive: true });
	const translations = join(dir, 'translations', 'main.i18n.json');
	writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }) + '\n');
	const manifest = {
		name: `language-pack-${languageId}`,
		displayName: `Empty language pack (${languageId}) for tests`,
		publisher: 'minibatch-lab-test',
		version,
		engines: { vscode: '^1.100.0' },
		categories: ['Language Packs'],
		contributes: { localizations: [{ languageId, languageName: languageId, localizedLanguageName: languageId, translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }] },
	};
	writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, '\t') + '\n');
	// The entry as the server's LanguagePacksCache writes it; the hash names the cache folder of the generated messages.
	const hash = createHash('md5').update(id).update(version).digest('hex');
	const entry = { hash, extensions: [{ extensionIdentifier: { id }, version }], translations: { vscode: translations }, label: languageId };
	writeFileSync(join(userDataDir, 'languagepacks.json'), JSON.stringify({ [languageId]: entry }));
}

/**
 * Starts code-server on a free loopback port.
 * @param {object} opts
 * @param {string} [opts.workspace] folder code-server opens by default (the workbench URL can still name another)
 * @param {Record<string, unknown>} [opts.userSettings] written to User/settings.json over {@link quietSettings}
 * @param {'untrusted'} [opts.workspaceTrust] turn workspace trust on (off by default), so the folder opens in Restricted Mode
 * @param {string} [opts.locale] display language, e.g. 'ja' (written to argv.json and passed as --locale). For a locale other than
 *   English a minimal language pack is installed first (see {@link writeLanguagePack}), so that the display language really is
 *   that locale: vscode.env.language, the extension's l10n bundle and its package.nls.<locale>.json follow it. VS Code's own
 *   UI stays English (the pack has no translations). The browser's navigator.language follows only if the playwright
 *   context gets the same locale (screenshot.mjs does that).
 * @param {Record<string, string>} [opts.env] extra environment; the extension host inherits code-server's environment
 * @param {number} [opts.startTimeoutMs]
 * @param {(chunk: string) => void} [opts.onOutput] receives code-server's stdout and stderr
 * @returns {Promise<{url: string, port: number, userDataDir: string, output: () => string, stop: () => Promise<void>}>}
 */
export async function startCodeServer({ workspace, userSettings = {}, workspaceTrust, locale, env = {}, startTimeoutMs = 60_000, onOutput } = {}) {
	if (!existsSync(codeServerMarker) || !existsSync(codeServerEntry)) {
		throw new Error('code-server is not set up; run `node scripts/host/setup.mjs` first');
	}
	installExitHooks();
	const tmp = mkdtempSync(join(tmpdir(), 'minibatch-lab-code-server-'));
	const removeTmp = () => rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
	cleanups.add(removeTmp);

	const userDataDir = join(tmp, 'user-data');
	const extensionsDir = join(tmp, 'extensions');
	const configFile = join(tmp, 'config.yaml');
	mkdirSync(join(userDataDir, 'User'), { recursive: true });
	mkdirSync(extensionsDir, { recursive: true });
	// An empty --config stops code-server from writing ~/.config/code-server/config.yaml.
	writeFileSync(configFile, '');
	// A folder nobody has trusted yet opens in Restricted Mode once trust is on; no prompt, so nothing waits for a click.
	const trustSettings = workspaceTrust === 'untrusted' ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' } : {};
	writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...trustSettings, ...userSettings }, null, '\t') + '\n');
	// argv.json is where "Configure Display Language" stores the locale; code-server's server reads it when no --locale is given.
	if (locale) writeFileSync(join(userDataDir, 'User', 'argv.json'), JSON.stringify({ locale }, null, '\t') + '\n');
	if (locale && !locale.toLowerCase().startsWith('en')) writeLanguagePack({ locale, userDataDir, extensionsDir });

	// VS Code treats every theme under the development extension's folder as the extension's own and switches to it; the
	// built-in themes live under <repo>/.vscode-test, so hand them over through a link outside the repository.
	const builtinExtensions = join(tmp, 'builtin-extensions');
	symlinkSync(codeServerBuiltinExtensions, builtinExtensions, 'dir');

	const port = await freePort();
	const args = [
		codeServerEntry,
		'--config', configFile,
		'--bind-addr', `127.0.0.1:${port}`,
		'--auth', 'none',
		'--disable-telemetry',
		'--disable-update-check',
		...(workspaceTrust === 'untrusted' ? [] : ['--disable-workspace-trust']),
		'--disable-getting-started-override',
		'--ignore-last-opened',
		'--user-data-dir', userDataDir,
		'--extensions-dir', extensionsDir,
		'--builtin-extensions-dir', builtinExtensions,
		...(locale ? ['--locale', locale] : []),
		...(workspace ? [workspace] : []),
	];
	const child = spawn(process.execPath, args, {
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: {
			...process.env,
			EXTENSIONS_GALLERY: deadGallery,
			// code-server keeps its own logs under the XDG data dir; keep them in the throwaway folder.
			XDG_DATA_HOME: join(tmp, 'xdg-data'),
			...env,
		},
	});
	let output = '';
	const collect = (chunk) => {
		const text = chunk.toString();
		output = (output + text).slice(-200_000);
		onOutput?.(text);
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	const killNow = () => killGroup(child, 'SIGKILL');
	cleanups.add(killNow);

	let stopped;
	const stop = () => {
		stopped ??= (async () => {
			killGroup(child, 'SIGTERM');
			const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
			if (!done) {
				killGroup(child, 'SIGKILL');
				await Promise.race([exited, sleep(2000)]);
			}
			// The wrapper's children may outlive it by a moment; make sure the whole group is gone.
			killNow();
			cleanups.delete(killNow);
			removeTmp();
			cleanups.delete(removeTmp);
		})();
		return stopped;
	};

	const url = `http://127.0.0.1:${port}`;
	try {
		const deadline = Date.now() + startTimeoutMs;
		let exitInfo;
		exited.then((info) => (exitInfo = info));
		for (;;) {
			if (exitInfo) throw new Error(`code-server exited early (code ${exitInfo.code}, signal ${exitInfo.signal})`);
			if ((await getStatus(`${url}/healthz`)) === 200) break;
			if (Date.now() > deadline) throw new Error(`code-server did not answer ${url}/healthz within ${startTimeoutMs} ms`);
			await sleep(200);
		}
	} catch (err) {
		await stop();
		err.message += `\n--- code-server output (tail) ---\n${output.slice(-4000)}`;
		throw err;
	}
	return { url, port, userDataDir, output: () => output, stop };
}

/** Chromium flags that work as root on a closed network (the notes list why). */
export const chromiumArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/**
 * Launches Debian's chromium headless through playwright-core; playwright gives it a fresh temporary profile.
 * @param {{headless?: boolean, executablePath?: string}} [opts]
 */
export async function launchBrowser({ headless = true, executablePath = process.env.MINIBATCH_LAB_CHROMIUM ?? '/usr/bin/chromium' } = {}) {
	if (!existsSync(executablePath)) throw new Error(`chromium not found at ${executablePath}; run \`node scripts/host/setup.mjs\``);
	// Chromium's crash database goes under $XDG_CONFIG_HOME whatever the profile; keep it out of ~/.config.
	const home = mkdtempSync(join(tmpdir(), 'minibatch-lab-chromium-'));
	const removeHome = () => rmSync(home, { recursive: true, force: true, maxRetries: 3 });
	const unregister = registerCleanup(removeHome);
	try {
		const browser = await chromium.launch({ executablePath, headless, args: chromiumArgs, timeout: 60_000, env: { ...process.env, XDG_CONFIG_HOME: home } });
		browser.on('disconnected', () => {
			removeHome();
			unregister();
		});
		return browser;
	} catch (err) {
		removeHome();
		unregister();
		throw err;
	}
}

/** A path on the server as the workbench and the extension hosts name it. */
export function remoteUri(server, path) {
	return `vscode-remote://127.0.0.1:${server.port}${path}`;
}

/**
 * The workbench URL for a folder, optionally with a development extension and an in-host test runner.
 * The payload paths are vscode-remote URIs on the same authority the browser uses, so the remote extension host resolves them.
 * `web` loads the development extension into the browser's web worker extension host (its `browser` entry) instead of the
 * server's Node one: the workbench reads `extensionDevelopmentKind` from the payload.
 * @param {{url: string, port: number}} server
 * @param {{folder: string, extensionDevelopmentPath?: string, extensionTestsPath?: string, web?: boolean}} opts absolute paths
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath, web = false }) {
	const remote = (p) => remoteUri(server, p);
	const payload = [];
	if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
	if (extensionDevelopmentPath && web) payload.push(['extensionDevelopmentKind', 'web']);
	if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
	const query = new URLSearchParams({ folder });
	if (payload.length > 0) query.set('payload', JSON.stringify(payload));
	return `${server.url}/?${query}`;
}
