/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * Checks a `POST /{phone-number-id}/messages` body against the request schema of Meta's official
 * OpenAPI document (test/fixtures/openapi/send-message.schema.json, extracted verbatim by
 * tools/extract-openapi.mjs), so the sandbox refuses every body Meta's reference does not allow.
 *
 * The document is an OpenAPI 3.1 one, so its schemas are JSON Schema 2020-12 in the OAS dialect:
 * `format` is an annotation (not checked), and a `discriminator` picks the schema a value is checked
 * against. The validator below covers exactly the keywords the fixture uses and refuses to load a
 * schema with any other, so nothing in Meta's schema is silently skipped.
 *
 * Where the document contradicts itself or Meta's documented examples, the choice we make is in
 * CONTRADICTIONS, one entry each, saying what each side says, which side we follow and why. An
 * entry that follows the docs changes the schema (`patch`); an entry that follows the OpenAPI
 * schema lists Meta's examples it therefore refuses (`examples`, checked by test/sandbox/openapi.test.ts).
 */
import { readFileSync } from 'fs';
import path from 'path';

/** A JSON Schema object: the keywords the validator checks, typed; anything else is an annotation. */
type Schema = {
	$ref?: string;
	type?: string | string[];
	enum?: unknown[];
	properties?: Record<string, Schema>;
	required?: string[];
	additionalProperties?: boolean | Schema;
	allOf?: Schema[];
	anyOf?: Schema[];
	oneOf?: Schema[];
	if?: Schema;
	then?: Schema;
	else?: Schema;
	items?: Schema;
	minItems?: number;
	maxItems?: number;
	maxLength?: number;
	minLength?: number;
	minimum?: number;
	maximum?: number;
	pattern?: string;
	discriminator?: { propertyName: string; mapping?: Record<string, string>; 'x-default'?: string };
	$defs?: Record<string, Schema>;
	[annotation: string]: unknown;
};
type Body = Record<string, unknown>;
/** A body's template components, for the example fixes below. */
const components = (body: Body) => (body.template as { components: Body[] }).components;
type Segment = string | number;
type Problem = { at: Segment[]; message: string; kind: string };

/** What Meta's examples for this body look like: `{ name: body }` (send-message.examples.json). */
export type MetaExamples = Record<string, Record<string, unknown>>;

export type Contradiction = {
	id: string;
	/** What Meta's OpenAPI document says. */
	openapi: string;
	/** What Meta's docs or examples say, naming the page, example or library it comes from. */
	docs: string;
	follow: 'docs' | 'openapi';
	why: string;
	/** Applied to the fixture before use, when we follow the docs. */
	patch?: (root: Schema) => void;
	/** Meta's OpenAPI examples this choice refuses: their problems, and the edit that makes them pass. */
	examples?: Array<{ name: string; problems: string[]; fix: (body: Body) => void }>;
};

const FIXTURE = path.join(__dirname, '../../test/fixtures/openapi/send-message.schema.json');

const ref = (name: string) => ({ $ref: `#/$defs/${name}` });
const defs = (root: Schema): Record<string, Schema> => root.$defs!;
/** The sub-schema of an `allOf: [base, extension]` definition that holds the extension. */
const extension = (schema: Schema): Schema => schema.allOf!.find((s) => !s.$ref)!;
/** The enum of a property, to add values Meta documents. */
const enumOf = (schema: Schema, property: string): unknown[] => schema.properties![property].enum!;

