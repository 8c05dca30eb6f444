/**
 * `POST /{phone-number-id}/messages`: a send is addressed by `to` (a phone number) or `recipient`
 * (a business-scoped user ID; `to` wins when both are given, neither is refused with code 100),
 * checked against Meta's OpenAPI request schema (./openapi.ts), then the scripted answers play, a read receipt is answered, the kind and its
 * template (exists, approved, parameters as Meta takes them) are checked, the 24-hour window and
 * undeliverable recipients refuse, the faults roll, and the message is taken and recorded.
 */
import type { Faults } from './faults';
import { graphError, type Req, type Res, type SandboxPhoneNumber } from './graph';
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
		/** The key of the closed windows and undeliverable recipients: digits, or the user ID. */
		const key = userId ?? to.replace(/\D/g, '');
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
		if (type === 'template') {
			const problem = this.checkTemplateSend(
				phone.wabaId,
				body.template as Record<string, unknown>,
				userId !== undefined,
			);
			if (problem) return problem;
		}
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
				contacts: [userId ? { input: to, user_id: userId } : { input: to, wa_id: key }],
				messages: [message],
			},
		};
	}

	/**
	 * A template send as Meta checks it: the template exists in that language and is approved, its
	 * text parameters have no new line, tab or run of more than four spaces, and the body gets as many
	 * parameters as it has variables; an authentication template does not go to a user ID.
	 */
	private checkTemplateSend(
		wabaId: string,
		template: Record<string, unknown> | undefined,
		toUserId: boolean,
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
