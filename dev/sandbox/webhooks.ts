/**
 * Webhooks, as Meta keeps and sends them. Registration: the app's callback
 * (`/{app-id}/subscriptions`, with an app access token), a WABA's subscription and callback
 * override (`/{waba-id}/subscribed_apps`) and a phone number's override (`POST /{phone-number-id}`
 * with `webhook_configuration`), each callback verified with Meta's hub.challenge GET first.
 * Delivery: to the callback the registrations resolve to, escaped-unicode JSON signed with the app
 * secret; status webhooks for accepted messages, and a customer's message.
 */
import { createHmac } from 'crypto';

import {
	graphError,
	metaJson,
	SANDBOX_PHONE_NUMBER_ID,
	SANDBOX_WABA_ID,
	type Delivery,
	type Req,
	type Res,
	type SandboxPhoneNumber,
} from './graph';
import type { Messages } from './messages';
import type { GraphSandbox } from './server';

/**
 * The webhook fields Meta lets a callback override (a phone number's, then its WABA's) redirect:
 * messages and their echoes, calls, groups, history and a few more. Meta sends every other field
 * to the app-wide callback only, whatever overrides exist: template, account, phone number
 * quality and name, business capability and user preference updates, and any field it adds.
 *
 * This is the sandbox's own statement of what Meta does, kept apart from the trigger's events
 * table on purpose: if the sandbox routed by the table, a wrong row there would be agreed with
 * instead of caught. events.test.ts checks that the table and this list agree.
 */
export const META_OVERRIDE_FIELDS: ReadonlySet<string> = new Set([
	'messages',
	'message_echoes',
	'calls',
	'consumer_profile',
	'messaging_handovers',
	'group_lifecycle_update',
	'group_participants_update',
	'group_settings_update',
	'group_status_update',
	'smb_message_echoes',
	'smb_app_state_sync',
	'history',
	'account_settings_update',
]);

export class Webhooks {
	constructor(
		private readonly sandbox: GraphSandbox,
		private readonly messages: Messages,
	) {}

	/** `/{waba-id}/subscribed_apps`: GET, DELETE, and POST with an optional callback override. */
	async subscribedApps(wabaId: string, req: Req): Promise<Res> {
		const hooks = this.sandbox.webhooks;
		if (req.method === 'GET') {
			if (!hooks.subscribedWabas.has(wabaId)) return { status: 200, body: { data: [] } };
			const override = hooks.wabaOverrides.get(wabaId);
			return {
				status: 200,
				body: {
					data: [
						{
							whatsapp_business_api_data: {
								id: this.sandbox.options.appId,
								name: 'Sandbox app',
								link: 'https://sandbox.invalid/',
							},
							...(override ? { override_callback_uri: override.url } : {}),
						},
					],
				},
			};
		}
		if (req.method === 'DELETE') {
			hooks.subscribedWabas.delete(wabaId);
			hooks.wabaOverrides.delete(wabaId);
			return { status: 200, body: { success: true } };
		}
		const body = req.json ?? {};
		const uri = body.override_callback_uri as string | undefined;
		if (uri !== undefined || body.verify_token !== undefined) {
			if (!uri || !body.verify_token)
				return graphError(400, 100, 'override_callback_uri and verify_token are both required');
			if (uri.length > 200)
				return graphError(400, 100, 'override_callback_uri is longer than 200 characters');
			const failure = await this.verifyCallback(uri, String(body.verify_token));
			if (failure) return failure;
			hooks.wabaOverrides.set(wabaId, { url: uri, verifyToken: String(body.verify_token) });
		} else {
			hooks.wabaOverrides.delete(wabaId);
		}
		hooks.subscribedWabas.add(wabaId);
		return { status: 200, body: { success: true } };
	}

	/** `POST /{phone-number-id}` with `webhook_configuration`: sets or clears the number's override. */
	async setPhoneOverride(phone: SandboxPhoneNumber, config: Record<string, string>): Promise<Res> {
		const hooks = this.sandbox.webhooks;
		const uri = config.override_callback_uri ?? '';
		if (!uri) {
			hooks.phoneOverrides.delete(phone.id);
			return { status: 200, body: { success: true } };
		}
		if (!config.verify_token)
			return graphError(400, 100, 'verify_token is required with override_callback_uri');
		const failure = await this.verifyCallback(uri, config.verify_token);
		if (failure) return failure;
		hooks.phoneOverrides.set(phone.id, { url: uri, verifyToken: config.verify_token });
		return { status: 200, body: { success: true } };
	}

