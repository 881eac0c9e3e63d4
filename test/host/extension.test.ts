import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';

const extensionId = 'minibatch-lab.minibatch-lab';

describe('extension', () => {
	it('is installed for development and activates without error', async () => {
		const ext = vscode.extensions.getExtension(extensionId);
		assert.ok(ext, `extension ${extensionId} not found`);
		await ext.activate();
		assert.equal(ext.isActive, true);
	});

	it('opens the fixture workspace', async () => {
		const ext = vscode.extensions.getExtension(extensionId);
		assert.ok(ext);
		const folders = vscode.workspace.workspaceFolders ?? [];
		assert.equal(folders.length, 1, 'exactly one workspace folder');
		// Both hosts hand the extension file: URIs (code-server's remote host translates vscode-remote:// for us).
		assert.equal(folders[0].uri.scheme, 'file');
		assert.equal(folders[0].uri.fsPath, join(ext.extensionPath, 'test', 'host', 'fixtures', 'workspace'));
		const script = await vscode.workspace.fs.stat(vscode.Uri.joinPath(folders[0].uri, 'train_neuralnet.py'));
		assert.equal(script.type, vscode.FileType.File);
	});
});
