/**
 * `POST /{phone-number-id}/messages`: a send is addressed by `to` (a phone number) or `recipient`
 * (a business-scoped user ID; `to` wins when both are given, neither is refused with code 100),
 * checked against Meta's OpenAPI request schema (./openapi.ts), then the scripted answers play, a read receipt is answered, the kind and its
 * template (exists, approved, parameters as Meta takes them) or its carousel or product rules are
 * checked, a user the number blocked (130403), the 24-hour window and undeliverable recipients refuse, the faults roll, and the message
 * is taken and recorded.
 */
import type { Faults } from './faults';
import { graphError, type Req, type Res, type SandboxPhoneNumber } from './graph';
import { looksLikeGroupId, type SandboxGroup } from './groups';
import { checkAgainstOpenApi } from './openapi';
import type { GraphSandbox } from './server';

export class Messages {
	/** When each 131026 for an undeliverable recipient was answered. */
	readonly undeliverableAt: number[] = [];

	private counter = 0;

	constructor(
		private readonly sandbox: GraphSandbox,
		private readonly faults: Faults,
	) {}

	/** A new message ID: `wamid.SBX…` for a send, `wamid.IN…` for a customer's message (one counter). */
	nextId(kind: 'SBX' | 'IN'): string {
		return `wamid.${kind}${(++this.counter).toString(16).padStart(12, '0')}`;
	}

	send(phone: SandboxPhoneNumber, req: Req): Res {
		const { options, scripted, closedWindows, undeliverable, accepted, injected } = this.sandbox;
		const body = req.json;
		if (!body) return graphError(400, 100, 'The request body must be JSON');
		if (body.messaging_product !== 'whatsapp') {
			return graphError(400, 100, 'The parameter messaging_product is required.', {
				error_data: {
					messaging_product: 'whatsapp',
					details: 'messaging_product must be "whatsapp"',
				},
			});
		}
		// Meta answers a send with neither address this way, before any schema problem
		if (body.status === undefined && body.to === undefined && body.recipient === undefined)
			return graphError(400, 100, 'The parameter to is required.');
		const problems = options.strictOpenApi !== false ? checkAgainstOpenApi(body) : [];
		if (problems.length)
			return graphError(400, 100, 'Invalid parameter', {
				error_data: { messaging_product: 'whatsapp', details: problems[0] },
			});
		const script = scripted.shift();
		if (script === 'reset-before') return { status: 0, body: null, reset: true };
		if (script && script !== 'reset-after') return script;
		if (body.status === 'read') {
			if (typeof body.message_id !== 'string')
				return graphError(400, 100, 'The parameter message_id is required.');
			return { status: 200, body: { success: true } };
		}
		const group = this.groupProblem(phone, body);
		if (group && 'status' in group) return group;
		// `to` wins over `recipient`; a user ID answers with user_id and no wa_id
		const userId =
			typeof body.to !== 'string' && typeof body.recipient === 'string'
				? body.recipient
				: undefined;
		const to = typeof body.to === 'string' ? body.to : userId;
		if (!to)
			return graphError(400, 131008, 'Required parameter is missing', {
				error_data: { messaging_product: 'whatsapp', details: 'Parameter to is required' },
			});
		/**
		 * The key of the closed windows and undeliverable recipients: digits, or the user ID; a
		 * group's window is the group's (any participant's message opens it for all), by its ID.
		 */
		const key = group ? to : (userId ?? to.replace(/\D/g, ''));
		const type = typeof body.type === 'string' ? body.type : 'text';
		if (!body[type] || typeof body[type] !== 'object') {
			return graphError(400, 131008, 'Required parameter is missing', {
				error_data: { messaging_product: 'whatsapp', details: `Parameter ${type} is required` },
			});
		}
		if (type === 'text') {
			const text = body.text as { body?: unknown };
			if (typeof text.body !== 'string' || !text.body.length)
				return graphError(400, 100, 'Invalid parameter', {
					error_data: { messaging_product: 'whatsapp', details: 'text.body is required' },
				});
			if ([...text.body].length > 4096)
				return graphError(400, 100, 'Invalid parameter', {
					error_data: {
						messaging_product: 'whatsapp',
						details: 'text.body is too long: max 4096 characters',
					},
				});
		}
		if (group && !GROUP_TYPES.has(type)) return notInGroups(`Message type ${type}`);
		if (type === 'template') {
			const problem = this.checkTemplateSend(
				phone.wabaId,
				body.template as Record<string, unknown>,
				userId !== undefined,
				group !== undefined,
			);
			if (problem) return problem;
		}
		if (type === 'interactive') {
			const interactive = body.interactive as Record<string, unknown>;
			const problem = carouselOrCommerceProblem(interactive) ?? callingProblem(interactive);
			if (problem) return problem;
		}
		// a user this number blocked gets nothing, of any kind (the wording of Meta's message is ours)
		if (this.sandbox.blockUsers.isBlocked(phone.id, key))
			return graphError(400, 130403, 'Recipient blocked', {
				error_data: {
					messaging_product: 'whatsapp',
					details: 'This business phone number has blocked the recipient: unblock them to send.',
				},
			});
		if (type !== 'template' && type !== 'reaction' && closedWindows.has(key)) {
			return graphError(400, 131047, 'Re-engagement message', {
				error_data: {
					messaging_product: 'whatsapp',
					details:
						'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
				},
			});
		}
		if (undeliverable.has(key)) {
			this.undeliverableAt.push(Date.now());
			return graphError(400, 131026, 'Message undeliverable', {
				error_data: {
					messaging_product: 'whatsapp',
					details:
						'Message failed to send because the recipient is not a WhatsApp user or has not accepted the latest terms.',
				},
			});
		}
		const fault = this.faults.beforeSend(phone.id) ?? this.faults.pairRate(phone.id, to);
		if (fault) return fault;
		// Meta counts call permission requests per number and customer (1 a day, 2 a week)
		if (
			type === 'interactive' &&
			(body.interactive as Record<string, unknown>).type === 'call_permission_request'
		) {
			const limited = this.sandbox.callPermissions.request(phone.id, key);
			if (limited) return limited;
		}
		const id = this.nextId('SBX');
		accepted.push({ id, phoneNumberId: phone.id, body, at: Date.now() });
		const resetAfter = script === 'reset-after' || this.faults.resetAfter();
		if (resetAfter) {
			if (script !== 'reset-after') injected.resetAfter++;
			return { status: 0, body: null, reset: true };
		}
		const message: Record<string, unknown> = { id };
		if (type === 'template') message.message_status = 'accepted';
		return {
			status: 200,
			body: {
				messaging_product: 'whatsapp',
				// a group is answered with its ID in wa_id, as in Meta's samples
				contacts: [
					userId ? { input: to, user_id: userId } : { input: to, wa_id: group ? to : key },
				],
				messages: [message],
			},
		};
	}

