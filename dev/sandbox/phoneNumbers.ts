/**
 * Phone numbers and their business profiles: `GET /{phone-number-id}` (the requested fields, and
 * where its webhooks go), `GET /{waba-id}/phone_numbers` (paged with cursors), and
 * `/{phone-number-id}/whatsapp_business_profile` (read, and update with Meta's checks; a picture
 * only as a Resumable Upload handle); and registration (register, deregister, the two-step PIN, and
 * the verification code that a number must pass before it registers).
 */
import {
	apiFixture,
	graphError,
	pick,
	refusedBySchema,
	type Req,
	type Res,
	type SandboxPhoneNumber,
} from './graph';
import type { GraphSandbox } from './server';

/** Meta's example business profile (test/fixtures/api/business_profile_get__meta_docs.json). */
export const exampleProfile = () =>
	apiFixture<{ data: Array<Record<string, unknown>> }>('business_profile_get__meta_docs.json')
		.data[0];

export class PhoneNumbers {
	constructor(private readonly sandbox: GraphSandbox) {}

	/** `GET /{phone-number-id}`. */
	get(phone: SandboxPhoneNumber, req: Req): Res {
		const fields = (
			req.query.get('fields') ?? 'id,display_phone_number,verified_name,quality_rating'
		).split(',');
		const body: Record<string, unknown> = { id: phone.id };
		for (const field of fields)
			if (field in phone && field !== 'wabaId') body[field] = phone[field];
		// a number taken off the Cloud API (deregistered, or never registered) reads as not on any platform
		const registration = this.sandbox.registrations.get(phone.id);
		if (fields.includes('platform_type') && registration && !registration.registered)
			body.platform_type = 'NOT_APPLICABLE';
		if (fields.includes('webhook_configuration')) {
			// where this number's events go, as Meta reports it
			const hooks = this.sandbox.webhooks;
			const waba = hooks.subscribedWabas.has(phone.wabaId)
				? hooks.wabaOverrides.get(phone.wabaId)
				: undefined;
			body.webhook_configuration = {
				...(hooks.phoneOverrides.get(phone.id)
					? { phone_number: hooks.phoneOverrides.get(phone.id)!.url }
					: {}),
				...(waba ? { whatsapp_business_account: waba.url } : {}),
				...(hooks.app ? { application: hooks.app.url } : {}),
			};
		}
		return { status: 200, body };
	}

	/** `GET /{waba-id}/phone_numbers`. */
	list(wabaId: string, req: Req): Res {
		const all = this.sandbox.options.phoneNumbers.filter((p) => p.wabaId === wabaId);
		const limit = Math.max(1, Number(req.query.get('limit') ?? 25));
		const start = req.query.get('after')
			? Number(Buffer.from(String(req.query.get('after')), 'base64').toString())
			: 0;
		const page = all.slice(start, start + limit);
		const fields = (
			req.query.get('fields') ?? 'id,display_phone_number,verified_name,quality_rating'
		).split(',');
		const data = page.map((p) =>
			Object.fromEntries(fields.filter((f) => f in p).map((f) => [f, p[f]])),
		);
		const after = Buffer.from(String(start + page.length)).toString('base64');
		const more = start + page.length < all.length;
		return {
			status: 200,
			body: {
				data,
				paging: {
					cursors: { before: Buffer.from(String(start)).toString('base64'), after },
					...(more
						? {
								next: `${this.sandbox.url}/v25.0/${wabaId}/phone_numbers?after=${after}&limit=${limit}`,
							}
						: {}),
				},
			},
		};
	}

	/**
	 * `GET /debug_token?input_token=...`: what Meta says about a token. The sandbox's tokens may
	 * manage every account of the sandbox, listed as the targets of whatsapp_business_management.
	 */
	debugToken(req: Req): Res {
		const token = req.query.get('input_token') ?? '';
		if (!this.sandbox.options.tokens.includes(token))
			return graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token');
		const wabaIds = [...new Set(this.sandbox.options.phoneNumbers.map((p) => p.wabaId))];
		return {
			status: 200,
			body: {
				data: {
					app_id: this.sandbox.options.appId,
					type: 'SYSTEM_USER',
					application: 'Sandbox app',
					is_valid: true,
					scopes: ['whatsapp_business_management', 'whatsapp_business_messaging'],
					granular_scopes: [
						{ scope: 'whatsapp_business_management', target_ids: wabaIds },
						{ scope: 'whatsapp_business_messaging', target_ids: wabaIds },
					],
					user_id: '1000000000001',
				},
			},
		};
	}

