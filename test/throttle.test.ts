/* eslint-disable @n8n/community-nodes/no-restricted-globals */
import { Throttle } from '../nodes/shared/throttle';

const failure = (retry: string) => Object.assign(new Error(retry), { retry }) as Error & { retry: string; attempts?: number };

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
		const t = new Throttle({ ratePerSecond: Infinity, maxConcurrent: 1, maxRetries: 3, throttleBaseMs: 40, random: () => 0.999 });
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
			t.run(async () => {
				seen.push([recipient, Date.now() - start]);
				if (recipient === 'A' && aFailures-- > 0) throw failure('pair');
				return recipient;
			}, { recipient });
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
		const t = new Throttle({ ratePerSecond: Infinity, maxConcurrent: 4, maxRetries: 5, ...fast, pairUnitMs: 60 });
		const start = Date.now();
		const attempts: Array<[string, number]> = [];
		let failFirst = true;
		const first = t.run(async () => {
			attempts.push(['first', Date.now() - start]);
			if (failFirst) {
				failFirst = false;
				throw failure('pair');
			}
		}, { recipient: 'A' });
		// queued behind the first one's failure: must not go before the 60 ms backoff ends
		await new Promise((r) => setTimeout(r, 10));
		const second = t.run(async () => {
			attempts.push(['second', Date.now() - start]);
		}, { recipient: 'A' });
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
			t.run(async () => {
				starts.push(Date.now());
				inFlight++;
				peak = Math.max(peak, inFlight);
				await new Promise((r) => setImmediate(r));
				inFlight--;
			}, { sender: 'rate-test-sender' }),
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
		t.run(async () => {
			starts.push(Date.now());
		}, { sender: 'stall-test-sender' }),
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
