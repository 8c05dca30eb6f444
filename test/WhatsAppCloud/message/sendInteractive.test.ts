/**
 * Message > Send Interactive (actions/message/sendInteractive.operation.ts): the form it puts
 * together from the interactive kinds. Each kind's messages are tested in ./interactive.
 */
import type { INodeProperties } from 'n8n-workflow';

import { WhatsAppCloud } from '../../../nodes/WhatsAppCloud/WhatsAppCloud.node';

describe('the editor explains how rows form sections, for lists and multi-product messages', () => {
	const properties = new WhatsAppCloud().description.properties;
	const shown = (p: INodeProperties) => p.displayOptions?.show?.interactiveType ?? [];

	test.each([
		['list', 'listRows'],
		['productList', 'productRows'],
	])(
		'%s: a notice right above the rows says rows with one section title form one section',
		(kind, rowsField) => {
			const index = properties.findIndex((p) => p.name === rowsField && shown(p).includes(kind));
			const notice = properties[index - 1];
			expect(notice.type).toBe('notice');
			expect(shown(notice)).toEqual([kind]);
			expect(notice.displayName).toMatch(/Rows with the same Section Title form one section/);
		},
	);

	test('Single Product and Call Permission Request show an optional body; every other kind keeps the required one', () => {
		const bodies = properties.filter(
			(p) => p.name === 'body' && p.displayOptions?.show?.operation?.includes('sendInteractive'),
		);
		expect(bodies.map((p) => [p.required ?? false, shown(p), p.displayOptions?.hide])).toEqual([
			[true, [], { interactiveType: ['product', 'call_permission_request'] }],
			[false, ['product'], undefined],
			[false, ['call_permission_request'], undefined],
		]);
	});
});
