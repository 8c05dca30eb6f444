import { acceptRates, lineChartSvg, niceTicks, wrapText, type LineChart } from '../../bench/chart';

/** Every `name="value"` of one tag. */
const attrs = (tag: string) =>
	Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));

const tags = (svg: string, name: string, cls?: string) =>
	[...svg.matchAll(new RegExp(`<${name}\\b[^>]*>`, 'g'))]
		.map((m) => m[0])
		.filter((t) => cls === undefined || attrs(t).class === cls)
		.map(attrs);

/** The y-axis ticks as (value, y) pairs: the grid line of each tick group. */
function yTicks(svg: string): Array<{ value: number; y: number }> {
	return [
		...svg.matchAll(/<g class="y-tick" data-value="([\d.]+)">\s*<line [^>]*y1="([\d.]+)"/g),
	].map((m) => ({ value: Number(m[1]), y: Number(m[2]) }));
}

const chart = (over: Partial<LineChart> = {}): LineChart => ({
	title: 'Bulk sendText: 5,000 messages, cap 80/s, 50 ms latency',
	subtitle: 'accepted per second',
	xLabel: 'seconds since the run started',
	yLabel: 'messages accepted per second',
	cap: { value: 80, label: 'cap 80/s' },
	series: [
		{
			label: 'ours (WhatsApp Cloud node)',
			color: '#128c7e',
			points: [
				{ x: 0, y: 0 },
				{ x: 0, y: 79 },
				{ x: 62, y: 79 },
				{ x: 63, y: 40 },
				{ x: 63, y: 0 },
			],
		},
		{
			label: "n8n's built-in WhatsApp node",
			color: '#e8590c',
			points: [
				{ x: 0, y: 0 },
				{ x: 0, y: 80 },
				{ x: 1, y: 80 },
				{ x: 1, y: 0 },
			],
			note: 'built-in: 80 of 5,000 accepted',
		},
	],
	...over,
});

describe('bench chart: acceptRates', () => {
	test('counts accept times into 1-second windows from the start, as a step line to the end', () => {
		const start = 10_000;
		// 3 in the first second, none in the second, 2 in the third; the run ends at 2.4 s
		const times = [10_000, 10_400, 10_999, 12_000, 12_300];
		expect(acceptRates(times, start, 12_400)).toEqual([
			{ x: 0, y: 0 },
			{ x: 0, y: 3 },
			{ x: 1, y: 3 },
			{ x: 1, y: 0 },
			{ x: 2, y: 0 },
			{ x: 2, y: 2 },
			{ x: 3, y: 2 },
			{ x: 3, y: 0 },
		]);
	});

	test('250 ms windows are scaled to messages per second', () => {
		const points = acceptRates([0, 10, 20, 300], 0, 500, 250);
		expect(points.slice(1, 5)).toEqual([
			{ x: 0, y: 12 },
			{ x: 0.25, y: 12 },
			{ x: 0.25, y: 4 },
			{ x: 0.5, y: 4 },
		]);
	});

	test('accepts outside the run (before its start, after its last window) are not counted', () => {
		const points = acceptRates([-5, 0, 999, 1000, 5000], 0, 1000);
		expect(points).toEqual([
			{ x: 0, y: 0 },
			{ x: 0, y: 2 },
			{ x: 1, y: 2 },
			{ x: 1, y: 0 },
		]);
	});
});

