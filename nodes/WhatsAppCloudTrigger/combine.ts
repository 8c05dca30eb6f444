import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { RawEvent } from './webhook';

/**
 * Options > Combine Messages Within: the messages one customer writes to one business number in a
 * burst become one execution when the customer pauses (see README, "Combining messages").
 *
 * n8n starts an execution only when a webhook() call returns workflowData, and one call starts at
 * most one. So a burst is held by one call: the call whose message opened it answers Meta at once,
 * then waits until the customer has been quiet long enough and returns the whole burst. Every
 * later call of the same burst adds its message, answers Meta and returns without workflowData,
 * which starts no execution. The burst itself lives in this process's memory only.
 */

/** The bounds of combining, in one place; the option's description and the README repeat them. */
export const COMBINE_LIMITS = {
	/** The longest quiet time the option accepts, in seconds (a larger value counts as this). */
	maxQuietSeconds: 60,
	/** A burst that reaches this many messages closes at once. */
	maxMessages: 50,
	/** A burst closes this long after its first message, even while the customer keeps writing. */
	maxWaitMs: 5 * 60 * 1000,
	/**
	 * Bursts waiting at once in this process, over all triggers. Beyond it, a customer who starts
	 * a new burst has their messages passed through uncombined (logged once until there is room).
	 * Each waiting burst is a webhook call n8n keeps open, and under n8n's default expression
	 * engine each open call holds an expression isolate of its own (about 12 MB): 100 of them
	 * stay near 1.2 GB, where the trigger's own share is a few kB each (README, "Combining
	 * messages").
	 */
	maxOpenBursts: 100,
} as const;

export type CombineLimits = { readonly [K in keyof typeof COMBINE_LIMITS]: number };

/** Time as the bursts see it: the process's clock, or the tests' and the bench's own. */
export type Clock = { now: () => number; sleep: (ms: number) => Promise<void> };

const realClock: Clock = { now: () => Date.now(), sleep: async (ms) => await sleep(ms) };

/** The quiet time a call asked for, in ms (0: off), and why its value was not taken as it is. */
export type QuietTime = { ms: number; warning?: string };

/**
 * Reads the option as the call gave it: an expression can give anything. A number, or text that
 * is one, counts; above the maximum it counts as the maximum (the user wanted combining, and the
 * bound is what it can do); below 0 or not a number it turns combining off, since a guess at the
 * intended time could hold messages no one asked to hold.
 */
export function quietTimeOf(value: unknown, limits: CombineLimits = COMBINE_LIMITS): QuietTime {
	if (value === undefined || value === null || value === '') return { ms: 0 };
	const seconds =
		typeof value === 'number'
			? value
			: typeof value === 'string' && value.trim() !== ''
				? Number(value)
				: NaN;
	const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
	if (!Number.isFinite(seconds) || seconds < 0)
		return {
			ms: 0,
			warning: `Combine Messages Within is ${shown}, not a number of seconds from 0 to ${limits.maxQuietSeconds}: messages are not combined`,
		};
	if (seconds > limits.maxQuietSeconds)
		return {
			ms: limits.maxQuietSeconds * 1000,
			warning: `Combine Messages Within is ${shown}, more than the maximum: combining within ${limits.maxQuietSeconds} seconds`,
		};
	return { ms: Math.round(seconds * 1000) };
}

/**
 * Who a message is from, for combining: the business number it reached and the customer, by
 * their business-scoped user ID when Meta gives one (it stays the same whether or not this number
 * may see the phone), else by phone. Undefined when the message names neither: it is not combined.
 * A message written in a group is of that group's chat, not of the private chat with the same
 * person: the group is part of who it is from, and the burst is answered in the group.
 */
export function customerOf(e: RawEvent): string | undefined {
	const s = e.simplified;
	const customer = s.fromUserId ?? s.from;
	if (typeof customer !== 'string' || !customer || !s.phoneNumberId) return undefined;
	const chat = typeof s.groupId === 'string' ? `|g:${s.groupId}` : '';
	return `${s.phoneNumberId}${chat}|${s.fromUserId ? 'u' : 'p'}:${customer}`;
}

/** Meta's timestamp of a message (unix seconds); one without sorts after those with. */
function metaTime(e: RawEvent): number {
	const raw = (e.simplified.message as IDataObject | undefined)?.timestamp;
	const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
	return Number.isFinite(n) ? n : Infinity;
}

type Entry = { event: RawEvent; time: number; arrival: number };

/**
 * One customer's burst: its messages, when its first and latest arrived here, and the quiet time
 * the latest call asked for. `full` and `dropped` wake the holding call early.
 */
export class Burst {
	readonly entries: Entry[] = [];

	state: 'open' | 'full' | 'dropped' | 'closed' = 'open';

	lastAt: number;

	/** Resolves when the burst is full or dropped: the holding call stops waiting. */
	readonly woken: Promise<void>;

	private wakeUp!: () => void;

	constructor(
		readonly key: string,
		/** The trigger node and mode the burst belongs to. */
		readonly scope: string,
		readonly firstAt: number,
		public quietMs: number,
	) {
		this.lastAt = firstAt;
		this.woken = new Promise<void>((resolve) => (this.wakeUp = resolve));
	}

	wake(state: 'full' | 'dropped'): void {
		this.state = state;
		this.wakeUp();
	}

	get size(): number {
		return this.entries.length;
	}

	/** The messages in the order Meta timestamped them; messages of the same second by arrival. */
	ordered(): RawEvent[] {
		return [...this.entries]
			.sort((a, b) => a.time - b.time || a.arrival - b.arrival)
			.map((e) => e.event);
	}
}

/**
 * What a call does with its messages: `held`, the burst it opened and now waits for; `passThrough`,
 * the messages it could not combine, for its own execution now; `warning`, to log.
 */
