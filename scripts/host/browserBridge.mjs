// Lets in-host tests read the browser's DOM (the workbench, or a webview two iframes deep), which the extension host cannot
// reach: the runner serves a tiny loopback HTTP endpoint and answers each query with playwright. Its URL goes to the host in
// MINIBATCH_LAB_BROWSER_BRIDGE; test/host/browser.ts is the client. Only the code-server route has it.
import http from 'node:http';
import { webviewFrame } from './screenshot.mjs';

/**
 * @typedef {{target?: 'workbench'|'webview', selector: string, hasText?: string, op: 'text'|'texts'|'html'|'attr'|'value'|'count'|'wait'|'click'|'fill'|'post'|'hover'|'keys', name?: string, value?: string, message?: unknown, keys?: ({chord?: string, text?: string})[], timeoutMs?: number}} DomQuery
 * @typedef {{op: 'dialogs', on: boolean}} DialogSwitch
 */

// VS Code refuses every dialog while extension tests run (DialogService.prompt throws "refused to show dialog in tests",
// confirm() answers yes), so no test could answer a modal. The workbench script loaded by the page gets one change: that
// guard also reads a page flag, which {op: 'dialogs'} sets. Off unless a test turns it on, so the other tests keep VS
// Code's behaviour (closing a dirty editor, for one, asks nothing). Written for code-server 4.100.3's minified workbench;
// if it no longer matches, {op: 'dialogs'} fails and says so.
const WORKBENCH_JS = /\/out\/vs\/code\/browser\/workbench\/workbench\.js$/;
const DIALOG_GUARD =
	/(\w+)\(\)\{return this\.(\w+)\.isExtensionDevelopment&&this\.\2\.extensionTestsLocationURI\?!0:!!this\.\2\.enableSmokeTestDriver\}(?=async confirm\(\w+\)\{return this\.\1\(\)\?\(this\.\w+\.trace\("DialogService: refused)/;
const DIALOG_FLAG = 'minibatchLabRealDialogs';

async function patchDialogGuard(page, onPatched) {
	await page.route(WORKBENCH_JS, async (route) => {
		const response = await route.fetch();
		const body = await response.text();
		const patched = body.replace(DIALOG_GUARD, `$1(){return this.$2.isExtensionDevelopment&&this.$2.extensionTestsLocationURI&&!globalThis.${DIALOG_FLAG}?!0:!!this.$2.enableSmokeTestDriver}`);
		if (patched !== body) onPatched();
		await route.fulfill({ response, body: patched });
	});
}

async function answer(page, /** @type {DomQuery} */ q) {
	const root = q.target === 'webview' ? webviewFrame(page) : page;
	const matched = root.locator(q.selector);
	const all = q.hasText === undefined ? matched : matched.filter({ hasText: q.hasText });
	const first = all.first();
	const timeout = q.timeoutMs ?? 10_000;
	switch (q.op) {
		case 'count':
			return all.count();
		case 'wait':
			await first.waitFor({ state: 'attached', timeout });
			return all.count();
		case 'text':
			return first.innerText({ timeout });
		case 'texts':
			return all.allInnerTexts();
		case 'html':
			return first.evaluate((el) => el.outerHTML, undefined, { timeout });
		case 'attr':
			return first.getAttribute(q.name ?? '', { timeout });
		case 'value':
			return first.inputValue({ timeout });
		case 'click':
			// A real mouse click, as a user would give it (a modal dialog's button, a notification's action).
			await first.click({ timeout });
			return null;
		case 'fill':
			await first.fill(q.value ?? '', { timeout });
			return null;
		case 'hover':
			// The mouse comes to rest on the match, as a user's does to read a hover.
			await first.hover({ timeout });
			return null;
		case 'keys':
			// Keys as a user types them, into whatever has the focus: a chord ('F1', 'Control+.', 'Enter') or text.
			for (const k of q.keys ?? []) {
				if (k.chord) await page.keyboard.press(k.chord);
				else await page.keyboard.type(k.text ?? '');
			}
			return null;
		case 'screenshot':
			// For diagnosis: the whole window as it is now, to the file `value` on the runner's machine.
			await page.screenshot({ path: q.value });
			return null;
		case 'post':
			// What the page's own vscode.postMessage does (VS Code's webview pre/index.html): hand the message to the webview's
			// host frame, which relays it to the extension. The page cannot reach that frame (its `parent` is deleted), so this
			// evaluates there; a test forges page messages this way.
			await page
				.frameLocator('iframe.webview')
				.locator('html')
				.evaluate((_, message) => globalThis.__vscode_post_message__('onmessage', { message }), q.message, { timeout });
			return null;
		default:
			throw new Error(`unknown op ${q.op}`);
	}
}

/** @returns {Promise<{url: string, setPage: (page: import('playwright-core').Page) => Promise<void>, close: () => Promise<void>}>} */
export async function startBrowserBridge() {
	let page;
	let guardPatched = false;
	/** @param {DialogSwitch} q */
	const dialogs = async (q) => {
		if (!guardPatched) throw new Error("the workbench's dialog guard was not found, so real dialogs cannot be turned on (see DIALOG_GUARD)");
		await page.evaluate(([flag, on]) => (globalThis[flag] = on), [DIALOG_FLAG, q.on === true]);
		return null;
	};
	const server = http.createServer((req, res) => {
		if (req.method === 'OPTIONS') {
			res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type' });
			res.end();
			return;
		}
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', async () => {
			let reply;
			try {
				if (!page) throw new Error('no browser page yet');
				const q = JSON.parse(body);
				reply = { ok: true, value: await (q.op === 'dialogs' ? dialogs(q) : answer(page, q)) };
			} catch (err) {
				reply = { ok: false, error: err instanceof Error ? err.message.split('\n')[0] : String(err) };
			}
			// The browser's extension host asks from the workbench's origin, another port: allow it.
			res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
			res.end(JSON.stringify(reply));
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	return {
		url: `http://127.0.0.1:${server.address().port}/`,
		/** Call before the page loads the workbench. */
		setPage: async (p) => {
			page = p;
			await patchDialogGuard(p, () => (guardPatched = true));
		},
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections(); // the host's fetch keeps connections alive
			}),
	};
}