	/** `/{app-id}/subscriptions`, with the app access token `{app-id}|{app-secret}`. */
	async appSubscriptions(req: Req): Promise<Res> {
		const { options, webhooks: hooks } = this.sandbox;
		if (req.token !== `${options.appId}|${options.appSecret}`) {
			return graphError(400, 190, 'This method must be called with an app access_token.');
		}
		if (req.method === 'GET') {
			const app = hooks.app;
			return {
				status: 200,
				body: {
					data: app
						? [
								{
									object: 'whatsapp_business_account',
									callback_url: app.url,
									active: true,
									fields: app.fields.map((name) => ({ name, version: 'v25.0' })),
								},
							]
						: [],
				},
			};
		}
		if (req.method === 'DELETE') {
			hooks.app = undefined;
			return { status: 200, body: { success: true } };
		}
		const body: Record<string, unknown> =
			req.json ?? Object.fromEntries(new URLSearchParams(req.raw.toString()));
		if (body.object !== 'whatsapp_business_account')
			return graphError(400, 100, 'object must be whatsapp_business_account');
		const url = String(body.callback_url ?? '');
		const failure = await this.verifyCallback(url, String(body.verify_token ?? ''));
		if (failure) return failure;
		const fields = Array.isArray(body.fields)
			? (body.fields as string[])
			: String(body.fields ?? 'messages').split(',');
		hooks.app = { url, verifyToken: String(body.verify_token), fields };
		return { status: 200, body: { success: true } };
	}

	/** Meta's check of a callback URL: GET with hub.challenge, which must come back as the body. */
	private async verifyCallback(url: string, verifyToken: string): Promise<Res | undefined> {
		const challenge = String(Math.floor(Math.random() * 1e9));
		const target = new URL(url);
		target.searchParams.set('hub.mode', 'subscribe');
		target.searchParams.set('hub.challenge', challenge);
		target.searchParams.set('hub.verify_token', verifyToken);
		let status = 0;
		let body = '';
		try {
			const response = await fetch(target);
			status = response.status;
			body = await response.text();
		} catch (error) {
			body = (error as Error).message;
		}
		if (status === 200 && body === challenge) return undefined;
		return graphError(
			400,
			2200,
			`Callback verification failed with the following errors: HTTP Status Code = ${status}; HTTP Message = ${body.slice(0, 80)}`,
		);
	}

	/**
	 * Where Meta would send this change: phone override, then WABA override, then the app callback;
	 * only the fields of `META_OVERRIDE_FIELDS` can be redirected, any other stays with the app.
	 */
	destinationFor(wabaId: string, field: string, phoneNumberId?: string): string | undefined {
		const hooks = this.sandbox.webhooks;
		if (META_OVERRIDE_FIELDS.has(field)) {
			const phone = phoneNumberId ? hooks.phoneOverrides.get(phoneNumberId) : undefined;
			if (phone) return phone.url;
			const waba = hooks.subscribedWabas.has(wabaId) ? hooks.wabaOverrides.get(wabaId) : undefined;
			if (waba) return waba.url;
		}
		return hooks.app && hooks.app.fields.includes(field) ? hooks.app.url : undefined;
	}

