import type { ResourceMapperField } from 'n8n-workflow';

import { LABEL_WIDTH } from '../../../nodes/WhatsAppCloud/actions/template/send/variables';
import { getTemplateVariables } from '../../../nodes/WhatsAppCloud/methods/resourceMapping';
import { actionLoadOptions } from '../../../dev/harness/engine';
import { type SandboxCredentials, useSandbox } from '../../../dev/harness/sandbox';
import { addTestTemplates, rl } from '../../../dev/harness/templates';
import type { GraphSandbox } from '../../../dev/sandbox/server';
import { KIND_TEMPLATE_IDS } from '../../../dev/sandbox/templates';

let sandbox: GraphSandbox;
let credentials: SandboxCredentials;
let ids: ReturnType<typeof addTestTemplates>;
useSandbox(
	(started) => {
		({ sandbox, credentials } = started);
		ids = addTestTemplates(sandbox);
	},
	() => {
		sandbox.accepted.length = 0;
		sandbox.log.length = 0;
	},
);

async function fieldsFor(templateId: string): Promise<ResourceMapperField[]> {
	const ctx = actionLoadOptions(
		{ resource: 'message', operation: 'sendTemplate', template: rl(templateId) },
		credentials,
		'parameters.templateVariables',
	);
	return (await getTemplateVariables.call(ctx)).fields;
}

const summary = (fields: ResourceMapperField[]) =>
	fields.map((f) => [f.id, f.displayName, f.required]);

describe('Template Variables: fields come from the template itself', () => {
	test('positional, with a text header (Meta example coupon_expiration_reminder_number_vars)', async () => {
		expect(summary(await fieldsFor('1304694804498707'))).toEqual([
			['header_1', 'Header {{1}} e.g. Pablo', true],
			['body_1', 'Body {{1}} e.g. SUMMER20', true],
			['body_2', 'Body {{2}} e.g. 10', true],
			['button_1', 'Button 2 reply payload', false],
		]);
	});

	test('named, with an image header (Meta example reservation_confirmation)', async () => {
		expect(summary(await fieldsFor('1387372356726668'))).toEqual([
			['header_media', 'Header image', true],
			['body_number_of_guests', 'Body {{number_of_guests}}', true],
			['body_day', 'Body {{day}} e.g. Saturday', true],
			['body_date', 'Body {{date}}', true],
			['body_time', 'Body {{time}} e.g. 7:30 pm', true],
			['button_2', 'Button 3 reply payload', false],
		]);
	});

	test('location header, dynamic URL and copy-code buttons', async () => {
		expect(summary(await fieldsFor(ids.location)).map((f) => f[0])).toEqual([
			'header_latitude',
			'header_longitude',
			'header_name',
			'header_address',
			'body_1',
		]);
		expect(summary(await fieldsFor(ids.buttons))).toEqual([
			['body_1', 'Body {{1}} e.g. Jonas', true],
			['button_0', 'Button 1 URL end e.g. A 1042', true],
			['button_1', 'Button 2 coupon code', true],
			['button_2', 'Button 3 reply payload', false],
		]);
	});
});

describe('Template Variables for carousels, authentication and Flow buttons', () => {
	test('a media card carousel: per card its image, body variables and buttons, with the card number and sample', async () => {
		const fields = summary(await fieldsFor(KIND_TEMPLATE_IDS.mediaCarousel));
		// the URL samples (echeveria, haworthia, aloe) do not fit beside their labels, so they are left out
		const card = (n: number, price: string) => [
			[`card_${n}_header_media`, `Card ${n} image`, true],
			[`card_${n}_body_1`, `Card ${n} body {{1}} e.g. ${price}`, true],
			[`card_${n}_button_0`, `Card ${n} button 1 payload`, false],
			[`card_${n}_button_1`, `Card ${n} button 2 URL end`, true],
		];
		expect(fields).toEqual([
			['body_1', 'Body {{1}} e.g. Ana', true],
			...card(1, '$12'),
			...card(2, '$9'),
			...card(3, '$15'),
		]);
	});

	test('a product card carousel: one catalog, products for cards 1-2 required and 3-10 optional', async () => {
		const fields = summary(await fieldsFor(KIND_TEMPLATE_IDS.productCarousel));
		expect(fields.slice(0, 5)).toEqual([
			['body_1', 'Body {{1}} e.g. Ana', true],
			['catalog_id', 'Catalog ID (all cards)', true],
			['card_1_product', 'Card 1 product ID', true],
			['card_2_product', 'Card 2 product ID', true],
			['card_3_product', 'Card 3 product ID', false],
		]);
		expect(fields).toHaveLength(12);
		expect(fields[11]).toEqual(['card_10_product', 'Card 10 product ID', false]);
		const links = summary(await fieldsFor(KIND_TEMPLATE_IDS.productLinkCarousel));
		expect(links.slice(1, 6)).toEqual([
			['card_1_product', 'Card 1 product ID', true],
			['card_1_button_0', 'Card 1 button 1 URL end', true],
			['card_2_product', 'Card 2 product ID', true],
			['card_2_button_0', 'Card 2 button 1 URL end', true],
			['card_3_product', 'Card 3 product ID', false],
		]);
	});

	test('authentication templates (copy code, one tap, zero tap): one field, the code', async () => {
		for (const id of [
			KIND_TEMPLATE_IDS.copyCode,
			KIND_TEMPLATE_IDS.oneTap,
			KIND_TEMPLATE_IDS.zeroTap,
		])
			expect(summary(await fieldsFor(id))).toEqual([['body_1', 'Code', true]]);
	});

	test('a Flow button: its token and its data, both optional', async () => {
		expect(summary(await fieldsFor(KIND_TEMPLATE_IDS.flowButton))).toEqual([
			['body_1', 'Body {{1}}', true],
			['button_0', 'Button 1 reply payload', false],
			['button_1', 'Button 2 flow token', false],
			['button_1_data', 'Button 2 flow data (JSON)', false],
		]);
	});
});

test('every label of every test template fits the width the panel shows whole', async () => {
	const tooLong: string[] = [];
	for (const id of sandbox.templates.keys())
		for (const field of await fieldsFor(id))
			if (field.displayName.length > LABEL_WIDTH) tooLong.push(field.displayName);
	expect(tooLong).toEqual([]);
	// a sample is kept whenever it fits
	expect((await fieldsFor('1387372356726668')).map((f) => f.displayName)).toContain(
		'Body {{day}} e.g. Saturday',
	);
});
