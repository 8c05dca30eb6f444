/**
 * `/{phone-number-id}/block_users`: a number's block list. POST blocks and DELETE unblocks (the same
 * body: `messaging_product` and `block_users`, each user as `user`, a phone number, or `user_id`, a
 * business-scoped user ID; `user` wins when both are given), GET lists it with cursors. As Meta:
 * at most 1,000 users a request, at most 64,000 on a list (139101), only users who wrote to the
 * number in the last 24 hours can be blocked (131047), a parent user ID is refused, the number
 * itself too (131021), and a request in which some users failed answers 139100 together with the
 * lists of users done and failed. A cursor of a list that changed since is refused with 139102.
 * The wording of Meta's messages for these is not published everywhere: where it is not, it is ours.
 */
import { graphError, refusedBySchema, type Req, type Res, type SandboxPhoneNumber } from './graph';
import type { GraphSandbox } from './server';

/** A user on a block list: the phone (digits) and the user ID, as far as the sandbox knows them. */
export type SandboxBlockedUser = { wa_id?: string; user_id?: string };

type MetaError = { message: string; code: number; error_data: { details: string } };

const MAX_PER_REQUEST = 1000;
const MAX_LIST = 64000;
const WINDOW_MS = 24 * 60 * 60 * 1000;
/** A business-scoped user ID, and a parent one (`US.ENT.…`). */
const BSUID = /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/;
const PARENT = /^[A-Z]{2}\.ENT\./;

export class BlockUsers {
	/** By phone number ID, in the order the users were blocked. */
	readonly lists = new Map<string, SandboxBlockedUser[]>();

	/** When each customer (digits, or user ID) last wrote to each number, by phone number ID. */
	readonly wrote = new Map<string, Map<string, number>>();

	/** A customer's phone (digits) and user ID, once a message showed both. */
	private readonly known = new Map<string, SandboxBlockedUser>();

	/** Bumped on every change of a list: a cursor of an older version is refused (139102). */
	private readonly versions = new Map<string, number>();

	/** Runs once, right after the next page of a list is served: a change while a client pages. */
	afterNextPage?: () => void;

	/** Answers for the next block and unblock requests, consumed in order (e.g. 139103). */
	readonly scripted: Res[] = [];

	constructor(private readonly sandbox: GraphSandbox) {}

	reset(): void {
		this.lists.clear();
		this.wrote.clear();
		this.known.clear();
		this.versions.clear();
		this.afterNextPage = undefined;
		this.scripted.length = 0;
	}

	/**
	 * A customer wrote to a number (`phone`: digits or with `+`; `userId`: their BSUID): from then on
	 * for 24 hours the number may block them. `at` plays a message written earlier.
	 */
	customerWrote(
		phoneNumberId: string,
		customer: { phone?: string; userId?: string },
		at = Date.now(),
	): void {
		let times = this.wrote.get(phoneNumberId);
		if (!times) this.wrote.set(phoneNumberId, (times = new Map()));
		const digits = customer.phone ? customer.phone.replace(/\D/g, '') : undefined;
		const who: SandboxBlockedUser = {
			...(digits ? { wa_id: digits } : {}),
			...(customer.userId ? { user_id: customer.userId } : {}),
		};
		for (const key of [digits, customer.userId]) {
			if (!key) continue;
			times.set(key, at);
			this.known.set(key, { ...this.known.get(key), ...who });
		}
	}

	/** Puts users on a number's list without a request (to fill it up), as their digits or user IDs. */
	seed(phoneNumberId: string, keys: string[]): void {
		const list = this.list(phoneNumberId);
		for (const key of keys)
			list.push(BSUID.test(key) ? { user_id: key } : { wa_id: key.replace(/\D/g, '') });
		this.bump(phoneNumberId);
	}

	/** Whether a number blocked this customer (digits, or user ID): a send to them gets 130403. */
	isBlocked(phoneNumberId: string, key: string): boolean {
		const who = this.known.get(key);
		return this.list(phoneNumberId).some(
			(u) =>
				u.wa_id === key ||
				u.user_id === key ||
				(who?.wa_id !== undefined && u.wa_id === who.wa_id) ||
				(who?.user_id !== undefined && u.user_id === who.user_id),
		);
	}

