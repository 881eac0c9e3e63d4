/**
 * The edit–run loop: F5's pre-launch task is the watch build, whose lines the task's problem matcher must recognise,
 * and a production build carries no test code. Read from the committed .vscode/ files and the build scripts.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { within } from '../support/wait';

const root = join(__dirname, '..', '..', '..');

/** The .vscode files are JSON with // comment lines. */
function jsonc<T>(...path: string[]): T {
	const text = readFileSync(join(root, ...path), 'utf8');
	return JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')) as T;
}

interface Task {
	label: string;
	type: string;
	script?: string;
	isBackground?: boolean;
	problemMatcher: { pattern: { regexp: string; file: number; line: number; column: number; message: number }; background: { beginsPattern: string; endsPattern: string } };
}

const tasks = () => jsonc<{ tasks: Task[] }>('.vscode', 'tasks.json').tasks;
const watchTask = () => {
	const t = tasks().find((x) => x.label === 'watch');
	assert.ok(t, 'tasks.json has a "watch" task');
	return t;
};
// Dynamic import of the .mjs build helpers from the CommonJS test bundle.
const load = <T>(file: string) => import(pathToFileURL(join(root, 'scripts', file)).href) as Promise<T>;

describe('F5 and npm run watch', () => {
	it('every launch configuration builds first with the watch task, which runs `npm run watch`', () => {
		const launch = jsonc<{ configurations: { type: string; preLaunchTask?: string; args: string[] }[] }>('.vscode', 'launch.json');
		assert.ok(launch.configurations.length > 0);
		for (const c of launch.configurations) {
			assert.equal(c.type, 'extensionHost');
			assert.ok(c.args.includes('--extensionDevelopmentPath=${workspaceFolder}'));
			assert.ok(tasks().some((t) => t.label === c.preLaunchTask), `preLaunchTask ${c.preLaunchTask}`);
		}
		const t = watchTask();
		assert.equal(t.isBackground, true);
		const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
		assert.equal(t.type, 'npm');
		assert.match(pkg.scripts[t.script!], /scripts\/build\.mjs --watch/);
		assert.match(pkg.scripts['check-types'], /tsc --noEmit -p media/, 'check-types covers the webview too');
	});

	it('the watch build prints the lines the problem matcher waits for, and stops cleanly', async () => {
		const { background } = watchTask().problemMatcher;
		// Only the webview bundle, so the test does not rewrite what other tests run.
		const child = spawn(process.execPath, [join(root, 'scripts', 'build.mjs'), '--watch', '--only=webview'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (c: Buffer) => (out += c.toString()));
		child.stderr.on('data', (c: Buffer) => (out += c.toString()));
		const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
		try {
			const deadline = Date.now() + 60_000;
			while (!new RegExp(background.endsPattern, 'm').test(out)) {
				assert.ok(Date.now() < deadline, `no finished line in 60 s: ${out}`);
				assert.equal(child.exitCode, null, `the watch build exited: ${out}`);
				await new Promise((r) => setTimeout(r, 100));
			}
			const lines = out.split('\n').filter(Boolean);
			const begin = lines.findIndex((l) => new RegExp(background.beginsPattern).test(l));
			const end = lines.findIndex((l) => new RegExp(background.endsPattern).test(l));
			assert.ok(begin >= 0 && begin < end, out);
			assert.doesNotMatch(lines[end], /error/, out);
		} finally {
			child.kill('SIGTERM');
		}
		assert.equal(await within('the watch build to exit after SIGTERM', exited, 60_000), 0);
	});

	it('one start and one finish for several bundles rebuilding together, errors on the line the matcher reads', async () => {
		const { watchLog } = await load<{ watchLog: (print: (l: string) => void) => { plugin: { setup(b: unknown): void } } }>('watchLog.mjs');
		const printed: string[] = [];
		const { plugin } = watchLog((l) => printed.push(l));
		type Hooks = { start?: () => void; end?: (r: { errors: unknown[] }) => void };
		const builds: Hooks[] = [{}, {}];
		for (const b of builds) plugin.setup({ onStart: (f: () => void) => (b.start = f), onEnd: (f: (r: { errors: unknown[] }) => void) => (b.end = f) });
		builds[0].start!();
		builds[1].start!();
		builds[0].end!({ errors: [] });
		builds[1].end!({ errors: [{ text: "Expected ';' but found 'x'", location: { file: 'media/table.ts', line: 12, column: 4 } }] });
		const { pattern, background } = watchTask().problemMatcher;
		assert.equal(printed.filter((l) => new RegExp(background.beginsPattern).test(l)).length, 1, printed.join('\n'));
		assert.equal(printed.filter((l) => new RegExp(background.endsPattern).test(l)).length, 1, printed.join('\n'));
		const m = printed.map((l) => new RegExp(pattern.regexp).exec(l)).find((x) => x);
		assert.ok(m, printed.join('\n'));
		assert.deepEqual([m[pattern.file], m[pattern.line], m[pattern.column], m[pattern.message]], ['media/table.ts', '12', '5', "Expected ';' but found 'x'"]);
		assert.match(printed[printed.length - 1], /with 1 error/);
	});

	it('a production build has no test bundle', async () => {
		const { bundlesFor } = await load<{ bundlesFor: (o: { production: boolean }) => Record<string, { entryPoints: string[]; outfile?: string; outdir?: string }> }>('bundles.mjs');
		const isTest = (b: { entryPoints: string[]; outfile?: string; outdir?: string }) => b.entryPoints.some((e) => e.startsWith('test/')) || /dist\/test/.test(b.outfile ?? b.outdir ?? '');
		const dev = Object.values(bundlesFor({ production: false }));
		assert.ok(dev.some(isTest), 'the development build makes the test bundles');
		const prod = Object.values(bundlesFor({ production: true }));
		assert.deepEqual(prod.filter(isTest), []);
		assert.ok(prod.every((b) => (b as { minify?: boolean }).minify === true));
	});
});
