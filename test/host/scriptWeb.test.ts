/** In the browser's extension host there are no processes: the command says, in one sentence, where it works. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { browserBridgeAvailable } from './browser';
import { notificationText } from './observe';

const REFUSAL = 'Comparing samplers on your script needs a local Python, which a browser cannot run: open the folder in VS Code on your computer, or in a GitHub Codespace.';

/** Runs the command in the browser host and returns the notification's text (undefined without the browser bridge). */
async function refusal(): Promise<string | undefined> {
	await vscode.extensions.getExtension('minibatch-lab.minibatch-lab')!.activate();
	assert.equal(typeof process, 'undefined', 'this host has no Node');
	const result = await vscode.commands.executeCommand('minibatchLab.compareScript');
	assert.equal(result, undefined);
	if (!browserBridgeAvailable) return undefined;
	const text = String(await notificationText('Codespace'));
	await vscode.commands.executeCommand('notifications.clearAll');
	return text;
}

describe('Compare samplers on this script in a browser @web', () => {
	it('says it needs a local Python, pointing to the desktop app or a Codespace', async () => {
		const text = await refusal();
		if (text !== undefined) assert.equal(text, REFUSAL);
	});
});

describe('Compare samplers on this script in a browser, in Japanese @ja', () => {
	it('says it in Japanese', async function () {
		// The Node host's ja pass has processes: this is for the browser's (web-ja) only.
		if (typeof process !== 'undefined') this.skip();
		const ext = vscode.extensions.getExtension('minibatch-lab.minibatch-lab')!;
		const ja = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'l10n', 'bundle.l10n.ja.json')))) as Record<string, string>;
		assert.ok(REFUSAL in ja, 'the bundle has the sentence');
		const text = await refusal();
		if (text !== undefined) assert.equal(text, ja[REFUSAL]);
	});
});
