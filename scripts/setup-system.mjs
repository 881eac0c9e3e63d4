// Installs the Debian packages the tests use, when they are missing and we may (root with apt-get).
// Elsewhere it only says what is missing; the tests that need a package then skip with a message.
import { execFileSync, spawnSync } from 'node:child_process';
import { missingPackages } from './system-packages.mjs';

const missing = missingPackages();
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