	/**
	 * Sends a webhook payload the way Meta does: escaped-unicode JSON, signed with the app secret,
	 * to the callback the registrations resolve to (or to `to`). Returns what the callback answered.
	 */
	async deliver(
		payload: {
			entry: Array<{
				id: string;
				changes: Array<{ field: string; value: Record<string, unknown> }>;
			}>;
		},
		options: { to?: string; secret?: string; signature?: string } = {},
	): Promise<Delivery> {
		const first = payload.entry[0];
		const change = first?.changes[0];
		const phoneId = (change?.value?.metadata as { phone_number_id?: string } | undefined)
			?.phone_number_id;
		const url =
			options.to ?? this.destinationFor(first?.id ?? '', change?.field ?? 'messages', phoneId);
		if (!url) throw new Error(`no callback registered for ${change?.field} of ${first?.id}`);
		const body = metaJson(payload);
		const signature =
			options.signature ??
			`sha256=${createHmac('sha256', options.secret ?? this.sandbox.options.appSecret)
				.update(body)
				.digest('hex')}`;
		const started = Date.now();
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
			body,
		});
		const delivery = {
			url,
			status: response.status,
			body: await response.text(),
			ms: Date.now() - started,
		};
		this.sandbox.deliveries.push(delivery);
		return delivery;
	}

	/**
	 * The customers the sandbox played with a business-scoped user ID (BSUID), by phone and by
	 * BSUID: a status for a message to them names them as Meta would, and a username-only
	 * customer's phone stays hidden.
	 */
	private readonly users = new Map<string, SandboxUser>();

	/**
	 * Meta's status webhook for a message the sandbox accepted (sent, delivered, read, failed).
	 * A message sent `to` a phone names it in `recipient_id`; one sent to a BSUID (`recipient`)
	 * names it in `recipient_user_id` and has no `recipient_id` unless the customer's phone is
	 * known and not hidden. A delivered or read status carries the customer in `contacts[]`, with
	 * their username, as Meta does since BSUIDs; a failed one carries no contacts.
	 */
	async deliverStatus(
		messageId: string,
		status: 'sent' | 'delivered' | 'read' | 'failed',
		to?: string,
	): Promise<Delivery> {
		const message = this.sandbox.accepted.find((m) => m.id === messageId);
		if (!message) throw new Error(`no accepted message ${messageId}`);
		const phone = this.sandbox.options.phoneNumbers.find((p) => p.id === message.phoneNumberId)!;
		if (message.body.recipient_type === 'group')
			return await this.deliverGroupStatus(phone, messageId, message.body, status, to);
		const body = message.body as {
			to?: string;
			recipient?: string;
			biz_opaque_callback_data?: string;
			type?: string;
			interactive?: { type?: string };
		};
		const category = body.type === 'template' ? 'utility' : 'service';
		// `to` wins over `recipient`, as with Meta
		const toBsuid = !body.to || BSUID.test(body.to);
		const address = toBsuid ? (body.to ?? body.recipient ?? '') : body.to!.replace(/\D/g, '');
		const user = this.users.get(address);
		const recipientPhone = toBsuid ? (user?.hidePhone ? undefined : user?.phone) : address;
		const recipientUserId = toBsuid ? address : user?.userId;
		// a voice call button to a WhatsApp too old to show it fails with 131026, as Meta's does
		const oldClient =
			status === 'failed' &&
			body.interactive?.type === 'voice_call' &&
			this.sandbox.oldClients.has(address);
		const contact =
			status === 'delivered' || status === 'read'
				? {
						...(user?.username ? { profile: { username: user.username } } : {}),
						...(recipientPhone ? { wa_id: recipientPhone } : {}),
						...(recipientUserId ? { user_id: recipientUserId } : {}),
					}
				: undefined;
		return await this.deliver(
			messagesEnvelope(phone, {
				...(contact && user ? { contacts: [contact] } : {}),
				statuses: [
					{
						id: messageId,
						status,
						timestamp: String(Math.floor(Date.now() / 1000)),
						...(recipientPhone ? { recipient_id: recipientPhone } : {}),
						// Meta leaves the BSUID out only on a failed status for a message sent to a phone
						...(recipientUserId && (toBsuid || status !== 'failed')
							? { recipient_user_id: recipientUserId }
							: {}),
						...(body.biz_opaque_callback_data
							? { biz_opaque_callback_data: body.biz_opaque_callback_data }
							: {}),
						...(status === 'sent' || status === 'delivered'
							? { pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category } }
							: {}),
						...(oldClient
							? {
									errors: [
										{
											code: 131026,
											title: 'Message undeliverable',
											message: 'Message undeliverable',
											error_data: {
												details: "The recipient's WhatsApp version does not support this message.",
											},
										},
									],
								}
							: {}),
					},
				],
			}),
			{ to },
		);
	}

	/**
	 * The status webhook of a message sent to a group, as Meta sends it: `recipient_id` the group
	 * and `recipient_type: group`; a `sent` or `failed` status once for the message; `delivered`
	 * and `read` aggregated, one webhook with one status per participant (`recipient_participant_id`
	 * their phone, `recipient_participant_user_id` their BSUID) and their contacts. Pricing is the
	 * group categories, on sent and delivered.
	 */
	private async deliverGroupStatus(
		phone: SandboxPhoneNumber,
		messageId: string,
		body: Record<string, unknown>,
		status: 'sent' | 'delivered' | 'read' | 'failed',
		to?: string,
	): Promise<Delivery> {
		const groupId = String(body.to);
		const category = body.type === 'template' ? 'group_utility' : 'group_service';
		const base = {
			id: messageId,
			status,
			timestamp: String(Math.floor(Date.now() / 1000)),
			recipient_id: groupId,
			recipient_type: 'group',
			...(typeof body.biz_opaque_callback_data === 'string'
				? { biz_opaque_callback_data: body.biz_opaque_callback_data }
				: {}),
			...(status === 'sent' || status === 'delivered'
				? { pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category } }
				: {}),
		};
		const participants =
			status === 'delivered' || status === 'read'
				? (this.sandbox.groups.get(groupId)?.participants ?? [])
				: [];
		return await this.deliver(
			messagesEnvelope(
				phone,
				participants.length
					? {
							contacts: participants.map((p) => ({ wa_id: p.wa_id, user_id: p.user_id })),
							statuses: participants.map((p) => ({
								...base,
								recipient_participant_id: p.wa_id,
								recipient_participant_user_id: p.user_id,
							})),
						}
					: { statuses: [base] },
			),
			{ to },
		);
	}

	/**
	 * A participant's text message in a group, delivered as Meta would: `group_id` on the message,
	 * the participant in `from` and `contacts[]`. It opens the group's 24-hour window (any
	 * participant's message opens it for the whole group).
	 */
	async participantWrites(
		groupId: string,
		participant: { wa_id: string; user_id: string },
		name: string,
		text: string,
		options: { to?: string } = {},
	): Promise<{ delivery: Delivery; messageId: string }> {
		const group = this.sandbox.groups.get(groupId);
		if (!group) throw new Error(`no group ${groupId}`);
		const phone = this.sandbox.options.phoneNumbers.find((p) => p.id === group.phoneNumberId)!;
		const messageId = this.messages.nextId('IN');
		this.sandbox.closedWindows.delete(groupId);
		const delivery = await this.deliver(
			messagesEnvelope(phone, {
				contacts: [{ profile: { name }, wa_id: participant.wa_id, user_id: participant.user_id }],
				messages: [
					{
						from: participant.wa_id,
						from_user_id: participant.user_id,
						group_id: groupId,
						id: messageId,
						timestamp: String(Math.floor(Date.now() / 1000)),
						type: 'text',
						text: { body: text },
					},
				],
			}),
			{ to: options.to },
		);
		return { delivery, messageId };
	}

	/**
	 * A customer's text message, delivered as Meta would; it also opens their 24-hour window.
	 * With `userId` the customer has a BSUID (`from_user_id`, `contacts[].user_id`) and, with
	 * `username`, a username; `hidePhone` plays a customer whose phone this number may not see
	 * (a username-only customer): no `from`, no `wa_id`, only the BSUID to answer them by.
	 */
	async customerWrites(
		from: string,
		name: string,
		text: string,
		options: CustomerOptions = {},
	): Promise<{ delivery: Delivery; messageId: string }> {
		const phone = this.sandbox.options.phoneNumbers.find(
			(p) => p.id === (options.phoneNumberId ?? SANDBOX_PHONE_NUMBER_ID),
		)!;
		const messageId = this.messages.nextId('IN');
		const { userId, username, hidePhone } = options;
		if (hidePhone && !userId) throw new Error('a customer without a phone needs a userId');
		const showPhone = !hidePhone;
		if (userId) {
			const user: SandboxUser = { phone: from, userId, username, hidePhone };
			if (from) this.users.set(from, user);
			this.users.set(userId, user);
			this.sandbox.closedWindows.delete(userId);
		}
		this.sandbox.closedWindows.delete(from);
		// the number may block this customer for the next 24 hours
		this.sandbox.blockUsers.customerWrote(phone.id, { phone: from || undefined, userId });
		const delivery = await this.deliver(
			messagesEnvelope(phone, {
				contacts: [
					{
						profile: { name, ...(username ? { username } : {}) },
						...(showPhone ? { wa_id: from } : {}),
						...(userId ? { user_id: userId } : {}),
					},
				],
				messages: [
					{
						...(showPhone ? { from } : {}),
						...(userId ? { from_user_id: userId } : {}),
						id: messageId,
						timestamp: String(Math.floor(Date.now() / 1000)),
						type: 'text',
						text: { body: text },
					},
				],
			}),
			{ to: options.to },
		);
		return { delivery, messageId };
	}
}

