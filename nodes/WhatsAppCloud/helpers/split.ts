/**
 * Splits a text longer than Send Text's limit (`LIMIT.textBody`, counted with `charCount`) into
 * the parts that go out as several messages, in order. The rules:
 * - A text within the limit is one part, unchanged: `[{ text, from: 0, to: text.length }]`.
 * - A longer text gives parts in order that cover it exactly: the first `from` is 0, each `to` is
 *   the next part's `from`, the last `to` is `text.length` (UTF-16 offsets, as `slice` takes them),
 *   so the slices `text.slice(from, to)` joined give the text back character for character.
 * - The white space where the text is cut belongs to the slice before the cut; a part's `text`
 *   has none at either end (nor the text's own leading and trailing white space). The one exception
 *   is a code block: a part that goes on with one keeps the indentation of its first line.
 * - A part's `text` has at most `limit` characters, the markers below included, and is never empty
 *   or white space only. A longer text that is white space only has nothing to send: no parts.
 * - Each part is cut as late as the limit allows, at the best kind of place it finds there: a
 *   paragraph break (a blank line), else a line break, else a sentence end (`.`, `!`, `?`, `…`, or
 *   `。`, `！`, `？`, maybe followed by closing quotes, brackets or markers, then white space; the
 *   CJK marks also with no white space after them, as CJK text puts none there), else white space
 *   between two words, else a no-break space, and only when one word is longer than the room left,
 *   inside the word.
 * - No cut falls inside a character (surrogate pair) or a grapheme (an emoji sequence such as
 *   👩‍👩‍👧‍👦, a flag, a skin tone, a letter with its accents), nor inside a URL (`http://` or
 *   `https://` up to the next white space) unless the URL alone is longer than the limit, nor
 *   inside a marker, nor between a marker and its text. When nothing else fits (a grapheme longer
 *   than the room left; markers that leave no room for what they surround; a URL that fits only
 *   without the markers around it) the cut goes where it must: inside the URL at a grapheme
 *   boundary, else between code points.
 * - Formatting survives a cut: when a part ends inside `*bold*`, `_italic_`, `~strike~`,
 *   `` `code` `` or a ``` block, the part closes it and the next part opens it again, so that each
 *   message shows as the whole text did. A block whose opening ``` ends its line is closed with a
 *   line break and ``` and opened again with ``` and a line break, as it was written. The markers
 *   count toward the limit: at most 7 characters to open and 7 to close, hence `SPLIT_MIN_LIMIT`.
 * What counts as formatting is WhatsApp's own rule: a marker opens at the start or after white
 * space or punctuation when text that is not white space follows, and closes after text that is not
 * white space when the end, white space or punctuation follows; a marker inside a word
 * (`snake_case`, `2*3*4`) or inside a URL is a character. A span may run over line breaks; the same
 * marker does not open again inside its own span; a closer closes the nearest open span of its
 * marker, and the markers opened inside it and still open stay characters. A ``` opens a block
 * wherever it stands and the next ``` closes it; a lone backtick opens and closes inline code by
 * the rule above, never across a ```; there is no formatting inside code.
 * Every scan here is linear: the text is read a fixed number of times, and each cut looks back at
 * most over the room of one part.
 */
import { LIMIT } from './limits';
import { charCount } from './validation';

/**
 * One message of a split text: `text` is what is sent; `from` and `to` are where its slice of the
 * original text starts and ends (UTF-16 offsets; the white space at the cut belongs to the slice).
 */
export type TextPart = { text: string; from: number; to: number };

/** Room the markers of one part can take (7 to open, 7 to close), with two characters of text. */
export const SPLIT_MIN_LIMIT = 16;

/** At most three formatting spans (`*`, `_`, `~`) and one code span (``` and a line break). */
const MAX_CLOSE = 7;

type Marker = '*' | '_' | '~' | '`' | '```';

type Span = {
	marker: Marker;
	openStart: number;
	/** Where the span's own text starts, and ends (`closeStart`). */
	openEnd: number;
	closeStart: number;
	/** A ``` block written with its opening fence on a line of its own. */
	ownLine: boolean;
	/** The span this one is inside, or -1. */
	parent: number;
};