	route(phone: SandboxPhoneNumber, req: Req): Res {
		if (req.method === 'GET') return this.page(phone.id, req);
		if (req.method === 'POST' || req.method === 'DELETE') return this.change(phone, req);
		return graphError(400, 100, `Unsupported ${req.method.toLowerCase()} request.`);
	}

	private change(phone: SandboxPhoneNumber, req: Req): Res {
		const body = req.json;
		if (!body) return graphError(400, 100, 'The request body must be JSON');
		// Meta's OpenAPI schema names only `user` in an entry; it does not forbid `user_id`, which
		// Meta's block users page documents for a business-scoped user ID, so both pass it
		const refused = refusedBySchema(`${req.method} /{Version}/{Phone-Number-ID}/block_users`, body);
		if (refused) return refused;
		const unknown = Object.keys(body).filter(
			(k) => k !== 'messaging_product' && k !== 'block_users',
		);
		if (unknown.length) return graphError(400, 100, `Param ${unknown[0]} is not a valid parameter`);
		if (body.messaging_product !== 'whatsapp')
			return graphError(400, 100, 'The parameter messaging_product is required.', {
				error_data: { details: 'messaging_product must be "whatsapp"' },
			});
		const entries = body.block_users;
		if (!Array.isArray(entries) || !entries.length)
			return graphError(400, 100, 'The parameter block_users is required.', {
				error_data: { details: 'block_users must be a non-empty array of users' },
			});
		if (entries.length > MAX_PER_REQUEST)
			return graphError(400, 100, 'Invalid parameter', {
				error_data: {
					details: `block_users may name at most ${MAX_PER_REQUEST} users in one request; it names ${entries.length}`,
				},
			});
		for (const entry of entries) {
			const e = entry as Record<string, unknown> | null;
			if (!e || typeof e !== 'object' || Array.isArray(e))
				return graphError(400, 100, 'Invalid parameter', {
					error_data: { details: 'Each entry of block_users must be an object' },
				});
			const bad = Object.keys(e).find((k) => k !== 'user' && k !== 'user_id');
			if (bad) return graphError(400, 100, `Param block_users[].${bad} is not a valid parameter`);
			if (typeof e.user !== 'string' && typeof e.user_id !== 'string')
				return graphError(400, 100, 'Invalid parameter', {
					error_data: { details: 'Each entry of block_users needs user or user_id' },
				});
		}
		const script = this.scripted.shift();
		if (script) return script;
		const blocking = req.method === 'POST';
		const list = this.list(phone.id);
		const done: Array<Record<string, string>> = [];
		const failed: Array<{ input: string; errors: MetaError[] }> = [];
		const toAdd: SandboxBlockedUser[] = [];
		const own = phone.display_phone_number.replace(/\D/g, '');
		const times = this.wrote.get(phone.id);
		for (const entry of entries as Array<{ user?: string; user_id?: string }>) {
			// `user` wins over `user_id`, as Meta reads them
			const byPhone = typeof entry.user === 'string';
			const input = byPhone ? String(entry.user) : String(entry.user_id);
			const fail = (code: number, message: string, details: string) =>
				failed.push({ input, errors: [{ message, code, error_data: { details } }] });
			if (byPhone && !/^\+?\d{7,15}$/.test(input)) {
				fail(100, 'Invalid parameter', 'user must be a phone number with the country code');
				continue;
			}
			if (!byPhone && PARENT.test(input)) {
				fail(
					100,
					'Invalid parameter',
					'A parent business-scoped user ID cannot be blocked or unblocked: use user_id',
				);
				continue;
			}
			if (!byPhone && !BSUID.test(input)) {
				fail(100, 'Invalid parameter', 'user_id must be a business-scoped user ID');
				continue;
			}
			const key = byPhone ? input.replace(/\D/g, '') : input;
			if (key === own) {
				fail(131021, 'Recipient cannot be sender', 'A number cannot block or unblock itself');
				continue;
			}
			const who = { ...this.known.get(key), ...(byPhone ? { wa_id: key } : { user_id: key }) };
			const answer = { input, ...(byPhone ? { wa_id: key } : { user_id: key }) };
			if (!blocking) {
				// unblocking someone not on the list is taken as done (Meta's answer to it is not documented)
				const at = list.findIndex((u) => (byPhone ? u.wa_id === key : u.user_id === key));
				if (at >= 0) list.splice(at, 1);
				done.push(answer);
				continue;
			}
			const last = times?.get(key);
			if (last === undefined || Date.now() - last > WINDOW_MS) {
				fail(
					131047,
					'Re-engagement message',
					'The user can be blocked only within 24 hours of their last message to this number.',
				);
				continue;
			}
			const already = list.some((u) => (byPhone ? u.wa_id === key : u.user_id === key));
			if (!already && !toAdd.some((u) => (byPhone ? u.wa_id === key : u.user_id === key)))
				toAdd.push(who);
			done.push(answer);
		}
		if (list.length + toAdd.length > MAX_LIST)
			return graphError(400, 139101, 'Blocklist limit reached', {
				error_data: {
					details: `The block list of this number holds at most ${MAX_LIST} users`,
				},
			});
		list.push(...toAdd);
		if (toAdd.length || !blocking) this.bump(phone.id);
		const lists = {
			[blocking ? 'added_users' : 'removed_users']: done,
			...(failed.length ? { failed_users: failed } : {}),
		};
		if (!failed.length)
			return { status: 200, body: { messaging_product: 'whatsapp', block_users: lists } };
		const error = graphError(400, 139100, 'Failed to block/unblock users', {
			error_data: {
				details:
					'Failed to block/unblock some users, see the block_users response list for details',
			},
		});
		return {
			status: 400,
			body: { messaging_product: 'whatsapp', block_users: lists, ...(error.body as object) },
		};
	}

