/**
 * Long texts cut into the messages Send Text sends: one row per rule of
 * nodes/WhatsAppCloud/helpers/split.ts with a small limit and the exact parts, then long texts with
 * the real limit checked part by part, then hostile texts that a rescan from every cut would make
 * slow, checked by their exact parts (timings belong to the bench).
 */
import { LIMIT } from '../../../nodes/WhatsAppCloud/helpers/limits';
import {
	splitLongText,
	SPLIT_MIN_LIMIT,
	type TextPart,
} from '../../../nodes/WhatsAppCloud/helpers/split';
import { charCount } from '../../../nodes/WhatsAppCloud/helpers/validation';

const FAMILY = '👩‍👩‍👧‍👦'; // 7 code points, 11 UTF-16 units
const FLAG = '🇩🇪'; // 2 code points
const THUMB = '👍🏽'; // 2 code points
const ACCENTED = 'e\u0301'; // 2 code points

const CASES: Array<[string, string, number, TextPart[]]> = [
	[
		'a text within the limit is one part, unchanged (white space and all)',
		'  Short *bold* text.\n',
		40,
		[{ text: '  Short *bold* text.\n', from: 0, to: 21 }],
	],
	[
		'a paragraph break before a later line break',
		'Para one here.\n\nLine two\nline three goes on',
		30,
		[
			{ text: 'Para one here.', from: 0, to: 16 },
			{ text: 'Line two\nline three goes on', from: 16, to: 43 },
		],
	],
	[
		'a line break before a later sentence end',
		'First line. More words\nSecond line here and more',
		30,
		[
			{ text: 'First line. More words', from: 0, to: 23 },
			{ text: 'Second line here and more', from: 23, to: 48 },
		],
	],
	[
		'a sentence end before later word breaks',
		'One two three. Four five six seven eight',
		25,
		[
			{ text: 'One two three.', from: 0, to: 15 },
			{ text: 'Four five six seven eight', from: 15, to: 40 },
		],
	],
	[
		'a sentence end behind a closing marker',
		'*Done.* Then more words here',
		20,
		[
			{ text: '*Done.*', from: 0, to: 8 },
			{ text: 'Then more words here', from: 8, to: 28 },
		],
	],
	[
		'a CJK sentence end with no space after it',
		'今日は晴れです。明日は雨でしょう。',
		16,
		[
			{ text: '今日は晴れです。', from: 0, to: 8 },
			{ text: '明日は雨でしょう。', from: 8, to: 17 },
		],
	],
	[
		'the last word break within the limit',
		'alpha beta gamma delta epsilon',
		20,
		[
			{ text: 'alpha beta gamma', from: 0, to: 17 },
			{ text: 'delta epsilon', from: 17, to: 30 },
		],
	],
	[
		'a word break before a no-break space',
		'Pay 1\u00a0000\u00a0000\u00a0EUR',
		16,
		[
			{ text: 'Pay', from: 0, to: 4 },
			{ text: '1\u00a0000\u00a0000\u00a0EUR', from: 4, to: 17 },
		],
	],
	[
		'a word longer than the limit, cut inside',
		'abcdefghijklmnopqrstuvwxyz',
		20,
		[
			{ text: 'abcdefghijklmnopqrst', from: 0, to: 20 },
			{ text: 'uvwxyz', from: 20, to: 26 },
		],
	],
	[
		'a long word goes to a part of its own before it is cut',
		'go supercalifragilisticexpialidocious now',
		20,
		[
			{ text: 'go', from: 0, to: 3 },
			{ text: 'supercalifragilistic', from: 3, to: 23 },
			{ text: 'expialidocious now', from: 23, to: 41 },
		],
	],
	[
		'white space at the cuts and the ends belongs to the slices, not to the parts',
		'\n\n  alpha beta gamma delta  \n\n',
		16,
		[
			{ text: 'alpha beta gamma', from: 0, to: 21 },
			{ text: 'delta', from: 21, to: 30 },
		],
	],
	[
		'many blank lines make one cut, no empty part',
		`alpha${'\n'.repeat(20)}beta`,
		16,
		[
			{ text: 'alpha', from: 0, to: 25 },
			{ text: 'beta', from: 25, to: 29 },
		],
	],
	[
		'an emoji family at the limit goes whole to the next part',
		`abcdefghijklmno${FAMILY}xyz`,
		20,
		[
			{ text: 'abcdefghijklmno', from: 0, to: 15 },
			{ text: `${FAMILY}xyz`, from: 15, to: 29 },
		],
	],
	[
		'a flag at the limit is not cut between its two letters',
		`abcdefghijklmnopqrs${FLAG}xyz`,
		20,
		[
			{ text: 'abcdefghijklmnopqrs', from: 0, to: 19 },
			{ text: `${FLAG}xyz`, from: 19, to: 26 },
		],
	],
	[
		'a skin tone stays with its emoji',
		`abcdefghijklmnopqrs${THUMB} ok`,
		20,
		[
			{ text: 'abcdefghijklmnopqrs', from: 0, to: 19 },
			{ text: `${THUMB} ok`, from: 19, to: 26 },
		],
	],
	[
		'a combining accent stays with its letter',
		`abcdefghijklmnopqrs${ACCENTED}xyz`,
		20,
		[
			{ text: 'abcdefghijklmnopqrs', from: 0, to: 19 },
			{ text: `${ACCENTED}xyz`, from: 19, to: 24 },
		],
	],
	[
		'a URL within the limit is kept whole',
		'Read https://example.com/docs/page now please',
		30,
		[
			{ text: 'Read', from: 0, to: 5 },
			{ text: 'https://example.com/docs/page', from: 5, to: 35 },
			{ text: 'now please', from: 35, to: 45 },
		],
	],
	[
		'a URL glued to a word longer than the limit goes whole to the next part',
		'Docs:https://x.io/docs/a now',
		20,
		[
			{ text: 'Docs:', from: 0, to: 5 },
			{ text: 'https://x.io/docs/a', from: 5, to: 25 },
			{ text: 'now', from: 25, to: 28 },
		],
	],
	[
		'a URL longer than the limit is cut like a word',
		'https://example.com/a/very/long/path/here',
		20,
		[
			{ text: 'https://example.com/', from: 0, to: 20 },
			{ text: 'a/very/long/path/her', from: 20, to: 40 },
			{ text: 'e', from: 40, to: 41 },
		],
	],
	[
		'bold is closed at the cut and opened again',
		'*bold words that run on* end',
		20,
		[
			{ text: '*bold words that*', from: 0, to: 17 },
			{ text: '*run on* end', from: 17, to: 28 },
		],
	],
	[
		'italic is closed at the cut and opened again',
		'_italic words that run on_ end',
		20,
		[
			{ text: '_italic words that_', from: 0, to: 19 },
			{ text: '_run on_ end', from: 19, to: 30 },
		],
	],
	[
		'strikethrough is closed at the cut and opened again',
		'~struck words that run on~ end',
		20,
		[
			{ text: '~struck words that~', from: 0, to: 19 },
			{ text: '~run on~ end', from: 19, to: 30 },
		],
	],
	[
		'inline code is closed at the cut and opened again',
		'Run `npm install --save-dev thing` now',
		20,
		[
			{ text: 'Run `npm install`', from: 0, to: 17 },
			{ text: '`--save-dev thing`', from: 17, to: 35 },
			{ text: 'now', from: 35, to: 38 },
		],
	],
	[
		'nested spans are closed inside out and opened again outside in',
		'*bold _and italic words here_ end*',
		20,
		[
			{ text: '*bold _and italic_*', from: 0, to: 18 },
			{ text: '*_words here_ end*', from: 18, to: 34 },
		],
	],
	[
		'a word cut inside bold leaves room for the closing marker',
		'*abcdefghijklmnopqrstuvwxyz*',
		16,
		[
			{ text: '*abcdefghijklmn*', from: 0, to: 15 },
			{ text: '*opqrstuvwxyz*', from: 15, to: 28 },
		],
	],
	[
		'a code block is closed with ``` and opened again with ```, on lines of their own',
		'```\nline one\nline two\nline three\n```',
		20,
		[
			{ text: '```\nline one\n```', from: 0, to: 13 },
			{ text: '```\nline two\n```', from: 13, to: 22 },
			{ text: '```\nline three\n```', from: 22, to: 36 },
		],
	],
	[
		'a code block opened again keeps the indentation of its line',
		'```\nif (a) {\n    go();\n}\n```',
		20,
		[
			{ text: '```\nif (a) {\n```', from: 0, to: 13 },
			{ text: '```\n    go();\n}\n```', from: 13, to: 28 },
		],
	],
	[
		'a code block written on one line is closed and opened without line breaks',
		'```one two three four five```',
		16,
		[
			{ text: '```one two```', from: 0, to: 11 },
			{ text: '```three four```', from: 11, to: 22 },
			{ text: '```five```', from: 22, to: 29 },
		],
	],
	[
		'no formatting inside code: an asterisk in a block is not closed',
		'```\na *b c d\ne f g* h\n```',
		16,
		[
			{ text: '```\na *b c d\n```', from: 0, to: 13 },
			{ text: '```\ne f g* h\n```', from: 13, to: 25 },
		],
	],
	[
		'inline code never holds a ```: the block is the span',
		'a `b ```\nc d e f g\n``` h` i',
		16,
		[
			{ text: 'a `b ```\nc d\n```', from: 0, to: 13 },
			{ text: '```\ne f g\n``` h`', from: 13, to: 26 },
			{ text: 'i', from: 26, to: 27 },
		],
	],
	[
		'underscores inside words are no span (snake_case): no markers added',
		'file_name and more words here_too',
		20,
		[
			{ text: 'file_name and more', from: 0, to: 19 },
			{ text: 'words here_too', from: 19, to: 33 },
		],
	],
	[
		'asterisks inside words are no span (2*3): no markers added',
		'2*3 is six and 4*5 is twenty',
		16,
		[
			{ text: '2*3 is six and', from: 0, to: 15 },
			{ text: '4*5 is twenty', from: 15, to: 28 },
		],
	],
	[
		'a marker inside a URL opens no span',
		'See https://x.io/_a b c d e f g h_ end',
		20,
		[
			{ text: 'See https://x.io/_a', from: 0, to: 20 },
			{ text: 'b c d e f g h_ end', from: 20, to: 38 },
		],
	],
	[
		'a marker right after a URL closes its span',
		'*look at https://x.io/a*',
		16,
		[
			{ text: '*look at*', from: 0, to: 9 },
			{ text: '*https://x.io/a*', from: 9, to: 24 },
		],
	],
];

