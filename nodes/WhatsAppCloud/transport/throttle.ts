import { sleep } from 'n8n-workflow';

import { GRAPH_CODE, type RetryKind } from '../../shared/errors';

/**
 * One place for pacing and retries of Graph calls:
 * - a rate gate per sender phone number, shared by every execution in this n8n process that sends
 *   from the same number through the same Graph base URL, at the largest pace any of them set,
 *   which learns from Meta's throughput refusals (130429) how much of the number's cap is left to
 *   this process when others send from the same number too (see SenderPace);
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
export type RetryableError = {
	retry?: RetryKind;
	attempts?: number;
	mayHaveArrived?: boolean;
	/** Meta's error code, when Meta answered. */
	graphCode?: number;
};

/**
 * Meta's answer when a phone number is over its throughput (messages per second, counted over a
 * rolling second): the one error that says the number's cap is full. 131056 is a limit per
 * recipient, and 4, 613 and 80007 are hourly limits of the app or account: none of them tells how
 * fast this number may send.
 */
const THROUGHPUT_REFUSED = GRAPH_CODE.throughputReached;

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

/** What became of a paced request, for its sender's pace. */
export type PaceOutcome =
	/** Meta took the message. */
	| 'accepted'
	/** 130429: the number was over its throughput. The message did not count against it. */
	| 'refused'
	/** Any other failure: it may or may not have counted, so it keeps its place in the second. */
	| 'other';

/** One request that left, as its sender's pace keeps it for the rolling second. */
export type PaceStart = {
	at: number;
	state: 'pending' | PaceOutcome;
	/** Sent on an allowance beyond what the number took from us at the last refusals. */
	probe: boolean;
	answeredAt?: number;
};

/** The second over which Meta counts a number's messages, with 2 ms for the way to Meta. */
const WINDOW_MS = 1002;
/** How often a number under refusals tries for one message more per second than it was given. */
const PROBE_MS = 2000;
/** Throughput refusals in a row that mean the number's second is full, not a passing refusal. */
const REFUSALS_IN_A_ROW = 4;
/** The share of refused messages in the last second that means the same, over at least 3. */
const REFUSED_SHARE = 0.1;
const MIN_REFUSED = 3;
/** Taken messages in the last second, against the configured pace, that mean the number is ours. */
const OWN_SHARE = 0.8;
/** A round of tries: one per this many messages per second of the configured pace, at least one. */
const PROBE_STEP = 80;
/** The wait before the second round, after a first that was taken. */
const CONFIRM_MS = 500;
/** No tries for this long after losing a place to another sender. */
const CONTESTED_MS = 4000;
/** The longest pause for the next answer after a refusal that may mean a full second. */
const MAX_PAUSE_MS = 250;
const PAUSE_STEP_MS = 5;
/** A learned pace is kept this long after the last execution using it ended, for the next one. */
const FORGET_MS = 10_000;

/**
 * How many messages one sender number may start per rolling second from this process, learned from
 * Meta's throughput refusals (130429), so that several processes (queue-mode workers, separate n8n
 * instances) sending from one number share its cap without anyone dividing Messages per Second by
 * the number of processes.
 *
 * - Until the number's second is seen to be full, the pace is Messages per Second, and every start
 *   counts for a second, refused or not, as it always did. Refusals alone do not lower it: it takes
 *   4 in a row, or at least 3 that are 10% of the last second's answers (after the first second,
 *   when a few answers make any share look large), and never while this process had 80% of its
 *   pace taken in the last second. Then the refusals come from timing (a message reaching Meta's
 *   second a moment early) or from a few messages of someone else, and the rolling second already
 *   keeps it at its pace. After a first refusal that may mean more, nothing else leaves until the
 *   next answer tells (two round trips at most): the messages on their way are enough to know.
 * - Once the second is full, the allowance drops to what the number took from this process in the
 *   last second (its accepted messages; after scattered refusals, those still on their way too):
 *   its share of the cap while the others had theirs, a decrease by exactly the refused share. From
 *   then on a message holds its place in the second from when it reached Meta, taken to be as late
 *   as its answer allows (the answer's time less the fastest round trip seen), and a refused one
 *   holds none: it did not count at Meta. So each process sends again as its own messages leave
 *   Meta's rolling second, in step with the cap, and the refusals stop.
 * - A later refusal of one of those messages means another sender took its place: the allowance
 *   is one less, and this process does not try for more for 4 s (it would only take a place back).
 * - Otherwise it tries for more every 2 s: one message beyond the allowance (one per 80 of
 *   Messages per Second). A try that is taken adds one to the allowance; when a whole round is
 *   taken, the next is twice as large, half a second later the first time (a place another sender
 *   left free for a moment is not room yet), then as soon as the last is answered, until a try is
 *   refused. So when the others send less or stop, this process takes up their share within a
 *   couple of seconds; while they do not, one refused try every 2 s is the cost.
 * The allowance never goes above Messages per Second; once it reaches it, the number is free
 * again. The pace is shared by the executions of this process; every process learns its own, and
 * together they settle at about the number's cap.
 */
