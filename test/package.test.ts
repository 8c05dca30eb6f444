/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
import { existsSync, readFileSync } from 'fs';
import { PackageDirectoryLoader } from 'n8n-core';
import path from 'path';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('package', () => {
	test('package.json follows the community-package rules', () => {
		expect(pkg.name).toBe('n8n-nodes-whatsapp-cloud');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.license).toBe('MIT');
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.n8n.strict).toBe(true);
		for (const script of ['build', 'lint', 'test', 'demo', 'bench'])
			expect(pkg.scripts[script]).toBeTruthy();
	});

	test('n8n-core loads the built package: node, credential, codex and icons', async () => {
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
			expect(existsSync(path.join(root, file))).toBe(true); // run `npm run build` first
		}
		const loader = new PackageDirectoryLoader(root);
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
		expect(existsSync(path.join(root, 'dist/icons/whatsapp.svg'))).toBe(true);
		expect(existsSync(path.join(root, 'dist/icons/whatsapp.dark.svg'))).toBe(true);
		const credential = loader.types.credentials.find((c) => c.name === 'whatsAppCloudApi');
		expect(credential?.properties.map((p) => p.name)).toEqual([
			'accessToken',
			'appSecret',
			'phoneNumberId',
			'businessAccountId',
			'appId',
			'apiVersion',
			'baseUrl',
			'useProof',
		]);
	});
});