describe('Splitting a long text into messages', () => {
	test.each(CASES)('%s', (_, text, limit, parts) => {
		expect(splitLongText(text, limit)).toEqual(parts);
	});

	test('a text over the limit that is white space only has nothing to send', () => {
		expect(splitLongText(' \n'.repeat(20), 20)).toEqual([]);
	});

	test('the default limit is Send Text’s, counted in characters (an emoji is one)', () => {
		// 4,096 emoji are 8,192 UTF-16 units: still within the limit
		const full = '😀'.repeat(LIMIT.textBody);
		expect(splitLongText(full)).toEqual([{ text: full, from: 0, to: full.length }]);
		const over = `${full}😀`;
		expect(splitLongText(over)).toEqual([
			{ text: full, from: 0, to: full.length },
			{ text: '😀', from: full.length, to: over.length },
		]);
	});

	test.each([0, SPLIT_MIN_LIMIT - 1, 20.5, Number.NaN])('a limit of %s is refused', (limit) => {
		expect(() => splitLongText('x'.repeat(100), limit)).toThrow(RangeError);
	});
});

/**
 * Where graphemes start, segmented line by line: a line break always ends a grapheme (CR LF aside,
 * and these texts have none), and Node 20's segmenter takes seconds for one 100,000-character text.
 */
