import { hintForCode, retryKind } from '../../nodes/shared/errors';

describe('Graph error hints and retry classes', () => {
	// the codes of Meta's error-codes page that sends and account calls commonly get: each needs a hint
	const required = [
		0, 3, 4, 10, 100, 190, 200, 250, 299, 368, 80007, 130429, 131000, 131005, 131008, 131009,
		131026, 131031, 131042, 131047, 131048, 131049, 131051, 131052, 131053, 131056, 132000, 132001,
		132005, 132007, 132012, 132015, 132016, 132068, 132069, 133010, 135000,
		// registration and two-step PIN
		133000, 133004, 133005, 133006, 133008, 133009, 133015, 133016,
	];

	test.each(required)('code %i has a plain-language hint', (code) => {
		const hint = hintForCode(code);
		expect(hint).toBeDefined();
		expect(hint!.length).toBeGreaterThan(20);
	});

	test('a known subcode says more than its generic code, an unknown one leaves the code its say', () => {
		expect(hintForCode(100, 2388040)).toBe('A template field is longer than Meta allows.');
		expect(hintForCode(100, 2388047)).toBe('The template header or body format is not valid.');
		expect(hintForCode(100, 2494055)).toBe(hintForCode(100));
		expect(hintForCode(100, 2494055)).toBeDefined();
		// 33 under 100 is "no such object", not code 33's deleted phone number
		expect(hintForCode(100, 33)).toBe(hintForCode(100));
	});

	test('registration hints say what to do with the Phone Number operations', () => {
		expect(hintForCode(133010)).toMatch(/Phone Number > Register/);
		expect(hintForCode(133006)).toMatch(/Phone Number > Request Code.*Phone Number > Verify Code/);
		expect(hintForCode(133000)).toMatch(/Phone Number > Deregister/);
		expect(hintForCode(131045)).toMatch(/Phone Number > Register/);
		expect(hintForCode(133016)).toMatch(/10 in a moving 72 hours.*Wait 72 hours/);
		// a retry inside the 72 hours only meets the block again, and a wrong PIN stays wrong
		for (const code of [133016, 133005, 133008, 133009]) expect(retryKind(code, 400)).toBe('none');
	});

	test("Meta's analytics refusals: product type 103 combined, cost on a partner credit line, template analytics off", () => {
		expect(hintForCode(100, 2388077)).toMatch(/product type 103\) cannot be combined/);
		// worded refusals under the generic 100: Meta's message tells them apart
		expect(hintForCode(100, undefined, '(#100) Cost not available')).toMatch(
			/Solution Partner's credit line/,
		);
		expect(
			hintForCode(
				100,
				undefined,
				'Template analytics are not enabled for this WhatsApp Business Account',
			),
		).toMatch(/is_enabled_for_insights=true/);
		// another 100 keeps the generic hint
		expect(hintForCode(100, undefined, '(#100) Invalid parameter')).toBe(hintForCode(100));
	});

	test('unknown codes have no hint rather than a wrong one', () => {
		expect(hintForCode(999999)).toBeUndefined();
		expect(hintForCode(undefined)).toBeUndefined();
	});

	test('what is retried, and how', () => {
		for (const code of [130429, 4, 80007, 613]) expect(retryKind(code, 400)).toBe('throttle');
		expect(retryKind(131056, 400)).toBe('pair');
		for (const code of [131000, 1, 2, 131016, 133004])
			expect(retryKind(code, 500)).toBe('transient');
		expect(retryKind(undefined, 502)).toBe('transient');
		expect(retryKind(undefined, 429)).toBe('throttle');
		// validation, auth, policy and window errors are never retried, whatever the HTTP status
		for (const code of [100, 190, 10, 131047, 131026, 132000, 368])
			expect(retryKind(code, 400)).toBe('none');
		expect(retryKind(100, 500)).toBe('none');
	});
});
