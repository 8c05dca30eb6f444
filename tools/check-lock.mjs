// Refuses a package-lock.json that a machine with an empty npm cache cannot install: npm's tree
// builder needs every entry's version and checks every download against its integrity, and an
// entry holding neither (as a lock repaired on one platform can for another platform's optional
// binaries) makes `npm ci` throw "Invalid Version" before anything is installed. A warm cache
// hides this, so CI runs it first. Links (workspaces, file: packages) carry neither by design.
import { readFileSync } from 'fs';
import path from 'path';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = process.argv[2] ?? path.join(root, 'package-lock.json');

let lock;
try {
	lock = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
	console.error(`check-lock: cannot read ${file} as JSON: ${error.message}`);
	process.exit(1);
}
if (lock.lockfileVersion < 2 || typeof lock.packages !== 'object') {
	console.error(
		`check-lock: ${file} is lockfileVersion ${lock.lockfileVersion}; npm 7 and later write 3, regenerate it with npm install`,
	);
	process.exit(1);
}

const incomplete = [];
for (const [where, entry] of Object.entries(lock.packages)) {
	if (where === '' || entry.link) continue;
	const missing = ['version', 'integrity'].filter((key) => !entry[key]);
	if (missing.length) incomplete.push(`  ${where}: no ${missing.join(', no ')}`);
}

if (incomplete.length) {
	console.error(
		[
			`check-lock: ${incomplete.length} of ${Object.keys(lock.packages).length - 1} entries in ${path.relative(process.cwd(), file) || file} lack what npm ci needs on a machine with an empty cache:`,
			...incomplete,
			'Fix: delete package-lock.json and node_modules, then run `npx npm@10 install --package-lock-only --cache "$(mktemp -d)"`',
			'(npm 10 writes a lock that npm 10 and npm 11 both accept), and check with `npm ci --cache "$(mktemp -d)"`.',
		].join('\n'),
	);
	process.exit(1);
}
console.log(
	`check-lock: ${Object.keys(lock.packages).length - 1} entries, each with its version and integrity`,
);