	/**
	 * A send to a group, as Meta checks it: `recipient_type: group` needs `to` to be a group of this
	 * number (else 131041), not suspended (131207); a group ID in `to` with any other recipient
	 * type is a mismatch Meta refuses at once. Returns the group for a group send, an error to
	 * answer, or undefined for a send to a customer.
	 */
	private groupProblem(
		phone: SandboxPhoneNumber,
		body: Record<string, unknown>,
	): SandboxGroup | Res | undefined {
		const to = typeof body.to === 'string' ? body.to : undefined;
		if (body.recipient_type !== 'group') {
			if (to !== undefined && (this.sandbox.groups.get(to) || looksLikeGroupId(to)))
				return graphError(400, 100, 'Invalid parameter', {
					error_data: {
						messaging_product: 'whatsapp',
						details: `to is a group ID, but recipient_type is ${JSON.stringify(body.recipient_type ?? 'individual')}: send to a group with recipient_type group`,
					},
				});
			return undefined;
		}
		if (to === undefined)
			return graphError(400, 100, 'Invalid parameter', {
				error_data: {
					messaging_product: 'whatsapp',
					details: 'A message with recipient_type group needs the group ID in to',
				},
			});
		const group = this.sandbox.groups.get(to);
		if (!group || group.phoneNumberId !== phone.id)
			return graphError(404, 131041, 'Group not found', {
				error_data: {
					messaging_product: 'whatsapp',
					details: `Group ${to} does not exist or the business is not a participant`,
				},
			});
		if (group.suspended)
			return graphError(400, 131207, 'Group suspended', {
				error_data: {
					messaging_product: 'whatsapp',
					details: `Group ${to} is suspended and cannot receive messages`,
				},
			});
		return group;
	}

