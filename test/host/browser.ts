/**
 * Client for the runner's browser bridge (scripts/host/browserBridge.mjs): lets a test read DOM that lives in the browser,
 * such as a webview's, which the extension host cannot reach. Only run-host-tests.mjs provides it; under test-electron
 * `browserBridgeAvailable` is false, so guard such tests with `if (!browserBridgeAvailable) this.skip()`.
 */
import { testEnv } from './env';

export interface DomQuery {
	/** 'webview' reads inside the (single) open webview; default 'workbench'. */
	target?: 'workbench' | 'webview';
	selector: string;
	/** Keep only the matches whose text contains this (case-insensitive). */
	hasText?: string;
	/**
	 * text: innerText of the first match; texts: innerText of every match, now; html: its outerHTML; attr: attribute `name`;
	 * value: what an input holds now (its value property, which its attribute does not follow);
	 * count: matches now; wait: wait for one, then count; click: click the first match (waiting for it), then null; fill: type
	 * `value` into it, then null; post: send `message` to the extension as the (single open) webview's vscode.postMessage
	 * would, then null (target and selector are ignored); hover: move the mouse onto the first match, then null; keys: press
	 * `keys` in order, into whatever has the focus, then null (selector ignored).
	 */
	op: 'text' | 'texts' | 'html' | 'attr' | 'value' | 'count' | 'wait' | 'click' | 'fill' | 'post' | 'hover' | 'keys';
	/** keys: chords such as 'F1', 'Control+.', 'Enter', and text to type. */
	keys?: ({ chord: string } | { text: string })[];
	/** fill: the text to type into the first match (an input). */
	value?: string;
	/** post: the message, as the page would pass it to postMessage (anything structured clone takes). */
	message?: unknown;
	name?: string;
	timeoutMs?: number;
}

const bridgeUrl = testEnv('MINIBATCH_LAB_BROWSER_BRIDGE');

export const browserBridgeAvailable = bridgeUrl !== undefined;

export async function queryDom(query: DomQuery): Promise<string | string[] | number | null> {
	return ask(query);
}

/**
 * VS Code refuses every dialog while extension tests run (a modal message rejects at once). This lets real dialogs show,
 * so a test can answer one through the DOM; turn it off again afterwards (a dirty editor's close would ask too).
 */
export async function showRealDialogs(on: boolean): Promise<void> {
	await ask({ op: 'dialogs', on });
}

async function ask(query: DomQuery | { op: 'dialogs'; on: boolean }): Promise<string | string[] | number | null> {
	if (!bridgeUrl) throw new Error('no browser bridge: run through scripts/host/run-host-tests.mjs');
	// The bridge bounds each DOM wait by timeoutMs; this bounds the request itself, so a dead bridge fails the test with a message.
	const limit = ('timeoutMs' in query && query.timeoutMs ? query.timeoutMs : 10_000) + 30_000;
	const res = await fetch(bridgeUrl, { method: 'POST', body: JSON.stringify(query), signal: AbortSignal.timeout(limit) }).catch((e: unknown) => {
		throw new Error(`browser bridge: no answer within ${limit} ms (${e instanceof Error ? e.message : String(e)}) for ${JSON.stringify(query)}`);
	});
	const reply = (await res.json()) as { ok: true; value: string | string[] | number | null } | { ok: false; error: string };
	if (!reply.ok) throw new Error(`browser bridge: ${reply.error} (${JSON.stringify(query)})`);
	return reply.value;
}
