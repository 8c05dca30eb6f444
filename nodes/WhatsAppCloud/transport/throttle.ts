import { sleep } from 'n8n-workflow';

import type { RetryKind } from '../../shared/errors';

/**
 * One place for pacing and retries of Graph calls:
 * - a rate gate per sender phone number, shared by every execution in this n8n process that sends
 *   from the same number through the same Graph base URL, at the largest pace any of them set;
 * - a bound on requests in flight (FIFO, so items start in order);
 * - retries with exponential backoff and jitter, each message with its own budget per kind;
 * - for the pair rate limit (131056), a schedule per recipient that the messages to that recipient
 *   join in order, while messages to other recipients keep flowing;
 * - a halt: once a run is known to have failed, no further request leaves (checked at the moment a
 *   request would leave, after its rate slot), and the calls still waiting end as not sent.
 * Waits use `sleep` from n8n-workflow.
 */

export type ThrottleOptions = {
	/** Messages per second per sender. Infinity for no pacing (management calls). */
	ratePerSecond: number;
	/** Requests in flight at once. */
	maxConcurrent: number;
	/** Retries after the first attempt for throttling errors (130429, 4, 80007). */
	maxRetries: number;
	/** First backoff for throttling errors, doubled per retry, with jitter. */
	throttleBaseMs?: number;
	/** First backoff for transient errors (5xx, 131000, network), doubled per retry, with jitter. */
	transientBaseMs?: number;
	/** Unit of the pair-rate backoff: waits are 1, 4, 16, 64 units. Meta's unit is a second. */
	pairUnitMs?: number;
	maxBackoffMs?: number;
	/** Random source in [0, 1), replaceable for tests. */
	random?: () => number;
};

export const DEFAULT_MESSAGES_PER_SECOND = 80;
export const DEFAULT_MAX_CONCURRENT = 50;
export const DEFAULT_MAX_RETRIES = 5;
/** Transient errors are retried at most this often: a 5xx may mean Meta already took the message. */
const MAX_TRANSIENT_RETRIES = 3;
/**
 * A connection that broke after the request may have reached Meta is retried once at most: the
 * Cloud API has no idempotency key, so every such retry can deliver the message twice.
 */
const MAX_UNCERTAIN_RETRIES = 1;
/** Pair-limit waits of 1, 4, 16 and 64 units: Meta's 4^X schedule. */
const MAX_PAIR_RETRIES = 4;
/** Longest single sleep while waiting, so that a halt is noticed quickly. */
const WAKE_MS = 100;

/**
 * Classifies a thrown error for retrying; errors without a `retry` field are never retried.
 * `mayHaveArrived` marks a failure after which Meta may still have taken the request (a 5xx, a
 * connection that broke after the request left), as opposed to a clear refusal.
 */
export type RetryableError = { retry?: RetryKind; attempts?: number; mayHaveArrived?: boolean };

/**
 * What the runs for one item did besides their result, filled in by `Throttle.run`; pass the same
 * report to every run of an item (an upload and its send, a fallback) to add them up.
 */
export type RunReport = {
	attempts: number;
	/** Failed attempts after which Meta may have taken the request anyway. */
	uncertain: number;
};

export const newReport = (): RunReport => ({ attempts: 0, uncertain: 0 });

/**
 * Thrown instead of making a request once the run has halted: nothing left for this call. The
 * router reports its item as not sent.
 */
export class NotSentError extends Error {
	constructor() {
		super('Not sent: the run stopped after another item failed');
		this.name = 'NotSentError';
	}
}

/**
 * Sleeps until `until` (epoch ms), waking at least every WAKE_MS to look at `halted`. Returns false
 * when it stopped early because of a halt.
 */
async function waitUntil(until: number, halted: () => boolean): Promise<boolean> {
	for (;;) {
		if (halted()) return false;
		const left = until - Date.now();
		if (left <= 0) return true;
		await sleep(Math.min(left, WAKE_MS));
	}
}

/**
 * Spaces calls from one sender evenly (one every 1/rate seconds) and guarantees that no second
 * holds more than `rate` starts: after an event-loop stall the overdue sleepers would otherwise all
 * start at once. Executions join with their own pace; the gate runs at the largest of them, so two
 * executions with 40 and 39 per second share 40, not 79.
 */
class RateGate {
	private readonly paces = new Map<object, number>();

	private rate = 0;

	private next = 0;

	/** Start times within the last window, oldest first (`first` is the index of the oldest). */
	private starts: number[] = [];

	private first = 0;

