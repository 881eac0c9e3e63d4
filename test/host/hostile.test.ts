/**
 * A workspace written to plant command links (scripts/host/hostileWorkspace.mjs), opened by the `hostile` pass: its folder's
 * name is `[Fix this setting](command:…)`, its .vscode/settings.json puts that link into minibatchLab.samplers, and its
 * book-style dataset/ is corrupt. The error still shows, naming the value and the path, but as text: no link in the notification.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { browserBridgeAvailable, queryDom } from './browser';
import { clearNotifications, errorToast } from './observe';
import { liveWorkers, SECTION, until } from './util';

/** Kept in step with HOSTILE_LINK in scripts/host/hostileWorkspace.mjs. */
const LINK = '[Fix this setting](command:workbench.action.files.newUntitledFile)';
/** Any command link, in every notification toast and in the notification center. */
const COMMAND_ANCHORS = '.notifications-toasts a[href^="command:"], .notifications-center a[href^="command:"]';

/** What a reader sees: the invisible joiner that breaks the link syntax is not part of it. */
const visible = (s: string) => s.replaceAll('\u2060', '');

async function anchorsInNotifications(): Promise<number> {
	return Number(await queryDom({ selector: COMMAND_ANCHORS, op: 'count' }));
}

describe('a hostile workspace @hostile', function () {
	this.timeout(120_000);

	before(async function () {
		if (!browserBridgeAvailable) this.skip();
		await vscode.extensions.getExtension('minibatch-lab.minibatch-lab')!.activate();
		assert.equal(vscode.workspace.workspaceFolders?.[0]?.name, LINK, 'this pass opens the folder named as a link');
		await clearNotifications();
	});

	after(async () => {
		await clearNotifications();
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	it('a command link planted in minibatchLab.samplers is shown as text, not as a link', async () => {
		assert.deepEqual(vscode.workspace.getConfiguration(SECTION).inspect('samplers')?.workspaceValue, [LINK], 'the workspace plants the link');
		await vscode.commands.executeCommand('minibatchLab.runComparison');
		const shown = await errorToast('unknown sampler');
		assert.equal(await anchorsInNotifications(), 0, `no command link in the notification: ${shown}`);
		assert.ok(visible(shown).includes(`"${LINK}"`), `the error names the value as it is: ${shown}`);
		assert.equal(await queryDom({ selector: '.notification-list-item-message a', op: 'count' }), 0, 'no link of any kind');
		assert.equal(await liveWorkers(), 0);
	});

	it('a `|` in a keepdims hover\'s shape table renders neither a link nor an image', async () => {
		// The second cell is where a break-out would land: a 2-column table drops any cell after it.
		const input = 'x | [Fix](https://example.com/x) ![i](https://example.com/t.png) | 0';
		const text = `import numpy as np\nx = np.zeros((100, 10))\ny = np.max(${input}, axis=1, keepdims=True)\n`;
		const doc = await vscode.workspace.openTextDocument({ language: 'python', content: text });
		const editor = await vscode.window.showTextDocument(doc);
		const at = doc.positionAt(text.indexOf('keepdims') + 2);
		editor.selection = new vscode.Selection(at, at);
		await vscode.commands.executeCommand('editor.action.showHover');
		const HOVER = '.monaco-hover:not(.hidden) .monaco-hover-content';
		const shown = String(await queryDom({ selector: HOVER, hasText: 'keepdims', op: 'text', timeoutMs: 30_000 }));
		assert.ok(shown.includes('x | [Fix](https://example.com/x) ![i](https://example.com/t.png) | 0'), `the expression, as text, in its cell: ${shown}`);
		// The hover renderer keeps a link's target in data-href.
		const links = await queryDom({ selector: `${HOVER} a[href*="example.com"], ${HOVER} a[data-href*="example.com"]`, op: 'count' });
		const images = await queryDom({ selector: `${HOVER} img`, op: 'count' });
		assert.deepEqual({ links, images }, { links: 0, images: 0 }, 'no link and no image from the file');
		await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
	});

	it('a folder named as a command link, holding a corrupt dataset/, is named in the error as text', async () => {
		await clearNotifications();
		// The study group's samplers again; the folder's name still reaches the message through the dataset's path.
		await vscode.workspace.getConfiguration(SECTION).update('samplers', undefined, vscode.ConfigurationTarget.Workspace);
		await until('the planted setting to go', async () => vscode.workspace.getConfiguration(SECTION).inspect('samplers')?.workspaceValue === undefined);
		await vscode.commands.executeCommand('minibatchLab.runComparison');
		const shown = await errorToast('wrong magic number');
		assert.equal(await anchorsInNotifications(), 0, `no command link in the notification: ${shown}`);
		assert.ok(visible(shown).includes(`/${LINK}/dataset/train-images-idx3-ubyte.gz: has the wrong magic number`), `the error names the path as it is: ${shown}`);
		assert.equal(await queryDom({ selector: '.notification-list-item-message a', op: 'count' }), 0, 'no link of any kind');
		// The panel says it too, as text.
		const inPanel = String(await queryDom({ target: 'webview', selector: '#error', op: 'text', timeoutMs: 30_000 }));
		assert.match(inPanel, /wrong magic number/);
		assert.equal(await queryDom({ target: 'webview', selector: '#error a', op: 'count' }), 0);
		assert.equal(await liveWorkers(), 0);
	});
});