	/** `GET …/block_users?limit=&after=`: pages with cursors that hold the list's version. */
	private page(phoneNumberId: string, req: Req): Res {
		const unknown = [...req.query.keys()].filter(
			(k) => !['limit', 'after', 'before', 'access_token', 'appsecret_proof'].includes(k),
		);
		if (unknown.length) return graphError(400, 100, `Param ${unknown[0]} is not a valid parameter`);
		const raw = req.query.get('limit');
		const limit = raw === null ? 100 : Number(raw);
		if (!Number.isInteger(limit) || limit < 1)
			return graphError(400, 100, 'Param limit must be a positive integer');
		const version = this.versions.get(phoneNumberId) ?? 0;
		let start = 0;
		const after = req.query.get('after');
		if (after) {
			const [v, offset] = Buffer.from(after, 'base64').toString().split(':').map(Number);
			if (!Number.isInteger(v) || !Number.isInteger(offset))
				return graphError(400, 100, 'Invalid cursor');
			if (v !== version)
				return graphError(400, 139102, 'Blocklist concurrent update', {
					error_data: {
						details: 'The block list changed while it was being read: read it again from the start',
					},
				});
			start = offset;
		}
		const all = this.list(phoneNumberId);
		const page = all.slice(start, start + limit);
		const cursor = (n: number) => Buffer.from(`${version}:${n}`).toString('base64');
		const more = start + page.length < all.length;
		const hook = this.afterNextPage;
		this.afterNextPage = undefined;
		hook?.();
		return {
			status: 200,
			body: {
				data: page.map((u) => ({ messaging_product: 'whatsapp', ...u })),
				...(page.length
					? {
							paging: {
								cursors: { before: cursor(start), after: cursor(start + page.length) },
								...(more
									? {
											next: `${this.sandbox.url}/v25.0/${phoneNumberId}/block_users?limit=${limit}&after=${cursor(start + page.length)}`,
										}
									: {}),
							},
						}
					: {}),
			},
		};
	}

	private list(phoneNumberId: string): SandboxBlockedUser[] {
		let list = this.lists.get(phoneNumberId);
		if (!list) this.lists.set(phoneNumberId, (list = []));
		return list;
	}

	private bump(phoneNumberId: string): void {
		this.versions.set(phoneNumberId, (this.versions.get(phoneNumberId) ?? 0) + 1);
	}
}
