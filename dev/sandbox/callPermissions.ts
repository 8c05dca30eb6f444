/**
 * Call permissions of a phone number's customers, as our reference for the Calling API has Meta's
 * (`GET /{phone-number-id}/call_permissions?user_wa_id=` or `?recipient=`): a status of
 * no_permission, temporary (with its expiration time) or permanent, and the two actions with
 * their limits. Call permission requests are counted per number and customer: 1 in 24 hours and
 * 2 in 7 days, the next one refused with 138009, as Meta does.
 */
import { graphError, type Req, type Res, type SandboxPhoneNumber } from './graph';

export type SandboxCallPermission = {
	status: string;
	/** Unix seconds; a temporary permission has one. */
	expiration_time?: number;
};

const DAY = 24 * 3600 * 1000;
const BSUID = /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/;

export class CallPermissions {
	/** By `<phone number ID>:<customer>` (digits of the phone, or the BSUID). */
	readonly permissions = new Map<string, SandboxCallPermission>();

	/** When each permission request went out, by the same key. */
	private readonly requests = new Map<string, number[]>();

	reset(): void {
		this.permissions.clear();
		this.requests.clear();
	}

	/** Sets a customer's permission without a request, for tests that read it. */
	set(phoneNumberId: string, customer: string, permission: SandboxCallPermission): void {
		this.permissions.set(`${phoneNumberId}:${customer}`, permission);
	}

	/** The requests sent in the last 24 hours and 7 days to this customer. */
	private usage(key: string, now: number) {
		const sent = (this.requests.get(key) ?? []).filter((at) => now - at < 7 * DAY);
		this.requests.set(key, sent);
		const today = sent.filter((at) => now - at < DAY);
		return {
			day: today.length,
			week: sent.length,
			// when each limit, once reached, lets a request through again (Unix seconds)
			dayFree: today.length ? Math.floor((today[0] + DAY) / 1000) : 0,
			weekFree: sent.length ? Math.floor((sent[0] + 7 * DAY) / 1000) : 0,
		};
	}

	/** A permission request to `customer`: refused with 138009 over the limits, else counted. */
	request(phoneNumberId: string, customer: string, now = Date.now()): Res | undefined {
		const key = `${phoneNumberId}:${customer}`;
		const { day, week } = this.usage(key, now);
		if (day >= 1 || week >= 2)
			return graphError(400, 138009, 'Call permission request limit reached', {
				error_data: {
					messaging_product: 'whatsapp',
					details:
						'A business can send 1 call permission request in 24 hours and 2 in 7 days to one WhatsApp user.',
				},
			});
		this.requests.get(key)!.push(now);
		return undefined;
	}

	get(phone: SandboxPhoneNumber, req: Req): Res {
		if (req.method !== 'GET') return graphError(400, 100, 'Unsupported method');
		const waId = req.query.get('user_wa_id');
		const recipient = req.query.get('recipient');
		if ((waId === null) === (recipient === null))
			return graphError(400, 100, 'Invalid parameter', {
				error_data: {
					messaging_product: 'whatsapp',
					details: 'Give exactly one of user_wa_id or recipient',
				},
			});
		if (waId !== null && !/^\d{7,15}$/.test(waId))
			return graphError(400, 100, 'Invalid parameter', {
				error_data: {
					messaging_product: 'whatsapp',
					details: 'user_wa_id must be a phone number in digits',
				},
			});
		if (recipient !== null && !BSUID.test(recipient))
			return graphError(400, 100, 'Invalid parameter', {
				error_data: {
					messaging_product: 'whatsapp',
					details: 'recipient must be a business-scoped user ID',
				},
			});
		const customer = (waId ?? recipient)!;
		const key = `${phone.id}:${customer}`;
		const permission = this.permissions.get(key) ?? { status: 'no_permission' };
		const { day, week, dayFree, weekFree } = this.usage(key, Date.now());
		const callable = permission.status === 'temporary' || permission.status === 'permanent';
		return {
			status: 200,
			body: {
				messaging_product: 'whatsapp',
				permission,
				actions: [
					{
						action_name: 'send_call_permission_request',
						can_perform_action: day < 1 && week < 2,
						limits: [
							{
								time_period: 'PT24H',
								max_allowed: 1,
								current_usage: day,
								...(day >= 1 ? { limit_expiration_time: dayFree } : {}),
							},
							{
								time_period: 'P7D',
								max_allowed: 2,
								current_usage: week,
								...(week >= 2 ? { limit_expiration_time: weekFree } : {}),
							},
						],
					},
					{
						action_name: 'start_call',
						can_perform_action: callable,
						limits: [{ time_period: 'PT24H', max_allowed: 100, current_usage: 0 }],
					},
				],
			},
		};
	}
}