type Cut = {
	/** Where the part's text ends. */
	end: number;
	/** Where the next part's slice (and text) starts. */
	next: number;
	/** The first character of the next part that is not white space. */
	content: number;
};

const PUNCTUATION = /[\p{P}\p{S}]/u;

/** JavaScript's white space (`\s`), tested on one UTF-16 unit (all of it is in the BMP). */
function isSpace(code: number): boolean {
	return (
		code === 0x20 ||
		(code >= 0x09 && code <= 0x0d) ||
		code === 0xa0 ||
		code === 0x1680 ||
		(code >= 0x2000 && code <= 0x200a) ||
		code === 0x2028 ||
		code === 0x2029 ||
		code === 0x202f ||
		code === 0x205f ||
		code === 0x3000 ||
		code === 0xfeff
	);
}

/** White space that keeps words together: a line is never broken there. */
const isNoBreakSpace = (code: number) =>
	code === 0xa0 || code === 0x2007 || code === 0x202f || code === 0xfeff;

const SENTENCE_END = '.!?…。！？｡．';
const CJK_SENTENCE_END = '。！？｡';
/** What may stand between a sentence end and the white space after it. */
const SENTENCE_CLOSERS = '"\'”’»)]}」』】》）*_~`';

/**
 * Splits `text` into the parts of at most `limit` characters that go out as messages, in order
 * (see the rules above). `limit` is a whole number of at least `SPLIT_MIN_LIMIT`.
 */