function graphemeStarts(text: string): Set<number> {
	const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
	const starts = new Set<number>([text.length]);
	let offset = 0;
	for (const line of text.split('\n')) {
		for (const { index } of segmenter.segment(line)) starts.add(offset + index);
		offset += line.length + 1;
	}
	return starts;
}

type Built = { text: string; spans: Array<[number, number]> };

/**
 * A long text, the same every run: paragraphs of sentences, emoji sequences, code blocks, URLs (one
 * inside bold), CJK sentences and inline formatting, and once in 30 blocks three that are longer
 * than the limit: a bold paragraph and a code block (over twice the limit), and emoji glued into
 * words, a URL glued to one. Blocks are added until the text has at least `length` UTF-16 units;
 * `spans` are where the long bold paragraphs and code blocks are.
 */
function buildText(length: number): Built {
	let text = '';
	const spans: Array<[number, number]> = [];
	for (let i = 0; text.length < length; i++) {
		if (text) text += i % 3 === 0 ? '\n' : '\n\n';
		const start = text.length;
		if (i % 30 === 1) {
			text += `*${'Bold sentence keeps going on and on. '.repeat(245).trim()}*`;
			spans.push([start, text.length]);
		} else if (i % 30 === 15) {
			text += '```\n';
			for (let line = 0; line < 200; line++)
				text += `const value${line} = compute(${line});\n    nested(${line});\n`;
			text += '```';
			spans.push([start, text.length]);
		} else if (i % 30 === 25) {
			// 4,082 characters of emoji and a URL glued to them: the URL crosses the limit
			const glued = `${FAMILY}${FLAG}${THUMB}${ACCENTED}`;
			text += `${glued.repeat(314)}https://example.com/glued/${i} ${glued.repeat(386)}`;
		} else if (i % 6 === 0) {
			text +=
				`Paragraph ${i} says hello to the team. It has several sentences, some short! Others ask questions? `
					.repeat(1 + (i % 5))
					.trim();
		} else if (i % 6 === 1) {
			text += `${FAMILY} ${FLAG}🇯🇵 ${THUMB}👍🏿 café naïve ${ACCENTED} ${FAMILY}${FAMILY}${FLAG}${FLAG}`;
		} else if (i % 6 === 2) {
			text += `\`\`\`\n${`let step${i} = ${i};\n  indented(${i});\n`.repeat(1 + (i % 4))}\`\`\``;
		} else if (i % 6 === 3) {
			text += `See https://example.com/orders/${i}?ref=abc_def&x=*y* for details. *Track it at https://track.example/${i}*`;
		} else if (i % 6 === 4) {
			text += '今日は晴れです。明日は雨でしょう。'.repeat(1 + (i % 3));
		} else {
			text += `_italic ${i}_ and ~strike~ and \`code ${i}\` and snake_case_name and 2*3*4.`;
		}
	}
	return { text, spans };
}

