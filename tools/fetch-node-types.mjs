// Fetches the node descriptions (dist/types/nodes.json) of n8n's own node packages, at the
// versions n8n 2.41 ships, into test/.node-types/ (git-ignored, fetched once). The example
// workflow test checks every node and parameter of examples/ against them. Only the JSON is
// kept: none of n8n's node code is installed or loaded.
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dest = path.join(root, 'test/.node-types');
const PACKAGES = [
	['n8n-nodes-base', '2.41.2'],
	['@n8n/n8n-nodes-langchain', '2.41.1'],
];

mkdirSync(dest, { recursive: true });
for (const [name, version] of PACKAGES) {
	const file = path.join(dest, `${name.replace('@n8n/', '')}@${version}.json`);
	if (existsSync(file)) continue;
	const tmp = mkdtempSync(path.join(os.tmpdir(), 'node-types-'));
	try {
		execFileSync('npm', ['pack', `${name}@${version}`, '--pack-destination', tmp, '--silent'], {
			stdio: ['ignore', 'ignore', 'inherit'],
		});
		const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
		const json = execFileSync(
			'tar',
			['-xzOf', path.join(tmp, tgz), 'package/dist/types/nodes.json'],
			{ maxBuffer: 256 * 1024 * 1024 },
		);
		writeFileSync(file, json);
		console.log(
			`fetch-node-types: ${name}@${version} -> ${path.relative(root, file)} (${(json.length / 1024 / 1024).toFixed(1)} MB)`,
		);
	} finally {
		rmSync(tmp, { recursive: true, force: true });
	}
}