	/**
	 * A template send as Meta checks it: the template exists in that language and is approved, its
	 * text parameters have no new line, tab or run of more than four spaces, and the body gets as many
	 * parameters as it has variables; an authentication template does not go to a user ID. The
	 * Marketing Messages API (marketing.ts) checks its templates the same way.
	 */
	checkTemplateSend(
		wabaId: string,
		template: Record<string, unknown> | undefined,
		toUserId: boolean,
		toGroup = false,
	): Res | undefined {
		const name = String(template?.name ?? '');
		const language = String((template?.language as { code?: string } | undefined)?.code ?? '');
		const t = [...this.sandbox.templates.values()].find(
			(x) => x.wabaId === wabaId && x.name === name && x.language === language,
		);
		if (!t || t.status !== 'APPROVED') {
			return graphError(404, 132001, 'Template name does not exist in the translation', {
				error_data: {
					messaging_product: 'whatsapp',
					details: `template name (${name}) does not exist in ${language}${t ? ` (status ${t.status})` : ''}`,
				},
			});
		}
		if (toUserId && String(t.category).toUpperCase() === 'AUTHENTICATION')
			return graphError(
				400,
				131062,
				'Business-scoped User ID (BSUID) recipients are not supported for this message',
				{
					error_data: {
						messaging_product: 'whatsapp',
						details: 'Authentication templates cannot be sent to a business-scoped user ID.',
					},
				},
			);
		if (toGroup) {
			const problem = groupTemplateProblem(t.category, t.components);
			if (problem) return notInGroups(`A template that ${problem}`);
		}
		const components =
			(template?.components as Array<{ type: string; parameters?: unknown[] }> | undefined) ?? [];
		// Meta refuses text parameters with a new line, a tab or more than four spaces in a row
		for (const component of components) {
			if (component.type !== 'header' && component.type !== 'body') continue;
			for (const parameter of (component.parameters ?? []) as Array<{
				type?: string;
				text?: unknown;
			}>) {
				if (
					parameter.type === 'text' &&
					typeof parameter.text === 'string' &&
					/[\n\t]| {5,}/.test(parameter.text)
				) {
					return graphError(
						400,
						132018,
						'There was an issue with the parameters in your template.',
						{
							error_data: {
								messaging_product: 'whatsapp',
								details:
									'Param text cannot have new-line/tab characters or more than 4 consecutive spaces',
							},
						},
					);
				}
			}
		}
		const bodyText = t.components.find((c) => String(c.type).toUpperCase() === 'BODY')?.text as
			| string
			| undefined;
		const expected = new Set(
			[...(bodyText ?? '').matchAll(/\{\{\s*([a-z0-9_]+)\s*\}\}/g)].map((m) => m[1]),
		).size;
		const sent = components.find((c) => c.type === 'body')?.parameters?.length ?? 0;
		if (bodyText !== undefined && expected !== sent) {
			return graphError(
				400,
				132000,
				'Number of parameters does not match the expected number of params',
				{
					error_data: {
						messaging_product: 'whatsapp',
						details: `body: number of localizable_params (${sent}) does not match the expected number of params (${expected})`,
					},
				},
			);
		}
		return undefined;
	}
}

/** The message types a group takes: text, media and templates (of text or a media header). */
const GROUP_TYPES = new Set(['text', 'image', 'video', 'document', 'audio', 'sticker', 'template']);

/**
 * Meta's refusal of a kind of message a group does not take. Meta does not document the code it
 * answers with; the sandbox answers 131009 (a parameter value that is not valid), with details
 * that name what groups do not support.
 */
const notInGroups = (what: string): Res =>
	graphError(400, 131009, 'Parameter value is not valid', {
		error_data: {
			messaging_product: 'whatsapp',
			details: `${what} is not supported for group messages`,
		},
	});

/**
 * What keeps an approved template from a group, as Meta's list of what groups do not support
 * reads (authentication, carousels, commerce, Flows, calls, headers other than text or media), or
 * undefined. The sandbox's own statement, apart from the node's (actions/message/groups.ts).
 */
