// Locations shared by the host-test scripts, so setup and the runners always agree on the cache layout.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const codeServerCacheDir = join(repoRoot, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);
export const codeServerMarker = join(codeServerCacheDir, '.setup-complete');
export const codeServerEntry = join(codeServerCacheDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const codeServerBuiltinExtensions = join(codeServerCacheDir, 'node_modules', 'code-server', 'lib', 'vscode', 'extensions');
export const fixtureWorkspace = join(repoRoot, 'test', 'host', 'fixtures', 'workspace');
export const hostTestsIndex = join(repoRoot, 'dist', 'test', 'host', 'index.js');
/** The same suite bundled for the browser's web worker extension host (test/host/webIndex.ts). */
export const webTestsIndex = join(repoRoot, 'dist', 'test', 'web', 'index.js');