	/**
	 * `GET /?ids=a,b&fields=id,name`: several accounts or numbers in one call, keyed by ID. Like
	 * Meta, one unknown ID fails the whole lookup.
	 */
	lookup(req: Req): Res {
		const ids = (req.query.get('ids') ?? '').split(',').filter(Boolean);
		const fields = (req.query.get('fields') ?? 'id').split(',');
		const numbers = this.sandbox.options.phoneNumbers;
		const missing = ids.filter((id) => !numbers.some((p) => p.id === id || p.wabaId === id));
		if (!ids.length || missing.length)
			return graphError(
				404,
				803,
				`(#803) Some of the aliases you requested do not exist: ${missing.join(',') || '(none given)'}`,
			);
		const body: Record<string, Record<string, unknown>> = {};
		for (const id of ids) {
			const phone = numbers.find((p) => p.id === id);
			// an account is named after its first number's business in the sandbox
			const object: Record<string, unknown> = phone
				? { ...phone }
				: { id, name: `${numbers.find((p) => p.wabaId === id)!.verified_name} account` };
			body[id] = Object.fromEntries(
				fields.filter((f) => f in object && f !== 'wabaId').map((f) => [f, object[f]]),
			);
		}
		return { status: 200, body };
	}

	/** `/{phone-number-id}/whatsapp_business_profile`: GET reads the profile, POST updates it. */
	businessProfile(phone: SandboxPhoneNumber, req: Req): Res {
		const profiles = this.sandbox.profiles;
		const profile = profiles.get(phone.id) ?? { messaging_product: 'whatsapp' };
		if (req.method === 'GET') {
			const fields = (req.query.get('fields') ?? 'about').split(',');
			return {
				status: 200,
				body: { data: [{ ...pick(profile, fields), messaging_product: 'whatsapp' }] },
			};
		}
		const b = req.json ?? {};
		if (b.messaging_product !== 'whatsapp')
			return graphError(400, 100, 'The parameter messaging_product is required.');
		if (typeof b.about === 'string' && ([...b.about].length < 1 || [...b.about].length > 139))
			return graphError(400, 100, 'Invalid parameter', {
				error_user_msg: 'about must be 1 to 139 characters',
			});
		const handle = b.profile_picture_handle as string | undefined;
		if (handle && ![...this.sandbox.uploadSessions.values()].some((u) => u.handle === handle))
			return graphError(400, 100, 'Invalid parameter', {
				error_user_msg: 'profile_picture_handle is not a valid upload handle',
			});
		const fields = Object.fromEntries(
			Object.entries(b).filter(
				([k]) => k !== 'messaging_product' && k !== 'profile_picture_handle',
			),
		);
		profiles.set(phone.id, {
			...profile,
			...fields,
			...(handle
				? { profile_picture_url: `https://pps.sandbox.invalid/${encodeURIComponent(handle)}` }
				: {}),
		});
		return { status: 200, body: { success: true } };
	}
}

/** Where a number stands with the Cloud API, as the registration endpoints change it. */
export type Registration = {
	registered: boolean;
	/** The two-step verification PIN, once Register or Set Two-Step PIN gave one. */
	pin?: string;
	/** When each register and deregister call was taken (ms), for Meta's moving 72-hour window. */
	calls: number[];
	/** Whether the number's ownership is verified (by verify_code, or as its options say). */
	verified: boolean;
	/** The code last sent by request_code, for a test to read as the customer would. */
	code?: string;
	/** The region given at the last registration. */
	region?: string;
};

/** Meta's 10 register/deregister calls per number in a moving 72 hours. */
export const REGISTRATION_CALLS = 10;
export const REGISTRATION_WINDOW_MS = 72 * 3600_000;

/** The regions Meta offers for a registered number's local storage. */
const REGIONS = [
	'AE',
	'AU',
	'BH',
	'BR',
	'CA',
	'CH',
	'DE',
	'GB',
	'ID',
	'IN',
	'JP',
	'KR',
	'SG',
	'ZA',
];

/** The fields the register body may have; anything else Meta refuses as an unknown parameter. */
const REGISTER_FIELDS = [
	'messaging_product',
	'pin',
	'backup',
	'tier',
	'data_localization_region',
	'meta_store_retention_minutes',
];

const SIX_DIGITS = /^[0-9]{6}$/;

const invalid = (message: string) =>
	graphError(400, 100, 'Invalid parameter', { error_user_msg: message });

/**
 * `/{phone-number-id}/register`, `/deregister`, `/request_code`, `/verify_code` and the two-step
 * PIN (`POST /{phone-number-id}` with `pin`), with Meta's request shapes and errors: the PIN is
 * checked against the number's, a number that must verify again cannot register, and register and
 * deregister calls beyond 10 in 72 hours are refused with 133016.
 */
export class Registrations {
	constructor(private readonly sandbox: GraphSandbox) {}

