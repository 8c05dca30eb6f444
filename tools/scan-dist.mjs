// Lints the compiled package (dist/**/*.js) with n8n's community-node rules the
// way n8n's package scanner does: recommended rules plus no-console, inline disables ignored.
// It catches what only shows after compilation (a banned global or import in emitted JS).
import { createRequire } from 'module';
import path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fromCli = createRequire(path.join(root, 'node_modules/@n8n/node-cli/package.json'));
const { ESLint } = fromCli('eslint');
const pluginPath = fromCli.resolve('@n8n/eslint-plugin-community-nodes');
const plugin = (await import(pathToFileURL(pluginPath).href)).default;

const recommended = plugin.configs.recommended;
// Node's globals, so that uses of process, setTimeout & co. resolve to globals the rules can see
const nodeGlobals = Object.fromEntries(
	[
		'process',
		'global',
		'globalThis',
		'setTimeout',
		'clearTimeout',
		'setInterval',
		'clearInterval',
		'setImmediate',
		'clearImmediate',
		'__dirname',
		'__filename',
		'require',
		'module',
		'exports',
		'console',
		'Buffer',
		'FormData',
		'Blob',
		'URL',
		'URLSearchParams',
	].map((g) => [g, 'readonly']),
);
const eslint = new ESLint({
	cwd: root,
	overrideConfigFile: true,
	allowInlineConfig: false,
	overrideConfig: [
		{ ignores: ['node_modules/**'] },
		...(Array.isArray(recommended) ? recommended : [recommended]),
		{
			files: ['dist/**/*.js'],
			languageOptions: { sourceType: 'commonjs', globals: nodeGlobals },
			rules: { 'no-console': 'error' },
		},
	],
});
const results = await eslint.lintFiles(['dist/**/*.js']);
const formatter = await eslint.loadFormatter('stylish');
const errors = results.reduce((n, r) => n + r.errorCount, 0);
const files = results.length;
process.stdout.write(await formatter.format(results));
console.log(`scan-dist: ${files} files checked, ${errors} errors`);
if (errors > 0 || files < 5) process.exit(1);