export const CONTRADICTIONS: Contradiction[] = [
	{
		id: 'recipient_type is optional',
		openapi: 'BaseMessageProperties.required lists recipient_type.',
		docs: 'Meta\'s send-messages reference: "individual" is the default. Meta\'s own OpenAPI examples "Send Contact Message", "Send Flow Template Message", "Send Sample Issue Resolution Template", "Send Test Message" and "Send Text Message with Preview URL" leave it out.',
		follow: 'docs',
		why: 'Meta documents a default and its own examples rely on it.',
		patch: (root) => {
			const base = defs(root).BaseMessageProperties;
			base.required = base.required!.filter((k) => k !== 'recipient_type');
		},
	},
	{
		id: 'type is optional and defaults to text',
		openapi:
			'BaseMessageProperties.required lists type, and Message picks the message kind by type (discriminator).',
		docs: 'Meta\'s messages reference: type is optional, "if omitted, defaults to text"; the OpenAPI example "Send Text Message with Preview URL" leaves it out, and the sandbox reads a missing type as text.',
		follow: 'docs',
		why: 'Meta documents the default and its own example relies on it. A body without type is checked as a text message.',
		patch: (root) => {
			const base = defs(root).BaseMessageProperties;
			base.required = base.required!.filter((k) => k !== 'type');
			defs(root).Message.discriminator!['x-default'] = 'text';
		},
	},
	{
		id: 'biz_opaque_callback_data is allowed',
		openapi:
			'BaseMessageProperties has no biz_opaque_callback_data, and every message kind but template is closed (additionalProperties: false).',
		docs: 'Meta\'s send-messages reference: optional biz_opaque_callback_data, a string of at most 512, echoed in status webhooks. The node sends it when "Callback Data" is set.',
		follow: 'docs',
		why: 'A documented field of the common envelope; the OpenAPI document simply lacks it.',
		patch: (root) => {
			defs(root).BaseMessageProperties.properties!.biz_opaque_callback_data = {
				type: 'string',
				maxLength: 512,
				description:
					"Added from Meta's send-messages docs (dev/sandbox/openapi.ts): echoed back in status webhooks.",
			};
		},
	},
	{
		id: 'each message kind is one closed object with the common envelope',
		openapi:
			'Every kind but template is allOf [BaseMessageProperties, { additionalProperties: false, properties: { type, <kind> } }]. In JSON Schema 2020-12 additionalProperties only sees the properties of its own sub-schema, so messaging_product, to, recipient_type and context are "additional" and every body fails, all 50 of Meta\'s own examples included.',
		docs: "Meta's send-messages reference and every example: the envelope fields sit next to type and the kind object.",
		follow: 'docs',
		why: 'The evident intent is "the envelope plus this kind, nothing else", so each kind is merged into one object with the union of properties and required keys, still closed. It runs after the envelope entries above, which it copies.',
		patch: (root) => {
			for (const [name, schema] of Object.entries(defs(root))) {
				const parts = schema.allOf?.map((s) =>
					s.$ref ? defs(root)[s.$ref.slice('#/$defs/'.length)] : s,
				);
				if (!parts?.some((p) => p.additionalProperties === false)) continue;
				defs(root)[name] = {
					type: 'object',
					properties: Object.assign({}, ...parts.map((p) => p.properties)) as Record<
						string,
						Schema
					>,
					required: [...new Set(parts.flatMap((p) => p.required ?? []))],
					additionalProperties: false,
				};
			}
		},
	},
	{
		id: 'mark as read and typing indicator',
		openapi:
			'The request body schema is Message only, which has no status, message_id or typing_indicator; yet the endpoint\'s example "Send typing indicator and read receipt" is { messaging_product, status: "read", message_id, typing_indicator: { type: "text" } }.',
		docs: 'Meta\'s mark-as-read and typing-indicator docs: that body marks a message read, with typing_indicator optional and "text" its only type.',
		follow: 'docs',
		why: "The same endpoint takes it and Meta's example shows it; a body with status is checked as a read receipt, anything else as a Message.",
		patch: (root) => {
			defs(root).ReadReceipt = {
				type: 'object',
				description:
					'Added from Meta\'s mark-as-read docs and the OpenAPI example "Send typing indicator and read receipt" (dev/sandbox/openapi.ts).',
				required: ['messaging_product', 'status', 'message_id'],
				additionalProperties: false,
				properties: {
					messaging_product: { type: 'string' },
					status: { type: 'string', enum: ['read'] },
					message_id: { type: 'string' },
					typing_indicator: {
						type: 'object',
						required: ['type'],
						additionalProperties: false,
						properties: { type: { type: 'string', enum: ['text'] } },
					},
				},
			};
			delete root.$ref;
			root.if = { required: ['status'] };
			root.then = ref('ReadReceipt');
			root.else = ref('Message');
		},
	},
	{
		id: 'recipient: a business-scoped user ID instead of to',
		openapi:
			'BaseMessageProperties requires to (a phone number or group ID) and has no recipient; the document predates business-scoped user IDs.',
		docs: 'Meta\'s business-scoped user IDs page: a message may be addressed with recipient, a BSUID (US.13491208655302741918) or parent BSUID (US.ENT.11815799212886844830), instead of to; every message kind but authentication templates. When both are given to wins; with neither Meta answers code 100 "The parameter to is required." (Meta\'s send-marketing-messages page). The node sends recipient for a user ID, never together with to.',
		follow: 'docs',
		why: 'A documented envelope field the document lacks. recipient is checked against the BSUID format (our reading of the page: two capital letters, a dot, optionally ENT., up to 128 letters and digits), so a phone number or a lowercased ID in it still fails; to stays required when recipient is absent. It runs after the merge of the envelope into each kind, which it extends, and after the read receipt, which it leaves alone.',
		patch: (root) => {
			const recipient: Schema = {
				type: 'string',
				pattern: '^[A-Z]{2}\\.(ENT\\.)?[A-Za-z0-9]{1,128}$',
				description:
					"Added from Meta's business-scoped user IDs page (dev/sandbox/openapi.ts): a BSUID or parent BSUID.",
			};
			for (const schema of Object.values(defs(root))) {
				// the envelope itself (which the open template kind extends) and each merged closed kind
				if (!schema.properties?.to) continue;
				// placed right after to, so that "allowed: ..." lists the two addresses together
				schema.properties = Object.fromEntries(
					Object.entries(schema.properties).flatMap(([k, v]) =>
						k === 'to' ? [[k, v] as const, ['recipient', recipient] as const] : [[k, v] as const],
					),
				);
				schema.required = schema.required!.filter((k) => k !== 'to');
			}
			// to is required unless recipient is given; a read receipt has neither
			root.else = {
				allOf: [{ if: { required: ['recipient'] }, else: { required: ['to'] } }, root.else!],
			};
		},
	},
	{
		id: 'location latitude and longitude are strings',
		openapi:
			'LocationMessage.location.latitude and .longitude are { type: string } (with the numbers 37.4847 and -122.1486 as their `example`); the endpoint\'s examples "Send Location Message" and "Send Reply to Location Message" send the numbers 37.758056 and -122.425332.',
		docs: 'Meta\'s location-messages page: "<LOCATION_LATITUDE> String. Required. Location latitude in decimal degrees", example "37.44216251868683" (a string).',
		follow: 'openapi',
		why: "The schema and Meta's reference page agree on strings; only examples disagree. Meta's template location header parameter is also strings (Meta's template components page).",
		examples: ['Send Location Message', 'Send Reply to Location Message'].map((name) => ({
			name,
			problems: [
				'$.location.latitude: expected string, got number 37.758056',
				'$.location.longitude: expected string, got number -122.425332',
			],
			fix: (body) => {
				const location = body.location as Body;
				location.latitude = String(location.latitude);
				location.longitude = String(location.longitude);
			},
		})),
	},
	{
		id: 'language.policy is optional',
		openapi: 'LanguageObject.required lists policy and code.',
		docs: 'Meta\'s templates overview: language is { code }; "policy":"deterministic" is legacy and optional (whatsapp-api-js still sends it); 14 of the 15 template examples in the OpenAPI document send only code.',
		follow: 'docs',
		why: "Meta's own examples and docs leave it out.",
		patch: (root) => {
			defs(root).LanguageObject.required = ['code'];
		},
	},
	{
		id: 'button index pattern',
		openapi:
			'TemplateComponent.index and ButtonComponent.index have pattern ^[2-6, 11-14]$, a one-character class (2 to 6, comma, space, 1, 4) that refuses "0" and every index above 6; the description says "Position index of the button (0-9)".',
		docs: 'Meta\'s templates overview: index is the 0-based position of the button; every example sends "0" or "1".',
		follow: 'docs',
		why: 'The pattern is plainly broken; the description, the docs and the examples agree on 0-9.',
		patch: (root) => {
			defs(root).TemplateComponent.properties!.index.pattern = '^[0-9]$';
			extension(defs(root).ButtonComponent).properties!.index.pattern = '^[0-9]$';
		},
	},
	{
		id: 'button index is a string',
		openapi:
			'index is { type: string }; the examples "Send Catalog Template Message" and "Send Sample Issue Resolution Template" send it as a number (0, 1).',
		docs: 'Meta\'s examples pass it as a string ("0"); whatsapp-api-js and pywa send a number and report that Meta accepts it too.',
		follow: 'openapi',
		why: "The reference types it as a string and so do most of Meta's examples; that a number is accepted too is only what libraries report. The node sends strings.",
		examples: [
			{
				name: 'Send Catalog Template Message',
				problems: [
					'$.template.components[1].sub_type: expected one of "quick_reply", "url", "catalog", "flow", "copy_code"; got "CATALOG"',
					'$.template.components[1].index: expected string, got integer 0',
				],
				fix: (body) => {
					Object.assign(components(body)[1], { sub_type: 'catalog', index: '0' });
				},
			},
			{
				name: 'Send Sample Issue Resolution Template',
				problems: [
					'$.template.components[1].index: expected string, got integer 0',
					'$.template.components[1].parameters[0].text: expected string, got boolean true',
					'$.template.components[2].index: expected string, got integer 1',
					'$.template.components[2].parameters[0].text: expected string, got boolean false',
				],
				fix: (body) => {
					for (const c of components(body).slice(1)) {
						const parameter = (c.parameters as Body[])[0];
						c.index = String(c.index);
						parameter.text = String(parameter.text);
					}
				},
			},
		],
	},
	{
		id: 'button sub_type flow and copy_code',
		openapi:
			'TemplateComponent.sub_type and ButtonComponent.sub_type allow quick_reply, url, catalog; the example "Send Flow Template Message" sends sub_type "flow", "Send Catalog Template Message" sends "CATALOG".',
		docs: 'Meta\'s templates overview, its OpenAPI examples, whatsapp-api-js and pywa: copy_code (coupon codes) and flow buttons take a component too; Meta\'s "Sending a Flow" guide: a FLOW template button is sent with sub_type "flow". The node sends copy_code.',
		follow: 'docs',
		why: 'Documented button kinds the document left out. "CATALOG" in capitals is not added: the schema spells it "catalog" (the catalog example is listed under "button index is a string").',
		patch: (root) => {
			for (const schema of [defs(root).TemplateComponent, extension(defs(root).ButtonComponent)])
				enumOf(schema, 'sub_type').push('flow', 'copy_code');
		},
	},
	{
		id: 'button parameters coupon_code and action',
		openapi:
			'ButtonParameterObject.type allows payload and text only; the examples "Send Flow Template Message" and "Send Catalog Template Message" send { type: "action", action: {...} }.',
		docs: 'Meta\'s templates overview, its OpenAPI examples, whatsapp-api-js and pywa: { type: "coupon_code", coupon_code } for copy_code buttons, { type: "action", action: {...} } for flow, catalog and MPM buttons. The node sends coupon_code.',
		follow: 'docs',
		why: 'Documented parameter kinds the document left out; their content is checked only as far as the docs describe it.',
		patch: (root) => {
			const d = defs(root);
			const kind = (type: string, value: Schema): Schema => ({
				allOf: [
					ref('ButtonParameterObject'),
					{
						type: 'object',
						required: [type],
						properties: { type: { enum: [type] }, [type]: value },
					},
				],
			});
			d.ButtonCouponCodeParameter = kind('coupon_code', { type: 'string' });
			d.ButtonActionParameter = kind('action', { type: 'object' });
			enumOf(d.ButtonParameterObject, 'type').push('coupon_code', 'action');
			Object.assign(d.ButtonParameterObject.discriminator!.mapping!, {
				coupon_code: '#/$defs/ButtonCouponCodeParameter',
				action: '#/$defs/ButtonActionParameter',
			});
		},
	},
	{
		id: 'location header parameter',
		openapi: 'ParameterObject.type allows currency, date_time, document, image, text, video.',
		docs: 'Meta\'s template components page: a location header parameter { type: "location", location: { latitude: "37.44", longitude: "-122.16", name, address } } with string coordinates. The node sends it for templates with a location header.',
		follow: 'docs',
		why: "A documented header kind the document left out. Its coordinates are strings, like the location message's.",
		patch: (root) => {
			const d = defs(root);
			d.LocationParameter = {
				allOf: [
					ref('ParameterObject'),
					{
						type: 'object',
						required: ['location'],
						properties: {
							type: { enum: ['location'] },
							location: {
								type: 'object',
								required: ['latitude', 'longitude'],
								properties: {
									latitude: { type: 'string' },
									longitude: { type: 'string' },
									name: { type: 'string' },
									address: { type: 'string' },
								},
							},
						},
					},
				],
			};
			enumOf(d.ParameterObject, 'type').push('location');
			d.ParameterObject.discriminator!.mapping!.location = '#/$defs/LocationParameter';
		},
	},
	{
		id: 'template carousel component and product header parameter',
		openapi:
			'TemplateComponent.type allows header, body and button; ParameterObject.type has no product. The document predates carousel templates.',
		docs: 'Meta\'s media-card and product-card carousel template pages: { type: "carousel", cards: [{ card_index, components: [header, body, button ...] }] } with 2 to 10 cards (card_index from 0), a product card\'s header parameter { type: "product", product: { product_retailer_id, catalog_id } }. The node sends both (Send Template with a carousel template).',
		follow: 'docs',
		why: "Documented template kinds the node sends; each card's components are checked with the same rules as the message's own.",
		patch: (root) => {
			const d = defs(root);
			d.CarouselComponent = {
				allOf: [
					ref('TemplateComponent'),
					{
						type: 'object',
						required: ['cards'],
						properties: {
							type: { enum: ['carousel'] },
							cards: {
								type: 'array',
								minItems: 1,
								maxItems: 10,
								items: {
									type: 'object',
									required: ['card_index', 'components'],
									additionalProperties: false,
									properties: {
										card_index: { type: 'integer' },
										components: { type: 'array', items: ref('TemplateComponent') },
									},
								},
							},
						},
					},
				],
			};
			enumOf(d.TemplateComponent, 'type').push('carousel');
			d.TemplateComponent.discriminator!.mapping!.carousel = '#/$defs/CarouselComponent';
			d.ProductParameter = {
				allOf: [
					ref('ParameterObject'),
					{
						type: 'object',
						required: ['product'],
						properties: {
							type: { enum: ['product'] },
							product: {
								type: 'object',
								required: ['product_retailer_id', 'catalog_id'],
								additionalProperties: false,
								properties: {
									product_retailer_id: { type: 'string' },
									catalog_id: { type: 'string' },
								},
							},
						},
					},
				],
			};
			enumOf(d.ParameterObject, 'type').push('product');
			d.ParameterObject.discriminator!.mapping!.product = '#/$defs/ProductParameter';
		},
	},
	{
		id: 'quick_reply text parameters are strings',
		openapi:
			'ButtonTextParameter.text is { type: string }; the example "Send Sample Issue Resolution Template" sends text: true and text: false.',
		docs: "Meta's templates overview: text parameters are strings; quick_reply buttons take a payload parameter.",
		follow: 'openapi',
		why: 'Booleans are not text. The example is listed under "button index is a string", which it also breaks.',
	},
	{
		id: 'interactive types cta_url, location_request_message, order_details, order_status',
		openapi:
			'InteractiveObject.type allows button, call_permission_request, catalog_message, list, product, product_list, flow; ActionObject has no shape for their actions. Yet the examples "Send Order Details Message" and "Send Order Status Message" send order_details (action name review_and_pay) and order_status (review_order).',
		docs: 'Meta\'s interactive CTA URL messages page: cta_url with action { name: "cta_url", parameters: { display_text (at most 20), url } }; Meta\'s location request messages page: location_request_message with action { name: "send_location" }. The node sends both.',
		follow: 'docs',
		why: 'Documented interactive kinds. The two order actions are checked only for their name and a parameters object: the examples are our only source for them.',
		patch: (root) => {
			const d = defs(root);
			enumOf(d.InteractiveObject, 'type').push(
				'cta_url',
				'location_request_message',
				'order_details',
				'order_status',
			);
			const named = (name: string, parameters?: Schema): Schema => ({
				required: parameters ? ['name', 'parameters'] : ['name'],
				properties: {
					name: { type: 'string', enum: [name] },
					...(parameters ? { parameters } : {}),
				},
			});
			d.ActionObject.oneOf!.push(
				named('cta_url', {
					type: 'object',
					required: ['display_text', 'url'],
					properties: { display_text: { type: 'string', maxLength: 20 }, url: { type: 'string' } },
				}),
				named('send_location'),
				named('review_and_pay', { type: 'object' }),
				named('review_order', { type: 'object' }),
			);
		},
	},
	{
		id: 'interactive type contact_request',
		openapi:
			'InteractiveObject.type has no contact_request and ActionObject no request_contact_info action; the document predates them.',
		docs: 'Meta\'s business-scoped user IDs page: { type: "contact_request", body: { text }, action: { name: "request_contact_info" } } asks the customer to share their phone number. The node sends it as Send Interactive > Request Contact Info.',
		follow: 'docs',
		why: 'A documented interactive kind. Its body keeps the 1024 characters of the other non-list kinds (see "list body up to 4096 characters").',
		patch: (root) => {
			const d = defs(root);
			enumOf(d.InteractiveObject, 'type').push('contact_request');
			d.ActionObject.oneOf!.push({
				required: ['name'],
				properties: { name: { type: 'string', enum: ['request_contact_info'] } },
			});
		},
	},
	{
		id: 'interactive type carousel',
		openapi:
			'InteractiveObject.type has no carousel and ActionObject no cards; the document predates interactive carousels.',
		docs: 'Meta\'s interactive media carousel page: { type: "carousel", body: { text }, action: { cards } } with 2 to 10 cards { card_index, type: "cta_url", header: { type: "image" or "video", <type>: { link } }, body?: { text }, action: { name: "cta_url", parameters: { display_text, url } } or { buttons: [{ type: "quick_reply", quick_reply: { id, title } }] } }; Meta\'s product carousel page: cards { card_index, type: "product", action: { product_retailer_id, catalog_id } }. The node sends both (Send Interactive > Media Carousel, Product Carousel).',
		follow: 'docs',
		why: 'Documented interactive kinds the document lacks. The schema checks each card\'s shape; the rules across cards (the same buttons on every card, one catalog, numbering from 0), the card body limits and media by link only are checked by the sandbox (dev/sandbox/messages.ts). A card body keeps BodyObject, whose 1024 limit the entry "list body up to 4096 characters" moves to the message body.',
		patch: (root) => {
			const d = defs(root);
			enumOf(d.InteractiveObject, 'type').push('carousel');
			const string = (maxLength?: number): Schema =>
				maxLength ? { type: 'string', maxLength } : { type: 'string' };
			const cardAction: Schema = {
				type: 'object',
				oneOf: [
					{
						required: ['name', 'parameters'],
						properties: {
							name: { type: 'string', enum: ['cta_url'] },
							parameters: {
								type: 'object',
								required: ['display_text', 'url'],
								additionalProperties: false,
								properties: { display_text: string(20), url: string() },
							},
						},
					},
					{
						required: ['buttons'],
						properties: {
							buttons: {
								type: 'array',
								minItems: 1,
								items: {
									type: 'object',
									required: ['type', 'quick_reply'],
									additionalProperties: false,
									properties: {
										type: { type: 'string', enum: ['quick_reply'] },
										quick_reply: {
											type: 'object',
											required: ['id', 'title'],
											additionalProperties: false,
											properties: { id: string(256), title: string(20) },
										},
									},
								},
							},
						},
					},
					{
						required: ['product_retailer_id', 'catalog_id'],
						properties: { product_retailer_id: string(), catalog_id: string() },
					},
				],
			};
			d.CarouselCard = {
				type: 'object',
				description:
					"Added from Meta's interactive media carousel and product carousel pages (dev/sandbox/openapi.ts).",
				required: ['card_index', 'type', 'action'],
				additionalProperties: false,
				properties: {
					card_index: { type: 'integer' },
					type: { type: 'string', enum: ['cta_url', 'product'] },
					header: ref('HeaderObject'),
					body: ref('BodyObject'),
					action: cardAction,
				},
			};
			d.ActionObject.oneOf!.push({
				required: ['cards'],
				properties: {
					cards: { type: 'array', minItems: 2, maxItems: 10, items: ref('CarouselCard') },
				},
			});
		},
	},
	{
		id: 'list body up to 4096 characters',
		openapi: 'BodyObject.text has maxLength 1024 for every interactive kind.',
		docs: "Meta's interactive list messages page: a list's body may have 4096 characters; Meta's pages for reply buttons, CTA URL and location requests: 1024. The node allows 4096 for lists.",
		follow: 'docs',
		why: "Meta's page for lists is specific; every other kind keeps 1024.",
		patch: (root) => {
			const d = defs(root);
			delete d.BodyObject.properties!.text.maxLength;
			const bodyAtMost = (n: number): Schema => ({
				properties: { body: { properties: { text: { maxLength: n } } } },
			});
			d.InteractiveObject.allOf = [
				{
					if: { required: ['type'], properties: { type: { enum: ['list'] } } },
					then: bodyAtMost(4096),
					else: bodyAtMost(1024),
				},
			];
		},
	},
	{
		id: 'product_list header type placeholder',
		openapi:
			'HeaderObject.type is one of text, video, image, document; the example "Send Multi-Product Message" has type "<HEADER_TYPE>".',
		docs: 'Meta\'s commerce guide "Share products with customers": a product_list needs a text header.',
		follow: 'openapi',
		why: 'A placeholder, not a value Meta takes.',
		examples: [
			{
				name: 'Send Multi-Product Message',
				problems: [
					'$.interactive.header.type: expected one of "text", "video", "image", "document"; got "<HEADER_TYPE>"',
				],
				fix: (body) => {
					((body.interactive as Body).header as Body).type = 'text';
				},
			},
		],
	},
	{
		id: 'reply to a list message without type',
		openapi:
			'The example "Send Reply to List Message" carries an interactive object but no type (the schema requires type).',
		docs: 'Without type Meta reads the body as a text message (see "type is optional and defaults to text"); every other interactive example says type "interactive".',
		follow: 'openapi',
		why: 'Read either way the body is refused: as a text message it lacks text and has an interactive it may not have.',
		examples: [
			{
				name: 'Send Reply to List Message',
				problems: [
					'$.text: is required',
					'$.interactive: is not allowed here (allowed: messaging_product, recipient_type, to, recipient, type, context, biz_opaque_callback_data, text)',
				],
				fix: (body) => {
					body.type = 'interactive';
				},
			},
		],
	},
	{
		id: 'contact phone types',
		openapi: 'PhoneObject.type is one of HOME, WORK.',
		docs: 'Meta\'s contacts reference, as quoted by Meta\'s own WhatsApp-Nodejs-SDK, whatsapp-api-js and pywa: "Standard Values: CELL, MAIN, IPHONE, HOME, WORK". The node offers all five (CELL by default).',
		follow: 'docs',
		why: 'Meta documents five values; the document keeps two.',
		patch: (root) => {
			enumOf(defs(root).PhoneObject, 'type').push('CELL', 'MAIN', 'IPHONE');
		},
	},
];

