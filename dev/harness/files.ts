/** A small but real JPEG (SOI, APP0 JFIF, EOI) and a PDF, for uploads. */
export const JPEG = Buffer.concat([
	Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]),
	Buffer.alloc(3000, 7),
	Buffer.from([0xff, 0xd9]),
]);
export const PDF = Buffer.from(
	'%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