export class SenderPace {
	/** The allowance per rolling second; undefined while the number has not been seen full. */
	private allowance: number | undefined;

	/** Starts allowed beyond the allowance, to find out whether the number has room. */
	private probes = 0;

	/** When the next round of tries beyond the allowance is due. */
	private probeAt = 0;

	/** Rounds of tries in a row that were all taken (the current one included once it is). */
	private probeRounds = 0;

	/** When the allowance was last lowered: refusals of requests sent before then are stale. */
	private loweredAt = -Infinity;

	private firstAt: number | undefined;

	private refusedInARow = 0;

	/**
	 * After a refusal that may mean a full second (see `answered`), no new start until the next
	 * answer says which, or this time passes: the messages already on their way are enough to tell.
	 */
	private pauseUntil = 0;

	/** The fastest round trip seen: the time an answer takes when nothing waits on the way. */
	private roundTrip = Infinity;

	/** Starts of the last two seconds, oldest first (`first` is the index of the oldest). */
	private starts: PaceStart[] = [];

	private first = 0;

	/** Times the allowance was lowered, for reports and benchmarks. */
	lowered = 0;

	/** True while the number's second is known to be full (the allowance applies). */
	get adapted(): boolean {
		return this.allowance !== undefined;
	}

	/**
	 * Messages this process may start per rolling second from this number: the configured pace
	 * (`ceiling`), or less once Meta refused for throughput.
	 */
	limit(ceiling: number, now: number): number {
		if (this.allowance === undefined) return ceiling;
		if (now >= this.probeAt) {
			// a round of tries: twice as many as the last if all of those were taken, else the first
			// (a round nobody answered, for want of messages to send, starts over too)
			if (this.probes > 0) this.probeRounds = 0;
			this.probes = Math.min(ceiling, Math.ceil(ceiling / PROBE_STEP) * 2 ** this.probeRounds);
			this.probeAt = now + PROBE_MS;
		}
		if (this.allowance >= ceiling) {
			this.allowance = undefined;
			return ceiling;
		}
		return Math.min(ceiling, this.allowance + this.probes);
	}

	/**
	 * When the next start is allowed (`now` if at once): while the last rolling second holds the
	 * allowance, when the next of its messages that hold a place leaves it.
	 */
	nextStart(ceiling: number, now: number): number {
		if (now < this.pauseUntil) return Math.min(this.pauseUntil, now + PAUSE_STEP_MS);
		this.trim(now);
		const allowed = Math.max(1, Math.floor(this.limit(ceiling, now)));
		let held = 0;
		for (let k = this.first; k < this.starts.length; k++)
			if (this.holdsUntil(this.starts[k]) > now) held++;
		if (held < allowed) return now;
		// the (held - allowed + 1)th of them in the order they left: it leaves first, or about then
		// (the caller asks again when that time comes)
		for (let k = this.first, skip = held - allowed; k < this.starts.length; k++) {
			const until = this.holdsUntil(this.starts[k]);
			// a message still waiting for Meta's answer holds its place until the answer says how
			// long: ask again shortly rather than wait for a time nobody can name
			if (until > now && skip-- === 0) return Number.isFinite(until) ? until : now + WAKE_MS;
		}
		return now;
	}

