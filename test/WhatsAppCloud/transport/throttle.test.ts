/* eslint-disable @n8n/community-nodes/no-restricted-globals */
import { Throttle } from '../../../nodes/WhatsAppCloud/transport/throttle';

const failure = (retry: string) =>
	Object.assign(new Error(retry), { retry }) as Error & { retry: string; attempts?: number };

/** A call that fails with the given kinds in turn, then succeeds. */
function flaky(kinds: string[]) {
	let calls = 0;
	const fn = async () => {
		const kind = kinds[calls++];
		if (kind) throw failure(kind);
		return 'ok';
	};
	return { fn, calls: () => calls };
}

const fast = { throttleBaseMs: 1, transientBaseMs: 1, pairUnitMs: 20, random: () => 0.5 };

describe('Throttle', () => {
	test('retries throttling errors and returns the eventual result', async () => {
		const t = new Throttle({ ratePerSecond: Infinity, maxConcurrent: 2, maxRetries: 5, ...fast });
		const call = flaky(['throttle', 'throttle']);
		await expect(t.run(call.fn)).resolves.toBe('ok');
		expect(call.calls()).toBe(3);
		expect(t.stats).toMatchObject({ attempts: 3, retries: 2, throttled: 2 });
	});

	test('gives up on throttling after maxRetries, reporting the attempts', async () => {
		const t = new Throttle({ ratePerSecond: Infinity, maxConcurrent: 2, maxRetries: 2, ...fast });
		const call = flaky(['throttle', 'throttle', 'throttle', 'throttle']);
		const error = await t.run(call.fn).catch((e) => e);
		expect(error.message).toBe('throttle');
		expect(error.attempts).toBe(3);
		expect(call.calls()).toBe(3);
	});

	test('never retries an error that is not retryable (validation, permissions)', async () => {
		const t = new Throttle({ ratePerSecond: Infinity, maxConcurrent: 2, maxRetries: 5, ...fast });
		const call = flaky(['none']);
		await expect(t.run(call.fn)).rejects.toThrow('none');
		expect(call.calls()).toBe(1);
		const plain = jest.fn(async () => {
			throw new Error('plain');
		});
		await expect(t.run(plain)).rejects.toThrow('plain');
		expect(plain).toHaveBeenCalledTimes(1);
	});

	test('retries transient errors at most 3 times even when maxRetries is higher', async () => {
		const t = new Throttle({ ratePerSecond: Infinity, maxConcurrent: 2, maxRetries: 8, ...fast });
		const call = flaky(['transient', 'transient', 'transient', 'transient', 'transient']);
		await expect(t.run(call.fn)).rejects.toThrow('transient');
		expect(call.calls()).toBe(4);
	});

	test('backoff grows exponentially with jitter between half and the full step', async () => {
		const waits: number[] = [];
		const t = new Throttle({
			ratePerSecond: Infinity,
			maxConcurrent: 1,
			maxRetries: 3,
			throttleBaseMs: 40,
			random: () => 0.999,
		});
		let last = Date.now();
		await t.run(async () => {
			const now = Date.now();
			waits.push(now - last);
			last = now;
			if (waits.length < 4) throw failure('throttle');
			return 'ok';
		});
		// waits before attempts 2..4: ~40, ~80, ~160 ms (jitter factor 0.9995)
		expect(waits[1]).toBeGreaterThanOrEqual(35);
		expect(waits[2]).toBeGreaterThanOrEqual(75);
		expect(waits[3]).toBeGreaterThanOrEqual(150);
		expect(waits[3]).toBeLessThan(2000);
	});

	test('the pair rate limit (131056) holds back that recipient only, 1 then 4 units', async () => {
		const t = new Throttle({ ratePerSecond: Infinity, maxConcurrent: 4, maxRetries: 5, ...fast });
		const start = Date.now();
		const seen: Array<[string, number]> = [];
		let aFailures = 2;
		const send = (recipient: string) =>
			t.run(
				async () => {
					seen.push([recipient, Date.now() - start]);
					if (recipient === 'A' && aFailures-- > 0) throw failure('pair');
					return recipient;
				},
				{ recipient },
			);
		const results = await Promise.all([send('A'), send('B'), send('B'), send('C')]);
		expect(results).toEqual(['A', 'B', 'B', 'C']);
		const aTimes = seen.filter(([r]) => r === 'A').map(([, t]) => t);
		const others = seen.filter(([r]) => r !== 'A').map(([, t]) => t);
		expect(aTimes).toHaveLength(3);
		expect(aTimes[1] - aTimes[0]).toBeGreaterThanOrEqual(18); // 1 unit = 20 ms
		expect(aTimes[2] - aTimes[1]).toBeGreaterThanOrEqual(75); // 4 units = 80 ms
		// B and C were not held back: all of them went before A's first retry
		expect(Math.max(...others)).toBeLessThan(aTimes[1]);
	});

	test('a later message to a pair-limited recipient waits for the same backoff, then the state clears', async () => {
		const t = new Throttle({
			ratePerSecond: Infinity,
			maxConcurrent: 4,
			maxRetries: 5,
			...fast,
			pairUnitMs: 60,
		});
		const start = Date.now();
		const attempts: Array<[string, number]> = [];
		let failFirst = true;
		const first = t.run(
			async () => {
				attempts.push(['first', Date.now() - start]);
				if (failFirst) {
					failFirst = false;
					throw failure('pair');
				}
			},
			{ recipient: 'A' },
		);
		// queued behind the first one's failure: must not go before the 60 ms backoff ends
		await new Promise((r) => setTimeout(r, 10));
		const second = t.run(
			async () => {
				attempts.push(['second', Date.now() - start]);
			},
			{ recipient: 'A' },
		);
		await Promise.all([first, second]);
		const secondAt = attempts.find(([n]) => n === 'second')![1];
		expect(secondAt).toBeGreaterThanOrEqual(55);
		// after a success the recipient is free again
		const t0 = Date.now();
		await t.run(async () => 'x', { recipient: 'A' });
		expect(Date.now() - t0).toBeLessThan(50);
	});

	test('paces a sender at its rate and never exceeds the concurrency bound', async () => {
		const t = new Throttle({ ratePerSecond: 200, maxConcurrent: 3, maxRetries: 0 });
		let inFlight = 0;
		let peak = 0;
		const starts: number[] = [];
		const calls = Array.from({ length: 60 }, () =>
			t.run(
				async () => {
					starts.push(Date.now());
					inFlight++;
					peak = Math.max(peak, inFlight);
					await new Promise((r) => setImmediate(r));
					inFlight--;
				},
				{ sender: 'rate-test-sender' },
			),
		);
		await Promise.all(calls);
		expect(peak).toBeLessThanOrEqual(3);
		const span = starts[starts.length - 1] - starts[0];
		// 60 starts at 200/s are spaced 5 ms apart: 59 gaps = 295 ms at least
		expect(span).toBeGreaterThanOrEqual(290);
		expect(span).toBeLessThan(2000);
	});
});

