/**
 * Message templates, as the WhatsApp Business Management API keeps them: list (filtered, paged with
 * cursors), create (Meta's checks, a header sample only as a Resumable Upload handle), delete by
 * name (one language or all), get and edit by ID, and Meta's review, which sends the
 * `message_template_status_update` webhook.
 */
import {
	apiFixture,
	graphError,
	pick,
	SANDBOX_WABA_ID,
	type Delivery,
	type Req,
	type Res,
	type SandboxTemplate,
} from './graph';
import type { GraphSandbox } from './server';

/** Meta's example templates, as `GET /{waba-id}/message_templates` returns them. */
const SEED_TEMPLATES: SandboxTemplate[] = apiFixture<{ data: SandboxTemplate[] }>(
	'template_get_full__meta_docs.json',
).data;

export class Templates {
	private counter = 0;

	/** Seeds the sandbox's templates with Meta's examples (test/fixtures/api/template_get_full__meta_docs.json). */
	constructor(private readonly sandbox: GraphSandbox) {
		for (const t of SEED_TEMPLATES) sandbox.templates.set(t.id, { ...t, wabaId: SANDBOX_WABA_ID });
	}

	/** Adds a template (status APPROVED unless given); returns its ID. */
	add(template: Omit<SandboxTemplate, 'id' | 'wabaId'> & { id?: string; wabaId?: string }): string {
		const id = template.id ?? String(2000000000000000 + ++this.counter);
		this.sandbox.templates.set(id, {
			status: 'APPROVED',
			parameter_format: 'POSITIONAL',
			wabaId: SANDBOX_WABA_ID,
			...template,
			id,
		} as SandboxTemplate);
		return id;
	}

	/**
	 * Meta's review: sets a template's status and sends the `message_template_status_update`
	 * webhook to the app callback, if one is registered.
	 */
	async review(
		id: string,
		status: 'APPROVED' | 'REJECTED',
		reason: string,
	): Promise<Delivery | undefined> {
		const t = this.sandbox.templates.get(id);
		if (!t) throw new Error(`no template ${id}`);
		t.status = status;
		if (!this.sandbox.webhooks.app) return undefined;
		return await this.sandbox.deliver({
			object: 'whatsapp_business_account',
			entry: [
				{
					id: t.wabaId,
					time: Math.floor(Date.now() / 1000),
					changes: [
						{
							field: 'message_template_status_update',
							value: {
								event: status,
								message_template_id: Number(id),
								message_template_name: t.name,
								message_template_language: t.language,
								reason,
								message_template_category: t.category,
							},
						},
					],
				},
			],
		} as never);
	}