	/** Records a request leaving now; hand the result to `answered` once Meta answered. */
	start(now: number): PaceStart {
		this.trim(now);
		this.firstAt ??= now;
		let probe = false;
		if (this.allowance !== undefined) {
			let held = 0;
			for (let k = this.first; k < this.starts.length; k++)
				if (this.holdsUntil(this.starts[k]) > now) held++;
			probe = held >= this.allowance;
		}
		const start: PaceStart = { at: now, state: 'pending', probe };
		this.starts.push(start);
		return start;
	}

	/** Records Meta's answer to a start. Returns true when it lowered the allowance. */
	answered(start: PaceStart, outcome: PaceOutcome, ceiling: number, now: number): boolean {
		start.state = outcome;
		start.answeredAt = now;
		// (a connection that broke, or a failure, may end sooner than any answer of Meta's)
		if (outcome === 'other') return false;
		this.roundTrip = Math.min(this.roundTrip, now - start.at);
		const adapted = this.allowance !== undefined;
		if (outcome === 'accepted') {
			this.refusedInARow = 0;
			this.pauseUntil = 0;
			if (adapted && start.probe && this.probes > 0) {
				// the try was taken: the number had room for one more per second
				this.allowance!++;
				if (--this.probes === 0) {
					// the whole round was taken: the next, twice as large, after a pause the first time
					// (a place that a paused sender left free for a moment is no room yet), then as soon
					// as this one is answered
					this.probeAt = now + (this.probeRounds === 0 ? CONFIRM_MS : 0);
					this.probeRounds++;
				}
			}
			return false;
		}
		if (adapted && start.probe) {
			// a refused try: the number is full; the next round is one try again, in 2 s
			this.probes = 0;
			this.probeRounds = 0;
			this.probeAt = Math.max(this.probeAt, now + PROBE_MS);
			return false;
		}
		// sent before the allowance was last lowered: that decrease already answered it
		if (start.at <= this.loweredAt) return false;
		this.refusedInARow++;
		this.trim(now);
		let answered = 0;
		let refused = 0;
		let taken = 0;
		let pending = 0;
		for (let k = this.first; k < this.starts.length; k++) {
			const s = this.starts[k];
			if (s.at <= now - WINDOW_MS) continue;
			if (s.state === 'pending') pending++;
			else if (s.state !== 'refused') taken++;
			if (s.state === 'pending' || s.probe || s.at <= this.loweredAt) continue;
			answered++;
			if (s.state === 'refused') refused++;
		}
		if (taken + pending >= ceiling * OWN_SHARE) return false;
		if (!adapted && this.refusedInARow < REFUSALS_IN_A_ROW)
			this.pauseUntil = now + Math.min(2 * this.roundTrip, MAX_PAUSE_MS);
		if (adapted && this.refusedInARow < REFUSALS_IN_A_ROW) {
			// one of our places in the second was taken by another sender: one fewer for us
			this.allowance = Math.max(1, this.allowance! - 1);
			this.probes = 0;
			this.probeRounds = 0;
			// others are trying for more: trying back would only take a place from one of them
			this.probeAt = Math.max(this.probeAt, now + CONTESTED_MS);
			this.loweredAt = now;
			this.lowered++;
			return true;
		}
		const full = this.refusedInARow >= REFUSALS_IN_A_ROW;
		// refusals in a row are left to the test above: the messages on their way may all be refused
		const crowded =
			this.refusedInARow === 1 &&
			now - this.firstAt! >= WINDOW_MS &&
			refused >= MIN_REFUSED &&
			refused >= answered * REFUSED_SHARE;
		if (!full && !crowded) return false;
		// In a full second the messages still on their way will be refused too; after scattered
		// refusals most of them will be taken.
		const given = full ? taken : taken + pending;
		this.allowance = Math.max(1, Math.min(this.limit(ceiling, now), given));
		this.probes = 0;
		this.probeRounds = 0;
		this.probeAt = now + PROBE_MS;
		this.loweredAt = now;
		this.refusedInARow = 0;
		this.pauseUntil = 0;
		this.lowered++;
		return true;
	}

	/** True when nothing learned is worth keeping at `now` (unused for FORGET_MS, or never full). */
	stale(now: number): boolean {
		const last = this.starts.length ? this.starts[this.starts.length - 1].at : -Infinity;
		return this.allowance === undefined || now - last > FORGET_MS;
	}

