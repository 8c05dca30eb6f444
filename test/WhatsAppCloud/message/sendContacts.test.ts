import { head, useMessageSandbox } from './send';

const { sentBody } = useMessageSandbox();

describe('each operation sends exactly the JSON Meta documents', () => {
	test('sendContacts: two full cards', async () => {
		const body = await sentBody('sendContacts', {
			contacts: {
				contact: [
					{
						formattedName: 'John Smith',
						firstName: 'John',
						lastName: 'Smith',
						phone: '+1 (650) 555-1234',
						phoneType: 'WORK',
						waId: '16505551234',
						email: 'test@fb.com',
						emailType: 'WORK',
						company: 'WhatsApp',
						department: 'Design',
						title: 'Manager',
						url: 'https://www.facebook.com',
						birthday: '2012-08-18',
						street: '1 Hacker Way',
						city: 'Menlo Park',
						state: 'CA',
						zip: '94025',
						country: 'United States',
						countryCode: 'us',
					},
					{ formattedName: 'Lucky Shrub Support', phone: '+1 555 0100' },
				],
			},
		});
		expect(body).toEqual({
			...head,
			type: 'contacts',
			contacts: [
				{
					name: { formatted_name: 'John Smith', first_name: 'John', last_name: 'Smith' },
					phones: [{ phone: '+1 (650) 555-1234', type: 'WORK', wa_id: '16505551234' }],
					emails: [{ email: 'test@fb.com', type: 'WORK' }],
					org: { company: 'WhatsApp', department: 'Design', title: 'Manager' },
					urls: [{ url: 'https://www.facebook.com', type: 'WORK' }],
					birthday: '2012-08-18',
					addresses: [
						{
							street: '1 Hacker Way',
							city: 'Menlo Park',
							state: 'CA',
							zip: '94025',
							country: 'United States',
							country_code: 'us',
							type: 'WORK',
						},
					],
				},
				{
					name: { formatted_name: 'Lucky Shrub Support' },
					phones: [{ phone: '+1 555 0100', type: 'CELL' }],
				},
			],
		});
	});
});
