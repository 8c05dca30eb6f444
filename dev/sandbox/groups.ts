/* eslint-disable @n8n/community-nodes/no-restricted-globals */
/**
 * Groups of a phone number (the Groups API): create, list with cursors, get with `fields`,
 * update (subject, description, profile picture), delete, the invite link (read and reset), join
 * requests (list, approve, reject) and removing participants. Adding participants does not exist:
 * people join only by the invite link.
 *
 * As with Meta, a create answers only a `request_id`; the group's ID and invite link come later in
 * a `group_lifecycle_update` webhook (`group_create`), after `webhookDelayMs` or when a test calls
 * `flush()`. Delete and update are answered at once and followed by their webhooks
 * (`group_delete`, `group_settings_update`) the same way, as is a person's request to join
 * through the invite link (`requestToJoin`: `group_join_request_created`). A webhook goes where the registrations
 * send the field; with no callback it is kept in `notifications` undelivered.
 *
 * Meta's refusals: a number that is not an Official Business Account (131215), the 8-participant
 * limit (131204), an unknown group (131041), a picture that is not a square JPEG (131209) of at
 * least 192 px (131210) and at most 5 MB, subject and description lengths, 10,000 groups a number
 * (131211), a join request that is not open (131213), a user who is not a participant (131212), a
 * change to a suspended group (131207).
 */
import { createHash } from 'crypto';

import {
	graphError,
	refusedBySchema,
	type Delivery,
	type Req,
	type Res,
	type SandboxPhoneNumber,
} from './graph';
import { parseMultipart } from './media';
import type { GraphSandbox } from './server';

export type SandboxGroup = {
	id: string;
	phoneNumberId: string;
	subject: string;
	description: string;
	joinApprovalMode: 'auto_approve' | 'approval_required';
	participants: Array<{ wa_id: string; user_id: string }>;
	joinRequests: Array<{
		join_request_id: string;
		wa_id: string;
		user_id: string;
		creation_timestamp: number;
	}>;
	inviteLink: string;
	suspended: boolean;
	/** Unix seconds. */
	createdAt: number;
	pictureSet: boolean;
};

/** A group webhook the sandbox sent, or would have sent had a callback been registered. */
export type GroupNotification = {
	field: 'group_lifecycle_update' | 'group_settings_update' | 'group_participants_update';
	phoneNumberId: string;
	group: Record<string, unknown>;
	delivery?: Delivery;
	/** Why it was not delivered (no callback for the field, or the POST failed). */
	undelivered?: string;
};

/** Meta's Groups API limits, as the sandbox enforces them. */
export const GROUP_LIMITS = {
	participants: 8,
	groupsPerNumber: 10_000,
	subject: 128,
	description: 2048,
	pictureMinPixels: 192,
	pictureMaxBytes: 5 * 1024 * 1024,
	listMax: 1024,
	listDefault: 25,
} as const;

/**
 * Meta's group IDs are the base64 of `capi_group:<business phone>:<18 digits>` with the padding
 * written as `ZD` (its examples: `Y2FwaV9ncm91cDoxODA1NTU1MDE3MjoxMjAzNjMyMjI3NzE5NjMwNjcZD`), so
 * every one starts with the base64 of `capi_group:`.
 */
export const GROUP_ID_PREFIX = 'Y2FwaV9ncm91cD';

/** A string shaped like one of Meta's group IDs (what the router sends here). */
export const looksLikeGroupId = (value: string): boolean =>
	value.startsWith(GROUP_ID_PREFIX) && /^[A-Za-z0-9+/_-]+$/.test(value);

type Pending = { run: () => Promise<void>; timer?: NodeJS.Timeout };

export class Groups {
	/** By group ID, in creation order. */
	readonly byId = new Map<string, SandboxGroup>();

	/** Every group webhook, in order (see GroupNotification). */
	readonly notifications: GroupNotification[] = [];

	/**
	 * How long after the answer the group webhooks are sent, in milliseconds; `null` holds them until
	 * `flush()`, for tests that look at a create before its group exists.
	 */
	webhookDelayMs: number | null = 20;