/**
 * Documented by Meta, missing from the OpenAPI document, and left as the document has them (so the
 * sandbox refuses them) because nothing the node sends uses them. Add an entry to CONTRADICTIONS
 * when that changes.
 */
export const NOT_OVERRIDDEN = [
	"envelope field recipient_identity_key_hash (Meta's send-messages reference)",
	'template component limited_time_offer, button sub_types such as mpm (whatsapp-api-js and pywa)',
	'sub_type "CATALOG" in capitals (example "Send Catalog Template Message"; the schema says "catalog")',
];

// ---------------------------------------------------------------------------------------------
// The validator: the JSON Schema 2020-12 keywords the fixture uses, plus OpenAPI's discriminator.

const CHECKED = new Set([
	'$ref',
	'type',
	'enum',
	'properties',
	'required',
	'additionalProperties',
	'allOf',
	'anyOf',
	'oneOf',
	'if',
	'then',
	'else',
	'items',
	'minItems',
	'maxItems',
	'maxLength',
	'minLength',
	'minimum',
	'maximum',
	'pattern',
	'discriminator',
]);
/** Annotations (OAS 3.1 dialect: format is one) and the fixture's own header fields. */
const IGNORED = new Set([
	'description',
	'example',
	'default',
	'format',
	'$comment',
	'$schema',
	'$defs',
	'x-source',
	'x-license',
	'x-requests',
]);

