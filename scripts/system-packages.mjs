// The Debian packages the tests use, each with a path that exists once it is installed. Shared by
// scripts/setup-system.mjs (which installs them) and scripts/test.mjs (which tells the tests whether setup is complete).
import { existsSync } from 'node:fs';

/** package -> a path that exists once it is installed */
export const PACKAGES = {
	chromium: '/usr/bin/chromium',
	ripgrep: '/usr/bin/rg',
	'libkrb5-dev': '/usr/include/krb5.h',
	// Debian's python3 with NumPy: the rewritten scripts, the NumPy reference run and the broadcast verdicts.
	'python3-numpy': '/usr/lib/python3/dist-packages/numpy',
	// SciPy's Student t: scripts/numpy/gen_stats_fixtures.py writes and checks test/fixtures/scipy-stats.json.
	'python3-scipy': '/usr/lib/python3/dist-packages/scipy',
	// matplotlib: the own-script tests run the book's ch04/train_neuralnet.py, which imports it (plt.show() under MPLBACKEND=Agg).
	'python3-matplotlib': '/usr/lib/python3/dist-packages/matplotlib',
	'dataset-fashion-mnist': '/usr/share/datasets/fashion-mnist',
	// Japanese glyphs for chromium: hover screenshots with --locale ja (scripts/host/hover-screenshot.mjs).
	'fonts-ipafont-gothic': '/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf',
};

/** The packages not installed yet. */
export function missingPackages() {
	return Object.entries(PACKAGES)
		.filter(([, path]) => !existsSync(path))
		.map(([name]) => name);
}