	/**
	 * Until when a start holds a place in the number's rolling second. Before the number was seen
	 * full: a second from leaving, refused or not, as always. After: none if refused, and otherwise
	 * a second from when it reached Meta at the latest (and at most a second more, should an answer
	 * be very late); until it is answered, it holds one.
	 */
	private holdsUntil(s: PaceStart): number {
		if (this.allowance === undefined) return s.at + WINDOW_MS;
		if (s.state === 'refused') return -Infinity;
		if (s.answeredAt === undefined) return Infinity;
		const reached = Math.min(s.at + WINDOW_MS, Math.max(s.at, s.answeredAt - this.roundTrip));
		return reached + WINDOW_MS;
	}

	private trim(now: number): void {
		while (this.first < this.starts.length && this.starts[this.first].at <= now - 2 * WINDOW_MS)
			this.first++;
		if (this.first > 1024) {
			this.starts = this.starts.slice(this.first);
			this.first = 0;
		}
	}
}

/**
 * Spaces calls from one sender evenly (one every 1/rate seconds) and keeps every rolling second
 * within the sender's pace (SenderPace): after an event-loop stall the overdue sleepers would
 * otherwise all start at once. Executions join with their own pace; the gate runs at the largest of
 * them, so two executions with 40 and 39 per second share 40, not 79.
 */
class RateGate {
	private readonly paces = new Map<object, number>();

	private rate = 0;

	private next = 0;

	readonly pace = new SenderPace();

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

	get unused(): boolean {
		return this.paces.size === 0;
	}

	/**
	 * Waits for this sender's next slot. Returns the start to report Meta's answer on, or undefined
	 * when the run halted while waiting.
	 */
	async acquire(halted: () => boolean): Promise<PaceStart | undefined> {
		const now = Date.now();
		const interval = 1000 / this.rate;
		const slot = Math.max(now, this.next);
		this.next = slot + interval;
		if (slot > now && !(await waitUntil(slot, halted))) return undefined;
		for (;;) {
			const t = Date.now();
			const at = this.pace.nextStart(this.rate, t);
			if (at <= t) break;
			// 1 ms more for the time between this check and the request leaving; never longer than a
			// wake-up, since an answer arriving meanwhile may free a place sooner
			if (!(await waitUntil(Math.min(at + 1, t + WAKE_MS), halted))) return undefined;
		}
		if (halted()) return undefined;
		return this.pace.start(Date.now());
	}

	answered(start: PaceStart, outcome: PaceOutcome): void {
		this.pace.answered(start, outcome, this.rate, Date.now());
	}
}

/**
 * Rate gates by sender (base URL and phone number ID), shared by the executions of this n8n process
 * (each queue-mode worker has its own, and learns its share of the number's cap by itself).
 */
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
		/** 130429 answers to paced sends, which the sender's pace learns from. */
		throughputRefused: 0,
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
		const now = Date.now();
		for (const key of this.joined) {
			const gate = gates.get(key);
			// a pace learned from refusals stays for the next execution from this number
			if (gate?.leave(this) && gate.pace.stale(now)) gates.delete(key);
		}
		this.joined.clear();
	}

	private gateFor(sender: string): RateGate | undefined {
		const rate = this.opts.ratePerSecond;
		if (!sender || !(Number.isFinite(rate) && rate > 0)) return undefined;
		let gate = gates.get(sender);
		if (!this.joined.has(sender)) {
			const now = Date.now();
			for (const [key, idle] of gates) if (idle.unused && idle.pace.stale(now)) gates.delete(key);
			gate = gates.get(sender);
			if (!gate) gates.set(sender, (gate = new RateGate()));
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
				let start: PaceStart | undefined;
				try {
					if (gate) start = await gate.acquire(halted);
					slot = (!gate || start !== undefined) && !this.stopped;
					if (slot) {
						this.stats.attempts++;
						report.attempts++;
						const result = await call();
						if (start) gate!.answered(start, 'accepted');
						return result;
					}
				} catch (error) {
					failure = error;
					if (start) {
						const refused = (error as RetryableError)?.graphCode === THROUGHPUT_REFUSED;
						if (refused) this.stats.throughputRefused++;
						gate!.answered(start, refused ? 'refused' : 'other');
					}
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