function assertKnownKeywords(schema: Schema, where: string): void {
	for (const [key, value] of Object.entries(schema)) {
		if (!CHECKED.has(key) && !IGNORED.has(key))
			throw new Error(
				`openapi.ts cannot check keyword "${key}" at ${where}: teach the validator before using the fixture`,
			);
		if (key === 'properties' || key === '$defs')
			for (const [k, s] of Object.entries(value as Record<string, Schema>))
				assertKnownKeywords(s, `${where}/${key}/${k}`);
		else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf')
			(value as Schema[]).forEach((s, i) => assertKnownKeywords(s, `${where}/${key}/${i}`));
		else if (
			['items', 'if', 'then', 'else'].includes(key) ||
			(key === 'additionalProperties' && typeof value === 'object')
		)
			assertKnownKeywords(value as Schema, `${where}/${key}`);
	}
}

const isObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

function typeOf(v: unknown): string {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'array';
	if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
	return typeof v;
}

const show = (v: unknown): string => {
	const s = JSON.stringify(v) ?? String(v);
	return s.length > 40 ? `${s.slice(0, 37)}...` : s;
};

function formatPath(at: Segment[]): string {
	return `$${at.map((s) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_][\w]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('')}`;
}

class Validator {
	constructor(private readonly root: Schema) {}

