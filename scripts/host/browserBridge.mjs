// Lets in-host tests read the browser's DOM (the workbench, or a webview two iframes deep), which the extension host cannot
// reach: the runner serves a tiny loopback HTTP endpoint and answers each query with playwright. Its URL goes to the host in
// MINIBATCH_LAB_BROWSER_BRIDGE; test/host/browser.ts is the client. Only the code-server route has it.
import http from 'node:http';
import { webviewFrame } from './screenshot.mjs';

/**
 * @typedef {{target?: 'workbench'|'webview', selector: string, op: 'text'|'html'|'attr'|'count'|'wait', name?: string, timeoutMs?: number}} DomQuery
 */

async function answer(page, /** @type {DomQuery} */ q) {
	const root = q.target === 'webview' ? webviewFrame(page) : page;
	const all = root.locator(q.selector);
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
		case 'html':
			return first.evaluate((el) => el.outerHTML, undefined, { timeout });
		case 'attr':
			return first.getAttribute(q.name ?? '', { timeout });
		default:
			throw new Error(`unknown op ${q.op}`);
	}
}

/** @returns {Promise<{url: string, setPage: (page: import('playwright-core').Page) => void, close: () => Promise<void>}>} */
export async function startBrowserBridge() {
	let page;
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', async () => {
			let reply;
			try {
				if (!page) throw new Error('no browser page yet');
				reply = { ok: true, value: await answer(page, JSON.parse(body)) };
			} catch (err) {
				reply = { ok: false, error: err instanceof Error ? err.message.split('\n')[0] : String(err) };
			}
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(reply));
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	return {
		url: `http://127.0.0.1:${server.address().port}/`,
		setPage: (p) => (page = p),
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections(); // the host's fetch keeps connections alive
			}),
	};
}
