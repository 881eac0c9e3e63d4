/**
 * The in-host suite's settings. In the Node host they come from the environment, which the extension host inherits from
 * code-server (or test-electron's extensionTestsEnv); the browser host has no environment, so the runner puts them in
 * `globalThis.minibatchLabTestEnv` at the top of the web test bundle (see scripts/host/run-host-tests.mjs).
 */
export function testEnv(name: string): string | undefined {
	const injected = (globalThis as { minibatchLabTestEnv?: Record<string, string> }).minibatchLabTestEnv;
	if (injected) return injected[name] || undefined;
	return typeof process === 'undefined' ? undefined : process.env[name] || undefined;
}

/** The launch these tests run in: PASSES in scripts/host/run-host-tests.mjs. */
export const testPass = testEnv('MINIBATCH_LAB_TEST_PASS') ?? 'main';

/** True in VS Code's browser (web worker) extension host. */
export const inBrowserHost = typeof process === 'undefined';
