/**
 * Markdown as language models write it, and the exact text WhatsApp gets: one row per rule of
 * nodes/WhatsAppCloud/helpers/markdown.ts, the hard cases included (code left alone, delimiters
 * inside words and URLs, escapes, nesting, tables, HTML).
 */
import { markdownToWhatsApp } from '../../../nodes/WhatsAppCloud/helpers/markdown';

const ZWSP = '\u200b';

const CASES: Array<[string, string, string]> = [
	['strong and emphasis', '**bold** and *italic*', '*bold* and _italic_'],
	['underscore forms', '__bold__ and _italic_', '*bold* and _italic_'],
	['strong emphasis together', '***both***', '_*both*_'],
	['emphasis nested in strong', '**bold with _italic_ inside**', '*bold with _italic_ inside*'],
	['strikethrough, double and single tilde', '~~strike~~ and ~one~', '~strike~ and ~one~'],
	['a strong span before punctuation', '**Total**: 12 EUR', '*Total*: 12 EUR'],
	['a code span keeps its content', '`code *not bold*`', '`code *not bold*`'],
	['a code span of three backticks becomes one', '```inline```', '`inline`'],
	[
		'a fenced block keeps its content and drops its language',
		'```js\nconst a = **b**;\n```',
		'```\nconst a = **b**;\n```',
	],
	['a tilde fence', '~~~\nfenced ~~ tilde\n~~~', '```\nfenced ~~ tilde\n```'],
	['headings become bold lines', '# Title\n## Sub *x*', '*Title*\n*Sub _x_*'],
	['a link becomes text (url)', '[Docs](https://x.io/a_b)', 'Docs (https://x.io/a_b)'],
	['a link whose text is its URL', '[https://x.io](https://x.io)', 'https://x.io'],
	['an autolink', '<https://y.io>', 'https://y.io'],
	['a bare URL with underscores stays', 'see https://x.io/a_b_c now', 'see https://x.io/a_b_c now'],
	['an image becomes its link', '![a plant](https://img.io/p.png)', 'https://img.io/p.png'],
	[
		'delimiters inside words are characters',
		'snake_case, 2*3*4 and file_name_here',
		'snake_case, 2*3*4 and file_name_here',
	],
	['an asterisk between spaces is a character', 'Price: 5 * 3 = 15', 'Price: 5 * 3 = 15'],
	['an unclosed delimiter is a character', '*unclosed', '*unclosed'],
	[
		'bullets become dashes, ordered items keep their numbers',
		'- one\n* two\n+ three\n1. first\n2) second',
		'- one\n- two\n- three\n1. first\n2. second',
	],
	[
		'a nested list keeps its indent',
		'1. **Step**: run `npm ci`\n   - nested _item_',
		'1. *Step*: run `npm ci`\n   - nested _item_',
	],
	['quotes keep their marker', '> quoted **bold**\n> more', '> quoted *bold*\n> more'],
	[
		'a table becomes one line per row',
		'| Item | Qty |\n|---|---:|\n| Pot | 2 |\n| Soil | 1 |',
		'Item: Pot · Qty: 2\nItem: Soil · Qty: 1',
	],
	[
		'HTML tags are dropped, <br> is a line break',
		'Hello<br>World <b>bold</b> <span class="x">t</span>',
		'Hello\nWorld bold t',
	],
	[
		'escapes give the character, kept from formatting',
		'\\*not bold\\* and \\_x\\_',
		`*${ZWSP}not bold*${ZWSP} and _${ZWSP}x_${ZWSP}`,
	],
	['a thematic break is dropped', 'above\n\n***\n\nbelow', 'above\n\n\n\nbelow'],
	['Windows line ends', 'a\r\n**b**', 'a\n*b*'],
	['plain text is unchanged', 'Your order A-1042 ships today.', 'Your order A-1042 ships today.'],
];

describe('Markdown to WhatsApp formatting', () => {
	test.each(CASES)('%s', (_, markdown, whatsapp) => {
		expect(markdownToWhatsApp(markdown)).toBe(whatsapp);
	});

	// Texts a model or a customer could produce that open far more than they close: each must come
	// back character for character (nothing in them can be formatting). At 200,000 characters they
	// also keep the scan honest: a scan that looks ahead from every opener needs minutes for them
	// (one such scan took 13 s for the `[a](` row), far beyond the suite's timeout.
	test.each([
		['unclosed delimiters, brackets and backticks', '*_[~`('],
		['link texts whose target never ends', '[a]('],
		['angle brackets that never close', '<'],
	])('%s stay as they are, at 200,000 characters', (_, unit) => {
		const hostile = unit.repeat(Math.ceil(200_000 / unit.length));
		expect(markdownToWhatsApp(hostile)).toBe(hostile);
	});

	test('a link whose target holds a bracket is left as written', () => {
		expect(markdownToWhatsApp('[x](https://a.io/?q[]=1)')).toBe('[x](https://a.io/?q[]=1)');
	});
});
