import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { needPython } from '../support/python';

// The fixtures typed from NumPy and SciPy are what their scripts make today: each script regenerates its values and
// compares them with the committed file (--compare), so a hand edit or a stale file fails here.

const root = join(__dirname, '..', '..', '..');

function compare(python: string, script: string, fixture: string): string {
	const r = spawnSync(python, [join(root, 'scripts', 'numpy', script), '--compare', join(root, 'test', 'fixtures', fixture)], { encoding: 'utf8', timeout: 120_000 });
	assert.equal(r.error, undefined, `${script} did not finish: ${String(r.error)}`);
	assert.equal(r.status, 0, `${script} --compare says test/fixtures/${fixture} is not what it makes:\n${r.stdout}${r.stderr}`);
	return r.stdout.trim();
}

describe('fixtures are fresh', { timeout: 300_000 }, () => {
	const numpy = needPython(['numpy'], ['python3-numpy']);
	it('test/fixtures/numpy-rng.json is what scripts/numpy/gen_rng_fixtures.py makes', numpy.options, (t) => {
		t.diagnostic(compare(numpy.require(), 'gen_rng_fixtures.py', 'numpy-rng.json'));
	});

	const scipy = needPython(['numpy', 'scipy'], ['python3-numpy', 'python3-scipy']);
	it('test/fixtures/scipy-stats.json is what scripts/numpy/gen_stats_fixtures.py makes', scipy.options, (t) => {
		t.diagnostic(compare(scipy.require(), 'gen_stats_fixtures.py', 'scipy-stats.json'));
	});
});
