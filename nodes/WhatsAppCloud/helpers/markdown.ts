/**
 * Markdown (CommonMark with GitHub's tables and strikethrough), as language models write it, turned
 * into WhatsApp's own formatting: `*bold*`, `_italic_`, `~strike~`, `` `code` ``, ``` blocks,
 * `> ` quotes and `- ` / `1. ` lists. The rules, each predictable:
 * - emphasis and strong emphasis become `_…_` and `*…*` (nested too), strikethrough `~…~`; a
 *   delimiter inside a word or a URL is a character, never formatting (`snake_case`, `a*b*c`);
 * - code spans and fenced blocks are kept character for character (no formatting inside code);
 * - a heading becomes a bold line; a link `text (url)`, or the URL when the text is the URL; an
 *   image its link; an autolink `<url>` the URL; a bare URL stays as it is;
 * - lists and quotes keep their lines (`*` and `+` bullets become `-`, which WhatsApp shows as a
 *   list); a table becomes one line per row, `Header: value · Header: value`;
 * - HTML tags are dropped (`<br>` becomes a line break); a backslash escape gives the character
 *   (a formatting marker with a zero-width space after it, so that WhatsApp shows it as it is).
 * Every scan here is linear: no regular expression that can backtrack sees the text.
 */

import type { IExecuteFunctions } from 'n8n-workflow';

import { itemError } from './validation';

const FENCE = /^ {0,3}(?:(`{3,})([^`]*)|(~{3,})(.*))$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+|$)(.*)$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const BULLET = /^(\s*)[-*+][ \t]+(.*)$/;
const ORDERED = /^(\s*)(\d{1,9})([.)])[ \t]+(.*)$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** Converts Markdown to WhatsApp's formatting. */
export function markdownToWhatsApp(markdown: string): string {
	const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
	const out: string[] = [];
	for (let n = 0; n < lines.length; n++) {
		const line = lines[n];
		const fence = FENCE.exec(line);
		if (fence) {
			// a fenced block: kept as it is between WhatsApp's own ``` fences
			const marker = fence[1] ?? fence[3];
			const body: string[] = [];
			let m = n + 1;
			while (m < lines.length && !isClosingFence(lines[m], marker)) body.push(lines[m++]);
			out.push('```', ...body, '```');
			n = m;
			continue;
		}
		if (isTableRow(line) && n + 1 < lines.length && TABLE_SEPARATOR.test(lines[n + 1])) {
			const header = cells(line);
			let m = n + 2;
			while (m < lines.length && isTableRow(lines[m])) {
				const row = cells(lines[m]);
				out.push(
					row
						.map((value, c) => {
							const name = header[c] ? inline(header[c]) : '';
							return name ? `${name}: ${inline(value)}` : inline(value);
						})
						.filter((part) => part.trim())
						.join(' · '),
				);
				m++;
			}
			n = m - 1;
			continue;
		}
		out.push(blockLine(line));
	}
	return out.join('\n');
}

function isClosingFence(line: string, marker: string): boolean {
	const trimmed = line.trim();
	if (!trimmed.startsWith(marker[0].repeat(marker.length))) return false;
	for (const c of trimmed) if (c !== marker[0]) return false;
	return true;
}

function isTableRow(line: string): boolean {
	const trimmed = line.trim();
	return trimmed.includes('|') && trimmed.length > 1 && !FENCE.test(line);
}

/** A table row's cells, without the outer pipes; `\|` is a pipe inside a cell. */
function cells(line: string): string[] {
	let trimmed = line.trim();
	if (trimmed.startsWith('|')) trimmed = trimmed.slice(1);
	if (trimmed.endsWith('|') && !trimmed.endsWith('\\|')) trimmed = trimmed.slice(0, -1);
	const found: string[] = [];
	let current = '';
	for (let i = 0; i < trimmed.length; i++) {
		if (trimmed[i] === '\\' && trimmed[i + 1] === '|') {
			current += '|';
			i++;
		} else if (trimmed[i] === '|') {
			found.push(current.trim());
			current = '';
		} else current += trimmed[i];
	}
	found.push(current.trim());
	return found;
}