	private readonly pending: Pending[] = [];

	private readonly running = new Set<Promise<void>>();

	private counter = 0;

	constructor(private readonly sandbox: GraphSandbox) {}

	reset(): void {
		for (const p of this.pending) if (p.timer) clearTimeout(p.timer);
		this.pending.length = 0;
		this.byId.clear();
		this.notifications.length = 0;
		this.webhookDelayMs = 20;
		this.counter = 0;
	}

	/** Stores a group for a number without a request or a webhook, for tests that read or change one. */
	add(phoneNumberId: string, partial: Partial<SandboxGroup> = {}): SandboxGroup {
		const phone = this.sandbox.options.phoneNumbers.find((p) => p.id === phoneNumberId);
		const n = ++this.counter;
		const group: SandboxGroup = {
			id: groupId(phone?.display_phone_number ?? phoneNumberId, n),
			phoneNumberId,
			subject: `Group ${n}`,
			description: '',
			joinApprovalMode: 'auto_approve',
			participants: [],
			joinRequests: [],
			inviteLink: inviteLink(n, 0),
			suspended: false,
			createdAt: Math.floor(Date.now() / 1000),
			pictureSet: false,
			...partial,
		};
		this.byId.set(group.id, group);
		return group;
	}

	get(groupId: string): SandboxGroup | undefined {
		return this.byId.get(groupId);
	}

	/**
	 * Someone opens the invite link of a group that requires approval and asks to join: the request
	 * is kept among the group's open join requests (what Get Many Join Requests lists and Approve or
	 * Reject Join Requests answer), and Meta's `group_participants_update` webhook
	 * (`group_join_request_created`, `reason: invite_link`) is scheduled as the others are. Its ID
	 * is made as Meta's samples are (the base64 of `<wa_id>:<unix seconds>`, unpadded), so a test
	 * that gives `timestamp` gets the same ID every run. A person here always has a BSUID (Meta's
	 * revoked-request sample names it beside the phone); one is made from the phone when not given.
	 */
	requestToJoin(
		groupId: string,
		person: { wa_id: string; user_id?: string },
		timestamp = Math.floor(Date.now() / 1000),
	): { joinRequestId: string } {
		const group = this.byId.get(groupId);
		if (!group) throw new Error(`no group ${groupId}`);
		const phone = this.sandbox.options.phoneNumbers.find((p) => p.id === group.phoneNumberId);
		if (!phone) throw new Error(`group ${groupId} has no phone number of the sandbox`);
		const waId = person.wa_id.replace(/\D/g, '');
		if (!waId) throw new Error(`not a phone: ${person.wa_id}`);
		// with auto approval the link lets people in at once: there is no request to make
		if (group.joinApprovalMode !== 'approval_required')
			throw new Error(`group ${groupId} lets people join without approval`);
		if (group.participants.some((p) => p.wa_id === waId))
			throw new Error(`${waId} is already a participant of ${groupId}`);
		if (group.joinRequests.some((r) => r.wa_id === waId))
			throw new Error(`${waId} already asked to join ${groupId}`);
		const userId = person.user_id ?? bsuidFor(waId);
		const joinRequestId = Buffer.from(`${waId}:${timestamp}`).toString('base64').replace(/=+$/, '');
		group.joinRequests.push({
			join_request_id: joinRequestId,
			wa_id: waId,
			user_id: userId,
			creation_timestamp: timestamp,
		});
		this.schedule(
			async () =>
				await this.notify(phone, 'group_participants_update', {
					timestamp: String(timestamp),
					group_id: group.id,
					type: 'group_join_request_created',
					reason: 'invite_link',
					join_request_id: joinRequestId,
					wa_id: waId,
					user_id: userId,
				}),
		);
		return { joinRequestId };
	}

	/** Whether the router should hand `/{id}` to this area. */
	handles(id: string): boolean {
		return this.byId.has(id) || looksLikeGroupId(id);
	}

	/** Sends every held or scheduled group webhook now, in order; resolves when all were sent. */
	async flush(): Promise<void> {
		while (this.pending.length) {
			const next = this.pending.shift()!;
			if (next.timer) clearTimeout(next.timer);
			await next.run();
		}
		await Promise.all([...this.running]);
	}