/** Meta's business-scoped user ID: country, optional `ENT.` of a parent BSUID, alphanumerics. */
const BSUID = /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/;

/** A customer the sandbox played with a BSUID (see `customerWrites`). */
type SandboxUser = { phone: string; userId: string; username?: string; hidePhone?: boolean };

/** Who the customer of `customerWrites` is, and where the webhook goes. */
export type CustomerOptions = {
	phoneNumberId?: string;
	to?: string;
	/** The customer's BSUID, e.g. `BR.8812300144551277`. */
	userId?: string;
	/** The customer's username, e.g. `@ana.s`. */
	username?: string;
	/** Leave the phone out (needs `userId`): a customer known by username and BSUID only. */
	hidePhone?: boolean;
};

/** A `messages` webhook from one of the sandbox's numbers, with this value (statuses or messages). */
function messagesEnvelope(phone: SandboxPhoneNumber, value: Record<string, unknown>) {
	return {
		object: 'whatsapp_business_account',
		entry: [
			{
				id: phone.wabaId,
				changes: [
					{
						field: 'messages',
						value: {
							messaging_product: 'whatsapp',
							metadata: {
								display_phone_number: phone.display_phone_number,
								phone_number_id: phone.id,
							},
							...value,
						},
					},
				],
			},
		],
	} as never;
}

