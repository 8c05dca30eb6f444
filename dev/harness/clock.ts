import type { Clock } from '../../nodes/WhatsAppCloudTrigger/combine';

/**
 * A clock that moves only when told to: a test sends its webhooks, then moves time past a burst's
 * quiet time, so what closes when never depends on how fast the machine is.
 */
export class ManualClock implements Clock {
	private at: number;

	private sleepers: Array<{ until: number; wake: () => void }> = [];

	constructor(start = Date.UTC(2026, 0, 5, 9, 0, 0)) {
		this.at = start;
	}

	now = (): number => this.at;

	sleep = async (ms: number): Promise<void> =>
		await new Promise<void>((wake) => this.sleepers.push({ until: this.at + ms, wake }));

	/** Moves time on by `ms` and wakes every sleeper whose time has come. */
	advance(ms: number): void {
		this.at += ms;
		const due = this.sleepers.filter((s) => s.until <= this.at);
		this.sleepers = this.sleepers.filter((s) => s.until > this.at);
		for (const s of due) s.wake();
	}

	/** Sleepers still waiting (a burst's holding call, or one that was woken early and left). */
	get sleeping(): number {
		return this.sleepers.length;
	}
}