export function splitLongText(text: string, limit: number = LIMIT.textBody): TextPart[] {
	if (!Number.isInteger(limit) || limit < SPLIT_MIN_LIMIT)
		throw new RangeError(
			`The split limit must be a whole number of at least ${SPLIT_MIN_LIMIT}, got ${limit}`,
		);
	if (charCount(text) <= limit) return [{ text, from: 0, to: text.length }];
	const n = text.length;
	const grapheme = graphemeBoundaries(text);
	// white space that carries an accent (a space and U+0301) is a character of the text, not a gap
	const space = (i: number) =>
		i >= 0 &&
		i < n &&
		isSpace(text.charCodeAt(i)) &&
		(grapheme[i + 1] === 1 || isSpace(text.charCodeAt(i + 1)));
	let first = 0;
	while (first < n && space(first)) first++;
	if (first === n) return [];
	let last = n;
	while (space(last - 1)) last--;

	// code points that start before each UTF-16 offset (charCount's count), and where each starts
	const cp = new Int32Array(n + 1);
	const unitOf = new Int32Array(n + 1);
	let count = 0;
	for (let i = 0; i < n; i++) {
		cp[i] = count;
		if (!isInsidePair(text, i)) unitOf[count++] = i;
	}
	cp[n] = count;
	unitOf[count] = n;

	const spans = findSpans(text);
	const spanOf = new Int32Array(n).fill(-1);
	// outer spans start first: filling in that order leaves each character its innermost span
	spans.sort((a, b) => a.openStart - b.openStart);
	const noCut = new Uint8Array(n + 1);
	spans.forEach((span, k) => {
		span.parent = spanOf[span.openStart];
		spanOf.fill(k, span.openEnd, span.closeStart);
		// a cut inside a marker or between a marker and its text would leave a part a broken marker
		for (let p = span.openStart + 1; p <= span.openEnd; p++) noCut[p] = 1;
		for (let p = span.closeStart; p < span.closeStart + span.marker.length; p++) noCut[p] = 1;
	});

	const inUrl = new Uint8Array(n + 1);
	for (let i = 0; i < n; i++) {
		const end = urlEnd(text, i);
		if (end < 0) continue;
		if (cp[end] - cp[i] <= limit) inUrl.fill(1, i + 1, end);
		i = end - 1;
	}

	/** The spans a cut between `end` and `content` is inside, outermost first. */
	const openAt = (end: number, content: number): Span[] => {
		let k = end > 0 ? spanOf[end - 1] : -1;
		while (k >= 0 && !(spans[k].openEnd <= content && content < spans[k].closeStart))
			k = spans[k].parent;
		const chain: Span[] = [];
		for (; k >= 0; k = spans[k].parent) chain.unshift(spans[k]);
		return chain;
	};
	const opening = (chain: Span[]) =>
		chain.map((s) => (s.marker === '```' && s.ownLine ? '```\n' : s.marker)).join('');
	const closing = (chain: Span[]) =>
		chain
			.map((s) => (s.marker === '```' && s.ownLine ? '\n```' : s.marker))
			.reverse()
			.join('');

	const hardCut = (p: number, keepUrls: boolean) =>
		grapheme[p] === 1 &&
		noCut[p] === 0 &&
		(!keepUrls || inUrl[p] === 0) &&
		!space(p - 1) &&
		!space(p);

	// the places to cut, by kind (4 paragraph, 3 line, 2 sentence, 1 word, 0 a no-break space:
	// better than inside a word), in text order
	const places: Cut[][] = [[], [], [], [], []];
	for (let i = first; i < last; i++) {
		if (CJK_SENTENCE_END.includes(text[i])) {
			let p = i + 1;
			while (p < n && p - i <= 3 && SENTENCE_CLOSERS.includes(text[p])) p++;
			if (p < last && !SENTENCE_CLOSERS.includes(text[p]) && hardCut(p, true))
				places[2].push({ end: p, next: p, content: p });
			continue;
		}
		if (!space(i)) continue;
		let b = i;
		let breaks = 0;
		let lastBreak = -1;
		let breakable = false;
		for (; b < n && space(b); b++) {
			const w = text.charCodeAt(b);
			if (!isNoBreakSpace(w)) breakable = true;
			if (w === 0x0a || (w === 0x0d && text.charCodeAt(b + 1) !== 0x0a) || w === 0x2028) {
				breaks++;
				lastBreak = b;
			} else if (w === 0x2029) {
				breaks += 2;
				lastBreak = b;
			}
		}
		const a = i;
		i = b - 1;
		if (!grapheme[a] || !grapheme[b] || noCut[a] || noCut[b]) continue;
		const kind = !breakable
			? 0
			: breaks >= 2
				? 4
				: breaks === 1
					? 3
					: endsSentence(text, a)
						? 2
						: 1;
		let next = b;
		// inside a code block the next part keeps its first line's indentation
		if (lastBreak >= 0 && openAt(a, b).some((s) => s.marker === '```')) next = lastBreak + 1;
		places[kind].push({ end: a, next, content: b });
	}

	const parts: TextPart[] = [];
	let from = 0;
	let start = first;
	let open: Span[] = [];
	for (;;) {
		const reopen = opening(open);
		if (cp[last] - cp[start] + reopen.length <= limit) {
			parts.push({ text: reopen + text.slice(start, last), from, to: n });
			return parts;
		}
		const room = limit - reopen.length;
		const reach = cp[start] + room >= count ? n : unitOf[cp[start] + room];
		const fits = (cut: Cut) =>
			cp[cut.end] - cp[start] + closing(openAt(cut.end, cut.content)).length <= room;
		let cut: Cut | undefined;
		for (let kind = 4; kind >= 0 && !cut; kind--) {
			const list = places[kind];
			for (let k = latestAtOrBefore(list, reach); k >= 0 && list[k].end > start; k--) {
				if (fits(list[k])) {
					cut = list[k];
					break;
				}
			}
		}
		// inside a word: keep URLs whole if it can, else cut one that cannot fit with its markers
		for (const keepUrls of [true, false]) {
			for (let p = reach; !cut && p > start; p--) {
				if (hardCut(p, keepUrls) && fits({ end: p, next: p, content: p }))
					cut = { end: p, next: p, content: p };
			}
		}
		if (!cut) {
			// nothing fits (one grapheme longer than the room, or markers that leave none): cut between
			// code points, leaving room to close what is open
			let body = start;
			while (space(body)) body++;
			// a code line's indentation that leaves no room is left out of the part's text
			if (cp[body] - cp[start] + 1 > room - MAX_CLOSE) start = body;
			let end = unitOf[cp[start] + room - MAX_CLOSE];
			while (end > body + 1 && space(end - 1)) end--;
			let next = end;
			while (space(next)) next++;
			cut = { end, next, content: next };
		}
		const chain = openAt(cut.end, cut.content);
		parts.push({ text: reopen + text.slice(start, cut.end) + closing(chain), from, to: cut.next });
		from = cut.next;
		start = cut.next;
		open = chain;
	}
}

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** How much text one call of the segmenter reads: it slows down with the length of what it reads. */
const SEGMENT_CHUNK = 256;