	private resolve(reference: string): Schema {
		const name = reference.startsWith('#/$defs/') ? reference.slice('#/$defs/'.length) : undefined;
		const target = name !== undefined ? defs(this.root)[name] : undefined;
		if (!target) throw new Error(`unresolvable $ref ${reference}`);
		return target;
	}

	/** `dispatched`: the discriminators already applied to this same value (a kind re-checks its base). */
	check(
		schema: Schema,
		value: unknown,
		at: Segment[],
		dispatched: ReadonlySet<Schema> = new Set(),
	): Problem[] {
		const problems: Problem[] = [];
		const add = (where: Segment[], kind: string, message: string) =>
			problems.push({ at: where, kind, message });

		if (schema.type !== undefined) {
			const allowed = ([] as string[]).concat(schema.type);
			const actual = typeOf(value);
			if (!allowed.includes(actual) && !(actual === 'integer' && allowed.includes('number'))) {
				add(
					at,
					'type',
					`expected ${allowed.join(' or ')}, got ${actual}${isObject(value) || Array.isArray(value) ? '' : ` ${show(value)}`}`,
				);
				return problems; // the other keywords would only repeat this
			}
		}
		if (schema.$ref) problems.push(...this.check(this.resolve(schema.$ref), value, at, dispatched));

		// OpenAPI's discriminator: the tag names the schema to check the value against. A schema that
		// only lists the kinds (Message: oneOf) is replaced by the named one; a base schema that its
		// kinds extend (TemplateComponent, ParameterObject) is checked through the named kind.
		let unionDone = false;
		const discriminator = schema.discriminator;
		if (discriminator?.mapping && !dispatched.has(schema) && isObject(value)) {
			const union = Boolean(schema.oneOf || schema.anyOf);
			const tag = value[discriminator.propertyName] ?? discriminator['x-default'];
			const target = typeof tag === 'string' ? discriminator.mapping[tag] : undefined;
			if (target) {
				problems.push(
					...this.check(this.resolve(target), value, at, new Set([...dispatched, schema])),
				);
				if (!union) return problems; // the kind includes its base
				unionDone = true;
			} else if (union) {
				const kinds = Object.keys(discriminator.mapping)
					.map((k) => JSON.stringify(k))
					.join(', ');
				add(
					[...at, discriminator.propertyName],
					'enum',
					`expected one of ${kinds}; got ${show(tag)}`,
				);
				unionDone = true;
			}
		}

		if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
			add(
				at,
				'enum',
				`expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}; got ${show(value)}`,
			);
		}

