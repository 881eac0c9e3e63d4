/**
 * What the tests need from Debian: the Python they run NumPy (and SciPy) with, and other packages. `npm test` installs
 * them (scripts/setup-system.mjs) and then sets MINIBATCH_LAB_SETUP_COMPLETE=1: from then on a missing one is a failure,
 * not a skip. Run by hand on a machine without them, the tests that need them skip and say why.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** scripts/test.mjs sets it once every Debian package the tests use is installed. */
export const setupComplete = process.env.MINIBATCH_LAB_SETUP_COMPLETE === '1';

const found = new Map<string, string | undefined>();

/**
 * The first interpreter that imports every module in `modules`: MINIBATCH_LAB_PYTHON if set (pointed at nothing, it
 * shows the skip), else Debian's /usr/bin/python3 (the reference the fixtures were written with), else python3 on PATH.
 */
export function findPython(modules: readonly string[]): string | undefined {
	const key = modules.join(',');
	if (found.has(key)) return found.get(key);
	const candidates = process.env.MINIBATCH_LAB_PYTHON ? [process.env.MINIBATCH_LAB_PYTHON] : ['/usr/bin/python3', 'python3'];
	let exe: string | undefined;
	for (const c of candidates) {
		const r = spawnSync(c, ['-c', modules.map((m) => `import ${m}`).join('; ') || 'pass'], { encoding: 'utf8', timeout: 60_000 });
		if (r.status === 0) {
			exe = c;
			break;
		}
	}
	found.set(key, exe);
	return exe;
}

export interface PythonNeed {
	/** The interpreter, when there is one. */
	python: string | undefined;
	/** Options for `describe`/`it`: a skip with the reason only where setup has not run. */
	options: { skip?: string };
	/** The interpreter, or a failure that says what is missing and how to install it. */
	require(): string;
}

/** What a group of tests needs: `modules` importable, installed by the Debian packages `debianPackages`. */
export function needPython(modules: readonly string[], debianPackages: readonly string[]): PythonNeed {
	const python = findPython(modules);
	const reason = `no python3 that imports ${modules.join(' and ')} (install Debian's ${debianPackages.join(' ')}, or set MINIBATCH_LAB_PYTHON)`;
	return {
		python,
		options: python || setupComplete ? {} : { skip: reason },
		require() {
			if (!python) throw new Error(`${reason}; npm test's setup ran, so this is a failure, not a skip`);
			return python;
		},
	};
}

/** A Debian package the tests read files from (`path` exists once it is installed). */
export function needInstalled(path: string, debianPackage: string): { options: { skip?: string }; require(): void } {
	const there = existsSync(path);
	const reason = `Debian's ${debianPackage} is not installed (no ${path})`;
	return {
		options: there || setupComplete ? {} : { skip: reason },
		require() {
			if (!there) throw new Error(`${reason}; npm test's setup ran, so this is a failure, not a skip`);
		},
	};
}
