/** Finding a Python that can run the learner's script: it must start, and it must import NumPy. */
import type { ProcessHost } from './processHost';

export interface PythonInfo {
	/** What we start (a path or a name on PATH). */
	readonly command: string;
	/** `sys.executable`, for messages. */
	readonly executable: string;
	readonly version: string;
	readonly numpy: string;
}

export type ProbeFailure =
	| { readonly kind: 'notFound'; readonly command: string }
	| { readonly kind: 'noNumpy'; readonly command: string; readonly executable: string; readonly version: string; readonly detail: string }
	| { readonly kind: 'broken'; readonly command: string; readonly detail: string };

export type ProbeResult = { readonly ok: true; readonly info: PythonInfo } | { readonly ok: false; readonly failure: ProbeFailure };

const PROBE = [
	'import sys, json',
	"r = {'executable': sys.executable, 'version': sys.version.split()[0]}",
	'try:',
	'    import numpy',
	"    r['numpy'] = numpy.__version__",
	'except Exception as e:',
	"    r['numpyError'] = type(e).__name__ + ': ' + str(e)",
	'print(json.dumps(r))',
].join('\n');

/** Importing NumPy the first time after an install compiles bytecode: slow on a busy machine. */
const PROBE_TIMEOUT_MS = 60_000;

export function probePython(host: ProcessHost, command: string, cwd: string): Promise<ProbeResult> {
	return new Promise((resolve) => {
		const child = host.spawn({ executable: command, args: ['-c', PROBE], cwd });
		const lines: string[] = [];
		let stderr = '';
		const timer = setTimeout(() => child.kill(), PROBE_TIMEOUT_MS);
		child.onStdoutLine((l) => lines.push(l));
		child.onStderr((t) => (stderr = (stderr + t).slice(-2000)));
		child.onExit((exit) => {
			clearTimeout(timer);
			if (exit.spawnError) {
				const notFound = exit.spawnError.code === 'ENOENT' || exit.spawnError.code === 'EACCES' || exit.spawnError.code === 'ENOTDIR';
				resolve({ ok: false, failure: notFound ? { kind: 'notFound', command } : { kind: 'broken', command, detail: exit.spawnError.message } });
				return;
			}
			let r: { executable?: string; version?: string; numpy?: string; numpyError?: string } | undefined;
			for (const l of lines) {
				try {
					r = JSON.parse(l) as typeof r;
				} catch {
					// Not ours (a sitecustomize that prints): keep looking.
				}
			}
			if (!r || typeof r.version !== 'string') {
				// The Windows Store's python3 alias and other stubs start but are not Python.
				const detail = (stderr.trim().split('\n').pop() ?? '') || `exit code ${exit.code ?? exit.signal}`;
				resolve({ ok: false, failure: { kind: 'broken', command, detail } });
				return;
			}
			const executable = r.executable || command;
			if (typeof r.numpy !== 'string') {
				resolve({ ok: false, failure: { kind: 'noNumpy', command, executable, version: r.version, detail: r.numpyError ?? '' } });
				return;
			}
			resolve({ ok: true, info: { command, executable, version: r.version, numpy: r.numpy } });
		});
	});
}

/**
 * The first candidate that works. When none does, the most useful failure: a Python without NumPy says more than a
 * missing command.
 */
export async function findPython(host: ProcessHost, candidates: readonly string[], cwd: string): Promise<ProbeResult> {
	let best: ProbeFailure | undefined;
	const rank = { noNumpy: 3, broken: 2, notFound: 1 } as const;
	for (const c of candidates) {
		const r = await probePython(host, c, cwd);
		if (r.ok) return r;
		if (!best || rank[r.failure.kind] > rank[best.kind]) best = r.failure;
	}
	return { ok: false, failure: best ?? { kind: 'notFound', command: candidates.join(', ') } };
}

/** Python on PATH, in the order the users expect. */
export const PATH_CANDIDATES: readonly string[] = ['python3', 'python'];

/** How to get NumPy for that interpreter: Debian's package for the system Python, pip otherwise. */
export function numpyInstallCommand(executable: string): string {
	if (/^\/usr\/bin\/python3(\.\d+)?$/.test(executable)) return 'sudo apt-get install python3-numpy';
	const quoted = /\s/.test(executable) ? `"${executable}"` : executable;
	return `${quoted} -m pip install numpy`;
}