		if (isObject(value)) {
			for (const key of schema.required ?? [])
				if (!(key in value)) add([...at, key], 'required', 'is required');
			const properties = schema.properties ?? {};
			for (const [key, sub] of Object.entries(properties))
				if (key in value) problems.push(...this.check(sub, value[key], [...at, key]));
			const extra = Object.keys(value).filter((k) => !(k in properties));
			if (schema.additionalProperties === false) {
				for (const key of extra)
					add(
						[...at, key],
						'additional',
						`is not allowed here (allowed: ${Object.keys(properties).join(', ')})`,
					);
			} else if (isObject(schema.additionalProperties)) {
				for (const key of extra)
					problems.push(...this.check(schema.additionalProperties, value[key], [...at, key]));
			}
		}

		if (Array.isArray(value)) {
			if (schema.minItems !== undefined && value.length < schema.minItems)
				add(at, 'minItems', `expected at least ${schema.minItems} items, got ${value.length}`);
			if (schema.maxItems !== undefined && value.length > schema.maxItems)
				add(at, 'maxItems', `expected at most ${schema.maxItems} items, got ${value.length}`);
			const items = schema.items;
			if (items) value.forEach((item, i) => problems.push(...this.check(items, item, [...at, i])));
		}

		if (typeof value === 'string') {
			const length = [...value].length; // JSON Schema counts characters (code points), as Meta's limits do
			if (schema.maxLength !== undefined && length > schema.maxLength)
				add(at, 'maxLength', `expected at most ${schema.maxLength} characters, got ${length}`);
			if (schema.minLength !== undefined && length < schema.minLength)
				add(at, 'minLength', `expected at least ${schema.minLength} characters, got ${length}`);
			if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value))
				add(at, 'pattern', `expected to match /${schema.pattern}/, got ${show(value)}`);
		}

		if (typeof value === 'number') {
			if (schema.minimum !== undefined && value < schema.minimum)
				add(at, 'minimum', `expected at least ${schema.minimum}, got ${value}`);
			if (schema.maximum !== undefined && value > schema.maximum)
				add(at, 'maximum', `expected at most ${schema.maximum}, got ${value}`);
		}

		for (const sub of schema.allOf ?? []) problems.push(...this.check(sub, value, at, dispatched));
		if (schema.if) {
			const branch =
				this.check(schema.if, value, at, dispatched).length === 0 ? schema.then : schema.else;
			if (branch) problems.push(...this.check(branch, value, at, dispatched));
		}
		if (!unionDone && schema.oneOf)
			problems.push(...this.union(schema.oneOf, value, at, dispatched, 'one'));
		if (!unionDone && schema.anyOf)
			problems.push(...this.union(schema.anyOf, value, at, dispatched, 'any'));
		return problems;
	}

	/**
	 * oneOf / anyOf. When no branch matches, the problems reported are those of the branch the value
	 * evidently meant: the only one whose required keys are present and whose fixed values (such as
	 * action.name) match. If there is no such branch, the problem lists the shapes that would do.
	 */
	private union(
		branches: Schema[],
		value: unknown,
		at: Segment[],
		dispatched: ReadonlySet<Schema>,
		mode: 'one' | 'any',
	): Problem[] {
		const results = branches.map((b) => this.check(b, value, at, dispatched));
		const passing = results.filter((r) => r.length === 0).length;
		if (passing === 1 || (mode === 'any' && passing > 0)) return [];
		const shapes = () => branches.map((b) => this.shape(b)).join(' | ');
		if (passing > 1)
			return [
				{
					at,
					kind: 'oneOf',
					message: `expected exactly one of these shapes: ${shapes()}; matched ${passing}`,
				},
			];
		const depth = at.length;
		const gate = (p: Problem) =>
			(p.at.length === depth && p.kind === 'type') ||
			(p.at.length === depth + 1 && (p.kind === 'required' || p.kind === 'enum'));
		const candidates = results.filter((r) => !r.some(gate));
		if (!candidates.length)
			return [{ at, kind: 'oneOf', message: `expected one of these shapes: ${shapes()}` }];
		return candidates.reduce((best, r) => (r.length < best.length ? r : best));
	}

	/** A branch in a few words: its required keys, with the value of those that have only one. */
	private shape(branch: Schema): string {
		const schema = branch.$ref ? this.resolve(branch.$ref) : branch;
		const keys = (schema.required ?? []).map((k) => {
			const values = schema.properties?.[k]?.enum;
			const only = values?.length === 1 ? values[0] : undefined;
			return only === undefined ? k : `${k}: ${JSON.stringify(only)}`;
		});
		return `{ ${keys.join(', ')} }`;
	}
}

