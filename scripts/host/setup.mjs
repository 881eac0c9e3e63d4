// Prepares an offline VS Code extension host: Debian packages plus code-server 4.100.3 in .vscode-test/.
// Idempotent: a marker file short-circuits everything once a full install has finished.
// Usage: node scripts/host/setup.mjs [--force]
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, lstatSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { CODE_SERVER_VERSION, codeServerCacheDir, codeServerMarker, repoRoot } from './paths.mjs';

const force = process.argv.includes('--force');
const started = Date.now();
const cacheDir = codeServerCacheDir;
const marker = codeServerMarker;
const logFile = join(repoRoot, '.vscode-test', `code-server-${CODE_SERVER_VERSION}.setup.log`);
const lockDir = `${cacheDir}.lock`;

const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const say = (msg) => console.log(`setup: ${msg}`);

function fail(msg) {
	console.error(`setup: FAILED: ${msg}`);
	process.exit(1);
}

/** Runs a command, appending its output to the log; on failure shows the log's tail, since npm errors are long. */
function run(cmd, args, { cwd, env } = {}) {
	return new Promise((resolve, reject) => {
		const log = createWriteStream(logFile, { flags: 'a' });
		log.write(`\n$ (cd ${cwd ?? process.cwd()} && ${cmd} ${args.join(' ')})\n`);
		const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout.pipe(log, { end: false });
		child.stderr.pipe(log, { end: false });
		child.on('error', (err) => log.end(() => reject(err)));
		child.on('close', (code) => {
			log.end(() => {
				if (code === 0) return resolve();
				const tail = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
				reject(new Error(`${cmd} ${args.join(' ')} exited with ${code} in ${cwd}\n${tail}\n(full log: ${logFile})`));
			});
		});
	});
}

async function step(label, fn) {
	const t = Date.now();
	process.stdout.write(`setup: ${label} ... `);
	try {
		await fn();
	} catch (err) {
		process.stdout.write('failed\n');
		throw err;
	}
	process.stdout.write(`ok (${seconds(t)})\n`);
}

// ---- Debian packages -------------------------------------------------------------------------------------------

function debInstalled(pkg) {
	const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
	return r.status === 0 && r.stdout.includes('install ok installed');
}

const hasCommand = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;

async function ensureDebianPackages() {
	const wanted = ['chromium', 'ripgrep', 'libkrb5-dev'];
	// node-gyp builds node-pty and kerberos from source; slim images may lack the toolchain.
	const tools = { make: 'make', 'g++': 'g++', python3: 'python3' };
	const missing = wanted.filter((p) => !debInstalled(p));
	for (const [cmd, pkg] of Object.entries(tools)) if (!hasCommand(cmd)) missing.push(pkg);
	if (missing.length === 0) {
		say('Debian packages present (chromium, ripgrep, libkrb5-dev)');
		return;
	}
	const isRoot = process.getuid?.() === 0;
	if (!isRoot && !hasCommand('sudo')) fail(`missing Debian packages ${missing.join(' ')}; run as root: apt-get update && apt-get install -y ${missing.join(' ')}`);
	const prefix = isRoot ? [] : ['sudo', '-n'];
	const apt = (args) => {
		const [cmd, ...rest] = [...prefix, 'apt-get', ...args];
		return run(cmd, rest, { env: { DEBIAN_FRONTEND: 'noninteractive' } });
	};
	await step('apt-get update', () => apt(['update']));
	await step(`apt-get install ${missing.join(' ')}`, () => apt(['install', '-y', ...missing]));
}

// ---- code-server -----------------------------------------------------------------------------------------------

/** Replaces whatever is at `path` with a symlink, so re-running a half-finished step cannot trip on EEXIST. */
function link(target, path) {
	try {
		lstatSync(path);
		unlinkSync(path);
	} catch {
		// nothing there yet
	}
	mkdirSync(dirname(path), { recursive: true });
	symlinkSync(target, path);
}

/** node-gyp would download headers from nodejs.org (unreachable offline); the running node's own headers match it exactly. */
function nodeHeadersEnv() {
	const prefix = dirname(dirname(process.execPath));
	if (process.env.npm_config_nodedir || !existsSync(join(prefix, 'include', 'node', 'node_version.h'))) return {};
	return { npm_config_nodedir: prefix };
}

