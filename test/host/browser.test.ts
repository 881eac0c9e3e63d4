import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { browserBridgeAvailable, queryDom } from './browser';

describe('browser bridge', () => {
	it('reads the workbench DOM from the extension host', async function () {
		if (!browserBridgeAvailable) this.skip();
		const rows = await queryDom({ selector: '.explorer-folders-view .monaco-list-row', op: 'wait', timeoutMs: 20_000 });
		assert.ok(typeof rows === 'number' && rows >= 2, `Explorer rows: ${rows}`);
		const names = await queryDom({ selector: '.explorer-folders-view', op: 'text' });
		assert.match(String(names), /train_neuralnet\.py/);
	});
});
