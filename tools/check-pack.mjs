// Checks what `npm publish` would ship against what n8n loads: the compiled nodes and credential
// named in package.json, each node's codex file, every icon a compiled file points at, the README,
// the licence and package.json; nothing of the sources, tests, fixtures or tools. A source map may
// ship only when every source it names ships too (otherwise it points into files users never get).
// Run after `npm run build`; prints the list it checked.
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import path from 'path';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const [packed] = JSON.parse(
	execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: root,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	}),
);
const files = new Set(packed.files.map((f) => f.path));
const problems = [];

const TOP_LEVEL = new Set(['package.json', 'README.md', 'LICENSE.md', 'CHANGELOG.md']);
const IN_DIST = /^dist\/(?:credentials|nodes|icons)\/.+\.(?:js|d\.ts|node\.json|svg|png|js\.map)$/;
for (const file of files) {
	if (!TOP_LEVEL.has(file) && !IN_DIST.test(file))
		problems.push(
			`${file} is published but is neither compiled code, an icon, a codex file nor documentation`,
		);
}
for (const file of ['package.json', 'README.md', 'LICENSE.md'])
	if (!files.has(file)) problems.push(`${file} is not published`);

for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
	if (!files.has(entry))
		problems.push(`${entry} (package.json "n8n") is not published: run npm run build`);
}
for (const node of pkg.n8n.nodes) {
	const codex = node.replace(/\.js$/, '.json');
	if (!files.has(codex)) problems.push(`${codex}, the codex of ${node}, is not published`);
}

for (const file of files) {
	if (file.endsWith('.js')) {
		const code = readFileSync(path.join(root, file), 'utf8');
		for (const [, icon] of code.matchAll(/'file:([^']+\.(?:svg|png))'/g)) {
			const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), icon));
			if (!files.has(target))
				problems.push(`${file} shows the icon ${target}, which is not published`);
		}
	}
	if (file.endsWith('.js.map')) {
		const map = JSON.parse(readFileSync(path.join(root, file), 'utf8'));
		for (const source of map.sources ?? []) {
			const target = path.posix.normalize(
				path.posix.join(path.posix.dirname(file), map.sourceRoot ?? '', source),
			);
			if (!files.has(target) && !map.sourcesContent)
				problems.push(`${file} points at ${target}, which is not published`);
		}
	}
}

console.log(
	`check-pack: ${packed.filename}, ${files.size} files, ${packed.size} bytes packed, ${packed.unpackedSize} unpacked:`,
);
const byFolder = new Map();
for (const file of [...files].sort()) {
	const folder = path.posix.dirname(file);
	byFolder.set(folder, [...(byFolder.get(folder) ?? []), path.posix.basename(file)]);
}
for (const [folder, names] of byFolder) console.log(`  ${folder}/: ${names.join(', ')}`);
if (problems.length) {
	console.error(
		`check-pack: ${problems.length} problems:\n${problems.map((p) => `  ${p}`).join('\n')}`,
	);
	process.exit(1);
}
console.log('check-pack: the package holds what n8n loads and nothing else');