/** One line outside code and tables: headings, quotes, lists, rules, then its inline content. */
function blockLine(line: string): string {
	if (RULE.test(line)) return '';
	const heading = HEADING.exec(line);
	if (heading) {
		const text = heading[2].replace(/[ \t]+#+[ \t]*$/, '').trim();
		if (!text) return '';
		// the heading is bold as a whole: bold inside it would end it early
		const content = inline(text, true);
		return content ? `*${content}*` : '';
	}
	const quote = QUOTE.exec(line);
	if (quote) return `> ${blockLine(quote[1])}`.trimEnd();
	const bullet = BULLET.exec(line);
	if (bullet) return `${bullet[1]}- ${inline(bullet[2])}`;
	const ordered = ORDERED.exec(line);
	if (ordered) return `${ordered[1]}${ordered[2]}. ${inline(ordered[4])}`;
	return inline(line);
}

type Piece =
	| { kind: 'text'; text: string }
	/** Already final output: code, links, URLs, escapes. */
	| { kind: 'literal'; text: string }
	| { kind: 'delim'; char: '*' | '_' | '~'; count: number; open: boolean; close: boolean };

const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);
const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
const isPunctuation = (c: string | undefined) =>
	c !== undefined && /[\p{P}\p{S}]/u.test(c) && c !== '*' && c !== '_' && c !== '~';
const WHATSAPP_MARKERS = '*_~`';
const ESCAPABLE = '\\`*_{}[]()#+-.!|~<>"\'$%&,/:;=?@^';

