// Flat config: typed linting for the TypeScript sources, plain recommended rules for build scripts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'bench/out/**', 'src/wasm/**'] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	{
		files: ['**/*.ts'],
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
			eqeqeq: ['error', 'always'],
			'no-console': 'off',
		},
	},
	{
		// Notifications parse `[label](command:…)` links: every one goes through src/extension/notify.ts, which makes them inert.
		files: ['src/**/*.ts'],
		rules: {
			'no-restricted-properties': [
				'error',
				...['showErrorMessage', 'showWarningMessage', 'showInformationMessage', 'withProgress'].map((property) => ({
					property,
					message: 'Use showError/showWarning/showInfo/withProgress from src/extension/notify.ts: they keep outside text from becoming a command link.',
				})),
			],
		},
	},
	{
		files: ['scripts/**/*.mjs', 'test/**/*.mjs', 'bench/**/*.mjs', '*.mjs'],
		languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
	},
);