	/** A number's state; a Cloud API number of the sandbox starts registered, without a PIN. */
	of(phone: SandboxPhoneNumber): Registration {
		const all = this.sandbox.registrations;
		let state = all.get(phone.id);
		if (!state) {
			const status = phone.code_verification_status;
			state = {
				registered: phone.platform_type === 'CLOUD_API',
				verified: status !== 'NOT_VERIFIED' && status !== 'EXPIRED',
				calls: [],
			};
			all.set(phone.id, state);
		}
		return state;
	}

	/** Counts a register or deregister call, or refuses it when the window is full. */
	private counted(state: Registration): Res | undefined {
		const now = Date.now();
		state.calls = state.calls.filter((at) => now - at < REGISTRATION_WINDOW_MS);
		if (state.calls.length >= REGISTRATION_CALLS)
			return graphError(400, 133016, 'Account register deregister rate limit exceeded', {
				error_data: {
					messaging_product: 'whatsapp',
					details:
						'Registration or deregistration of this number is blocked for 72 hours: more than 10 calls in 72 hours.',
				},
			});
		state.calls.push(now);
		return undefined;
	}

	/** `POST /{phone-number-id}/register`. */
	register(phone: SandboxPhoneNumber, req: Req): Res {
		const b = req.json;
		if (!b) return invalid('The request needs a JSON body with messaging_product and pin.');
		const unknown = Object.keys(b).filter((k) => !REGISTER_FIELDS.includes(k));
		if (unknown.length) return invalid(`Unknown parameter: ${unknown.join(', ')}`);
		if (b.messaging_product !== 'whatsapp')
			return graphError(400, 100, 'The parameter messaging_product is required.');
		if (typeof b.pin !== 'string' || !SIX_DIGITS.test(b.pin))
			return invalid('pin must be a string of 6 digits.');
		if (
			b.data_localization_region !== undefined &&
			!REGIONS.includes(b.data_localization_region as string)
		)
			return invalid(`data_localization_region must be one of ${REGIONS.join(', ')}.`);
		const schema = refusedBySchema('POST /{Version}/{Phone-Number-ID}/register', b);
		if (schema) return schema;
		const state = this.of(phone);
		if (!state.verified) return graphError(400, 133006, 'Phone number re-verification needed');
		if (state.pin !== undefined && state.pin !== b.pin)
			return graphError(400, 133005, 'Two step verification PIN Mismatch');
		const refused = this.counted(state);
		if (refused) return refused;
		state.registered = true;
		state.pin = b.pin;
		state.region = b.data_localization_region as string | undefined;
		return { status: 200, body: { success: true } };
	}

	/** `POST /{phone-number-id}/deregister`, without a body. */
	deregister(phone: SandboxPhoneNumber): Res {
		const state = this.of(phone);
		if (!state.registered) return graphError(400, 133010, 'Phone number Not Registered');
		const refused = this.counted(state);
		if (refused) return refused;
		state.registered = false;
		return { status: 200, body: { success: true } };
	}

	/** `POST /{phone-number-id}` with `{ pin }`: sets the two-step PIN of a registered number. */
	setPin(phone: SandboxPhoneNumber, req: Req): Res {
		const pin = req.json?.pin;
		if (typeof pin !== 'string' || !SIX_DIGITS.test(pin))
			return invalid('pin must be a string of 6 digits.');
		const schema = refusedBySchema('POST /{Version}/{Phone-Number-ID}', req.json);
		if (schema) return schema;
		const state = this.of(phone);
		if (!state.registered) return graphError(400, 133010, 'The account is not registered');
		state.pin = pin;
		return { status: 200, body: { success: true } };
	}

	/** `POST /{phone-number-id}/request_code` with `{ code_method, language }`. */
	requestCode(phone: SandboxPhoneNumber, req: Req): Res {
		const b = req.json ?? {};
		if (b.code_method !== 'SMS' && b.code_method !== 'VOICE')
			return invalid('code_method must be SMS or VOICE.');
		if (typeof b.language !== 'string' || !/^[a-z]{2}_[A-Z]{2}$/.test(b.language))
			return invalid('language must be a locale such as en_US.');
		const schema = refusedBySchema('POST /{Version}/{Phone-Number-ID}/request_code', b);
		if (schema) return schema;
		this.of(phone).code = String(100000 + Math.floor(Math.random() * 900000));
		return { status: 200, body: { success: true } };
	}

	/** `POST /{phone-number-id}/verify_code` with `{ code }`. */
	verifyCode(phone: SandboxPhoneNumber, req: Req): Res {
		const code = req.json?.code;
		if (typeof code !== 'string' || !SIX_DIGITS.test(code))
			return invalid('code must be a string of 6 digits.');
		const schema = refusedBySchema('POST /{Version}/{Phone-Number-ID}/verify_code', req.json);
		if (schema) return schema;
		const state = this.of(phone);
		if (!state.code || state.code !== code)
			return invalid('The verification code is wrong or expired. Request a new code.');
		state.code = undefined;
		state.verified = true;
		return { status: 200, body: { success: true } };
	}
}
