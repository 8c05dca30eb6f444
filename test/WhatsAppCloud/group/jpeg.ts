/** A minimal JPEG (start, a baseline frame header, end): enough for a size reader. */
export function jpeg(width: number, height: number, pad = 0): Buffer {
	const sof = Buffer.from([
		0xff, 0xc0, 0x00, 0x11, 0x08, 0, 0, 0, 0, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
	]);
	sof.writeUInt16BE(height, 5);
	sof.writeUInt16BE(width, 7);
	const app = Buffer.from([
		0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
	]);
	const comment = pad
		? Buffer.concat([Buffer.from([0xff, 0xfe, 0xff, 0xff]), Buffer.alloc(0xfffd)])
		: Buffer.alloc(0);
	const comments = Array.from({ length: Math.ceil(pad / 0xffff) }, () => comment);
	return Buffer.concat([
		Buffer.from([0xff, 0xd8]),
		app,
		...comments,
		sof,
		Buffer.from([0xff, 0xd9]),
	]);
}
