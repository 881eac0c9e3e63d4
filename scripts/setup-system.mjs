// Installs the Debian packages the tests use, when they are missing and we may (root with apt-get).
// Elsewhere it only says what is missing; the tests that need a package then skip with a message.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** package -> a path that exists once it is installed */
const PACKAGES = {
	chromium: '/usr/bin/chromium',
	ripgrep: '/usr/bin/rg',
	'libkrb5-dev': '/usr/include/krb5.h',
	'python3-numpy': '/usr/lib/python3/dist-packages/numpy',
	'dataset-fashion-mnist': '/usr/share/datasets/fashion-mnist',
	// Japanese glyphs for chromium: hover screenshots with --locale ja (scripts/host/hover-screenshot.mjs).
	'fonts-ipafont-gothic': '/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf',
};

const missing = Object.entries(PACKAGES).filter(([, path]) => !existsSync(path)).map(([name]) => name);
if (missing.length === 0) process.exit(0);
const canInstall = process.getuid?.() === 0 && spawnSync('which', ['apt-get']).status === 0;
if (!canInstall) {
	console.warn(`setup: missing Debian packages ${missing.join(', ')}; install them with apt-get (tests that need them will skip or fail)`);
	process.exit(0);
}
console.log(`setup: apt-get install ${missing.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
