/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, no-console */
/**
 * n8n in queue mode on one machine, for `npm run test:queue`: the services (Postgres and Redis,
 * Debian's packages) and the n8n processes (one `n8n start`, workers, two `n8n webhook`), each
 * with its own user folder holding the packed package.
 *
 * Node 24, n8n and the packed package come from system/lib/n8n.ts (the cache `npm run test:e2e`
 * fills); everything queue mode adds is here.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { createWriteStream, mkdirSync, readdirSync, rmSync, writeFileSync } from 'fs';
import net from 'net';
import path from 'path';

import { GiveUp, N8n, root, run, waitFor } from './n8n';

const isRoot = () => process.getuid?.() === 0;

function has(command: string): boolean {
	try {
		execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** An error that tells a user without root what to run themselves. */
function needsRoot(step: string, commands: string[]): Error {
	return new Error(
		`${step} needs root. Run as root (or with sudo), then run npm run test:queue again:\n${commands
			.map((c) => `  ${c}`)
			.join('\n')}`,
	);
}

let aptUpdated = false;

/** Installs Debian packages (root only), after one `apt-get update`. */
function aptInstall(packages: string[], why: string) {
	const commands = ['apt-get update', `apt-get install -y ${packages.join(' ')}`];
	if (!isRoot()) throw needsRoot(`Installing ${packages.join(' ')} (${why})`, commands);
	console.log(`queue: installing ${packages.join(' ')} (${why}) with apt-get`);
	if (!aptUpdated) run('apt-get', ['update'], root);
	aptUpdated = true;
	run('apt-get', ['install', '-y', ...packages], root, { DEBIAN_FRONTEND: 'noninteractive' });
}

async function portFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** Hands out free ports from `start` upwards, never the same one twice. */
export class Ports {
	private readonly given = new Set<number>();

	constructor(private next: number) {}

	async take(preferred?: number): Promise<number> {
		if (preferred !== undefined && !this.given.has(preferred) && (await portFree(preferred))) {
			this.given.add(preferred);
			return preferred;
		}
		for (; this.next < 65535; this.next++) {
			if (this.given.has(this.next) || !(await portFree(this.next))) continue;
			this.given.add(this.next);
			return this.next++;
		}
		throw new Error('no free port left');
	}
}

/** A Postgres database and user for this run, on the machine's Debian cluster. */
export class Postgres {
	private constructor(
		readonly port: number,
		readonly database: string,
		readonly user: string,
		readonly password: string,
		/** The cluster (`15 main`) this run started, to stop it again; undefined if it was running. */
		private readonly startedCluster?: [string, string],
	) {}

	/**
	 * Postgres installed (Debian's `postgresql`) and its cluster running (started here if it was
	 * down), with a fresh database `database` owned by `user`: the user is created if missing, the
	 * database dropped and created again, so every run starts from an empty n8n.
	 */
	static ensure(database: string, user: string, password: string): Postgres {
		if (!has('pg_lsclusters')) aptInstall(['postgresql'], 'the database n8n keeps in queue mode');
		const clusters = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' })
			.split('\n')
			.map((line) => line.trim().split(/\s+/))
			.filter((c) => c.length >= 4);
		if (!clusters.length) {
			const commands = ['pg_createcluster 15 main --start'];
			throw isRoot()
				? new Error(`Postgres has no cluster: create one with ${commands[0]}`)
				: needsRoot('Creating a Postgres cluster', commands);
		}
		// the newest version's cluster, running ones first
		clusters.sort((a, b) => Number(a[3] !== 'online') - Number(b[3] !== 'online'));
		const [version, name, port, status] = clusters[0];
		let started: [string, string] | undefined;
		if (status !== 'online') {
			if (!isRoot())
				throw needsRoot(`Starting Postgres (cluster ${version}/${name} is ${status})`, [
					`pg_ctlcluster ${version} ${name} start`,
				]);
			console.log(`queue: starting Postgres cluster ${version}/${name} (port ${port})`);
			run('pg_ctlcluster', [version, name, 'start'], root);
			started = [version, name];
		} else {
			console.log(`queue: Postgres cluster ${version}/${name} already runs (port ${port})`);
		}
		const pg = new Postgres(Number(port), database, user, password, started);
		const setup = [
			`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${user}') THEN CREATE ROLE ${user} LOGIN PASSWORD '${password}'; END IF; END $$;`,
			`DROP DATABASE IF EXISTS ${database} WITH (FORCE);`,
			`CREATE DATABASE ${database} OWNER ${user};`,
		];
		if (!isRoot())
			throw needsRoot(
				`Creating the Postgres user ${user} and database ${database}`,
				setup.map(
					(sql) => `runuser -u postgres -- psql -p ${port} -c "${sql.replace(/\$/g, '\\$')}"`,
				),
			);
		for (const sql of setup)
			execFileSync(
				'runuser',
				['-u', 'postgres', '--', 'psql', '-q', '-p', port, '-v', 'ON_ERROR_STOP=1', '-c', sql],
				{ stdio: ['ignore', 'ignore', 'inherit'], cwd: '/tmp' },
			);
		console.log(`queue: Postgres database ${database} (user ${user}) created afresh`);
		return pg;
	}

