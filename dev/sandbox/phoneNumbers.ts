/**
 * Phone numbers and their business profiles: `GET /{phone-number-id}` (the requested fields, and
 * where its webhooks go), `GET /{waba-id}/phone_numbers` (paged with cursors), and
 * `/{phone-number-id}/whatsapp_business_profile` (read, and update with Meta's checks; a picture
 * only as a Resumable Upload handle).
 */
import { apiFixture, graphError, pick, type Req, type Res, type SandboxPhoneNumber } from './graph';
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