	join(member: object, rate: number): void {
		this.paces.set(member, rate);
		this.rate = Math.max(...this.paces.values());
	}

	/** Returns true when nobody uses the gate any more. */
	leave(member: object): boolean {
		this.paces.delete(member);
		this.rate = this.paces.size ? Math.max(...this.paces.values()) : 0;
		return this.paces.size === 0;
	}

	/** Waits for this sender's next slot. Returns false when the run halted while waiting. */
	async acquire(halted: () => boolean): Promise<boolean> {
		const now = Date.now();
		const interval = 1000 / this.rate;
		const slot = Math.max(now, this.next);
		this.next = slot + interval;
		if (slot > now && !(await waitUntil(slot, halted))) return false;
		const perWindow = Math.max(1, Math.floor(this.rate));
		for (;;) {
			const t = Date.now();
			while (this.first < this.starts.length && this.starts[this.first] <= t - WINDOW_MS)
				this.first++;
			if (this.first > 1024) {
				this.starts = this.starts.slice(this.first);
				this.first = 0;
			}
			if (this.starts.length - this.first < perWindow) break;
			// the start `rate` starts ago must have left the one-second window (with a 2 ms margin for
			// the time between this check and the request leaving)
			if (!(await waitUntil(this.starts[this.starts.length - perWindow] + WINDOW_MS + 1, halted)))
				return false;
		}
		if (halted()) return false;
		this.starts.push(Date.now());
		return true;
	}
}

const WINDOW_MS = 1002;

/** Rate gates by sender (base URL and phone number ID), shared by the executions of this n8n process (not across queue-mode workers). */
const gates = new Map<string, RateGate>();

/**
 * The pair-rate schedule of one recipient of one sender: once Meta answered 131056, every further
 * attempt to that recipient waits here, one at a time and in input order, until `notBefore`.
 */
class RecipientLane {
	notBefore = 0;

	private busy = false;

	private readonly waiting: Array<{ order: number; resolve: () => void }> = [];

	get idle(): boolean {
		return !this.busy && this.waiting.length === 0 && Date.now() >= this.notBefore;
	}

	async enter(order: number): Promise<void> {
		if (!this.busy) {
			this.busy = true;
			return;
		}
		await new Promise<void>((resolve) => {
			const at = this.waiting.findIndex((w) => w.order > order);
			this.waiting.splice(at < 0 ? this.waiting.length : at, 0, { order, resolve });
		});
	}

	leave(): void {
		const next = this.waiting.shift();
		if (next) next.resolve();
		else this.busy = false;
	}
}

const lanes = new Map<string, RecipientLane>();

class Semaphore {
	private active = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(private readonly limit: number) {}

	async acquire(): Promise<void> {
		if (this.active < this.limit) {
			this.active++;
			return;
		}
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	release(): void {
		const next = this.waiting.shift();
		if (next) next();
		else this.active--;
	}
}

export type RunKey = {
	/** Keys the rate gate (base URL and phone number ID). Without it the call is not paced. */
	sender?: string;
	/** Keys the pair-rate schedule (the recipient as sent). */
	recipient?: string;
	/** Position of the call in the input, so that a recipient's waiting messages keep their order. */
	order?: number;
	/** Filled in with the attempts made. */
	report?: RunReport;
};

export class Throttle {
	private readonly semaphore: Semaphore;

	private readonly opts: Required<ThrottleOptions>;

	private readonly joined = new Set<string>();

	private stopped = false;

	private sequence = 0;

	/** Counters for reports and benchmarks. */
	readonly stats = {
		attempts: 0,
		retries: 0,
		throttled: 0,
		pairLimited: 0,
		transient: 0,
		uncertain: 0,
		notSent: 0,
	};

	constructor(options: ThrottleOptions) {
		this.opts = {
			throttleBaseMs: 250,
			transientBaseMs: 500,
			pairUnitMs: 1000,
			maxBackoffMs: 30_000,
			random: Math.random,
			...options,
			maxConcurrent: Math.max(1, Math.floor(options.maxConcurrent)),
			maxRetries: Math.max(0, Math.floor(options.maxRetries)),
		};
		this.semaphore = new Semaphore(this.opts.maxConcurrent);
	}

	/** No request leaves after this; calls waiting for a slot or a retry end with NotSentError. */
	halt(): void {
		this.stopped = true;
	}

	get halted(): boolean {
		return this.stopped;
	}

	/** Leaves the shared rate gates (end of the execution), so they pace at the others' rate. */
	close(): void {
		for (const key of this.joined) {
			if (gates.get(key)?.leave(this)) gates.delete(key);
		}
		this.joined.clear();
	}