function groupTemplateProblem(category: unknown, components: Array<Json>): string | undefined {
	if (String(category).toUpperCase() === 'AUTHENTICATION') return 'is an authentication template';
	for (const c of components) {
		const type = String(c.type).toUpperCase();
		if (type === 'CAROUSEL') return 'is a carousel';
		if (
			type === 'HEADER' &&
			!['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT'].includes(String(c.format).toUpperCase())
		)
			return `has a ${String(c.format).toLowerCase()} header`;
		for (const b of (c.buttons as Json[] | undefined) ?? []) {
			const kind = String(b.type).toUpperCase();
			if (['CATALOG', 'MPM', 'SPM', 'OTP', 'FLOW', 'VOICE_CALL'].includes(kind))
				return `has a ${kind.toLowerCase()} button`;
		}
	}
	return undefined;
}

type Json = Record<string, unknown>;
const filled = (v: unknown) => typeof v === 'string' && v.length > 0;
const chars = (v: unknown) => (typeof v === 'string' ? [...v].length : 0);

/** Meta's answers to a parameter that is missing, not allowed, or of a value it does not take. */
const missing = (details: string) =>
	graphError(400, 131008, 'Required parameter is missing', {
		error_data: { messaging_product: 'whatsapp', details },
	});
const notAllowed = (details: string) =>
	graphError(400, 100, 'Invalid parameter', {
		error_data: { messaging_product: 'whatsapp', details },
	});
const invalid = (details: string) =>
	graphError(400, 131009, 'Parameter value is not valid', {
		error_data: { messaging_product: 'whatsapp', details },
	});

/**
 * The rules of carousels (media and product cards), single- and multi-product messages and catalog
 * messages that the OpenAPI schema (./openapi.ts) does not carry: what must be there, what may not,
 * and the limits that span fields or cards. Other interactive kinds pass unchecked here.
 */
function carouselOrCommerceProblem(interactive: Json): Res | undefined {
	const type = interactive.type;
	const body = interactive.body as Json | undefined;
	if (type === 'carousel') {
		if (!body) return missing('Parameter interactive.body is required for a carousel');
		for (const part of ['header', 'footer'])
			if (part in interactive)
				return notAllowed(`interactive.${part} is not supported in a carousel message`);
		const cards = interactive.action && ((interactive.action as Json).cards as Json[]);
		if (!Array.isArray(cards)) return missing('Parameter interactive.action.cards is required');
		const kinds = new Set(cards.map((c) => c.type));
		if (kinds.size > 1)
			return invalid('All carousel cards must be of one type: cta_url or product');
		const indexes = cards.map((c) => c.card_index).sort((a, b) => Number(a) - Number(b));
		if (indexes.some((n, i) => n !== i))
			return invalid(
				`card_index must number the ${cards.length} cards from 0 to ${cards.length - 1}, each once`,
			);
		return kinds.has('product') ? productCardsProblem(cards) : mediaCardsProblem(cards);
	}
	if (type === 'product') {
		if ('header' in interactive)
			return notAllowed('interactive.header is not supported in a single product message');
		if (!filled((interactive.action as Json | undefined)?.product_retailer_id))
			return missing('Parameter interactive.action.product_retailer_id is required');
		return undefined;
	}
	if (type === 'product_list') {
		const header = interactive.header as Json | undefined;
		if (!header) return missing('Parameter interactive.header is required for product_list');
		if (header.type !== 'text' || !filled(header.text))
			return invalid('The header of a product_list message must be text');
		if (!body) return missing('Parameter interactive.body is required for product_list');
		const sections = ((interactive.action as Json | undefined)?.sections ?? []) as Json[];
		let products = 0;
		for (const [i, section] of sections.entries()) {
			const items = section.product_items;
			if (!Array.isArray(items) || !items.length)
				return missing(`Parameter sections[${i}].product_items is required`);
			products += items.length;
			if (sections.length > 1 && !filled(section.title))
				return missing(
					`Parameter sections[${i}].title is required when there is more than one section`,
				);
		}
		// Meta counts the 30 over the message; the schema only limits each section
		if (products > 30)
			return invalid(`A product_list message may have at most 30 products; it has ${products}`);
		return undefined;
	}
	if (type === 'catalog_message' && !body)
		return missing('Parameter interactive.body is required for catalog_message');
	return undefined;
}

