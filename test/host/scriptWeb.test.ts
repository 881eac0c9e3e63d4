/** In the browser's extension host there are no processes: the command says, in one sentence, where it works. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { browserBridgeAvailable, queryDom } from './browser';

describe('Compare samplers on this script in a browser @web', () => {
	it('says it needs a local Python, pointing to the desktop app or a Codespace', async () => {
		await vscode.extensions.getExtension('minibatch-lab.minibatch-lab')!.activate();
		assert.equal(typeof process, 'undefined', 'this host has no Node');
		const result = await vscode.commands.executeCommand('minibatchLab.compareScript');
		assert.equal(result, undefined);
		if (!browserBridgeAvailable) return;
		const text = String(await queryDom({ selector: '.notification-toast .notification-list-item-message', hasText: 'local Python', op: 'text', timeoutMs: 30_000 }));
		assert.equal(text, 'Comparing samplers on your script needs a local Python, which a browser cannot run: open the folder in VS Code on your computer, or in a GitHub Codespace.');
		await vscode.commands.executeCommand('notifications.clearAll');
	});
});