	/** Resolves once the group webhooks scheduled so far have been sent (none are held). */
	async settled(): Promise<void> {
		while (this.pending.some((p) => p.timer) || this.running.size) {
			await new Promise((r) => setTimeout(r, 5));
		}
	}

	/** `/{phone-number-id}/groups`: POST creates, GET lists. */
	forNumber(phone: SandboxPhoneNumber, req: Req): Res {
		if (req.method === 'POST') return this.create(phone, req);
		if (req.method === 'GET') return this.list(phone, req);
		return graphError(400, 100, `Unsupported ${req.method.toLowerCase()} request.`);
	}

	/** `/{group-id}[/invite_link|join_requests|participants]`. */
	forGroup(id: string, edge: string | undefined, req: Req): Res {
		const group = this.byId.get(id);
		if (!group) return unknownGroup(id);
		const phone = this.sandbox.options.phoneNumbers.find((p) => p.id === group.phoneNumberId);
		if (!phone) return unknownGroup(id);
		// a suspended group can be read, not changed
		if (group.suspended && req.method !== 'GET')
			return whatsappError(
				131207,
				'Group is suspended',
				'WhatsApp has suspended this group; it cannot be changed',
			);
		if (edge === undefined) {
			if (req.method === 'GET') return this.info(group, req);
			if (req.method === 'POST') return this.update(phone, group, req);
			if (req.method === 'DELETE') return this.delete(phone, group);
		}
		if (edge === 'invite_link') {
			if (req.method === 'GET')
				return {
					status: 200,
					body: { messaging_product: 'whatsapp', invite_link: group.inviteLink },
				};
			if (req.method === 'POST') {
				const refusal =
					productOnly(req) ?? refusedBySchema('POST /{Version}/{group_id}/invite_link', req.json);
				if (refusal) return refusal;
				group.inviteLink = inviteLink(this.numberOf(group), ++this.counter);
				return {
					status: 200,
					body: { messaging_product: 'whatsapp', invite_link: group.inviteLink },
				};
			}
		}
		if (edge === 'join_requests') {
			if (req.method === 'GET') return this.joinRequests(group, req);
			if (req.method === 'POST' || req.method === 'DELETE')
				return this.answerJoinRequests(group, req, req.method === 'POST');
		}
		if (edge === 'participants' && req.method === 'DELETE')
			return this.removeParticipants(phone, group, req);
		if (edge === 'participants' && req.method === 'POST')
			// Meta's document lists adding participants, but Meta says people join only by invite link
			return graphError(
				400,
				100,
				'Unsupported post request. Participants join a group only through its invite link',
			);
		return graphError(
			400,
			100,
			`Unsupported ${req.method.toLowerCase()} request. Object with ID '${id}' does not support this operation`,
			{ error_subcode: 33 },
		);
	}

	private create(phone: SandboxPhoneNumber, req: Req): Res {
		const refusal = notOfficial(phone);
		if (refusal) return refusal;
		const body = req.json;
		if (!body) return graphError(400, 100, 'The request body must be JSON');
		const schema = refusedBySchema('POST /{Version}/{Phone-Number-ID}/groups', body);
		if (schema) return schema;
		const unknown = Object.keys(body).filter(
			(k) => !['messaging_product', 'subject', 'description', 'join_approval_mode'].includes(k),
		);
		if (unknown.length) return graphError(400, 100, `Param ${unknown[0]} is not a valid parameter`);
		if (body.messaging_product !== 'whatsapp')
			return graphError(400, 100, 'The parameter messaging_product is required');
		const subject = typeof body.subject === 'string' ? body.subject.trim() : '';
		if (!subject) return graphError(400, 100, 'The parameter subject is required');
		const lengths = checkTexts(body);
		if (lengths) return lengths;
		const mode = body.join_approval_mode ?? 'auto_approve';
		if (mode !== 'auto_approve' && mode !== 'approval_required')
			return graphError(
				400,
				100,
				'Param join_approval_mode must be one of {approval_required, auto_approve}',
			);
		const owned = [...this.byId.values()].filter((g) => g.phoneNumberId === phone.id).length;
		if (owned >= GROUP_LIMITS.groupsPerNumber)
			return whatsappError(
				131211,
				'Group creation limit reached',
				`A phone number can have at most ${GROUP_LIMITS.groupsPerNumber} active groups`,
			);
		const requestId = createHash('md5')
			.update(`${phone.id}:${++this.counter}:${Date.now()}`)
			.digest('hex')
			.toUpperCase();
		this.schedule(async () => {
			const group = this.add(phone.id, {
				subject,
				description: typeof body.description === 'string' ? body.description : '',
				joinApprovalMode: mode,
			});
			await this.notify(phone, 'group_lifecycle_update', {
				timestamp: String(group.createdAt),
				group_id: group.id,
				type: 'group_create',
				request_id: requestId,
				subject: group.subject,
				...(group.description ? { description: group.description } : {}),
				invite_link: group.inviteLink,
				join_approval_mode: group.joinApprovalMode,
			});
		});
		return { status: 200, body: { messaging_product: 'whatsapp', request_id: requestId } };
	}

