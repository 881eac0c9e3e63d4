// The extension staged as a web-only extension, for the browser's web worker extension host (run-host-tests.mjs's web
// passes, screenshot.mjs --web).
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureWorkspace, repoRoot } from './paths.mjs';

/**
 * The extension as a web-only extension would ship: package.json without `main`, everything else linked from the repository.
 * The fixture workspace opens below it, as in the other passes, but as a folder of its own with copies of the fixtures:
 * the browser's tests write into it (a dataset/ folder) without touching the repository.
 */
export function stageWebExtension(tmp) {
	const dir = join(tmp, 'web-extension');
	mkdirSync(dir);
	const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
	delete manifest.main;
	writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
	for (const name of ['dist', 'media', 'l10n', 'package.nls.json', 'package.nls.ja.json', 'LICENSE', 'README.md']) {
		if (existsSync(join(repoRoot, name))) symlinkSync(join(repoRoot, name), join(dir, name));
	}
	const workspace = join(dir, 'test', 'host', 'fixtures', 'workspace');
	mkdirSync(workspace, { recursive: true });
	// The Python fixtures the hover tests open (read only).
	symlinkSync(join(repoRoot, 'test', 'fixtures'), join(dir, 'test', 'fixtures'));
	// Copies, not links: an edit saved in the browser (a test's, or a dialog answered for it) must not reach the repository.
	for (const name of readdirSync(fixtureWorkspace)) if (name !== '.vscode') copyFileSync(join(fixtureWorkspace, name), join(workspace, name));
	return dir;
}

/** The fixture workspace of a staged extension. */
export const stagedWorkspace = (extensionDir) => join(extensionDir, 'test', 'host', 'fixtures', 'workspace');