	/** `/{waba-id}/message_templates`: GET lists, POST creates, DELETE deletes by name. */
	forAccount(wabaId: string, req: Req): Res {
		const templates = this.sandbox.templates;
		if (req.method === 'GET') {
			const q = (k: string) => req.query.get(k)?.toLowerCase();
			const list = [...templates.values()].filter(
				(t) =>
					t.wabaId === wabaId &&
					(!q('name') || t.name.toLowerCase().includes(q('name')!)) &&
					(!q('status') || q('status')!.split(',').includes(String(t.status).toLowerCase())) &&
					(!q('category') ||
						q('category')!.split(',').includes(String(t.category).toLowerCase())) &&
					(!q('language') || q('language')!.split(',').includes(t.language.toLowerCase())),
			);
			const limit = Math.max(1, Number(req.query.get('limit') ?? 25));
			const start = req.query.get('after')
				? Number(Buffer.from(String(req.query.get('after')), 'base64').toString())
				: 0;
			const page = list.slice(start, start + limit);
			const fields = (req.query.get('fields') ?? 'id,name,status,category,language').split(',');
			const after = Buffer.from(String(start + page.length)).toString('base64');
			return {
				status: 200,
				body: {
					data: page.map((t) => pick(t, fields)),
					paging: {
						cursors: { before: Buffer.from(String(start)).toString('base64'), after },
						...(start + page.length < list.length
							? { next: `${this.sandbox.url}/v25.0/${wabaId}/message_templates?after=${after}` }
							: {}),
					},
				},
			};
		}
		if (req.method === 'POST') {
			const b = req.json ?? {};
			const name = String(b.name ?? '');
			if (!/^[a-z0-9_]{1,512}$/.test(name))
				return graphError(400, 100, 'Invalid parameter', {
					error_subcode: 2388042,
					error_user_msg: 'Template name can only have lowercase letters, numbers and underscores.',
				});
			if (!['MARKETING', 'UTILITY', 'AUTHENTICATION'].includes(String(b.category).toUpperCase()))
				return graphError(400, 100, 'Invalid parameter', {
					error_user_msg: 'Category must be MARKETING, UTILITY or AUTHENTICATION.',
				});
			const components = b.components as Array<Record<string, unknown>> | undefined;
			if (
				!Array.isArray(components) ||
				!components.some((c) => String(c.type).toUpperCase() === 'BODY')
			)
				return graphError(400, 100, 'Invalid parameter', {
					error_user_msg: 'A template needs a BODY component.',
				});
			if (
				[...templates.values()].some(
					(t) => t.wabaId === wabaId && t.name === name && t.language === b.language,
				)
			) {
				return graphError(400, 100, 'Invalid parameter', {
					error_subcode: 2388024,
					error_user_title: 'Message template already exists',
					error_user_msg: `There is already ${b.language} content for this template. You can create a new template and try again.`,
				});
			}
			for (const c of components) {
				const handle = (c.example as { header_handle?: string[] } | undefined)?.header_handle?.[0];
				if (
					String(c.type).toUpperCase() === 'HEADER' &&
					['IMAGE', 'VIDEO', 'DOCUMENT'].includes(String(c.format).toUpperCase())
				) {
					if (
						!handle ||
						![...this.sandbox.uploadSessions.values()].some((u) => u.handle === handle)
					) {
						return graphError(400, 100, 'Invalid parameter', {
							error_user_msg: 'The header sample must be a handle from the Resumable Upload API.',
						});
					}
				}
			}
			const id = String(3000000000000000 + ++this.counter);
			const category = String(b.category).toUpperCase();
			templates.set(id, {
				id,
				wabaId,
				name,
				language: String(b.language),
				category,
				status: 'PENDING',
				parameter_format: String(b.parameter_format ?? 'POSITIONAL').toUpperCase(),
				components: components as SandboxTemplate['components'],
			});
			return { status: 200, body: { id, status: 'PENDING', category } };
		}
		if (req.method === 'DELETE') {
			const name = req.query.get('name');
			const hsm = req.query.get('hsm_id');
			const matches = [...templates.values()].filter(
				(t) => t.wabaId === wabaId && t.name === name && (!hsm || t.id === hsm),
			);
			if (!name || !matches.length)
				return graphError(400, 100, 'Invalid parameter', {
					error_user_msg: `Message template "${name}" was not found.`,
				});
			for (const t of matches) templates.delete(t.id);
			return { status: 200, body: { success: true } };
		}
		return graphError(400, 100, 'Unsupported method');
	}

	/** `/{template-id}`: GET reads the template, POST edits it (as Meta allows by status). */
	byId(id: string, req: Req): Res {
		const t = this.sandbox.templates.get(id)!;
		if (req.method === 'GET')
			return {
				status: 200,
				body: pick(
					t,
					(
						req.query.get('fields') ??
						'id,name,language,status,category,components,parameter_format'
					).split(','),
				),
			};
		if (req.method === 'POST') {
			if (!['APPROVED', 'REJECTED', 'PAUSED'].includes(String(t.status)))
				return graphError(400, 100, 'Invalid parameter', {
					error_user_msg: `A template with status ${t.status} cannot be edited.`,
				});
			const b = req.json ?? {};
			if (b.category && t.status === 'APPROVED' && String(b.category).toUpperCase() !== t.category)
				return graphError(400, 100, 'Invalid parameter', {
					error_user_msg: 'The category of an approved template cannot be changed.',
				});
			if (b.components) t.components = b.components as SandboxTemplate['components'];
			if (b.category) t.category = String(b.category).toUpperCase();
			if (t.status === 'REJECTED') t.status = 'PENDING';
			return { status: 200, body: { success: true } };
		}
		return graphError(400, 100, 'Unsupported method');
	}
}