	/** `GET /{phone-number-id}/groups`: pages of 1 to 1024 (25 by default), with cursors. */
	private list(phone: SandboxPhoneNumber, req: Req): Res {
		const raw = req.query.get('limit');
		const limit = raw === null ? GROUP_LIMITS.listDefault : Number(raw);
		if (!Number.isInteger(limit) || limit < 1 || limit > GROUP_LIMITS.listMax)
			return graphError(
				400,
				100,
				`Param limit must be a number between 1 and ${GROUP_LIMITS.listMax}`,
			);
		const all = [...this.byId.values()].filter((g) => g.phoneNumberId === phone.id);
		const after = req.query.get('after');
		let start = 0;
		if (after) {
			start = Number(Buffer.from(after, 'base64').toString());
			if (!Number.isInteger(start) || start < 0)
				return whatsappError(131059, 'Invalid cursor', 'The after cursor is not valid');
		}
		const page = all.slice(start, start + limit);
		const end = Buffer.from(String(start + page.length)).toString('base64');
		const more = start + page.length < all.length;
		return {
			status: 200,
			body: {
				data: {
					groups: page.map((g) => ({
						id: g.id,
						subject: g.subject,
						created_at: String(g.createdAt),
					})),
				},
				paging: {
					cursors: { before: Buffer.from(String(start)).toString('base64'), after: end },
					...(more
						? {
								next: `${this.sandbox.url}/${req.path[0]}/${phone.id}/groups?limit=${limit}&after=${end}`,
							}
						: {}),
				},
			},
		};
	}

	/** `GET /{group-id}`: without `fields` only the ID and the product, as Meta answers. */
	private info(group: SandboxGroup, req: Req): Res {
		const known: Record<string, unknown> = {
			subject: group.subject,
			description: group.description,
			participants: group.participants.map((p) => ({ wa_id: p.wa_id })),
			join_approval_mode: group.joinApprovalMode,
			suspended: group.suspended,
			creation_timestamp: group.createdAt,
			total_participant_count: group.participants.length,
		};
		const fields = (req.query.get('fields') ?? '').split(',').filter(Boolean);
		const wrong = fields.find((f) => !(f in known) && f !== 'id' && f !== 'messaging_product');
		if (wrong)
			return graphError(
				400,
				100,
				`Tried accessing nonexisting field (${wrong}) on node type (Group)`,
			);
		const body: Record<string, unknown> = { messaging_product: 'whatsapp', id: group.id };
		for (const f of fields) if (f in known) body[f] = known[f];
		return { status: 200, body };
	}