describe.each([
	['10,000', 10_000],
	['100,000', 100_000],
])('a %s-character text with the real limit', (_, length) => {
	const { text, spans } = buildText(length);
	const parts = splitLongText(text);

	test('needs several parts, in order, covering the text exactly', () => {
		expect(text.length).toBeGreaterThanOrEqual(length);
		expect(parts.length).toBeGreaterThan(Math.floor(charCount(text) / LIMIT.textBody));
		expect(parts[0].from).toBe(0);
		for (let k = 1; k < parts.length; k++) expect(parts[k].from).toBe(parts[k - 1].to);
		expect(parts[parts.length - 1].to).toBe(text.length);
		expect(parts.map((p) => text.slice(p.from, p.to)).join('')).toBe(text);
	});

	test('every part has at most the limit, is not empty, and is its slice with markers only', () => {
		for (const part of parts) {
			expect(charCount(part.text)).toBeLessThanOrEqual(LIMIT.textBody);
			expect(part.text.trim()).not.toBe('');
			const slice = text.slice(part.from, part.to).trim();
			expect(part.text).toContain(slice);
			expect(charCount(part.text) - charCount(slice)).toBeLessThanOrEqual(14);
		}
	});

	test('no part starts or ends inside a grapheme', () => {
		const starts = graphemeStarts(text);
		for (const part of parts) {
			expect(starts.has(part.from)).toBe(true);
			expect(starts.has(part.to)).toBe(true);
		}
	});

	test('every URL of the text is whole in one part', () => {
		const urls = [...text.matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
		expect(urls.length).toBeGreaterThan(0);
		for (const url of urls) expect(parts.some((p) => p.text.includes(url))).toBe(true);
	});

	test('every part holds whole code blocks (an even number of ```)', () => {
		for (const part of parts) expect(part.text.split('```').length % 2).toBe(1);
	});

	test('the parts of a long bold paragraph or code block each close it and open it again', () => {
		expect(spans.length).toBeGreaterThan(0);
		for (const [from, to] of spans) {
			const code = text.startsWith('```', from);
			const [open, close] = code ? ['```\n', '\n```'] : ['*', '*'];
			const across = parts.filter((p) => p.to > from && p.from < to);
			// longer than twice the limit: a first, at least one middle and a last part
			expect(across.length).toBeGreaterThanOrEqual(3);
			across.forEach((part, k) => {
				if (k > 0) expect(part.text.startsWith(open)).toBe(true);
				if (k < across.length - 1) expect(part.text.endsWith(close)).toBe(true);
			});
			for (const part of across.slice(1, -1))
				expect(part.text).toMatch(code ? /^```\n\S[^]*\S\n```$/ : /^\*\S[^]*\S\*$/);
		}
	});
});

describe('hostile texts of 100,000 characters', () => {
	const lengths = (parts: TextPart[]) => parts.map((p) => charCount(p.text));
	const joined = (text: string, parts: TextPart[]) =>
		parts.map((p) => text.slice(p.from, p.to)).join('');

	// Three markers make a span of one marker (`***` is a bold asterisk): a cut is allowed only
	// between two such spans, never between a marker and its text, so each part is 1,365 of them.
	test.each([
		['asterisks', '*'],
		['underscores', '_'],
		['tildes', '~'],
	])('%s are cut between the spans they make', (_, marker) => {
		const text = marker.repeat(100_000);
		const parts = splitLongText(text);
		expect(lengths(parts)).toEqual([...Array<number>(24).fill(4095), 1720]);
		parts.forEach((part, k) => {
			expect(part).toEqual({
				text: marker.repeat(part.to - part.from),
				from: k * 4095,
				to: Math.min((k + 1) * 4095, 100_000),
			});
		});
	});

	test('backticks are cut between the blocks they make', () => {
		// ``` ` ``` again and again: 7 characters a block, 585 blocks a part
		const text = '`'.repeat(100_000);
		const parts = splitLongText(text);
		expect(lengths(parts)).toEqual([...Array<number>(24).fill(4095), 1720]);
		for (const part of parts) expect(part.text).toBe('`'.repeat(part.to - part.from));
		expect(joined(text, parts)).toBe(text);
	});

	test('one word is cut at the limit', () => {
		const text = 'a'.repeat(100_000);
		const parts = splitLongText(text);
		expect(lengths(parts)).toEqual([...Array<number>(24).fill(LIMIT.textBody), 1696]);
		parts.forEach((part, k) => {
			expect(part.from).toBe(k * LIMIT.textBody);
			expect(part.text).toBe(text.slice(part.from, part.to));
		});
		expect(joined(text, parts)).toBe(text);
	});

	test('line breaks only have nothing to send', () => {
		expect(splitLongText('\n'.repeat(100_000))).toEqual([]);
	});

	test('one word among line breaks is one part, its slice the whole text', () => {
		const text = `${'\n'.repeat(50_000)}word${'\n'.repeat(50_000)}`;
		expect(splitLongText(text)).toEqual([{ text: 'word', from: 0, to: 100_004 }]);
	});

	test('openers that never close are characters', () => {
		const text = ' *a _b ~c `d'.repeat(8_334);
		const parts = splitLongText(text);
		for (const part of parts) {
			expect(charCount(part.text)).toBeLessThanOrEqual(LIMIT.textBody);
			// no marker was added: each part is its slice without the white space at the cut
			expect(part.text).toBe(text.slice(part.from, part.to).trim());
		}
		expect(joined(text, parts)).toBe(text);
	});

	test('one grapheme longer than the limit is cut between code points', () => {
		const text = `a${'\u0301'.repeat(99_999)}`;
		const parts = splitLongText(text);
		expect(lengths(parts)).toEqual([...Array<number>(24).fill(4089), 1864]);
		expect(joined(text, parts)).toBe(text);
	});
});
