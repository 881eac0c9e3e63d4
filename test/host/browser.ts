/**
 * Client for the runner's browser bridge (scripts/host/browserBridge.mjs): lets a test read DOM that lives in the browser,
 * such as a webview's, which the extension host cannot reach. Only run-host-tests.mjs provides it; under test-electron
 * `browserBridgeAvailable` is false, so guard such tests with `if (!browserBridgeAvailable) this.skip()`.
 */
export interface DomQuery {
	/** 'webview' reads inside the (single) open webview; default 'workbench'. */
	target?: 'workbench' | 'webview';
	selector: string;
	/** text: innerText of the first match; html: its outerHTML; attr: attribute `name`; count: matches now; wait: wait for one, then count. */
	op: 'text' | 'html' | 'attr' | 'count' | 'wait';
	name?: string;
	timeoutMs?: number;
}

const bridgeUrl = process.env.MINIBATCH_LAB_BROWSER_BRIDGE || undefined;

export const browserBridgeAvailable = bridgeUrl !== undefined;

export async function queryDom(query: DomQuery): Promise<string | number | null> {
	if (!bridgeUrl) throw new Error('no browser bridge: run through scripts/host/run-host-tests.mjs');
	const res = await fetch(bridgeUrl, { method: 'POST', body: JSON.stringify(query) });
	const reply = (await res.json()) as { ok: true; value: string | number | null } | { ok: false; error: string };
	if (!reply.ok) throw new Error(`browser bridge: ${reply.error} (${JSON.stringify(query)})`);
	return reply.value;
}
