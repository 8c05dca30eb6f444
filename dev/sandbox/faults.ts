/**
 * The faults the sandbox puts in the way of a message send, as Meta's own: the per-number throughput
 * cap (`rateCap`), seeded random throttling, server errors, connection resets and pair-rate errors
 * (`faults`), and the pair rate limit per recipient (`pairRate`). The random source is seeded, so a
 * run can be repeated.
 */
import { graphError, type Res } from './graph';
import type { GraphSandbox } from './server';

/** mulberry32: a small seeded PRNG so fault injection is repeatable. */
function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** 130429, as Meta answers a number over its throughput. */
const throughputReached = () =>
	graphError(400, 130429, 'Rate limit hit', {
		error_data: {
			messaging_product: 'whatsapp',
			details: 'Cloud API message throughput has been reached.',
		},
	});

/** 131056, as Meta answers too many messages from one number to one recipient. */
const pairLimitHit = () =>
	graphError(400, 131056, '(Business Account, Consumer Account) pair rate limit hit', {
		error_data: {
			messaging_product: 'whatsapp',
			details:
				'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
		},
	});

export class Faults {
	private random: () => number;

	/** When each phone number's recent sends were taken, for the rate cap. */
	private readonly recentSends = new Map<string, number[]>();

	constructor(private readonly sandbox: GraphSandbox) {
		this.random = seeded(sandbox.options.faults?.seed ?? 1);
	}

	/** Restarts the seeded random source (new faults between runs). */
	reseed(seed: number): void {
		this.random = seeded(seed);
	}

	/** Forgets the sends the rate cap counts. */
	clear(): void {
		this.recentSends.clear();
	}

	/**
	 * Before a send is taken: the rate cap, then one roll for throttling, a server error, a reset
	 * before the message is taken, or a pair-rate error, in that order of the shares.
	 */
	beforeSend(phoneNumberId: string): Res | undefined {
		const { options, injected } = this.sandbox;
		const faults = options.faults;
		if (options.rateCap) {
			const now = Date.now();
			const recent = (this.recentSends.get(phoneNumberId) ?? []).filter((t) => t > now - 1000);
			this.recentSends.set(phoneNumberId, recent);
			if (recent.length >= options.rateCap) {
				injected.rateCap++;
				return throughputReached();
			}
			recent.push(now);
		}
		if (!faults) return undefined;
		const roll = this.random();
		let edge = faults.throttle ?? 0;
		if (roll < edge) {
			injected.throttle++;
			return throughputReached();
		}
		edge += faults.serverError ?? 0;
		if (roll < edge) {
			injected.serverError++;
			return {
				status: 500,
				body: {
					error: {
						message: 'An unknown error has occurred.',
						type: 'OAuthException',
						code: 1,
						is_transient: true,
						fbtrace_id: 'Sandbox500',
					},
				},
			};
		}
		edge += faults.resetBefore ?? 0;
		if (roll < edge) {
			injected.resetBefore++;
			return { status: 0, body: null, reset: true };
		}
		edge += faults.pairLimit ?? 0;
		if (roll < edge) {
			injected.pairLimit++;
			return pairLimitHit();
		}
		return undefined;
	}

	/**
	 * Meta's pair rate limit (`pairRate`): 131056 for a recipient that already has `max` accepted
	 * messages from the same number within `windowMs`.
	 */
	pairRate(phoneNumberId: string, to: string): Res | undefined {
		const { options, accepted, injected } = this.sandbox;
		if (!options.pairRate) return undefined;
		const { max, windowMs } = options.pairRate;
		const now = Date.now();
		const recent = accepted.filter(
			(m) =>
				m.phoneNumberId === phoneNumberId &&
				(m.body.to ?? m.body.recipient) === to &&
				m.at > now - windowMs,
		).length;
		if (recent < max) return undefined;
		injected.pairRate++;
		return pairLimitHit();
	}

	/** After a send was taken: whether its connection is reset all the same (`faults.resetAfter`). */
	resetAfter(): boolean {
		const faults = this.sandbox.options.faults;
		return faults?.resetAfter ? this.random() < faults.resetAfter : false;
	}
}
