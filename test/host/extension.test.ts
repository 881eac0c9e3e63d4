import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { hoverText, positionOf } from './util';

const extensionId = 'minibatch-lab.minibatch-lab';

describe('extension', () => {
	it('is installed for development and activates without error', async () => {
		const ext = vscode.extensions.getExtension(extensionId);
		assert.ok(ext, `extension ${extensionId} not found`);
		await ext.activate();
		assert.equal(ext.isActive, true);
	});

	it('runs its browser entry in the web worker extension host, with its Node entry removed @web', async () => {
		const ext = vscode.extensions.getExtension(extensionId);
		assert.ok(ext);
		await ext.activate();
		assert.equal(typeof process, 'undefined', 'this host has no Node');
		const pkg = ext.packageJSON as { main?: string; browser?: string };
		assert.equal(pkg.main, undefined);
		assert.equal(pkg.browser, './dist/web/extension.js');
		// The browser's host runs on the user's side: a UI extension.
		assert.equal(ext.extensionKind, vscode.ExtensionKind.UI);
	});

	it('opens the fixture workspace', async () => {
		const ext = vscode.extensions.getExtension(extensionId);
		assert.ok(ext);
		const folders = vscode.workspace.workspaceFolders ?? [];
		assert.equal(folders.length, 1, 'exactly one workspace folder');
		// The Node hosts hand the extension file: URIs (code-server's remote host translates vscode-remote:// for us); the
		// browser host sees the server's files as vscode-remote:// URIs, the extension's own as well.
		assert.equal(folders[0].uri.scheme, typeof process === 'undefined' ? 'vscode-remote' : 'file');
		assert.equal(folders[0].uri.toString(), vscode.Uri.joinPath(ext.extensionUri, 'test', 'host', 'fixtures', 'workspace').toString());
		const script = await vscode.workspace.fs.stat(vscode.Uri.joinPath(folders[0].uri, 'train_neuralnet.py'));
		assert.equal(script.type, vscode.FileType.File);
	});
});

describe('walkthrough "Study session: minibatches"', () => {
	it('has five steps whose buttons run registered commands', async () => {
		const ext = vscode.extensions.getExtension(extensionId)!;
		await ext.activate();
		const pkg = ext.packageJSON as { contributes: { walkthroughs: { steps: { id: string; description: string }[] }[] } };
		const steps = pkg.contributes.walkthroughs[0].steps;
		assert.deepEqual(steps.map((s) => s.id), ['openCode', 'hoverKeepdims', 'runComparison', 'compareGradients', 'exportTable']);
		const all = await vscode.commands.getCommands(true);
		// The manifest may still hold %key% placeholders; resolve them from package.nls.json.
		const nls = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'package.nls.json')))) as Record<string, string>;
		const text = (d: string) => (/^%.+%$/.test(d) ? nls[d.slice(1, -1)] : d);
		const links = steps.flatMap((s) => [...text(s.description).matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]));
		assert.equal(links.length, 5);
		for (const id of links) assert.ok(all.includes(id), `${id} is not registered`);
	});

	it('opens the chapter 4 example as an untitled Python file that gets the hovers', async () => {
		await vscode.commands.executeCommand('minibatchLab.openExample');
		const doc = vscode.window.activeTextEditor?.document;
		assert.ok(doc && doc.isUntitled && doc.languageId === 'python');
		assert.match(await hoverText(doc.uri, positionOf(doc, 'choice(', 0, 2)), /63\.2/);
		await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
	});
});