/** Where a URL starting at `i` ends (exclusive), or -1 when none starts there. */
function urlEnd(text: string, i: number): number {
	let start = -1;
	if (text.startsWith('http://', i) || text.startsWith('https://', i)) start = i;
	else if (text.startsWith('www.', i)) start = i;
	if (start < 0 || isWordChar(text[i - 1])) return -1;
	let end = i;
	while (end < text.length && !/[\s<>]/.test(text[end])) end++;
	// trailing punctuation belongs to the sentence, not the URL (a closing bracket only if unmatched)
	const opened = count(text, '(', i, end);
	let closed = count(text, ')', i, end);
	while (end > i) {
		const last = text[end - 1];
		if (/[.,:;!?'"*_~]/.test(last)) end--;
		else if (last === ')' && opened < closed) {
			end--;
			closed--;
		} else break;
	}
	return end > i + 4 ? end : -1;
}

function count(text: string, c: string, from: number, to: number): number {
	let n = 0;
	for (let i = from; i < to; i++) if (text[i] === c) n++;
	return n;
}

/**
 * What the inline scan looks up, found once per text so that no lookup scans ahead again: where
 * each code span ends and which `]` closes each `[` (escapes and code spans skipped).
 */
class Scan {
	/** Backtick runs by length: their start positions, ascending. */
	private readonly runs = new Map<number, number[]>();

	/** Run ends, by start: a run is [start, end). */
	private readonly runEnd = new Map<number, number>();

	private readonly bracketClose = new Map<number, number>();

	private nextGt = -1;

	constructor(private readonly text: string) {
		for (let i = 0; i < text.length; ) {
			if (text[i] !== '`') {
				i++;
				continue;
			}
			let end = i;
			while (text[end] === '`') end++;
			const list = this.runs.get(end - i) ?? [];
			list.push(i);
			this.runs.set(end - i, list);
			this.runEnd.set(i, end);
			i = end;
		}
		const open: number[] = [];
		for (let i = 0; i < text.length; i++) {
			const c = text[i];
			if (c === '\\') i++;
			else if (c === '`') {
				const end = this.codeSpanEnd(i);
				i = (end > 0 ? end : this.runFrom(i)) - 1;
			} else if (c === '[') open.push(i);
			else if (c === ']' && open.length) this.bracketClose.set(open.pop()!, i);
		}
	}

	/** Where the backtick run that `i` is in ends. */
	private runFrom(i: number): number {
		let end = i;
		while (this.text[end] === '`') end++;
		return end;
	}

	/** Where a code span opened by the backticks from `i` ends (exclusive), or -1 when none does. */
	codeSpanEnd(i: number): number {
		const end = this.runFrom(i);
		const list = this.runs.get(end - i);
		if (!list) return -1;
		// the first run of the same length after this one (binary search: runs are ascending)
		let lo = 0;
		let hi = list.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (list[mid] < end) lo = mid + 1;
			else hi = mid;
		}
		return lo < list.length ? this.runEnd.get(list[lo])! : -1;
	}

	/** The `]` that closes the `[` at `open`, or -1. */
	closingBracket(open: number): number {
		return this.bracketClose.get(open) ?? -1;
	}

	/** The first `>` at or after `i` (the scan only moves forward), or -1. */
	greaterThan(i: number): number {
		if (this.nextGt !== Infinity && this.nextGt < i) {
			const found = this.text.indexOf('>', i);
			this.nextGt = found < 0 ? Infinity : found;
		}
		return this.nextGt === Infinity ? -1 : this.nextGt;
	}
}

/** A link target longer than this is not read as one (a URL that long is no chat link). */
const LINK_TARGET_MAX = 2048;

/** `(url "title")` after a link text at `at`: the URL and where it ends, or undefined. */
function linkTarget(whole: string, from: number): { url: string; end: number } | undefined {
	// read within a bounded window, so that many `](` without an end cost no more than their length
	const text = whole.slice(from, from + LINK_TARGET_MAX);
	const at = 0;
	if (text[at] !== '(') return undefined;
	let i = at + 1;
	while (text[i] === ' ') i++;
	let url = '';
	if (text[i] === '<') {
		const close = text.indexOf('>', i);
		if (close < 0) return undefined;
		url = text.slice(i + 1, close);
		i = close + 1;
	} else {
		let depth = 0;
		// a bracket ends it too (a URL holds none unescaped): so one link target read never runs on
		// into the next link's text, and reading them all stays linear
		while (i < text.length && !/[\s[\]]/.test(text[i])) {
			if (text[i] === '(') depth++;
			else if (text[i] === ')') {
				if (depth === 0) break;
				depth--;
			}
			url += text[i++];
		}
	}
	while (text[i] === ' ') i++;
	if (text[i] === '"' || text[i] === "'") {
		const close = text.indexOf(text[i], i + 1);
		if (close < 0) return undefined;
		i = close + 1;
		while (text[i] === ' ') i++;
	}
	if (text[i] !== ')') return undefined;
	return { url, end: from + i + 1 };
}

/** A code span as WhatsApp shows it: one backtick when it can, a ``` run when it holds one. */
function codeSpan(raw: string): string {
	let run = 0;
	while (raw[run] === '`') run++;
	let content = raw.slice(run, raw.length - run);
	if (content.length > 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim())
		content = content.slice(1, -1);
	return content.includes('`') ? `\`\`\`${content}\`\`\`` : `\`${content}\``;
}

/**
 * The inline content of one line, converted. `bold`: the line is bold already (a heading), so
 * strong emphasis inside it is not written again.
 */
function inline(text: string, bold = false, inLink = false): string {
	return render(tokenize(text, inLink), bold);
}

/** `inLink`: the text of a link, where (as in CommonMark) no other link starts. */
function tokenize(text: string, inLink: boolean): Piece[] {
	const scan = new Scan(text);
	const pieces: Piece[] = [];
	let plain = '';
	const flush = () => {
		if (plain) pieces.push({ kind: 'text', text: plain });
		plain = '';
	};
	const literal = (value: string) => {
		flush();
		pieces.push({ kind: 'literal', text: value });
	};
	for (let i = 0; i < text.length; ) {
		const c = text[i];
		if (c === '\\' && i + 1 < text.length && ESCAPABLE.includes(text[i + 1])) {
			// WhatsApp has no escape: a zero-width space after a marker keeps it from formatting
			literal(WHATSAPP_MARKERS.includes(text[i + 1]) ? `${text[i + 1]}\u200B` : text[i + 1]);
			i += 2;
			continue;
		}
		if (c === '`') {
			const end = scan.codeSpanEnd(i);
			if (end > 0) {
				literal(codeSpan(text.slice(i, end)));
				i = end;
				continue;
			}
			let run = 0;
			while (text[i + run] === '`') run++;
			plain += text.slice(i, i + run);
			i += run;
			continue;
		}
		if (c === '<') {
			const close = scan.greaterThan(i);
			const inside = close > 0 ? text.slice(i + 1, close) : '';
			if (/^(https?:\/\/|mailto:)[^\s<>]*$/i.test(inside)) {
				literal(inside.replace(/^mailto:/i, ''));
				i = close + 1;
				continue;
			}
			if (/^\/?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?\/?$/.test(inside)) {
				// an HTML tag: dropped, a line break kept as one
				if (/^br\b/i.test(inside)) literal('\n');
				i = close + 1;
				continue;
			}
		}
		if (!inLink && ((c === '!' && text[i + 1] === '[') || c === '[')) {
			const open = c === '!' ? i + 1 : i;
			const close = scan.closingBracket(open);
			const target = close > 0 ? linkTarget(text, close + 1) : undefined;
			if (target) {
				const label = text.slice(open + 1, close);
				if (c === '!') literal(target.url);
				else {
					flush();
					const shown = inline(label, false, true).trim();
					if (!shown || shown === target.url) pieces.push({ kind: 'literal', text: target.url });
					else pieces.push({ kind: 'literal', text: `${shown} (${target.url})` });
				}
				i = target.end;
				continue;
			}
		}
		const url = urlEnd(text, i);
		if (url > 0) {
			literal(text.slice(i, url));
			i = url;
			continue;
		}
		if (c === '*' || c === '_' || c === '~') {
			let run = 0;
			while (text[i + run] === c) run++;
			const before = text[i - 1];
			const after = text[i + run];
			// flanking as CommonMark defines it; inside a word a delimiter never opens or closes
			const left =
				!isSpace(after) && (!isPunctuation(after) || isSpace(before) || isPunctuation(before));
			const right =
				!isSpace(before) && (!isPunctuation(before) || isSpace(after) || isPunctuation(after));
			const inWord = isWordChar(before) && isWordChar(after);
			const usable = c !== '~' || run <= 2;
			flush();
			pieces.push({
				kind: 'delim',
				char: c,
				count: run,
				open: usable && left && !inWord && !isWordChar(before),
				close: usable && right && !inWord && !isWordChar(after),
			});
			i += run;
			continue;
		}
		plain += c;
		i++;
	}
	flush();
	return pieces;
}

type Node =
	| { kind: 'text'; text: string }
	| { kind: 'span'; style: 'strong' | 'em' | 'strike'; children: Node[] };

type Delim = { kind: 'delim'; char: string; left: number; at: number; seq: number };

/**
 * Pairs the delimiters (the nearest opener first, as CommonMark does) and writes WhatsApp's markers.
 * Openers wait on one stack per kind (`*`, `_`, `~`, `~~`), so a closer finds its opener at the top
 * of its own stack instead of searching past every other kind; each opener remembers where it sits
 * among the items, which only ever change after it.
 */
function render(pieces: Piece[], bold: boolean): string {
	const items: Array<Node | Delim> = [];
	const stacks = new Map<string, Delim[]>();
	let seq = 0;
	const asText = (x: Node | Delim): Node =>
		x.kind === 'delim' ? { kind: 'text', text: x.char.repeat(x.left) } : x;
	const kindOf = (char: string, count: number) => (char === '~' ? `~${count}` : char);
	for (const piece of pieces) {
		if (piece.kind !== 'delim') {
			items.push({ kind: 'text', text: piece.text });
			continue;
		}
		let left = piece.count;
		const stack = stacks.get(kindOf(piece.char, left)) ?? [];
		// a closer closes the nearest openers of its kind until it is used up (`***` may close `*`
		// and then `**`)
		while (piece.close && left > 0 && stack.length) {
			const opener = stack[stack.length - 1];
			// openers after this one can no longer be closed: they stay characters
			for (const other of stacks.values())
				while (other.length && other[other.length - 1].seq > opener.seq) other.pop();
			while (left > 0 && opener.left > 0) {
				const style =
					piece.char === '~' ? 'strike' : left >= 2 && opener.left >= 2 ? 'strong' : 'em';
				const used = style === 'strike' ? left : style === 'strong' ? 2 : 1;
				const children = items.splice(opener.at + 1).map(asText);
				items.push({ kind: 'span', style, children });
				opener.left -= used;
				left -= used;
			}
			if (opener.left === 0) {
				items.splice(opener.at, 1);
				stack.pop();
			}
		}
		if (left > 0) {
			const delim: Delim = { kind: 'delim', char: piece.char, left, at: items.length, seq: seq++ };
			items.push(delim);
			if (piece.open) {
				const kind = kindOf(piece.char, left);
				if (!stacks.has(kind)) stacks.set(kind, []);
				stacks.get(kind)!.push(delim);
			}
		}
	}
	return write(items.map(asText), bold ? new Set(['strong']) : new Set());
}

const MARKER = { strong: '*', em: '_', strike: '~' } as const;

/** Writes the nodes; a style already open around a span is not written again inside it. */
function write(nodes: Node[], open: Set<string>): string {
	let out = '';
	for (const node of nodes) {
		if (node.kind === 'text') {
			out += node.text;
			continue;
		}
		if (open.has(node.style)) {
			out += write(node.children, open);
			continue;
		}
		const inner = write(node.children, new Set([...open, node.style]));
		// WhatsApp formats only when the markers touch the text: spaces stay outside
		const lead = inner.length - inner.trimStart().length;
		const trail = inner.length - inner.trimEnd().length;
		const core = inner.trim();
		if (!core) {
			out += inner;
			continue;
		}
		const m = MARKER[node.style];
		out += `${inner.slice(0, lead)}${m}${core}${m}${inner.slice(inner.length - trail)}`;
	}
	return out;
}

/** The values of Options > Text Format. */
export type TextFormat = 'asIs' | 'markdown';

/**
 * Item `i`'s text as it is sent: converted when Options > Text Format is Markdown. An expression
 * can give the option any value, so anything else fails naming the field, before any request.
 */
export function formatText(
	fns: Pick<IExecuteFunctions, 'getNode'>,
	i: number,
	value: string,
	format: unknown,
): string {
	if (format === undefined || format === '' || format === 'asIs') return value;
	if (format === 'markdown') return markdownToWhatsApp(value);
	throw itemError(
		fns,
		i,
		`Options > Text Format is "${String(format).slice(0, 40)}", which is not a format`,
		'Use "asIs" (send the text unchanged) or "markdown" (convert Markdown to WhatsApp formatting).',
	);
}
