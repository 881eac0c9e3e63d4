import { spawn as spawnChild, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { ChildProcessHandle, ExitInfo, ProcessHost, SpawnRequest } from './processHost';

/** Processes this host started and has not seen exit. */
const alive = new Set<number>();

/**
 * child_process with one process group per child (POSIX: `detached` makes the child a group leader), so killing the
 * group also stops whatever the script started. On Windows, `taskkill /T` stops the tree.
 */
export const nodeProcessHost: ProcessHost = {
	cores: () => availableParallelism(),
	live: () => alive.size,
	spawn(request: SpawnRequest): ChildProcessHandle {
		const posix = process.platform !== 'win32';
		const child = spawnChild(request.executable, [...request.args], {
			cwd: request.cwd,
			env: { ...process.env, ...request.env },
			stdio: ['pipe', 'pipe', 'pipe'],
			detached: posix,
			windowsHide: true,
		});
		const pid = child.pid;
		if (pid !== undefined) alive.add(pid);
		const lineListeners: ((line: string) => void)[] = [];
		const errListeners: ((text: string) => void)[] = [];
		const exitListeners: ((exit: ExitInfo) => void)[] = [];
		let exited: ExitInfo | undefined;
		let pending = '';
		child.stdout.setEncoding('utf8');
		child.stderr.setEncoding('utf8');
		child.stdout.on('data', (chunk: string) => {
			const parts = (pending + chunk).split('\n');
			pending = parts.pop() ?? '';
			for (const line of parts) for (const l of lineListeners) l(line);
		});
		child.stderr.on('data', (chunk: string) => {
			for (const l of errListeners) l(chunk);
		});
		const finish = (info: ExitInfo) => {
			if (exited) return;
			if (pending) for (const l of lineListeners) l(pending);
			pending = '';
			exited = info;
			if (pid !== undefined) alive.delete(pid);
			for (const l of exitListeners) l(info);
		};
		child.on('error', (e: NodeJS.ErrnoException) => {
			if (pid === undefined) finish({ code: null, signal: null, spawnError: e });
		});
		// Whatever the script left running in its group goes with it (and would otherwise hold the pipes open).
		child.on('exit', () => {
			if (posix && pid !== undefined) {
				try {
					process.kill(-pid, 'SIGKILL');
				} catch {
					// The group is already empty.
				}
			}
		});
		// 'close' comes after the output streams have ended.
		child.on('close', (code, signal) => finish({ code, signal }));
		child.stdin.on('error', () => undefined);
		child.stdin.end(request.input ?? '');
		let killed = false;
		return {
			onStdoutLine: (l) => void lineListeners.push(l),
			onStderr: (l) => void errListeners.push(l),
			onExit: (l) => (exited ? l(exited) : void exitListeners.push(l)),
			kill() {
				if (killed || exited || pid === undefined) return;
				killed = true;
				try {
					if (posix) process.kill(-pid, 'SIGKILL');
					else spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true });
				} catch {
					// Already gone.
				}
			},
		};
	},
};