function load(fixture: string, contradictions: Contradiction[]): Schema {
	const root = JSON.parse(readFileSync(fixture, 'utf8')) as Schema;
	for (const c of contradictions) c.patch?.(root);
	assertKnownKeywords(root, '#');
	return root;
}

const root = load(FIXTURE, CONTRADICTIONS);
const validator = new Validator(root);

const problemList = (problems: Problem[]) => [
	...new Set(problems.map((p) => `${formatPath(p.at)}: ${p.message}`)),
];

/**
 * The problems Meta's OpenAPI request schema (with the exceptions in CONTRADICTIONS) finds in a
 * `/messages` body, each as "<JSON path>: <what was expected>"; empty when the body is valid.
 */
export function checkAgainstOpenApi(body: unknown): string[] {
	return problemList(validator.check(root, body, []));
}

const MANAGEMENT_FIXTURE = path.join(
	__dirname,
	'../../test/fixtures/openapi/management-requests.schema.json',
);

/**
 * Where the management schemas contradict Meta's docs or examples: one entry each, as for
 * CONTRADICTIONS, applied to management-requests.schema.json.
 */
export const MANAGEMENT_CONTRADICTIONS: Contradiction[] = [
	{
		id: 'qr-code-alphabet',
		openapi:
			'UpdateQrCodeRequest.code matches ^[A-Z2-7]{14}$ (a base-32 alphabet without 0, 1, 8, 9)',
		docs: "The same schema's example code is ANED2T5QRU7HG1, and Meta's QR code page shows codes with a 1 too",
		follow: 'docs',
		why: 'A code Meta itself hands out with a 1 in it must be updatable; the node accepts 14 capital letters or digits (nodes/shared/ids.ts), so the sandbox does as well',
		patch: (root) => {
			defs(root).UpdateQrCodeRequest.properties!.code.pattern = '^[A-Z0-9]{14}$';
		},
	},
	{
		id: 'qr-create-or-update',
		openapi:
			'The body of POST message_qrdls is oneOf CreateQrCodeRequest and UpdateQrCodeRequest, and the create shape does not forbid a code, so an update body matches both',
		docs: "Meta's QR code page updates a code by posting its code with the new message, to the same path as a create",
		follow: 'docs',
		why: 'With oneOf, every valid update would be refused for matching two shapes (the schema only let its own update example through because that example breaks the update pattern); either shape is what is meant',
		patch: (root) => {
			const body = (root as Schema & { 'x-requests': Record<string, Schema> })['x-requests'][
				'POST /{Version}/{Phone-Number-ID}/message_qrdls'
			];
			body.anyOf = body.oneOf;
			delete body.oneOf;
		},
	},
	{
		id: 'four-ice-breakers',
		openapi: 'ConversationalAutomationRequest.prompts has maxItems 3',
		docs: "Meta's conversational components page allows up to 4 ice breakers",
		follow: 'docs',
		why: 'The page is the newer of the two and describes what the WhatsApp client shows; a fourth ice breaker Meta documents must not be refused',
		patch: (root) => {
			defs(root).ConversationalAutomationRequest.properties!.prompts.maxItems = 4;
		},
	},
	{
		id: 'group-participant-user-id',
		openapi:
			'DELETE /{group_id}/participants: each participant is an object that requires user (a phone number or WhatsApp ID)',
		docs: "Meta's groups reference removes a participant by {user: <phone>} or by {user_id: <business-scoped user ID>}",
		follow: 'docs',
		why: 'A customer who shares only a username is known by their business-scoped user ID alone; the node removes such a participant with user_id, so the sandbox takes either',
		patch: (root) => {
			const body = (root as Schema & { 'x-requests': Record<string, Schema> })['x-requests'][
				'DELETE /{Version}/{group_id}/participants'
			];
			body.properties!.participants.items = {
				type: 'object',
				properties: { user: { type: 'string' }, user_id: { type: 'string' } },
				anyOf: [{ required: ['user'] }, { required: ['user_id'] }],
			};
		},
	},
];

