/**
 * Starting and stopping outside processes, behind an interface: the Node host (extension and CLI) implements it with
 * child_process; the browser build has none, and says so before anything would need it.
 */

export interface SpawnRequest {
	readonly executable: string;
	readonly args: readonly string[];
	readonly cwd: string;
	/** Added to (and overriding) the host's environment. */
	readonly env?: Readonly<Record<string, string>>;
	/** Written to stdin, which is then closed. */
	readonly input?: string;
}

export interface ExitInfo {
	readonly code: number | null;
	readonly signal: string | null;
	/** Set when the process could not be started at all (e.g. ENOENT). */
	readonly spawnError?: NodeJS.ErrnoException;
}

export interface ChildProcessHandle {
	/** Called once per complete stdout line. */
	onStdoutLine(listener: (line: string) => void): void;
	onStderr(listener: (text: string) => void): void;
	/** Called once, after the last output. */
	onExit(listener: (exit: ExitInfo) => void): void;
	/** Stops the process and every process it started (its process group). Safe to call more than once. */
	kill(): void;
}

export interface ProcessHost {
	spawn(request: SpawnRequest): ChildProcessHandle;
	/** How many processes may usefully run at once. */
	cores(): number;
	/** Processes started here that have not exited yet (the tests check it returns to zero). */
	live(): number;
}