	/**
	 * `POST /{group-id}`: JSON with `subject` and/or `description`, or multipart/form-data that may
	 * also carry the picture as `profile_picture_file` (a JPEG). Answered at once; the outcome of
	 * each setting follows in a `group_settings_update` webhook.
	 */
	private update(phone: SandboxPhoneNumber, group: SandboxGroup, req: Req): Res {
		const type = String(req.headers['content-type'] ?? '');
		let fields: Record<string, unknown>;
		let picture: { data: Buffer; contentType?: string } | undefined;
		if (type.startsWith('multipart/form-data')) {
			const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
			if (!boundary) return graphError(400, 100, 'The multipart body has no boundary');
			fields = {};
			for (const part of parseMultipart(req.raw, boundary[1] ?? boundary[2])) {
				if (part.name === 'profile_picture_file') picture = part;
				else if (part.name) fields[part.name] = part.data.toString('utf8');
			}
		} else if (req.json) fields = req.json;
		else return graphError(400, 100, 'The request body must be JSON or multipart/form-data');
		// the schema's JSON body, whichever way the fields came (the picture is checked apart)
		const schema = refusedBySchema('POST /{Version}/{group_id}', fields);
		if (schema) return schema;
		const unknown = Object.keys(fields).filter(
			(k) => !['messaging_product', 'subject', 'description'].includes(k),
		);
		if (unknown.length) return graphError(400, 100, `Param ${unknown[0]} is not a valid parameter`);
		if (fields.messaging_product !== 'whatsapp')
			return graphError(400, 100, 'The parameter messaging_product is required');
		if (fields.subject === undefined && fields.description === undefined && !picture)
			return graphError(400, 100, 'Nothing to update: give a subject, a description or a picture');
		if (fields.subject !== undefined && !String(fields.subject).trim())
			return graphError(400, 100, 'The parameter subject cannot be empty');
		const lengths = checkTexts(fields);
		if (lengths) return lengths;
		if (picture) {
			const refusal = checkPicture(picture.data, picture.contentType);
			if (refusal) return refusal;
		}
		const requestId = createHash('md5')
			.update(`${group.id}:${++this.counter}`)
			.digest('hex')
			.toUpperCase();
		if (fields.subject !== undefined) group.subject = String(fields.subject).trim();
		if (fields.description !== undefined) group.description = String(fields.description);
		if (picture) group.pictureSet = true;
		const change: Record<string, unknown> = {
			timestamp: String(Math.floor(Date.now() / 1000)),
			group_id: group.id,
			type: 'group_settings_update',
			request_id: requestId,
		};
		if (fields.subject !== undefined)
			change.group_subject = { text: group.subject, update_successful: true };
		if (fields.description !== undefined)
			change.group_description = { text: group.description, update_successful: true };
		if (picture)
			change.profile_picture = {
				mime_type: 'image/jpeg',
				sha256: createHash('sha256').update(picture.data).digest('base64'),
				update_successful: true,
			};
		this.schedule(async () => await this.notify(phone, 'group_settings_update', change));
		return { status: 200, body: { success: true } };
	}

	/** `DELETE /{group-id}`: the group and its participants go; `group_delete` follows. */
	private delete(phone: SandboxPhoneNumber, group: SandboxGroup): Res {
		this.byId.delete(group.id);
		this.schedule(
			async () =>
				await this.notify(phone, 'group_lifecycle_update', {
					timestamp: String(Math.floor(Date.now() / 1000)),
					group_id: group.id,
					type: 'group_delete',
				}),
		);
		return { status: 200, body: { success: true } };
	}

	/** `GET /{group-id}/join_requests`: the open requests, in pages with cursors. */
	private joinRequests(group: SandboxGroup, req: Req): Res {
		const raw = req.query.get('limit');
		const limit = raw === null ? GROUP_LIMITS.listDefault : Number(raw);
		if (!Number.isInteger(limit) || limit < 1 || limit > GROUP_LIMITS.listMax)
			return graphError(
				400,
				100,
				`Param limit must be a number between 1 and ${GROUP_LIMITS.listMax}`,
			);
		const after = req.query.get('after');
		const start = after ? Number(Buffer.from(after, 'base64').toString()) : 0;
		if (!Number.isInteger(start) || start < 0)
			return whatsappError(131059, 'Invalid cursor', 'The after cursor is not valid');
		const page = group.joinRequests.slice(start, start + limit);
		const end = Buffer.from(String(start + page.length)).toString('base64');
		const more = start + page.length < group.joinRequests.length;
		return {
			status: 200,
			body: {
				data: page.map((r) => ({ ...r })),
				paging: {
					cursors: { before: Buffer.from(String(start)).toString('base64'), after: end },
					...(more
						? {
								next: `${this.sandbox.url}/${req.path[0]}/${group.id}/join_requests?limit=${limit}&after=${end}`,
							}
						: {}),
				},
			},
		};
	}