/** The sandbox's first number, as `startSandbox()` sets it up by default. */
const DEFAULT_NUMBER: SandboxPhoneNumber = {
	id: SANDBOX_PHONE_NUMBER_ID,
	display_phone_number: '15550783881',
	verified_name: 'Lucky Shrub',
	wabaId: SANDBOX_WABA_ID,
};

/** A webhook body the sandbox can deliver. */
type WebhookPayload = Parameters<Webhooks['deliver']>[0];

/** The customer who sends a built message, its id and time, and the number it reaches. */
export type CustomerMessage = {
	from: string;
	name: string;
	messageId: string;
	/** Unix seconds as text, as Meta sends them; default now. */
	timestamp?: string;
	/** Default: the sandbox's first number. */
	phone?: SandboxPhoneNumber;
};

/** One customer message in a `messages` webhook, with its contact, as Meta sends it. */
function customerMessage(customer: CustomerMessage, content: Record<string, unknown>) {
	const phone = customer.phone ?? DEFAULT_NUMBER;
	// Meta puts the context first
	const { context, ...rest } = content;
	return messagesEnvelope(phone, {
		contacts: [{ profile: { name: customer.name }, wa_id: customer.from }],
		messages: [
			{
				...(context ? { context } : {}),
				from: customer.from,
				id: customer.messageId,
				timestamp: customer.timestamp ?? String(Math.floor(Date.now() / 1000)),
				...rest,
			},
		],
	});
}

/** A customer's text message, as Meta sends it in a `messages` webhook. */
export function customerTextWebhook(customer: CustomerMessage, text: string): WebhookPayload {
	return customerMessage(customer, { type: 'text', text: { body: text } });
}

/**
 * A customer's answer to a Flow, as Meta sends it: an interactive `nfm_reply` whose
 * `response_json` is JSON text holding the answers and the `flow_token` the Flow was sent with
 * (Meta's default `unused` when none was given; `null` leaves it out). `replyTo` is the Flow
 * message answered, in `context`; `body` is what the chat shows (Meta: `Sent`); `name` is
 * `flow` (`null` leaves it out). `responseJson`, when given, is sent as `response_json` instead,
 * as is: to play a malformed answer.
 */