	private gateFor(sender: string): RateGate | undefined {
		const rate = this.opts.ratePerSecond;
		if (!sender || !(Number.isFinite(rate) && rate > 0)) return undefined;
		let gate = gates.get(sender);
		if (!gate) gates.set(sender, (gate = new RateGate()));
		if (!this.joined.has(sender)) {
			gate.join(this, rate);
			this.joined.add(sender);
		}
		return gate;
	}

	/**
	 * Runs `call` under the sender's rate, the concurrency bound and the retry policy. Throws
	 * NotSentError, without calling, once the run has halted.
	 */
	async run<T>(call: () => Promise<T>, key: RunKey = {}): Promise<T> {
		const gate = this.gateFor(key.sender ?? '');
		const laneKey = key.recipient ? `${key.sender ?? ''}>${key.recipient}` : undefined;
		const order = key.order ?? this.sequence++;
		const used: Record<RetryKind, number> = {
			throttle: 0,
			transient: 0,
			uncertain: 0,
			pair: 0,
			none: 0,
		};
		const report = key.report ?? newReport();
		const halted = () => this.stopped;
		let lane: RecipientLane | undefined;
		try {
			for (let attempt = 1; ; attempt++) {
				// a recipient under the pair limit: wait our turn (input order), then its schedule
				const existing = laneKey && !lane ? lanes.get(laneKey) : undefined;
				if (existing?.idle) lanes.delete(laneKey!);
				else if (existing) {
					lane = existing;
					await lane.enter(order);
				}
				if (lane && !(await waitUntil(lane.notBefore, halted))) throw this.notSent();
				if (this.stopped) throw this.notSent();
				await this.semaphore.acquire();
				let failure: unknown;
				let slot = false;
				try {
					slot = (!gate || (await gate.acquire(halted))) && !this.stopped;
					if (slot) {
						this.stats.attempts++;
						report.attempts++;
						return await call();
					}
				} catch (error) {
					failure = error;
				} finally {
					this.semaphore.release();
				}
				// the run halted while this call waited for its rate slot: the request never leaves
				if (!slot) throw this.notSent();
				const err = failure as RetryableError;
				if (err?.mayHaveArrived) report.uncertain++;
				const kind = err?.retry ?? 'none';
				used[kind]++;
				const delay = this.backoff(kind, used[kind]);
				if (delay === undefined) {
					if (err && typeof err === 'object') err.attempts = attempt;
					throw failure;
				}
				this.stats.retries++;
				if (kind === 'pair' && laneKey) {
					// from now on this message holds the recipient's lane until it is through, so the
					// messages queued behind it keep their order
					if (!lane) {
						lane = lanes.get(laneKey);
						if (!lane) lanes.set(laneKey, (lane = new RecipientLane()));
						await lane.enter(order);
					}
					lane.notBefore = Math.max(lane.notBefore, Date.now() + delay);
				} else if (delay > 0 && !(await waitUntil(Date.now() + delay, halted))) {
					throw this.notSent();
				}
			}
		} finally {
			if (lane) {
				lane.leave();
				if (laneKey && lane.idle && lanes.get(laneKey) === lane) lanes.delete(laneKey);
			}
		}
	}

	private notSent(): NotSentError {
		this.stats.notSent++;
		return new NotSentError();
	}

	/** Milliseconds to wait before the next attempt, or undefined to give up. `n` counts this kind. */
	private backoff(kind: RetryKind, n: number): number | undefined {
		const jitter = () => 0.5 + this.opts.random() / 2;
		const exponential = (base: number) =>
			Math.min(this.opts.maxBackoffMs, base * 2 ** (n - 1)) * jitter();
		switch (kind) {
			case 'throttle':
				this.stats.throttled++;
				return n > this.opts.maxRetries ? undefined : exponential(this.opts.throttleBaseMs);
			case 'transient':
				this.stats.transient++;
				return n > Math.min(this.opts.maxRetries, MAX_TRANSIENT_RETRIES)
					? undefined
					: exponential(this.opts.transientBaseMs);
			case 'uncertain':
				this.stats.uncertain++;
				return n > Math.min(this.opts.maxRetries, MAX_UNCERTAIN_RETRIES)
					? undefined
					: exponential(this.opts.transientBaseMs);
			case 'pair':
				this.stats.pairLimited++;
				return n > Math.min(this.opts.maxRetries, MAX_PAIR_RETRIES)
					? undefined
					: this.opts.pairUnitMs * 4 ** (n - 1);
			default:
				return undefined;
		}
	}
}