	/**
	 * `POST` approves, `DELETE` rejects `/{group-id}/join_requests`: each request either succeeds or
	 * is listed in `failed_join_requests` with Meta's error (131213 not open, 131204 group full).
	 */
	private answerJoinRequests(group: SandboxGroup, req: Req, approve: boolean): Res {
		const body = req.json;
		if (!body) return graphError(400, 100, 'The request body must be JSON');
		const schema = refusedBySchema(
			`${approve ? 'POST' : 'DELETE'} /{Version}/{group_id}/join_requests`,
			body,
		);
		if (schema) return schema;
		if (!body || body.messaging_product !== 'whatsapp')
			return graphError(400, 100, 'The parameter messaging_product is required');
		const unknown = Object.keys(body).filter(
			(k) => !['messaging_product', 'join_requests'].includes(k),
		);
		if (unknown.length) return graphError(400, 100, `Param ${unknown[0]} is not a valid parameter`);
		const ids = body.join_requests;
		if (!Array.isArray(ids) || !ids.length || ids.some((i) => typeof i !== 'string' || !i))
			return graphError(
				400,
				100,
				'The parameter join_requests must be a non-empty array of strings',
			);
		const done: string[] = [];
		const failed: Array<{ join_request_id: string; errors: unknown[] }> = [];
		for (const id of ids as string[]) {
			const at = group.joinRequests.findIndex((r) => r.join_request_id === id);
			if (at < 0) {
				failed.push({
					join_request_id: id,
					errors: [
						errorEntry(
							131213,
							'Join request not found',
							`No open join request ${id} in this group`,
						),
					],
				});
				continue;
			}
			if (approve && group.participants.length >= GROUP_LIMITS.participants) {
				failed.push({
					join_request_id: id,
					errors: [
						errorEntry(
							131204,
							'Participant limit reached',
							`A group can have at most ${GROUP_LIMITS.participants} participants`,
						),
					],
				});
				continue;
			}
			const [request] = group.joinRequests.splice(at, 1);
			if (approve) group.participants.push({ wa_id: request.wa_id, user_id: request.user_id });
			done.push(id);
		}
		return {
			status: 200,
			body: {
				messaging_product: 'whatsapp',
				[approve ? 'approved_join_requests' : 'rejected_join_requests']: done,
				...(failed.length ? { failed_join_requests: failed } : {}),
				...(failed.length && done.length
					? { errors: [errorEntry(131201, 'Partial success', 'Some join requests failed')] }
					: {}),
			},
		};
	}

