/**
 * The bulk benchmark's chart (docs/bench-bulk.svg): messages accepted per second over time, one
 * line per sender, against the number's cap. Pure functions, no dependencies: `acceptRates` turns
 * accept times into per-window rates, `lineChartSvg` draws them as an SVG string.
 */

export type Point = { x: number; y: number };

export type ChartSeries = {
	label: string;
	color: string;
	/** In data units (x: seconds, y: messages per second), x ascending. */
	points: Point[];
	/** One line under the chart, in the series' colour, e.g. how its run ended. */
	note?: string;
};

export type LineChart = {
	title: string;
	subtitle?: string;
	xLabel: string;
	yLabel: string;
	series: ChartSeries[];
	/** The horizontal dashed line, e.g. the number's cap in messages per second. */
	cap: { value: number; label: string };
	width?: number;
	/** The whole image; by default what the header and notes need around a 300 px plot. */
	height?: number;
};

/**
 * Accepted messages per second in consecutive windows of `windowMs` from `startMs`, as a step line:
 * each window is drawn flat over its span at count / window length, so a window holds the rate of
 * that stretch of the run. The windows run until the one holding `endMs` (the run's end); the line
 * rises from 0 at the start and falls back to 0 after the last window.
 */
export function acceptRates(
	acceptedAt: number[],
	startMs: number,
	endMs: number,
	windowMs = 1000,
): Point[] {
	const windows = Math.max(1, Math.ceil((endMs - startMs) / windowMs));
	const counts = new Array<number>(windows).fill(0);
	for (const at of acceptedAt) {
		const k = Math.floor((at - startMs) / windowMs);
		if (k >= 0 && k < windows) counts[k]++;
	}
	const seconds = windowMs / 1000;
	const points: Point[] = [{ x: 0, y: 0 }];
	counts.forEach((count, k) => {
		points.push(
			{ x: k * seconds, y: count / seconds },
			{ x: (k + 1) * seconds, y: count / seconds },
		);
	});
	points.push({ x: windows * seconds, y: 0 });
	return points;
}

/** Round tick values from 0 to at least `max`: steps of 1, 2, 2.5 or 5 times a power of ten. */
export function niceTicks(max: number, target = 6): number[] {
	if (!(max > 0)) return [0, 1];
	const raw = max / target;
	const power = 10 ** Math.floor(Math.log10(raw));
	const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
	const ticks: number[] = [];
	for (let i = 0; i * step < max + step * 1e-9 || ticks.length < 2; i++) {
		ticks.push(Number((i * step).toPrecision(12)));
	}
	if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks.length * step).toPrecision(12)));
	return ticks;
}

