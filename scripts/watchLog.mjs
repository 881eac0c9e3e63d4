// The lines `node scripts/build.mjs --watch` prints for VS Code's background problem matcher (.vscode/tasks.json):
// one "build started" when the first bundle starts rebuilding, one "build finished" when the last one is done, and each
// error on one line with its file, line and column, so F5 waits for a finished build and the Problems view lists errors.
// The patterns below are the ones tasks.json uses; test/unit/devLoop.test.ts keeps the two in step.

export const STARTED = '[watch] build started';
export const FINISHED = '[watch] build finished';

/** `[watch] error: src/a.ts:3:7: message` (line and column 1-based, as VS Code reads them). */
export function errorLine(e) {
	const where = e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}` : 'scripts/build.mjs:1:1';
	return `[watch] error: ${where}: ${e.text}`;
}

/**
 * An esbuild plugin shared by every bundle's context: several contexts rebuild after one save, and the matcher should
 * see one start and one finish for all of them. `print` is for tests.
 */
export function watchLog(print = (line) => console.log(line)) {
	let active = 0;
	let errors = 0;
	return {
		plugin: {
			name: 'watch-log',
			setup(build) {
				build.onStart(() => {
					if (active++ === 0) {
						errors = 0;
						print(STARTED);
					}
				});
				build.onEnd((result) => {
					for (const e of result.errors) print(errorLine(e));
					errors += result.errors.length;
					if (--active === 0) print(`${FINISHED}${errors ? ` with ${errors} error${errors === 1 ? '' : 's'}` : ''} at ${new Date().toLocaleTimeString()}`);
				});
			},
		},
	};
}