/**
 * Media cards: an image or video header by link (the only way Meta documents; a media ID is
 * refused here since it is not confirmed to work), an optional body of at most 160 characters and
 * 2 line breaks, and the same buttons on every card: one URL button, or the same number (1 to 3,
 * the most any reference gives) of quick replies.
 */
function mediaCardsProblem(cards: Json[]): Res | undefined {
	let first: string | undefined;
	for (const card of cards) {
		const n = Number(card.card_index);
		const header = card.header as Json | undefined;
		if (!header) return missing(`Parameter cards[${n}].header is required`);
		if (header.type !== 'image' && header.type !== 'video')
			return invalid(`cards[${n}].header.type must be image or video`);
		const media = header[header.type] as Json | undefined;
		if (!media || !filled(media.link) || !/^https:\/\//i.test(String(media.link)))
			return invalid(`cards[${n}].header.${header.type} needs a public https link`);
		const text = (card.body as Json | undefined)?.text;
		if (chars(text) > 160) return invalid(`cards[${n}].body.text is too long: max 160 characters`);
		if (String(text ?? '').split(/\r\n|\r|\n/).length > 3)
			return invalid(`cards[${n}].body.text may have at most 2 line breaks`);
		const action = (card.action ?? {}) as Json;
		const buttons = action.buttons;
		let these: string;
		if (Array.isArray(buttons)) {
			if (buttons.length > 3)
				return invalid(`cards[${n}].action.buttons: at most 3 quick-reply buttons per card`);
			these = `${buttons.length} quick_reply`;
		} else {
			const url = (action.parameters as Json | undefined)?.url;
			if (action.name !== 'cta_url' || !filled(url) || !/^https?:\/\/\S+$/i.test(String(url)))
				return invalid(`cards[${n}].action needs one cta_url button with a valid url`);
			these = '1 cta_url';
		}
		first ??= these;
		if (these !== first)
			return invalid(
				`All carousel cards must have the same buttons: card ${n} has ${these}, card 0 has ${first}`,
			);
	}
	return undefined;
}

/** Product cards: a product of one and the same catalog each, no header, body or buttons. */
function productCardsProblem(cards: Json[]): Res | undefined {
	const catalogs = new Set<unknown>();
	for (const card of cards) {
		const n = Number(card.card_index);
		for (const part of ['header', 'body'])
			if (part in card) return notAllowed(`cards[${n}].${part} is not supported on a product card`);
		const action = (card.action ?? {}) as Json;
		if ('buttons' in action || 'name' in action)
			return notAllowed(`cards[${n}].action may only name a product`);
		if (!filled(action.product_retailer_id) || !filled(action.catalog_id))
			return missing(
				`Parameter cards[${n}].action.product_retailer_id and catalog_id are required`,
			);
		catalogs.add(action.catalog_id);
	}
	if (catalogs.size > 1) return invalid('All product cards must use the same catalog_id');
	return undefined;
}

/**
 * The calling entry points as our reference for the Calling API has them: a voice_call message has
 * a body and no header or footer (Meta shows only a body), its button text at most 20 characters,
 * its time to live 1 to 43,200 minutes and its payload at most 512; a call permission request has
 * an optional body and never a header or footer.
 */
function callingProblem(interactive: Json): Res | undefined {
	const type = interactive.type;
	if (type !== 'voice_call' && type !== 'call_permission_request') return undefined;
	for (const part of ['header', 'footer'])
		if (part in interactive)
			return notAllowed(`interactive.${part} is not supported in a ${String(type)} message`);
	if (type === 'call_permission_request') return undefined;
	if (!filled((interactive.body as Json | undefined)?.text))
		return missing('Parameter interactive.body is required for voice_call');
	const parameters = ((interactive.action as Json | undefined)?.parameters ?? {}) as Json;
	if (
		'display_text' in parameters &&
		(!filled(parameters.display_text) || chars(parameters.display_text) > 20)
	)
		return invalid('action.parameters.display_text must be 1 to 20 characters');
	const ttl = parameters.ttl_minutes;
	if (ttl !== undefined && !(Number.isInteger(ttl) && Number(ttl) >= 1 && Number(ttl) <= 43200))
		return invalid('action.parameters.ttl_minutes must be a whole number from 1 to 43200');
	if ('payload' in parameters && chars(parameters.payload) > 512)
		return invalid('action.parameters.payload is too long: max 512 characters');
	return undefined;
}