export function flowAnswerWebhook(
	customer: CustomerMessage,
	answer: {
		response?: Record<string, unknown>;
		flowToken?: string | null;
		replyTo?: string;
		body?: string;
		name?: string | null;
		responseJson?: unknown;
	},
): WebhookPayload {
	const phone = customer.phone ?? DEFAULT_NUMBER;
	const token = answer.flowToken === undefined ? 'unused' : answer.flowToken;
	const responseJson =
		'responseJson' in answer
			? answer.responseJson
			: JSON.stringify({ ...(token === null ? {} : { flow_token: token }), ...answer.response });
	const name = answer.name === undefined ? 'flow' : answer.name;
	return customerMessage(customer, {
		...(answer.replyTo
			? { context: { from: phone.display_phone_number, id: answer.replyTo } }
			: {}),
		type: 'interactive',
		interactive: {
			type: 'nfm_reply',
			nfm_reply: {
				...(name === null ? {} : { name }),
				body: answer.body ?? 'Sent',
				...(responseJson === undefined ? {} : { response_json: responseJson }),
			},
		},
	});
}

/**
 * A cart a customer sends from a catalog, product or product list message, as Meta sends it:
 * `order` with the catalog, the customer's note (`text`: an empty string when they wrote none;
 * `null` leaves it out) and one `product_items` entry per product, with the unit price they saw.
 */
export function orderWebhook(
	customer: CustomerMessage,
	cart: {
		catalogId: string;
		items: Array<{ productId: string; quantity: number; price: number; currency: string }>;
		text?: string | null;
	},
): WebhookPayload {
	return customerMessage(customer, {
		type: 'order',
		order: {
			catalog_id: cart.catalogId,
			...(cart.text === null ? {} : { text: cart.text ?? '' }),
			product_items: cart.items.map((item) => ({
				product_retailer_id: item.productId,
				quantity: item.quantity,
				item_price: item.price,
				currency: item.currency,
			})),
		},
	});
}

/**
 * The approver of a Send and Wait message, played by the sandbox. A tap on a reply button (or a
 * template's quick reply) is what Meta makes of it: a signed `messages` webhook from the approver
 * with the button's ID and title (`interactive.button_reply`; for a template, `button` with the
 * payload and text), in `context` the message tapped, to the callback the registrations resolve
 * to (or `to`). Opening the call-to-action link and answering its page are a browser's requests to
 * n8n. Each happens when the test calls it.
 */
let tapCounter = 0;

/** The accepted message `messageId` and the approver it went to. */
function sentMessage(sandbox: GraphSandbox, messageId: string) {
	const message = sandbox.accepted.find((m) => m.id === messageId);
	if (!message) throw new Error(`no accepted message ${messageId}`);
	const phone = sandbox.options.phoneNumbers.find((p) => p.id === message.phoneNumberId)!;
	const body = message.body as { to?: string; recipient?: string };
	const from = String(body.to ?? body.recipient ?? '').replace(/^\+/, '');
	return { message, phone, from };
}

/** A tap: what the callback answered, the tap's message ID, and the webhook body (to redeliver it). */
export type Tap = { delivery: Delivery; messageId: string; payload: WebhookPayload };

/**
 * The approver taps the reply button titled `title` (or at `title` as an index) of a sent message.
 * `buttonId` replaces the button's ID in the webhook: a reference changed on its way.
 * `from` makes another customer than the one asked tap it.
 */
export async function tapReplyButton(
	sandbox: GraphSandbox,
	messageId: string,
	title: string | number,
	options: { to?: string; name?: string; buttonId?: string; from?: string } = {},
): Promise<Tap> {
	const { message, phone, from: asked } = sentMessage(sandbox, messageId);
	// someone else than the person asked, when `from` says so (a forwarded message, a shared phone)
	const from = options.from ?? asked;
	const interactive = message.body.interactive as
		| { type?: string; action?: { buttons?: Array<{ reply: { id: string; title: string } }> } }
		| undefined;
	const buttons = interactive?.type === 'button' ? (interactive.action?.buttons ?? []) : [];
	const button =
		typeof title === 'number' ? buttons[title] : buttons.find((b) => b.reply.title === title);
	if (!button) throw new Error(`message ${messageId} has no reply button ${JSON.stringify(title)}`);
	const tapId = `wamid.TAP${(++tapCounter).toString(16).padStart(12, '0')}`;
	sandbox.closedWindows.delete(from);
	sandbox.blockUsers.customerWrote(
		phone.id,
		/^[A-Z]{2}\./.test(from) ? { userId: from } : { phone: from },
	);
	const payload = customerMessage(
		{ from, name: options.name ?? 'Approver', messageId: tapId, phone },
		{
			context: { from: phone.display_phone_number, id: messageId },
			type: 'interactive',
			interactive: {
				type: 'button_reply',
				button_reply: { id: options.buttonId ?? button.reply.id, title: button.reply.title },
			},
		},
	);
	const delivery = await sandbox.deliver(payload, { to: options.to });
	return { delivery, messageId: tapId, payload };
}

