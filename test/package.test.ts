/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- a test: it packs the package and unpacks the tarball */
import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'fs';
import { PackageDirectoryLoader } from 'n8n-core';
import os from 'os';
import path from 'path';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('package', () => {
	test('package.json follows the community-package rules', () => {
		expect(pkg.name).toBe('n8n-nodes-whatsapp-cloud');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.license).toBe('MIT');
		expect(pkg.files).toEqual(['dist', 'CHANGELOG.md']);
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.n8n.strict).toBe(true);
		for (const script of ['build', 'lint', 'test', 'demo', 'bench'])
			expect(pkg.scripts[script]).toBeTruthy();
	});

	test('n8n-core loads the packed tarball: node, credential, codex and icons', async () => {
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
			expect(existsSync(path.join(root, file))).toBe(true); // run `npm run build` first
		}
		// the tarball npm publishes, unpacked the way n8n installs it; its one peer dependency
		// (n8n-workflow) resolves from this repository's node_modules, as from n8n's own
		const work = mkdtempSync(path.join(os.tmpdir(), 'whatsapp-cloud-pack-'));
		try {
			const [packed] = JSON.parse(
				execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
					cwd: root,
					encoding: 'utf8',
					stdio: ['ignore', 'pipe', 'ignore'],
				}),
			);
			execFileSync('tar', ['-xzf', path.join(work, packed.filename), '-C', work]);
			const unpacked = path.join(work, 'package');
			symlinkSync(path.join(root, 'node_modules'), path.join(unpacked, 'node_modules'), 'dir');
			await expectLoadable(unpacked);
		} finally {
			rmSync(work, { recursive: true, force: true });
		}
	});
});

/** What n8n-core's package loader must find in the package at `packageDir`. */
async function expectLoadable(packageDir: string) {
	const loader = new PackageDirectoryLoader(packageDir);
	await loader.loadAll();
	expect(loader.packageName).toBe('n8n-nodes-whatsapp-cloud');
	expect(Object.keys(loader.nodeTypes).sort()).toEqual(['whatsAppCloud', 'whatsAppCloudTrigger']);
	const trigger = loader.types.nodes.find((n) => n.name === 'whatsAppCloudTrigger');
	expect(trigger?.group).toEqual(['trigger']);
	expect(trigger?.usableAsTool).toBeUndefined();
	expect(trigger?.webhooks?.map((w) => `${w.name}:${w.httpMethod}:${w.path}`)).toEqual([
		'setup:GET:webhook',
		'default:POST:webhook',
	]);
	expect(trigger?.codex?.categories).toEqual(['Communication']);
	expect(Object.keys(loader.credentialTypes)).toEqual(['whatsAppCloudApi']);
	const action = loader.types.nodes.find((n) => n.name === 'whatsAppCloud');
	expect(action).toBeDefined();
	expect(action!.usableAsTool).toBe(true);
	expect(action!.codex?.categories).toEqual(['Communication']);
	const icons = action!.iconUrl as { light: string; dark: string };
	expect(icons.light).toMatch(/icons\/n8n-nodes-whatsapp-cloud\/dist\/icons\/whatsapp\.svg$/);
	expect(icons.dark).toMatch(/whatsapp\.dark\.svg$/);
	expect(existsSync(path.join(packageDir, 'dist/icons/whatsapp.svg'))).toBe(true);
	expect(existsSync(path.join(packageDir, 'dist/icons/whatsapp.dark.svg'))).toBe(true);
	const credential = loader.types.credentials.find((c) => c.name === 'whatsAppCloudApi');
	expect(credential?.properties.map((p) => p.name)).toEqual([
		'accessToken',
		'appSecret',
		'phoneNumberId',
		'businessAccountId',
		'appId',
		'apiVersion',
		'apiVersionOther',
		'baseUrl',
		'useProof',
	]);
}