describe('bench chart: lineChartSvg', () => {
	const svg = lineChartSvg(chart());
	const [root] = tags(svg, 'svg');
	const [width, height] = root.viewBox.split(' ').slice(2).map(Number);
	const ticks = yTicks(svg);
	const valueToY = (v: number) => {
		const [a, b] = [ticks[0], ticks[ticks.length - 1]];
		return a.y + ((v - a.value) * (b.y - a.y)) / (b.value - a.value);
	};

	test('every point of every line lies inside the viewBox and the plot area', () => {
		const [xAxis] = tags(svg, 'line', 'x-axis-line');
		const [yAxis] = tags(svg, 'line', 'y-axis-line');
		const plotBottom = Number(xAxis.y1);
		const [plotLeft, plotRight] = [Number(xAxis.x1), Number(xAxis.x2)];
		expect(Number(yAxis.x1)).toBe(plotLeft);
		const polylines = tags(svg, 'polyline', 'series');
		expect(polylines).toHaveLength(2);
		for (const line of polylines) {
			const points = line.points.split(' ').map((p) => p.split(',').map(Number));
			expect(points.length).toBeGreaterThan(2);
			for (const [x, y] of points) {
				expect(x).toBeGreaterThanOrEqual(plotLeft);
				expect(x).toBeLessThanOrEqual(plotRight);
				expect(plotRight).toBeLessThanOrEqual(width);
				expect(y).toBeGreaterThanOrEqual(valueToY(ticks[ticks.length - 1].value));
				expect(y).toBeLessThanOrEqual(plotBottom);
				expect(y).toBeLessThanOrEqual(height);
			}
		}
	});

	test('the y axis is linear from 0, with room above the cap, and a value sits at its y', () => {
		expect(ticks[0].value).toBe(0);
		expect(ticks[ticks.length - 1].value).toBeGreaterThan(80);
		// ticks evenly spaced in value and in y
		const steps = ticks.slice(1).map((t, i) => [t.value - ticks[i].value, t.y - ticks[i].y]);
		for (const [dv, dy] of steps) {
			expect(dv).toBeCloseTo(steps[0][0], 6);
			expect(dy).toBeCloseTo(steps[0][1], 0);
		}
		// ours at 79/s: its second point is (0, 79)
		const ours = tags(svg, 'polyline', 'series')[0].points.split(' ')[1].split(',').map(Number);
		expect(ours[1]).toBeCloseTo(valueToY(79), 0);
	});

	test('the dashed cap line spans the plot at the y of the cap value', () => {
		const [cap] = tags(svg, 'line', 'cap');
		expect(cap['stroke-dasharray']).toBeTruthy();
		expect(cap.y1).toBe(cap.y2);
		expect(Number(cap.y1)).toBeCloseTo(valueToY(80), 0);
		const grid = svg.match(/<g class="y-tick" data-value="0">\s*<line ([^>]*)>/)![1];
		expect(cap.x1).toBe(attrs(grid).x1);
		expect(cap.x2).toBe(attrs(grid).x2);
	});

	test('the x axis starts at 0 and its ticks reach the last point (63 s)', () => {
		const xTicks = [...svg.matchAll(/<g class="x-tick" data-value="([\d.]+)">/g)].map((m) =>
			Number(m[1]),
		);
		expect(xTicks[0]).toBe(0);
		expect(xTicks[xTicks.length - 1]).toBeGreaterThanOrEqual(63);
		expect([...xTicks].sort((a, b) => a - b)).toEqual(xTicks);
		// ticks at their x (their mark's x1), and ours' point at 62 s between them in proportion
		const at = [
			...svg.matchAll(/<g class="x-tick" data-value="([\d.]+)">\s*<line [^>]*x1="([\d.]+)"/g),
		].map((m) => ({ value: Number(m[1]), x: Number(m[2]) }));
		const [first, last] = [at[0], at[at.length - 1]];
		const valueToX = (v: number) =>
			first.x + ((v - first.value) * (last.x - first.x)) / (last.value - first.value);
		const ours = tags(svg, 'polyline', 'series')[0].points.split(' ')[2].split(',').map(Number);
		expect(ours[0]).toBeCloseTo(valueToX(62), 0);
	});

	test('the legend names both series and the cap, each beside a sample of its line', () => {
		const legend = svg.slice(svg.indexOf('<g class="legend">'), svg.indexOf('<g class="y-axis">'));
		const items = [
			...legend.matchAll(/<line [^>]*stroke="([^"]+)"[^>]*\/>\s*<text [^>]*>([^<]+)<\/text>/g),
		].map((m) => [m[1], m[2]]);
		expect(items).toEqual([
			['#128c7e', 'ours (WhatsApp Cloud node)'],
			['#e8590c', 'n8n&apos;s built-in WhatsApp node'],
			['#666', 'cap 80/s'],
		]);
		// the polylines are drawn in the colours their legend shows
		expect(tags(svg, 'polyline', 'series').map((p) => p.stroke)).toEqual(['#128c7e', '#e8590c']);
	});

	test('title, axis labels and notes are written, escaped', () => {
		expect(svg).toContain('>Bulk sendText: 5,000 messages, cap 80/s, 50 ms latency</text>');
		expect(svg).toContain('>seconds since the run started</text>');
		expect(svg).toContain('>messages accepted per second</text>');
		expect(svg).toContain('>built-in: 80 of 5,000 accepted</text>');
		// the note stands below the plot, clear of the lines, inside the image
		const [note] = tags(svg, 'text', 'note');
		expect(Number(note.y)).toBeGreaterThan(Number(tags(svg, 'line', 'x-axis-line')[0].y1) + 20);
		expect(Number(note.y)).toBeLessThan(height);
		const odd = lineChartSvg(chart({ title: 'a < b & "c"' }));
		expect(odd).toContain('>a &lt; b &amp; &quot;c&quot;</text>');
		expect(odd).not.toContain('a < b');
	});

	test('a long note wraps into lines below the plot, and the image grows to hold them', () => {
		const base = chart();
		const note = 'built-in: first message accepted after 18.1 s, '.repeat(5).trim();
		const long = lineChartSvg({
			...base,
			series: [base.series[0], { ...base.series[1], note }],
		});
		const lines = tags(long, 'text', 'note');
		expect(lines.length).toBeGreaterThan(1);
		const longHeight = Number(tags(long, 'svg')[0].viewBox.split(' ')[3]);
		expect(longHeight).toBeGreaterThan(height);
		const axis = Number(tags(long, 'line', 'x-axis-line')[0].y1);
		for (const line of lines) {
			expect(Number(line.y)).toBeGreaterThan(axis + 20);
			expect(Number(line.y)).toBeLessThan(longHeight);
		}
		const texts = [...long.matchAll(/<text class="note"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
		expect(texts.join(' ')).toBe(note);
	});

	test('a long title wraps, and the plot moves down below it', () => {
		const long = lineChartSvg(chart({ title: 'word '.repeat(60).trim() }));
		expect(tags(long, 'text', 'title').length).toBeGreaterThan(1);
		const top = (s: string) => Math.min(...yTicks(s).map((t) => t.y));
		expect(top(long)).toBeGreaterThan(top(svg));
	});
});

describe('bench chart: helpers', () => {
	test('niceTicks: round steps from 0 past the maximum', () => {
		expect(niceTicks(92)).toEqual([0, 20, 40, 60, 80, 100]);
		expect(niceTicks(63, 10)).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
		expect(niceTicks(1.8, 10)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1, 1.2, 1.4, 1.6, 1.8]);
	});

	test('wrapText keeps every line within its width, all words in order', () => {
		const text = 'Messages the Graph API sandbox accepted in each second of the run, as Meta does';
		const lines = wrapText(text, 200, 13);
		expect(lines.length).toBeGreaterThan(1);
		for (const line of lines)
			expect(line.length).toBeLessThanOrEqual(Math.floor(200 / (13 * 0.56)));
		expect(lines.join(' ')).toBe(text);
	});
});