async function installCodeServer() {
	const npm = 'npm';
	const gyp = nodeHeadersEnv();
	const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
	const cs = join(cacheDir, 'node_modules', 'code-server');
	const vscodeDir = join(cs, 'lib', 'vscode');

	// A partial tree from an interrupted run is not trustworthy; start clean.
	rmSync(cacheDir, { recursive: true, force: true });
	mkdirSync(cacheDir, { recursive: true });
	// Without its own package.json npm would walk up and install into the repository's node_modules.
	writeFileSync(join(cacheDir, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }, null, '\t') + '\n');

	// code-server's postinstall needs --unsafe-perm as root (gone in npm 11) and downloads ripgrep, so its steps are done by hand below.
	await step(`npm install code-server@${CODE_SERVER_VERSION} (scripts off)`, () =>
		run(npm, ['install', '--ignore-scripts', '--no-save', ...quiet, `code-server@${CODE_SERVER_VERSION}`], { cwd: cacheDir }),
	);
	await step('npm rebuild argon2', () => run(npm, ['rebuild', 'argon2', ...quiet], { cwd: cacheDir, env: gyp }));
	await step('lib/vscode: npm install --omit=dev (scripts off)', () =>
		run(npm, ['install', '--omit=dev', '--ignore-scripts', ...quiet], { cwd: vscodeDir }),
	);
	// @vscode/ripgrep's postinstall skips its download when bin/ already exists.
	link('/usr/bin/rg', join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'));
	say('linked @vscode/ripgrep/bin/rg -> /usr/bin/rg');
	// npm here has yes=false and node-pty's install runs `npx node-gyp`, which would otherwise refuse to proceed.
	await step('lib/vscode: npm rebuild (native modules)', () => run(npm, ['rebuild', ...quiet], { cwd: vscodeDir, env: { ...gyp, npm_config_yes: 'true' } }));
	// The links code-server's own postinstall.sh would make.
	link('node_modules', join(vscodeDir, 'node_modules.asar'));
	link('code-linux.sh', join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
	link('browser-linux.sh', join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
	say('linked node_modules.asar, remote-cli/code-server, helpers/browser.sh');
	await step('lib/vscode/extensions: npm install --omit=dev', () =>
		run(npm, ['install', '--omit=dev', ...quiet], { cwd: join(vscodeDir, 'extensions'), env: { ...gyp, npm_config_yes: 'true' } }),
	);

	const entry = join(cs, 'out', 'node', 'entry.js');
	if (!existsSync(entry)) throw new Error(`code-server entry missing after install: ${entry}`);
	writeFileSync(marker, JSON.stringify({ version: CODE_SERVER_VERSION, node: process.version, finishedAt: new Date().toISOString() }) + '\n');
}

// ---- lock: two concurrent `npm run test:host` runs must not install into the same folder -------------------------

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return err.code === 'EPERM';
	}
}

async function acquireLock() {
	for (;;) {
		try {
			mkdirSync(lockDir);
			writeFileSync(join(lockDir, 'pid'), String(process.pid));
			return true;
		} catch (err) {
			if (err.code !== 'EEXIST') throw err;
		}
		let owner = NaN;
		try {
			owner = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
		} catch {
			// the owner may not have written its pid yet
		}
		if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) {
			rmSync(lockDir, { recursive: true, force: true });
			continue;
		}
		say(`another setup (pid ${owner}) is running; waiting`);
		while (existsSync(lockDir)) await sleep(2000);
		if (existsSync(marker)) return false;
	}
}

// ---- main ------------------------------------------------------------------------------------------------------

if (process.versions.node.split('.')[0] !== '20') {
	say(`warning: code-server ${CODE_SERVER_VERSION} is built for Node 20; this is Node ${process.versions.node}`);
}

try {
	// Checked even with a finished cache: CI may restore .vscode-test onto a machine without chromium.
	await ensureDebianPackages();
	if (!force && existsSync(marker)) {
		say(`code-server ${CODE_SERVER_VERSION} already set up in ${cacheDir} (marker present); nothing to do`);
		process.exit(0);
	}
	mkdirSync(dirname(cacheDir), { recursive: true });
	if (await acquireLock()) {
		try {
			if (force || !existsSync(marker)) {
				writeFileSync(logFile, `setup started ${new Date().toISOString()}\n`);
				await installCodeServer();
			}
		} finally {
			rmSync(lockDir, { recursive: true, force: true });
		}
	}
	say(`done in ${seconds(started)} (code-server ${CODE_SERVER_VERSION} in ${cacheDir})`);
} catch (err) {
	fail(err instanceof Error ? err.message : String(err));
}