type RequestsRoot = Schema & { 'x-requests': Record<string, Schema> };
const managementRoot = load(MANAGEMENT_FIXTURE, MANAGEMENT_CONTRADICTIONS) as RequestsRoot;
for (const [key, schema] of Object.entries(managementRoot['x-requests']))
	assertKnownKeywords(schema, `#/x-requests/${key}`);
const managementValidator = new Validator(managementRoot);

/** The "METHOD path" keys of the management request bodies the fixture holds. */
export const MANAGEMENT_REQUESTS: readonly string[] = Object.keys(managementRoot['x-requests']);

/**
 * The problems Meta's OpenAPI request schema finds in the JSON body of a management request, each
 * as "<JSON path>: <what was expected>"; empty when the body is valid. `request` is the method and
 * the path as Meta's document writes it, e.g. `POST /{Version}/{Phone-Number-ID}/groups` (one of
 * MANAGEMENT_REQUESTS; anything else throws, so a sandbox area cannot check against nothing).
 */
export function checkRequest(request: string, body: unknown): string[] {
	const schema = managementRoot['x-requests'][request];
	if (!schema)
		throw new Error(
			`management-requests.schema.json has no body for "${request}": add it to tools/extract-openapi.mjs`,
		);
	return problemList(managementValidator.check(schema, body, []));
}