const escapeXml = (text: string) =>
	text.replace(
		/[<>&"']/g,
		(c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`,
	);

/**
 * `text` in lines of at most `width` pixels at `fontSize`, broken between words; the width of a
 * character is estimated (no fonts are measured here), at 0.56 of the size, as in Helvetica.
 */
export function wrapText(text: string, width: number, fontSize: number): string[] {
	const perLine = Math.max(1, Math.floor(width / (fontSize * 0.56)));
	const lines: string[] = [];
	let current = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		if (current && current.length + 1 + word.length > perLine) {
			lines.push(current);
			current = word;
		} else {
			current = current ? `${current} ${word}` : word;
		}
	}
	if (current) lines.push(current);
	return lines;
}

const n = (v: number) => String(Math.round(v * 10) / 10);

const formatTick = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** The chart as a standalone SVG document. */
export function lineChartSvg(chart: LineChart): string {
	const width = chart.width ?? 880;
	const textWidth = width - 72 - 32;
	const titleLines = wrapText(chart.title, textWidth, 17);
	const subtitleLines = chart.subtitle ? wrapText(chart.subtitle, textWidth, 13) : [];
	const headerBottom = 30 + 22 * (titleLines.length - 1) + 18 * subtitleLines.length;
	// the legend row sits 30 px below the header, the plot 30 px below the legend
	// below the plot: tick labels, the x axis label, then a line per note
	const notes = chart.series
		.filter((s) => s.note)
		.map((s) => ({ series: s, lines: wrapText(s.note!, textWidth, 12) }));
	const noteLines = notes.reduce((sum, note) => sum + note.lines.length, 0);
	const margin = {
		top: headerBottom + 60,
		right: 32,
		bottom: 60 + (noteLines ? 14 + 18 * noteLines : 0),
		left: 72,
	};
	// by default the plot itself is 300 px high, whatever the header and notes take
	const height = chart.height ?? margin.top + 300 + margin.bottom;
	const plot = {
		left: margin.left,
		right: width - margin.right,
		top: margin.top,
		bottom: height - margin.bottom,
	};
	const xs = chart.series.flatMap((s) => s.points.map((p) => p.x));
	const ys = chart.series.flatMap((s) => s.points.map((p) => p.y));
	const xTicks = niceTicks(Math.max(1, ...xs), 10);
	// headroom above the cap and the highest point, so neither runs along the top edge
	const yTicks = niceTicks(Math.max(chart.cap.value, ...ys) * 1.15, 6);
	const xMax = xTicks[xTicks.length - 1];
	const yMax = yTicks[yTicks.length - 1];
	const sx = (x: number) => plot.left + (x / xMax) * (plot.right - plot.left);
	const sy = (y: number) => plot.bottom - (y / yMax) * (plot.bottom - plot.top);

	const out: string[] = [];
	out.push(
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
		`<rect width="${width}" height="${height}" fill="#ffffff"/>`,
	);
	titleLines.forEach((line, i) =>
		out.push(
			`<text class="title" x="${margin.left}" y="${30 + 22 * i}" font-size="17" font-weight="bold" fill="#222">${escapeXml(line)}</text>`,
		),
	);
	subtitleLines.forEach((line, i) =>
		out.push(
			`<text class="subtitle" x="${margin.left}" y="${30 + 22 * (titleLines.length - 1) + 20 + 18 * i}" font-size="13" fill="#555">${escapeXml(line)}</text>`,
		),
	);

	// legend: one row above the plot, a line sample and the name of each series, then the cap
	const legendY = margin.top - 30;
	let legendX = margin.left;
	const legendItem = (label: string, stroke: string, dash: string) => {
		out.push(
			`<g class="legend-item">`,
			`<line x1="${legendX}" y1="${legendY}" x2="${legendX + 28}" y2="${legendY}" stroke="${stroke}" stroke-width="3"${dash}/>`,
			`<text x="${legendX + 36}" y="${legendY + 4}" fill="#222">${escapeXml(label)}</text>`,
			`</g>`,
		);
		legendX += 36 + label.length * 6.6 + 28;
	};
	out.push(`<g class="legend">`);
	for (const s of chart.series) legendItem(s.label, s.color, '');
	legendItem(chart.cap.label, '#666', ' stroke-dasharray="8 5"');
	out.push(`</g>`);

	// grid and axes
	out.push(`<g class="y-axis">`);
	for (const t of yTicks) {
		const y = n(sy(t));
		out.push(
			`<g class="y-tick" data-value="${t}">`,
			`<line x1="${plot.left}" y1="${y}" x2="${plot.right}" y2="${y}" stroke="#e5e5e5"/>`,
			`<line x1="${plot.left - 5}" y1="${y}" x2="${plot.left}" y2="${y}" stroke="#333"/>`,
			`<text x="${plot.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#333">${formatTick(t)}</text>`,
			`</g>`,
		);
	}
	out.push(
		`<text class="y-label" transform="translate(${plot.left - 50} ${n((plot.top + plot.bottom) / 2)}) rotate(-90)" text-anchor="middle" fill="#222">${escapeXml(chart.yLabel)}</text>`,
		`</g>`,
		`<g class="x-axis">`,
	);
	for (const t of xTicks) {
		const x = n(sx(t));
		out.push(
			`<g class="x-tick" data-value="${t}">`,
			`<line x1="${x}" y1="${plot.bottom}" x2="${x}" y2="${plot.bottom + 5}" stroke="#333"/>`,
			`<text x="${x}" y="${plot.bottom + 19}" text-anchor="middle" fill="#333">${formatTick(t)}</text>`,
			`</g>`,
		);
	}
	out.push(
		`<text class="x-label" x="${n((plot.left + plot.right) / 2)}" y="${plot.bottom + 44}" text-anchor="middle" fill="#222">${escapeXml(chart.xLabel)}</text>`,
		`</g>`,
		`<line class="x-axis-line" x1="${plot.left}" y1="${plot.bottom}" x2="${plot.right}" y2="${plot.bottom}" stroke="#333"/>`,
		`<line class="y-axis-line" x1="${plot.left}" y1="${plot.top}" x2="${plot.left}" y2="${plot.bottom}" stroke="#333"/>`,
	);

	// the cap, then the series on top of it
	const capY = n(sy(chart.cap.value));
	out.push(
		`<line class="cap" data-value="${chart.cap.value}" x1="${plot.left}" y1="${capY}" x2="${plot.right}" y2="${capY}" stroke="#666" stroke-width="1.5" stroke-dasharray="8 5"/>`,
		`<text class="cap-label" x="${plot.right - 4}" y="${n(sy(chart.cap.value) - 6)}" text-anchor="end" fill="#555">${escapeXml(chart.cap.label)}</text>`,
	);
	chart.series.forEach((s, i) => {
		const points = s.points.map((p) => `${n(sx(p.x))},${n(sy(p.y))}`).join(' ');
		// later series thinner, so that one running along another still shows both
		const strokeWidth = Math.max(1.5, 3 - i);
		out.push(
			`<polyline class="series" data-series="${escapeXml(s.label)}" fill="none" stroke="${s.color}" stroke-width="${strokeWidth}" stroke-linejoin="round" points="${points}"/>`,
		);
	});
	// the notes below the x axis label, each wrapped to the width, in its series' colour
	let noteY = plot.bottom + 70;
	for (const { series, lines } of notes) {
		for (const line of lines) {
			out.push(
				`<text class="note" data-series="${escapeXml(series.label)}" x="${margin.left}" y="${noteY}" fill="${series.color}">${escapeXml(line)}</text>`,
			);
			noteY += 18;
		}
	}
	out.push(`</svg>`);
	return out.join('\n') + '\n';
}