test('after a stall of the event loop, no second holds more starts than the rate', async () => {
	const t = new Throttle({ ratePerSecond: 50, maxConcurrent: 100, maxRetries: 0 });
	const starts: number[] = [];
	const calls = Array.from({ length: 120 }, () =>
		t.run(
			async () => {
				starts.push(Date.now());
			},
			{ sender: 'stall-test-sender' },
		),
	);
	// block the event loop for 300 ms while the first sleepers wait for their slots
	await new Promise((r) => setTimeout(r, 50));
	const until = Date.now() + 300;
	while (Date.now() < until) {
		// busy wait: simulates a long synchronous task (GC, a big expression) in the same process
	}
	await Promise.all(calls);
	let peak = 0;
	for (let lo = 0, hi = 0; hi < starts.length; hi++) {
		while (starts[hi] - starts[lo] >= 1000) lo++;
		peak = Math.max(peak, hi - lo + 1);
	}
	expect(starts).toHaveLength(120);
	// Without the guard this measures 65. The +2 allows for the milliseconds between the gate
	// taking its time and the call reading the clock (largest for the first, cold call).
	expect(peak).toBeLessThanOrEqual(52);
});

describe('halt: no request leaves once the run is known to have failed', () => {
	test('calls waiting for their rate slot end as not sent, without calling', async () => {
		const t = new Throttle({ ratePerSecond: 20, maxConcurrent: 50, maxRetries: 0 });
		const called: number[] = [];
		const runs = Array.from({ length: 10 }, (_, i) =>
			t
				.run(
					async () => {
						called.push(i);
						if (i === 1) t.halt();
						return i;
					},
					{ sender: 'halt-test-sender' },
				)
				.catch((e: Error) => e.name),
		);
		const results = await Promise.all(runs);
		t.close();
		// item 1 halts the run while items 2..9 wait for their slots (one every 50 ms)
		expect(called).toEqual([0, 1]);
		expect(results).toEqual([0, 1, ...Array(8).fill('NotSentError')]);
		expect(t.stats.notSent).toBe(8);
	});

	test('a halt during the wait for the slot is seen at the moment the request would leave', async () => {
		const t = new Throttle({ ratePerSecond: 5, maxConcurrent: 5, maxRetries: 0 });
		const called: number[] = [];
		const first = t.run(async () => called.push(0), { sender: 'halt-moment-sender' });
		// the second waits 200 ms for its slot; the halt comes 100 ms into that wait
		const second = t
			.run(async () => called.push(1), { sender: 'halt-moment-sender' })
			.catch((e: Error) => e.name);
		await new Promise((r) => setTimeout(r, 100));
		t.halt();
		expect(await second).toBe('NotSentError');
		await first;
		t.close();
		expect(called).toEqual([0]);
	});

	test('a call waiting to retry ends as not sent and reports an earlier uncertain attempt', async () => {
		const t = new Throttle({
			ratePerSecond: Infinity,
			maxConcurrent: 5,
			maxRetries: 3,
			transientBaseMs: 200,
			random: () => 0.5,
		});
		const report = { attempts: 0, uncertain: 0 };
		const run = t
			.run(
				async () => {
					throw Object.assign(new Error('500'), { retry: 'transient', mayHaveArrived: true });
				},
				{ report },
			)
			.catch((e: Error) => e.name);
		await new Promise((r) => setTimeout(r, 30));
		t.halt();
		expect(await run).toBe('NotSentError');
		expect(report).toEqual({ attempts: 1, uncertain: 1 });
	});
});

