/**
 * The quick-fix link in a hover carries the document version it was made for. After the text changes, the old link does
 * nothing (and says so) instead of rewriting whatever is at its offset now; a fresh hover's link still works.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { hoverText, positionOf } from './util';

const FIX_LINK = /\(command:minibatchLab\.applySamplingFix\?([^)]+)\)/;

async function fixArgs(doc: vscode.TextDocument): Promise<unknown[]> {
	const text = await hoverText(doc.uri, positionOf(doc, 'choice(', 0, 2));
	const m = FIX_LINK.exec(text);
	assert.ok(m, `a quick-fix link in the hover: ${text}`);
	return JSON.parse(decodeURIComponent(m[1])) as unknown[];
}

describe('the quick-fix link of a hover', function () {
	this.timeout(60_000);

	before(async () => {
		await vscode.extensions.getExtension('minibatch-lab.minibatch-lab')!.activate();
	});

	after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

	it('from before an edit does nothing; a fresh one applies', async () => {
		const source = readFileSync(join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'train_neuralnet.py'), 'utf8');
		const doc = await vscode.workspace.openTextDocument({ language: 'python', content: source });
		const editor = await vscode.window.showTextDocument(doc);
		const stale = await fixArgs(doc);
		// An edit after the last line: the old offset still points at the same call, so only the version tells.
		await editor.edit((e) => e.insert(doc.positionAt(doc.getText().length), '\n# edited\n'));
		const edited = doc.getText();
		assert.equal(await vscode.commands.executeCommand('minibatchLab.applySamplingFix', ...stale), false, 'the stale link is refused');
		assert.equal(doc.getText(), edited, 'the text is untouched');

		const fresh = await fixArgs(doc);
		assert.equal(await vscode.commands.executeCommand('minibatchLab.applySamplingFix', ...fresh), true);
		assert.notEqual(doc.getText(), edited);
		assert.match(doc.getText(), /np\.random\.permutation\(train_size\)/, 'reshuffles every epoch');
		await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
	});
});