export type CombinePlan = { held?: Burst; passThrough: RawEvent[]; warning?: string };

/** The bursts of this process, by trigger node, mode, business number and customer. */
export class Bursts {
	private readonly open = new Map<string, Burst>();

	private arrivals = 0;

	/** Whether the open-bursts bound was logged since it was last below it. */
	private fullLogged = false;

	constructor(
		readonly limits: CombineLimits = COMBINE_LIMITS,
		readonly clock: Clock = realClock,
	) {}

	get size(): number {
		return this.open.size;
	}

	/**
	 * Adds a call's messages (already filtered and deduplicated, in the body's order) to their
	 * customers' bursts. A message whose customer has a burst waiting joins it. The others would
	 * each open a burst, which needs a call to hold it, and a call can hold one: it does when that
	 * is all it has to return (`canHold`: nothing else from this call must go out now). Anything
	 * else passes through, uncombined, in this call's own execution: never held back, never lost.
	 */
	take(scope: string, messages: RawEvent[], quietMs: number, canHold: boolean): CombinePlan {
		const now = this.clock.now();
		const passThrough: RawEvent[] = [];
		const opening = new Map<string, RawEvent[]>();
		for (const e of messages) {
			const customer = customerOf(e);
			if (!customer) {
				passThrough.push(e);
				continue;
			}
			const key = `${scope}|${customer}`;
			const waiting = opening.get(key);
			if (waiting) {
				waiting.push(e);
				continue;
			}
			const burst = this.open.get(key);
			if (burst) this.add(burst, e, now, quietMs);
			else opening.set(key, [e]);
		}
		if (!opening.size) return { passThrough };
		const [[key, first]] = opening;
		if (
			!canHold ||
			passThrough.length ||
			opening.size > 1 ||
			first.length > this.limits.maxMessages
		)
			return { passThrough: [...passThrough, ...[...opening.values()].flat()] };
		if (this.open.size >= this.limits.maxOpenBursts) {
			const warning = this.fullLogged
				? undefined
				: `${this.limits.maxOpenBursts} bursts are waiting in this process, the most it holds: a new customer's messages pass through uncombined until one closes`;
			this.fullLogged = true;
			return { passThrough: first, warning };
		}
		const burst = new Burst(key, scope, now, quietMs);
		this.open.set(key, burst);
		for (const e of first) this.add(burst, e, now, quietMs);
		return { held: burst, passThrough };
	}

	private add(burst: Burst, e: RawEvent, now: number, quietMs: number): void {
		burst.entries.push({ event: e, time: metaTime(e), arrival: ++this.arrivals });
		burst.lastAt = now;
		burst.quietMs = quietMs;
		if (burst.size >= this.limits.maxMessages) {
			// the next message of this customer opens a new burst
			this.forget(burst);
			burst.wake('full');
		}
	}

	private forget(burst: Burst): void {
		if (this.open.get(burst.key) === burst) this.open.delete(burst.key);
		if (this.open.size < this.limits.maxOpenBursts) this.fullLogged = false;
	}

	/**
	 * Waits, in the call that opened the burst, until the customer has been quiet for the quiet
	 * time, the burst is full, or its first message is `maxWaitMs` old; then closes it and returns
	 * its messages in order. Undefined when it was dropped instead.
	 *
	 * `exclusive` (the editor's test listener): closing also drops the other bursts of the same
	 * node and mode, their holding calls returning nothing, and answers their message IDs. n8n's
	 * test listener takes one event: the first call that starts an execution ends it, and a call
	 * it had already let in would still start one when its burst closes, taking the editor's view
	 * from the first. Dropping happens in the same step as closing, so of two bursts that close
	 * at the same moment exactly one goes on.
	 */
	async hold(
		burst: Burst,
		exclusive = false,
	): Promise<{ messages: RawEvent[]; dropped: string[] } | undefined> {
		while (burst.state === 'open') {
			const deadline = Math.min(
				burst.lastAt + burst.quietMs,
				burst.firstAt + this.limits.maxWaitMs,
			);
			const left = deadline - this.clock.now();
			if (left <= 0) break;
			// a message that joined meanwhile moved the deadline: the loop sleeps again for the rest
			await Promise.race([this.clock.sleep(left), burst.woken]);
		}
		if (burst.state === 'dropped') return undefined;
		this.forget(burst);
		burst.state = 'closed';
		const dropped: string[] = [];
		if (exclusive) {
			for (const other of [...this.open.values()]) {
				if (other.scope !== burst.scope) continue;
				this.forget(other);
				other.wake('dropped');
				for (const entry of other.entries) dropped.push(String(entry.event.simplified.messageId));
			}
		}
		return { messages: burst.ordered(), dropped };
	}
}

let current = new Bursts();

/** This process's bursts. */
export function bursts(): Bursts {
	return current;
}

/**
 * Replaces this process's bursts (the tests and the bench, with their own clock or bounds) and
 * returns the ones it replaced.
 */
export function replaceBursts(next: Bursts): Bursts {
	const previous = current;
	current = next;
	return previous;
}

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

/**
 * A burst's `text`: the bodies of its text messages and the captions of its media, in order, one
 * per line. Other kinds (reactions, button replies, locations, orders...) stay in `messages`.
 * Null when none has text.
 */
export function burstText(messages: IDataObject[]): string | null {
	const lines: string[] = [];
	for (const m of messages) {
		const type = String(m.type ?? '');
		// a media message's `text` is its caption
		if ((type === 'text' || MEDIA_TYPES.has(type)) && typeof m.text === 'string' && m.text !== '')
			lines.push(m.text);
	}
	return lines.length ? lines.join('\n') : null;
}