/** Two ASCII characters always have a grapheme boundary between them, except CR and LF. */
function plainBoundary(text: string, p: number): boolean {
	const a = text.charCodeAt(p - 1);
	const b = text.charCodeAt(p);
	return a < 0x80 && b < 0x80 && !(a === 0x0d && b === 0x0a);
}

/**
 * Where graphemes start (and `text.length`), marked 1. Intl.Segmenter takes time that grows with
 * the square of the text it reads (4 s for 100,000 characters in Node 20), so it reads only the
 * stretches around characters that are not ASCII, a chunk at a time, each starting at a boundary
 * already known; between two ASCII characters the boundary is certain.
 */
function graphemeBoundaries(text: string): Uint8Array {
	const n = text.length;
	const boundary = new Uint8Array(n + 1);
	boundary[0] = 1;
	boundary[n] = 1;
	let chunk = SEGMENT_CHUNK;
	for (let pos = 0; pos < n; ) {
		if (pos + 1 === n || plainBoundary(text, pos + 1)) {
			boundary[++pos] = 1;
			continue;
		}
		let end = pos + 2;
		while (end < n && end - pos < chunk && !plainBoundary(text, end)) end++;
		// the chunk is known to end at a boundary, or else its last grapheme may go on after it
		const certain = end >= n || plainBoundary(text, end);
		// never end a chunk between the two halves of a character
		if (!certain && isInsidePair(text, end)) end--;
		let lastStart = pos;
		for (const { index } of GRAPHEMES.segment(text.slice(pos, end))) {
			boundary[pos + index] = 1;
			lastStart = pos + index;
		}
		if (certain) {
			boundary[end] = 1;
			pos = end;
			chunk = SEGMENT_CHUNK;
		} else if (lastStart > pos) {
			boundary[lastStart] = 1;
			pos = lastStart;
			chunk = SEGMENT_CHUNK;
		} else chunk *= 2; // one grapheme longer than the chunk: read it again, twice as far
	}
	return boundary;
}

function isInsidePair(text: string, i: number): boolean {
	const c = text.charCodeAt(i);
	const h = text.charCodeAt(i - 1);
	return c >= 0xdc00 && c <= 0xdfff && h >= 0xd800 && h <= 0xdbff;
}

/** The index of the last cut that ends at or before `at`, or -1 (cuts are in text order). */
function latestAtOrBefore(list: Cut[], at: number): number {
	let lo = 0;
	let hi = list.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (list[mid].end <= at) lo = mid + 1;
		else hi = mid;
	}
	return lo - 1;
}

/** Whether the white space at `at` follows a sentence end (closing quotes and markers between). */
function endsSentence(text: string, at: number): boolean {
	let i = at;
	while (i > 0 && at - i < 3 && SENTENCE_CLOSERS.includes(text[i - 1])) i--;
	return i > 0 && SENTENCE_END.includes(text[i - 1]);
}

/** Where a URL that starts at `i` ends (the next white space), or -1 when none starts there. */
function urlEnd(text: string, i: number): number {
	if (text[i] !== 'h' && text[i] !== 'H') return -1;
	const head = text.slice(i, i + 8).toLowerCase();
	if (!head.startsWith('http://') && head !== 'https://') return -1;
	let end = i + (head === 'https://' ? 8 : 7);
	while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
	return end;
}

/** The code point that ends before `i`, or undefined at the start. */
function before(text: string, i: number): string | undefined {
	if (i <= 0) return undefined;
	return i >= 2 && isInsidePair(text, i - 1) ? text.slice(i - 2, i) : text[i - 1];
}

