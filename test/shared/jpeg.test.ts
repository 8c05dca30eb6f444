import { jpegSize } from '../../nodes/shared/jpeg';

/** A segment: FF, its marker, a length that counts itself, its bytes. */
const segment = (marker: number, data: number[]) => [
	0xff,
	marker,
	(data.length + 2) >> 8,
	(data.length + 2) & 0xff,
	...data,
];
const frame = (marker: number, width: number, height: number) =>
	segment(marker, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]);
const file = (...parts: number[][]) => Buffer.from([0xff, 0xd8, ...parts.flat(), 0xff, 0xd9]);

describe('jpegSize reads the frame header', () => {
	test('a baseline JPEG after its APP0 and a Huffman table (C4 is not a frame)', () => {
		const jfif = segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
		const huffman = segment(0xc4, [0, ...new Array(16).fill(0)]);
		expect(jpegSize(file(jfif, huffman, frame(0xc0, 640, 480)))).toEqual({
			width: 640,
			height: 480,
		});
	});

	test('a progressive JPEG (C2), after fill bytes', () => {
		expect(jpegSize(file([0xff, 0xff], frame(0xc2, 1024, 1024)))).toEqual({
			width: 1024,
			height: 1024,
		});
	});

	test.each([
		['PNG bytes', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')],
		['text', Buffer.from('not a jpeg')],
		['the image data before any frame header', file(segment(0xda, [1, 2, 3]))],
		['a cut-off frame header', Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 8, 0])],
		['a zero width', file(frame(0xc0, 0, 200))],
		['no frame at all', file()],
	])('%s: undefined', (_, bytes) => {
		expect(jpegSize(bytes)).toBeUndefined();
	});
});