	/** What every n8n process needs to reach this database. */
	get env(): NodeJS.ProcessEnv {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.port),
			DB_POSTGRESDB_DATABASE: this.database,
			DB_POSTGRESDB_USER: this.user,
			DB_POSTGRESDB_PASSWORD: this.password,
		};
	}

	/** One query as the run's user; answers the rows, their columns separated by `|`. */
	query(sql: string): string[][] {
		const out = execFileSync(
			'psql',
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(this.port),
				'-U',
				this.user,
				'-d',
				this.database,
				'-At',
				'-v',
				'ON_ERROR_STOP=1',
				'-c',
				sql,
			],
			{ encoding: 'utf8', env: { ...process.env, PGPASSWORD: this.password } },
		);
		return out
			.split('\n')
			.filter(Boolean)
			.map((line) => line.split('|'));
	}

	/** Stops the cluster if this run started it; a cluster that was running stays up. */
	stop() {
		if (!this.startedCluster) return;
		const [version, name] = this.startedCluster;
		console.log(`queue: stopping Postgres cluster ${version}/${name} (it was down before)`);
		run('pg_ctlcluster', [version, name, 'stop'], root);
	}
}

/** A Redis server of this run's own (Debian's `redis-server`), without persistence. */
export class Redis {
	private constructor(
		private readonly child: ChildProcess,
		readonly port: number,
	) {}

	/** On 6379 if free, else on the next free port; installed first if missing (root). */
	static async start(ports: Ports, dir: string): Promise<Redis> {
		if (!has('redis-server')) aptInstall(['redis-server'], 'the job queue between n8n processes');
		const port = await ports.take(6379);
		if (port !== 6379) console.log(`queue: port 6379 is taken, so this run's Redis uses ${port}`);
		const data = path.join(dir, 'redis');
		rmSync(data, { recursive: true, force: true });
		mkdirSync(data, { recursive: true });
		const child = spawn(
			'redis-server',
			[
				'--port',
				String(port),
				'--bind',
				'127.0.0.1',
				'--save',
				'',
				'--appendonly',
				'no',
				'--dir',
				data,
			],
			{ detached: true, stdio: ['ignore', 'ignore', 'inherit'] },
		);
		const redis = new Redis(child, port);
		await waitFor(
			`Redis on port ${port}`,
			async () => {
				if (child.exitCode !== null) throw new GiveUp(`redis-server exited with ${child.exitCode}`);
				return (
					execFileSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).trim() ===
					'PONG'
				);
			},
			20,
		);
		console.log(`queue: Redis started on port ${port}`);
		return redis;
	}

	async stop() {
		await stopGroup(this.child, 5000);
	}
}