describe('one gate per sender number', () => {
	test('two executions at 200/s and 190/s from one number share 200/s, not 390/s', async () => {
		const a = new Throttle({ ratePerSecond: 200, maxConcurrent: 100, maxRetries: 0 });
		const b = new Throttle({ ratePerSecond: 190, maxConcurrent: 100, maxRetries: 0 });
		const starts: number[] = [];
		const send = (t: Throttle) =>
			t.run(async () => void starts.push(Date.now()), { sender: 'shared-number' });
		await Promise.all([
			...Array.from({ length: 250 }, () => send(a)),
			...Array.from({ length: 250 }, () => send(b)),
		]);
		a.close();
		b.close();
		starts.sort((x, y) => x - y);
		let peak = 0;
		for (let lo = 0, hi = 0; hi < starts.length; hi++) {
			while (starts[hi] - starts[lo] >= 1000) lo++;
			peak = Math.max(peak, hi - lo + 1);
		}
		// before: one gate per pace, 390 starts in a second
		expect(peak).toBeLessThanOrEqual(200);
		expect(peak).toBeGreaterThan(150);
	});

	test('when the faster execution ends, the number runs at the pace of the one left', async () => {
		const fast = new Throttle({ ratePerSecond: 200, maxConcurrent: 10, maxRetries: 0 });
		const slow = new Throttle({ ratePerSecond: 20, maxConcurrent: 10, maxRetries: 0 });
		await fast.run(async () => 'x', { sender: 'pace-handover' });
		fast.close();
		const starts: number[] = [];
		await Promise.all(
			Array.from({ length: 6 }, () =>
				slow.run(async () => void starts.push(Date.now()), { sender: 'pace-handover' }),
			),
		);
		slow.close();
		// 6 starts at 20/s: 5 gaps of 50 ms
		expect(starts[5] - starts[0]).toBeGreaterThanOrEqual(240);
	});
});

describe('pair rate limit: a schedule per recipient with a budget per message', () => {
	test('6 messages to one person under a pair limit all go through, in input order', async () => {
		const t = new Throttle({
			ratePerSecond: Infinity,
			maxConcurrent: 10,
			maxRetries: 5,
			...fast,
			pairUnitMs: 30,
		});
		let lastAccepted = -Infinity;
		const accepted: number[] = [];
		// the recipient takes one message per 25 ms; anything sooner is 131056
		const sendTo = (n: number) =>
			t.run(
				async () => {
					if (Date.now() - lastAccepted < 25) throw failure('pair');
					lastAccepted = Date.now();
					accepted.push(n);
				},
				{ recipient: 'A', order: n },
			);
		await Promise.all(Array.from({ length: 6 }, (_, n) => sendTo(n)));
		expect(accepted).toEqual([0, 1, 2, 3, 4, 5]);
	});

	test('one message succeeding does not release the wait of those queued behind it', async () => {
		const t = new Throttle({
			ratePerSecond: Infinity,
			maxConcurrent: 10,
			maxRetries: 5,
			...fast,
			pairUnitMs: 80,
		});
		const start = Date.now();
		const at: Record<string, number[]> = { first: [], second: [] };
		let refusals = 2;
		const sendTo = (name: string, order: number) =>
			t.run(
				async () => {
					at[name].push(Date.now() - start);
					if (refusals-- > 0) throw failure('pair');
				},
				{ recipient: 'B', order },
			);
		await Promise.all([sendTo('first', 0), sendTo('second', 1)]);
		// Both were refused at once. first retries after 1 unit (80 ms); second waits behind it and
		// then for its own unit, instead of going out together with first when first succeeds
		// (which, before, was a second burst to the same person).
		expect(at.first).toHaveLength(2);
		expect(at.second).toHaveLength(2);
		expect(at.first[1]).toBeGreaterThanOrEqual(75);
		expect(at.second[1] - at.first[1]).toBeGreaterThanOrEqual(75);
	});
});
