import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * The duplicate memory every n8n process of a deployment shares: the trigger node's static data,
 * which n8n reads from its database for each webhook call and saves, when a call changed it,
 * before Meta gets its answer. So a redelivery that reaches another webhook process, or main, a
 * minute or a week later finds the event there. It is the second check: the process's own memory
 * (SeenEvents, webhook.ts) answers first, and at no database cost.
 *
 * What it cannot do, because n8n's save writes the node's whole static data with no lock: two
 * calls in flight at the same moment each save what they read plus their own event, and the later
 * save drops the other's; and a redelivery that arrives while the first call is still running
 * (before its save) does not find it. The README ("Duplicates") says which guarantee holds where.
 *
 * Layout, chosen for the hot path: one string of fixed-width entries, oldest first, each
 * `,<16 characters of the key's SHA-256, base64url><minute of arrival, 5 characters base36>`.
 * A string is one JSON value for n8n to read and write (an object of 10,000 keys would be 10,000
 * values n8n wraps one by one on every call), a lookup is one substring search, and fixed widths
 * let the oldest entries be cut off without reading them.
 */
export const SHARED_SEEN = {
	/** Entries kept: the newest 10,000 events of this trigger (220 kB of static data). */
	maxEntries: 10_000,
	/** Meta redelivers an event for up to 7 days. */
	maxAgeMinutes: 7 * 24 * 60,
} as const;

/** The static data field that holds the entries. */
const FIELD = 'seenEvents';

const HASH_CHARS = 16;
const TIME_CHARS = 5;
const ENTRY_CHARS = 1 + HASH_CHARS + TIME_CHARS;

const minuteOf = (ms: number) => Math.floor(ms / 60_000);

/** The entry's hash part: 96 bits of the event's key, so that no two events of a week collide. */
export function sharedHash(key: string): string {
	return createHash('sha256').update(key).digest('base64url').slice(0, HASH_CHARS);
}

export class SharedSeen {
	private entries: string;

	private changed = false;

	/**
	 * `store`: the node's static data (`getWorkflowStaticData('node')`). A value that is not
	 * entries of this layout (another version, an edited workflow) is started afresh.
	 */
	constructor(
		private readonly store: IDataObject,
		private readonly now = Date.now(),
		private readonly limits: { maxEntries: number; maxAgeMinutes: number } = SHARED_SEEN,
	) {
		const value = store[FIELD];
		this.entries =
			typeof value === 'string' && value.length % ENTRY_CHARS === 0 && value.startsWith(',')
				? value
				: '';
	}

	/** Whether another call, in any process, emitted the event within the last 7 days. */
	has(key: string): boolean {
		const at = this.entries.indexOf(`,${sharedHash(key)}`);
		if (at < 0 || at % ENTRY_CHARS !== 0) return false;
		const minute = parseInt(this.entries.slice(at + 1 + HASH_CHARS, at + ENTRY_CHARS), 36);
		return minuteOf(this.now) - minute < this.limits.maxAgeMinutes;
	}

	/** Remembers an event this call emits. */
	add(key: string): void {
		const minute = minuteOf(this.now).toString(36).padStart(TIME_CHARS, '0');
		this.entries += `,${sharedHash(key)}${minute}`;
		this.changed = true;
	}

	get size(): number {
		return this.entries.length / ENTRY_CHARS;
	}

	/**
	 * Writes the entries back when this call added any, without those past 7 days and beyond the
	 * newest 10,000; n8n then saves the static data. Nothing changed: nothing written, no save.
	 */
	save(): void {
		if (!this.changed) return;
		let drop = Math.max(0, this.size - this.limits.maxEntries);
		// entries are oldest first: find the first young enough one by halving
		const oldestKept = minuteOf(this.now) - this.limits.maxAgeMinutes;
		let low = drop;
		let high = this.size;
		while (low < high) {
			const mid = (low + high) >> 1;
			const start = mid * ENTRY_CHARS + 1 + HASH_CHARS;
			const minute = parseInt(this.entries.slice(start, start + TIME_CHARS), 36);
			if (minute <= oldestKept) low = mid + 1;
			else high = mid;
		}
		drop = low;
		if (drop) this.entries = this.entries.slice(drop * ENTRY_CHARS);
		this.store[FIELD] = this.entries;
		this.changed = false;
	}
}
