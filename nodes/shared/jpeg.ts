/**
 * The pixel size of a JPEG, read from its bytes: the file starts with the start-of-image marker
 * (FF D8), then segments (FF, a marker, a 2-byte length) until a start-of-frame segment, whose
 * header holds the height and the width. Enough to check a picture's size before it is uploaded,
 * without an image library. Undefined when the bytes are not a JPEG, or no frame header comes
 * before the image data.
 */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
	if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
	const u16 = (at: number) => (bytes[at] << 8) | bytes[at + 1];
	let at = 2;
	while (at + 4 <= bytes.length) {
		if (bytes[at] !== 0xff) return undefined;
		const marker = bytes[at + 1];
		// fill bytes before a marker
		if (marker === 0xff) {
			at++;
			continue;
		}
		// end of image, or the image data itself: no frame header came first
		if (marker === 0xd9 || marker === 0xda) return undefined;
		// markers without a length (restart markers, TEM)
		if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
			at += 2;
			continue;
		}
		const length = u16(at + 2);
		if (length < 2) return undefined;
		// start of frame: C0..CF except DHT (C4), JPG (C8) and DAC (CC)
		const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
		if (isFrame) {
			if (at + 9 > bytes.length) return undefined;
			const height = u16(at + 5);
			const width = u16(at + 7);
			return width && height ? { width, height } : undefined;
		}
		at += 2 + length;
	}
	return undefined;
}
