import { head, useMessageSandbox } from './send';

const { sentBody } = useMessageSandbox();

describe('each operation sends exactly the JSON Meta documents', () => {
	test('sendLocation', async () => {
		expect(
			await sentBody('sendLocation', {
				latitude: 37.758056,
				longitude: -122.425332,
				locationName: 'META HQ',
				address: '1 Hacker Way, Menlo Park, CA 94025',
			}),
		).toEqual({
			...head,
			type: 'location',
			// Meta's reference types a sent location's coordinates as strings
			location: {
				latitude: '37.758056',
				longitude: '-122.425332',
				name: 'META HQ',
				address: '1 Hacker Way, Menlo Park, CA 94025',
			},
		});
	});
});
