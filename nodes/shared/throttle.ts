import { sleep } from 'n8n-workflow';

import type { RetryKind } from './errors';

/**
 * One place for pacing and retries of Graph calls:
 * - a rate gate per sender phone number (messages per second), shared by every execution in this
 *   n8n process that sends from the same number through the same Graph base URL;
 * - a bound on requests in flight (FIFO, so items start in order);
 * - retries with exponential backoff and jitter for throttling and transient errors;
 * - for the pair rate limit (131056), a backoff of 4^X seconds for that recipient only, while
 *   messages to other recipients keep flowing.
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
/** Pair-limit waits of 1, 4, 16 and 64 units: Meta's 4^X schedule. */
const MAX_PAIR_RETRIES = 4;

/** Classifies a thrown error for retrying; errors without a `retry` field are never retried. */
export type RetryableError = { retry?: RetryKind; attempts?: number };

/**
 * Spaces calls from one sender evenly (one every 1/rate seconds), and guarantees that no second
 * holds more than `rate` starts: after an event-loop stall the overdue sleepers would otherwise
 * all start at once. The guarantee keeps the start times of the last `rate` calls in a ring.
 */
class RateGate {
	private next = 0;

	private readonly starts: number[];

	private head = 0;

	constructor(readonly intervalMs: number) {
		const perSecond = intervalMs > 0 ? Math.max(1, Math.floor(1000 / intervalMs)) : 0;
		this.starts = new Array<number>(perSecond).fill(-Infinity);
	}

	async acquire(): Promise<void> {
		if (this.intervalMs <= 0) return;
		const now = Date.now();
		const slot = Math.max(now, this.next);
		this.next = slot + this.intervalMs;
		if (slot > now) await sleep(slot - now);
		for (;;) {
			// the start `rate` starts ago must have left the one-second window (with a 2 ms margin for
			// the time between this check and the request leaving)
			const wait = this.starts[this.head] + WINDOW_MS - Date.now();
			if (wait <= 0) break;
			await sleep(wait);
		}
		this.starts[this.head] = Date.now();
		this.head = (this.head + 1) % this.starts.length;
	}
}

const WINDOW_MS = 1002;

const gates = new Map<string, RateGate>();

function gateFor(sender: string, ratePerSecond: number): RateGate {
	const key = `${sender}@${ratePerSecond}`;
	let gate = gates.get(key);
	if (!gate) {
		gate = new RateGate(Number.isFinite(ratePerSecond) && ratePerSecond > 0 ? 1000 / ratePerSecond : 0);
		gates.set(key, gate);
	}
	return gate;
}

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

export class Throttle {
	private readonly semaphore: Semaphore;

	private readonly pairs = new Map<string, { notBefore: number; strikes: number }>();

	private readonly opts: Required<ThrottleOptions>;

	/** Counters for reports and benchmarks. */
	readonly stats = { attempts: 0, retries: 0, throttled: 0, pairLimited: 0, transient: 0 };

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

	/**
	 * Runs `call` under the sender's rate, the concurrency bound and the retry policy.
	 * `sender` keys the rate gate (a phone number ID, with the base URL); `recipient` keys the
	 * pair-rate backoff.
	 */
	async run<T>(call: () => Promise<T>, key: { sender?: string; recipient?: string } = {}): Promise<T> {
		const gate = gateFor(key.sender ?? '', key.sender ? this.opts.ratePerSecond : Infinity);
		for (let attempt = 1; ; attempt++) {
			if (key.recipient) await this.waitForRecipient(key.recipient);
			await this.semaphore.acquire();
			let failure: unknown;
			try {
				await gate.acquire();
				this.stats.attempts++;
				const result = await call();
				if (key.recipient) this.pairs.delete(key.recipient);
				return result;
			} catch (error) {
				failure = error;
			} finally {
				this.semaphore.release();
			}
			const err = failure as RetryableError;
			const kind = err?.retry ?? 'none';
			const delay = this.backoff(kind, attempt, key.recipient);
			if (delay === undefined) {
				if (err && typeof err === 'object') err.attempts = attempt;
				throw failure;
			}
			this.stats.retries++;
			if (delay > 0) await sleep(delay);
		}
	}

	/** Milliseconds to wait before the next attempt, or undefined to give up. */
	private backoff(kind: RetryKind, attempt: number, recipient?: string): number | undefined {
		const jitter = () => 0.5 + this.opts.random() / 2;
		switch (kind) {
			case 'throttle':
				this.stats.throttled++;
				if (attempt > this.opts.maxRetries) return undefined;
				return Math.min(this.opts.maxBackoffMs, this.opts.throttleBaseMs * 2 ** (attempt - 1)) * jitter();
			case 'transient':
				this.stats.transient++;
				if (attempt > Math.min(this.opts.maxRetries, MAX_TRANSIENT_RETRIES)) return undefined;
				return Math.min(this.opts.maxBackoffMs, this.opts.transientBaseMs * 2 ** (attempt - 1)) * jitter();
			case 'pair': {
				this.stats.pairLimited++;
				if (!recipient) {
					if (attempt > Math.min(this.opts.maxRetries, MAX_PAIR_RETRIES)) return undefined;
					return this.opts.pairUnitMs * 4 ** (attempt - 1);
				}
				const state = this.pairs.get(recipient) ?? { notBefore: 0, strikes: 0 };
				if (state.strikes >= Math.min(this.opts.maxRetries, MAX_PAIR_RETRIES)) return undefined;
				state.notBefore = Math.max(state.notBefore, Date.now() + this.opts.pairUnitMs * 4 ** state.strikes);
				state.strikes++;
				this.pairs.set(recipient, state);
				// waitForRecipient() does the waiting, for this item and every later item to the same recipient
				return 0;
			}
			default:
				return undefined;
		}
	}

	private async waitForRecipient(recipient: string): Promise<void> {
		for (;;) {
			const state = this.pairs.get(recipient);
			const wait = state ? state.notBefore - Date.now() : 0;
			if (wait <= 0) return;
			await sleep(wait);
		}
	}
}