/** Ends a detached child's whole process group: SIGTERM, then SIGKILL after `graceMs`. */
async function stopGroup(child: ChildProcess, graceMs: number) {
	if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const kill = (signal: NodeJS.Signals) => {
		try {
			process.kill(-child.pid!, signal);
		} catch {
			// the group is gone already
		}
	};
	kill('SIGTERM');
	const timer = setTimeout(() => kill('SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	// whatever the group still holds (a task runner n8n started) goes too
	kill('SIGKILL');
}

export type Role = 'main' | 'worker' | 'webhook';

/** One n8n process of the deployment: its own user folder, ports and log. */
export class N8nProcess {
	private child?: ChildProcess;

	private output = '';

	constructor(
		readonly name: string,
		readonly role: Role,
		private readonly base: N8n,
		readonly env: NodeJS.ProcessEnv,
		/** Where `/healthz/readiness` answers (the HTTP port, or a worker's health-check port). */
		readonly healthPort: number,
		readonly logFile: string,
		private readonly args: string[] = [],
	) {}

	get url(): string {
		return `http://127.0.0.1:${this.env.N8N_PORT}`;
	}

	/** Runs an n8n CLI command (import, publish) with this process's environment. */
	command(args: string[]) {
		run(this.base.node, [this.base.cli, ...args], this.base.dir, this.env);
	}

	start() {
		const command = { main: 'start', worker: 'worker', webhook: 'webhook' }[this.role];
		console.log(`queue: $ n8n ${[command, ...this.args].join(' ')}  (${this.name})`);
		const log = createWriteStream(this.logFile);
		this.output = '';
		const child = spawn(this.base.node, [this.base.cli, command, ...this.args], {
			cwd: this.base.dir,
			env: { ...process.env, ...this.env },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		for (const stream of [child.stdout!, child.stderr!])
			stream.on('data', (chunk: Buffer) => {
				this.output += chunk.toString();
				log.write(chunk);
			});
		child.on('exit', () => log.end());
		this.child = child;
	}

	async ready(seconds = 240) {
		await waitFor(
			`${this.name} to be ready`,
			async () => {
				if (this.child?.exitCode !== null)
					throw new GiveUp(`${this.name} exited with ${this.child?.exitCode}: ${this.tail()}`);
				return (
					(await fetch(`http://127.0.0.1:${this.healthPort}/healthz/readiness`)).status === 200
				);
			},
			seconds,
		);
	}

	get running(): boolean {
		return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
	}

	logs(): string {
		return this.output;
	}

	/** The last lines of its log, for an error message. */
	tail(lines = 15): string {
		return `\n--- last lines of ${this.logFile}\n${this.output.trim().split('\n').slice(-lines).join('\n')}`;
	}

	/** The jobs this worker started ("Worker started execution 12 (job 3)"), in order. */
	jobsStarted(): Array<{ execution: string; job: number }> {
		return [...this.output.matchAll(/Worker started execution (\S+) \(job (\d+)\)/g)].map((m) => ({
			execution: m[1],
			job: Number(m[2]),
		}));
	}

	/** How many jobs this process put on the queue for an execution ("Enqueued execution 12"). */
	enqueued(executionId: string): number {
		return [...this.output.matchAll(/Enqueued execution (\S+) \(job/g)].filter(
			(m) => m[1] === executionId,
		).length;
	}

	async stop() {
		const child = this.child;
		this.child = undefined;
		if (child) await stopGroup(child, 30_000);
	}
}

/** Installs the packed package into a fresh user folder, as `n8n-nodes-*` community packages live. */
function userFolderWithPackage(folder: string, tgz: string) {
	rmSync(folder, { recursive: true, force: true });
	const nodesDir = path.join(folder, '.n8n/nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(path.join(nodesDir, 'package.json'), '{"name":"installed-nodes","private":true}');
	run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', tgz], nodesDir);
}

export type Deployment = {
	main: N8nProcess;
	workers: N8nProcess[];
	/** The webhook process Meta is registered with (the public base). */
	webhook: N8nProcess;
	/** Every webhook process: the first, and a second one a load balancer would also pick. */
	webhooks: N8nProcess[];
	all: N8nProcess[];
	/** The public base every process builds webhook and resume URLs from (here: the webhook process). */
	webhookUrl: string;
	/** The environment every process shares (printed in the report). */
	shared: NodeJS.ProcessEnv;
};

/**
 * The processes of a queue-mode deployment, not started: node 24, n8n and the packed package from
 * system/lib/n8n.ts (`N8n.prepare` builds, packs and installs the package for the main process),
 * the package installed in each other process's own user folder, and the environment each runs
 * with.
 */
export async function prepareDeployment(options: {
	ports: Ports;
	postgres: Postgres;
	redis: Redis;
	workers: number;
	concurrency: number;
}): Promise<Deployment> {
	const { ports, postgres, redis } = options;
	const mainPort = await ports.take();
	const base = N8n.prepare('queue', mainPort);
	const packDir = path.join(base.dir, 'pack');
	const tgz = path.join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz'))!);
	const logs = path.join(base.dir, 'logs');
	rmSync(logs, { recursive: true, force: true });
	mkdirSync(logs, { recursive: true });

	const webhookPort = await ports.take();
	const webhookUrl = `http://127.0.0.1:${webhookPort}/`;
	// the same on every process: the database, the queue, the key that encrypts credentials and the
	// secret that signs resume URLs (a worker signs, the webhook process checks)
	const shared: NodeJS.ProcessEnv = {
		EXECUTIONS_MODE: 'queue',
		...postgres.env,
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		N8N_ENCRYPTION_KEY: 'queue-test-encryption-key-not-secret',
		N8N_HMAC_SIGNATURE_SECRET: 'queue-test-hmac-secret-not-secret',
		N8N_WEBHOOK_URL: webhookUrl,
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
	};
	// from system/lib/n8n.ts: the settings e2e runs with (community packages on, no telemetry,
	// N8N_RUNNERS_ENABLED as e2e sets it), without its SQLite pool, port and webhook URL
	const common: NodeJS.ProcessEnv = { ...base.env };
	const mainFolder = common.N8N_USER_FOLDER;
	for (const name of [
		'N8N_USER_FOLDER',
		'DB_SQLITE_POOL_SIZE',
		'WEBHOOK_URL',
		'N8N_PORT',
		'N8N_RUNNERS_BROKER_PORT',
		'N8N_ENCRYPTION_KEY',
	])
		delete common[name];

	const processes: N8nProcess[] = [];
	const make = async (name: string, role: Role, args: string[] = []) => {
		const folder = name === 'main' ? mainFolder! : path.join(base.dir, name);
		if (name !== 'main') userFolderWithPackage(folder, tgz);
		// the first webhook process serves the public base; the others their own port each
		const httpPort =
			name === 'main'
				? mainPort
				: role === 'webhook'
					? name === 'webhook'
						? webhookPort
						: await ports.take()
					: undefined;
		const healthPort = httpPort ?? (await ports.take());
		const env: NodeJS.ProcessEnv = {
			...common,
			...shared,
			N8N_USER_FOLDER: folder,
			// QUEUE_LOG_LEVEL=debug to see more of what each process does
			N8N_LOG_LEVEL: process.env.QUEUE_LOG_LEVEL ?? common.N8N_LOG_LEVEL ?? 'info',
			// each process's own task broker (n8n starts one in main and workers)
			N8N_RUNNERS_BROKER_PORT: String(await ports.take()),
			...(httpPort
				? { N8N_PORT: String(httpPort) }
				: {
						// a worker's health endpoint, to know when it takes jobs
						QUEUE_HEALTH_CHECK_ACTIVE: 'true',
						QUEUE_HEALTH_CHECK_PORT: String(healthPort),
						N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					}),
		};
		const process_ = new N8nProcess(
			name,
			role,
			base,
			env,
			healthPort,
			path.join(logs, `${name}.log`),
			args,
		);
		processes.push(process_);
		return process_;
	};
	const main = await make('main', 'main');
	const workers: N8nProcess[] = [];
	for (let i = 1; i <= options.workers; i++)
		workers.push(await make(`worker${i}`, 'worker', [`--concurrency=${options.concurrency}`]));
	const webhook = await make('webhook', 'webhook');
	// a second webhook process, as behind a load balancer: Meta's redeliveries may reach either
	const webhook2 = await make('webhook2', 'webhook');
	return {
		main,
		workers,
		webhook,
		webhooks: [webhook, webhook2],
		all: processes,
		webhookUrl,
		shared,
	};
}