	/**
	 * `DELETE /{group-id}/participants` with `participants: [{user}|{user_id}]` (1 to 8): the ones
	 * removed and the ones that failed follow in a `group_participants_update` webhook.
	 */
	private removeParticipants(phone: SandboxPhoneNumber, group: SandboxGroup, req: Req): Res {
		const body = req.json;
		if (!body) return graphError(400, 100, 'The request body must be JSON');
		const schema = refusedBySchema('DELETE /{Version}/{group_id}/participants', body);
		if (schema) return schema;
		if (!body || body.messaging_product !== 'whatsapp')
			return graphError(400, 100, 'The parameter messaging_product is required');
		const unknown = Object.keys(body).filter(
			(k) => !['messaging_product', 'participants'].includes(k),
		);
		if (unknown.length) return graphError(400, 100, `Param ${unknown[0]} is not a valid parameter`);
		const list = body.participants;
		if (!Array.isArray(list) || !list.length || list.length > GROUP_LIMITS.participants)
			return graphError(
				400,
				100,
				`The parameter participants must hold 1 to ${GROUP_LIMITS.participants} users`,
			);
		const removed: Array<Record<string, string>> = [];
		const failed: Array<Record<string, unknown>> = [];
		const seen = new Set<string>();
		for (const entry of list as Array<Record<string, unknown>>) {
			const keys = Object.keys(entry ?? {});
			const user = typeof entry?.user === 'string' ? entry.user : undefined;
			const userId = typeof entry?.user_id === 'string' ? entry.user_id : undefined;
			if (keys.some((k) => k !== 'user' && k !== 'user_id') || (!user && !userId))
				return graphError(
					400,
					100,
					'Each participant must be {"user": "<phone>"} or {"user_id": "<BSUID>"}',
				);
			// `user` wins over `user_id`, as in Meta's other user lists
			const input = user ?? userId!;
			const digits = user ? user.replace(/\D/g, '') : undefined;
			const found = group.participants.find((p) =>
				digits !== undefined ? p.wa_id === digits : p.user_id === userId,
			);
			if (seen.has(input)) {
				failed.push({
					input,
					errors: [errorEntry(131202, 'Duplicate participant', `${input} is listed twice`)],
				});
				continue;
			}
			seen.add(input);
			if (!found) {
				failed.push({
					input,
					errors: [
						errorEntry(131212, 'Not a participant', `${input} is not a participant of this group`),
					],
				});
				continue;
			}
			group.participants = group.participants.filter((p) => p !== found);
			removed.push(user ? { input, wa_id: found.wa_id } : { input, user_id: found.user_id });
		}
		this.schedule(
			async () =>
				await this.notify(phone, 'group_participants_update', {
					timestamp: String(Math.floor(Date.now() / 1000)),
					group_id: group.id,
					type: 'group_participants_remove',
					initiated_by: 'business',
					removed_participants: removed,
					...(failed.length ? { failed_participants: failed } : {}),
				}),
		);
		return { status: 200, body: { success: true } };
	}

	private numberOf(group: SandboxGroup): number {
		return [...this.byId.keys()].indexOf(group.id) + 1;
	}

	/** Runs a webhook after `webhookDelayMs`, or holds it for `flush()`. */
	private schedule(run: () => Promise<void>): void {
		const entry: Pending = { run };
		this.pending.push(entry);
		if (this.webhookDelayMs === null) return;
		entry.timer = setTimeout(() => {
			const at = this.pending.indexOf(entry);
			if (at < 0) return;
			this.pending.splice(at, 1);
			const running = run().finally(() => this.running.delete(running));
			this.running.add(running);
		}, this.webhookDelayMs);
		entry.timer.unref?.();
	}

	/** Sends one group webhook where the registrations send its field; kept in `notifications`. */
	private async notify(
		phone: SandboxPhoneNumber,
		field: GroupNotification['field'],
		group: Record<string, unknown>,
	): Promise<void> {
		const record: GroupNotification = { field, phoneNumberId: phone.id, group };
		this.notifications.push(record);
		if (!this.sandbox.destinationFor(phone.wabaId, field, phone.id)) {
			record.undelivered = `no callback registered for ${field}`;
			return;
		}
		try {
			record.delivery = await this.sandbox.deliver({
				object: 'whatsapp_business_account',
				entry: [
					{
						id: phone.wabaId,
						changes: [
							{
								field,
								value: {
									messaging_product: 'whatsapp',
									metadata: {
										display_phone_number: phone.display_phone_number,
										phone_number_id: phone.id,
									},
									groups: [group],
								},
							},
						],
					},
				],
			} as never);
		} catch (error) {
			record.undelivered = (error as Error).message;
		}
	}
}