/** The approver taps the quick reply at `index` among a sent template's quick replies. */
export async function tapQuickReply(
	sandbox: GraphSandbox,
	messageId: string,
	index: number,
	options: { to?: string; name?: string } = {},
): Promise<Tap> {
	const { message, phone, from } = sentMessage(sandbox, messageId);
	const sent = message.body.template as {
		name: string;
		language: { code: string };
		components?: Array<{
			type: string;
			sub_type?: string;
			index?: string | number;
			parameters?: Array<{ payload?: string }>;
		}>;
	};
	const template = [...sandbox.templates.values()].find(
		(t) => t.name === sent.name && t.language === sent.language.code,
	);
	const buttons = (template?.components.find((c) => c.type.toUpperCase() === 'BUTTONS')?.buttons ??
		[]) as Array<{ type: string; text?: string }>;
	const quickReplies = buttons
		.map((b, position) => ({ ...b, position }))
		.filter((b) => b.type.toUpperCase() === 'QUICK_REPLY');
	const button = quickReplies[index];
	if (!button) throw new Error(`template ${sent.name} has no quick reply ${index}`);
	const payload =
		sent.components?.find(
			(c) =>
				c.type === 'button' && c.sub_type === 'quick_reply' && Number(c.index) === button.position,
		)?.parameters?.[0]?.payload ?? button.text;
	const tapId = `wamid.TAP${(++tapCounter).toString(16).padStart(12, '0')}`;
	sandbox.closedWindows.delete(from);
	sandbox.blockUsers.customerWrote(
		phone.id,
		/^[A-Z]{2}\./.test(from) ? { userId: from } : { phone: from },
	);
	const body = customerMessage(
		{ from, name: options.name ?? 'Approver', messageId: tapId, phone },
		{
			context: { from: phone.display_phone_number, id: messageId },
			type: 'button',
			button: { payload, text: button.text },
		},
	);
	const delivery = await sandbox.deliver(body, { to: options.to });
	return { delivery, messageId: tapId, payload: body };
}

/** The link of a sent message's call-to-action button. */
export function ctaLink(sandbox: GraphSandbox, messageId: string): string {
	const { message } = sentMessage(sandbox, messageId);
	const url = (
		message.body.interactive as { action?: { parameters?: { url?: string } } } | undefined
	)?.action?.parameters?.url;
	if (!url) throw new Error(`message ${messageId} has no call-to-action link`);
	return url;
}

/** A phone's browser, as opposed to an app fetching a link preview. */
export const BROWSER_AGENT =
	'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';

/** WhatsApp fetching a link to show its preview. */
export const WHATSAPP_PREVIEW_AGENT = 'WhatsApp/2.24.12.78 A';

/** The approver (or an app showing a preview: `userAgent`) opens the call-to-action link. */
export async function openLink(
	sandbox: GraphSandbox,
	messageId: string,
	userAgent = BROWSER_AGENT,
): Promise<{ status: number; html: string }> {
	const response = await fetch(ctaLink(sandbox, messageId), {
		headers: { 'user-agent': userAgent },
	});
	return { status: response.status, html: await response.text() };
}

/**
 * The approver answers the page behind the call-to-action link: `fields` as the page's form posts
 * them (`{ choice }` for an approval, `{ answer }` for free text), to the same URL.
 */
export async function answerPage(
	sandbox: GraphSandbox,
	messageId: string,
	fields: Record<string, string>,
): Promise<{ status: number; html: string }> {
	const response = await fetch(ctaLink(sandbox, messageId), {
		method: 'POST',
		headers: {
			'user-agent': BROWSER_AGENT,
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: new URLSearchParams(fields).toString(),
	});
	return { status: response.status, html: await response.text() };
}