/** The code point that starts at `i`, or undefined at the end. */
function at(text: string, i: number): string | undefined {
	const code = text.codePointAt(i);
	return code === undefined ? undefined : String.fromCodePoint(code);
}

/** Whether `i` is at the start, or after white space or punctuation: where a marker may open. */
function afterBoundary(text: string, i: number): boolean {
	const prev = before(text, i);
	return prev === undefined || isSpace(prev.charCodeAt(0)) || PUNCTUATION.test(prev);
}

/** WhatsApp's rule for an opening marker of `length` characters at `i`. */
function canOpen(text: string, i: number, length: number): boolean {
	return (
		afterBoundary(text, i) && i + length < text.length && !isSpace(text.charCodeAt(i + length))
	);
}

/** WhatsApp's rule for a closing marker of `length` characters at `i`. */
function canClose(text: string, i: number, length: number): boolean {
	if (i === 0 || isSpace(text.charCodeAt(i - 1))) return false;
	const next = at(text, i + length);
	return next === undefined || isSpace(next.charCodeAt(0)) || PUNCTUATION.test(next);
}

/** A backtick that is one on its own (a run of them is characters, or a block's fence). */
const loneBacktick = (text: string, i: number) =>
	text[i] === '`' && text[i - 1] !== '`' && text[i + 1] !== '`';

/**
 * The formatting spans of the text, in one pass: code first (nothing inside it is formatting), then
 * `*`, `_` and `~` on one stack of open markers, so each closer finds its opener without a search.
 */
function findSpans(text: string): Span[] {
	const n = text.length;
	const spans: Span[] = [];
	const span = (marker: Marker, openStart: number, closeStart: number): Span => ({
		marker,
		openStart,
		openEnd: openStart + marker.length,
		closeStart,
		ownLine: text[openStart + marker.length] === '\n' || text[openStart + marker.length] === '\r',
		parent: -1,
	});
	// for each offset, the first lone backtick from there on that can close inline code; none past
	// a ```, which belongs to a block: inline code never holds one
	const nextCloser = new Int32Array(n + 1).fill(-1);
	for (let i = n - 1; i >= 0; i--)
		nextCloser[i] = text.startsWith('```', i)
			? -1
			: loneBacktick(text, i) && canClose(text, i, 1)
				? i
				: nextCloser[i + 1];
	const stack: Array<{ marker: '*' | '_' | '~'; at: number }> = [];
	const openIndex: Record<'*' | '_' | '~', number> = { '*': -1, _: -1, '~': -1 };
	// once a ``` finds no closing one, no later ``` can: the search is not repeated
	let fences = true;
	for (let i = 0; i < n; ) {
		const c = text[i];
		if (c === '`') {
			if (fences && text.startsWith('```', i)) {
				const close = text.indexOf('```', i + 4);
				if (close < 0) fences = false;
				else {
					spans.push(span('```', i, close));
					i = close + 3;
					continue;
				}
			}
			if (loneBacktick(text, i) && canOpen(text, i, 1) && i + 2 <= n) {
				const close = nextCloser[i + 2];
				if (close >= 0) {
					spans.push(span('`', i, close));
					i = close + 1;
					continue;
				}
			}
			i++;
			continue;
		}
		if (c === '*' || c === '_' || c === '~') {
			const k = openIndex[c];
			if (k >= 0 && canClose(text, i, 1) && stack[k].at < i - 1) {
				// markers opened inside this span and still open can no longer close: characters
				for (let j = stack.length - 1; j >= k; j--) openIndex[stack[j].marker] = -1;
				spans.push(span(c, stack[k].at, i));
				stack.length = k;
			} else if (k < 0 && canOpen(text, i, 1)) {
				openIndex[c] = stack.length;
				stack.push({ marker: c, at: i });
			}
			i++;
			continue;
		}
		const url = urlEnd(text, i);
		if (url > 0) {
			// markers inside a URL are characters; those ending it (`*see https://x.io*`) are not
			let end = url;
			while (end > i && SENTENCE_CLOSERS.includes(text[end - 1])) end--;
			i = end;
			continue;
		}
		i++;
	}
	return spans;
}