/** A Meta-shaped group ID for the nth group of a business phone. */
function groupId(displayPhone: string, n: number): string {
	const serial = `120363${String(100000000000 + n).padStart(12, '0')}`;
	return Buffer.from(`capi_group:${displayPhone.replace(/\D/g, '')}:${serial}`)
		.toString('base64')
		.replace(/=+$/, 'ZD')
		.replace(/\+/g, '-')
		.replace(/\//g, '_');
}

/** A BSUID-shaped user ID (`US.` and 20 digits), the same for the same phone. */
function bsuidFor(waId: string): string {
	const digits = BigInt(
		`0x${createHash('sha256').update(`bsuid:${waId}`).digest('hex').slice(0, 16)}`,
	);
	return `US.${digits.toString().padStart(20, '0').slice(0, 20)}`;
}

function inviteLink(n: number, version: number): string {
	const code = createHash('sha256').update(`invite:${n}:${version}`).digest('base64');
	return `https://chat.whatsapp.com/${code.replace(/[^A-Za-z0-9]/g, '').slice(0, 22)}`;
}

/** Meta's error entry inside a partial answer (`failed_join_requests[].errors`, `errors`). */
const errorEntry = (code: number, title: string, details: string) => ({
	code,
	title,
	message: title,
	error_data: { details },
});

/** A WhatsApp error with Meta's `error_data.details`. */
const whatsappError = (code: number, message: string, details: string, status = 400): Res =>
	graphError(status, code, message, {
		error_data: { messaging_product: 'whatsapp', details },
		error_user_title: message,
		error_user_msg: details,
	});

const unknownGroup = (id: string) =>
	whatsappError(
		131041,
		'Group not found',
		`Group ${id} does not exist or the business is not a participant`,
		404,
	);

function notOfficial(phone: SandboxPhoneNumber): Res | undefined {
	if (phone.is_official_business_account === true) return undefined;
	return whatsappError(
		131215,
		'Phone number not eligible',
		'Groups are available only to Official Business Accounts',
	);
}

function productOnly(req: Req): Res | undefined {
	const body = req.json;
	if (!body || body.messaging_product !== 'whatsapp')
		return graphError(400, 100, 'The parameter messaging_product is required');
	const unknown = Object.keys(body).filter((k) => k !== 'messaging_product');
	if (unknown.length) return graphError(400, 100, `Param ${unknown[0]} is not a valid parameter`);
	return undefined;
}

function checkTexts(body: Record<string, unknown>): Res | undefined {
	for (const [name, max] of [
		['subject', GROUP_LIMITS.subject],
		['description', GROUP_LIMITS.description],
	] as const) {
		const value = body[name];
		if (value === undefined) continue;
		if (typeof value !== 'string') return graphError(400, 100, `Param ${name} must be a string`);
		if ([...value].length > max)
			return graphError(400, 100, `Param ${name} must be at most ${max} characters long`);
	}
	return undefined;
}

/** JPEG, at most 5 MB, square (131209), at least 192 px a side (131210). */
function checkPicture(bytes: Buffer, contentType?: string): Res | undefined {
	if (bytes.length > GROUP_LIMITS.pictureMaxBytes)
		return graphError(400, 100, 'The profile picture must be at most 5 MB');
	const size = jpegSize(bytes);
	if (!size || (contentType && contentType !== 'image/jpeg'))
		return graphError(400, 100, 'The profile picture must be a JPEG image');
	if (size.width !== size.height)
		return whatsappError(
			131209,
			'Profile picture is not square',
			`The picture is ${size.width}x${size.height} pixels; it must be square`,
		);
	if (size.width < GROUP_LIMITS.pictureMinPixels)
		return whatsappError(
			131210,
			'Profile picture is too small',
			`The picture is ${size.width}x${size.height} pixels; it must be at least ${GROUP_LIMITS.pictureMinPixels}x${GROUP_LIMITS.pictureMinPixels}`,
		);
	return undefined;
}

/** Width and height from a JPEG's start-of-frame marker; undefined when it is not a JPEG. */
export function jpegSize(bytes: Buffer): { width: number; height: number } | undefined {
	if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
	let at = 2;
	while (at + 4 <= bytes.length) {
		if (bytes[at] !== 0xff) return undefined;
		const marker = bytes[at + 1];
		if (marker === 0xff) {
			at++;
			continue;
		}
		if (marker === 0xd9 || marker === 0xda) return undefined;
		const length = bytes.readUInt16BE(at + 2);
		const sof = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
		if (sof && at + 9 <= bytes.length)
			return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
		at += 2 + length;
	}
	return undefined;
}
