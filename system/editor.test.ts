/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console */
/**
 * `npm run test:editor` (a system suite, not part of `npm test`): the nodes in n8n's real editor.
 *
 * Starts n8n as `npm run test:e2e` does (system/lib/n8n.ts) with a credential pointing at the Graph
 * API sandbox and one workflow: the trigger, Send Template (twice: Meta's named-variable example
 * and a six-variable receipt), Send Interactive (List) and Send Text. Debian's Chromium, driven
 * headless by playwright-core, signs in as the owner and opens the credential, the trigger, both
 * Send Template panels (their Template Variables load from the sandbox), the list, and the node
 * creator searching "WhatsApp". Each view is saved as a PNG under
 * ~/.cache/n8n-nodes-whatsapp-cloud-e2e/screenshots (outside git; the paths are printed).
 *
 * It fails, naming the case, when: the node creator's entry for the action node shows the
 * trigger's description; a Template Variables label is cut off (wider than its box, or ending in
 * an ellipsis); a visible text in our panels or toasts holds a `<field>`-style placeholder; the
 * credential's WhatsApp Business Account ID is not marked required; the trigger's Verify Token
 * has no visible hint. Nodes are found by type name, not display name.
 *
 * The credential form, the trigger panel and Send Template with its variables loaded are copied to
 * docs/screenshots for the README.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'fs';
import path from 'path';

import { chromium, selectors, type Browser, type Locator, type Page } from 'playwright-core';

import { sandboxCredentialData } from '../dev/sandbox/server';
import { N8N_VERSION, N8n, N8nRest, OWNER, work } from './lib/n8n';
import { SandboxProcess } from '../dev/sandbox-process';
import { RECEIPT_TEMPLATE } from '../dev/harness/templates';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PORT = 5698;
const SCREENSHOTS = path.join(work, 'screenshots');

const PACKAGE = 'n8n-nodes-whatsapp-cloud';
const ACTION_TYPE = `${PACKAGE}.whatsAppCloud`;
const TRIGGER_TYPE = `${PACKAGE}.whatsAppCloudTrigger`;
const CREDENTIAL_ID = 'editorWhatsAppCred1';
const WORKFLOW_ID = 'editorWhatsAppFlow1';
/** The workflow's nodes, by role: ID and name (the canvas finds a node by type and name). */
const NODES = {
	trigger: { id: 'ed-trigger', name: 'On WhatsApp message' },
	accountTrigger: { id: 'ed-trigger-account', name: 'On account events' },
	reservation: { id: 'ed-template', name: 'Confirm reservation' },
	receipt: { id: 'ed-receipt', name: 'Send receipt' },
	list: { id: 'ed-list', name: 'Offer days' },
	text: { id: 'ed-text', name: 'Say thanks' },
	product: { id: 'ed-product', name: 'Show the plant' },
	approval: { id: 'ed-approval', name: 'Ask for approval' },
	group: { id: 'ed-group', name: 'Create the team group' },
	groupText: { id: 'ed-group-text', name: 'Alert the team group' },
	analytics: { id: 'ed-analytics', name: 'Cost per template' },
};

/**
 * The editor's workflow (system/workflows/editor.workflow.json) with the receipt template the
 * sandbox was given, whose ID the sandbox chooses; every node the checks open must be in it.
 */
function workflow(receiptTemplateId: string) {
	const file = path.join(__dirname, 'workflows', 'editor.workflow.json');
	const w = JSON.parse(readFileSync(file, 'utf8')) as {
		nodes: Array<{ name: string; parameters: { template?: { value: string } } }>;
	};
	for (const { name } of Object.values(NODES))
		if (!w.nodes.some((n) => n.name === name)) throw new Error(`${file} has no node "${name}"`);
	const receipt = w.nodes.find((n) => n.name === NODES.receipt.name)!;
	receipt.parameters.template!.value = receiptTemplateId;
	return w;
}

async function startEditorN8n() {
	const n8n = N8n.prepare('editor', PORT);
	const sandbox = await SandboxProcess.start();
	const receipt = await sandbox.addTemplate(RECEIPT_TEMPLATE);
	n8n.importCredentials([
		{
			id: CREDENTIAL_ID,
			name: 'WhatsApp sandbox',
			type: 'whatsAppCloudApi',
			data: sandboxCredentialData(sandbox.url),
		},
	]);
	n8n.importWorkflows([workflow(receipt)]);
	n8n.start();
	await n8n.ready();
	const rest = new N8nRest(n8n.url);
	await rest.setupOwner();
	return { n8n, sandbox, rest };
}

async function signIn(browser: Browser, url: string): Promise<Page> {
	// n8n marks its elements with data-test-id
	selectors.setTestIdAttribute('data-test-id');
	const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	await page.goto(`${url}/signin`);
	await page.getByTestId('emailOrLdapLoginId').locator('input').fill(OWNER.email);
	await page.getByTestId('password').locator('input').fill(OWNER.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 30_000 });
	return page;
}

/** What one look at the editor found: its screenshots and the problems it names. */
type CaseResult = { name: string; screenshots: string[]; problems: string[]; notes: string[] };

/** `<field>`-style placeholders: a letter, digit or `_` after `<`, up to the next `>` on the line. */
const ANGLE_PLACEHOLDER = /<[A-Za-z0-9_][^<>\n]{0,60}>/;

class EditorCheck {
	readonly results: CaseResult[] = [];

	private current?: CaseResult;

	private shot = 0;

	constructor(
		private readonly page: Page,
		/** The node types as n8n serves them to the editor (name -> description). */
		private readonly descriptions: Map<string, { displayName: string; description: string }>,
	) {}

	/** Runs one case; an exception ends the case as a problem, the next case still runs. */
	async run(name: string, body: () => Promise<void>) {
		this.current = { name, screenshots: [], problems: [], notes: [] };
		this.results.push(this.current);
		try {
			await body();
		} catch (error) {
			this.problem(`could not finish: ${(error as Error).message.split('\n')[0]}`);
			await this.screenshot('error').catch(() => undefined);
		}
		await this.checkToasts();
		const { problems, screenshots } = this.current;
		console.log(
			`editor: ${name}: ${problems.length ? `FAILED: ${problems.join('; ')}` : 'ok'}${screenshots.map((s) => `\n  screenshot ${s}`).join('')}`,
		);
	}

	problem(text: string) {
		this.current!.problems.push(text);
	}

	async screenshot(label: string) {
		const file = path.join(
			SCREENSHOTS,
			`${String(++this.shot).padStart(2, '0')}-${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`,
		);
		await this.page.screenshot({ path: file });
		this.current!.screenshots.push(file);
	}

	/** Opens a node's panel from the canvas, found by its type and name. */
	async openNode(type: string, name: string): Promise<Locator> {
		await this.closePanels();
		const node = this.page.locator(
			`[data-test-id="canvas-node"][data-node-type="${type}"][data-node-name="${name}"]`,
		);
		await node.dblclick();
		const ndv = this.page.getByTestId('ndv');
		await ndv.waitFor();
		return ndv.getByTestId('node-parameters');
	}

	async closePanels() {
		for (let i = 0; i < 3; i++) {
			if (await this.page.getByTestId('credential-edit-dialog').isVisible())
				await this.page.keyboard.press('Escape');
			else if (await this.page.getByTestId('ndv').isVisible())
				await this.page.getByTestId('ndv-close-button').click();
			else break;
			await this.page.waitForTimeout(500);
		}
	}

	/** Visible text and placeholders in `scope` holding a `<field>`-style placeholder. */
	async checkAngleBrackets(scope: Locator, where: string) {
		const texts = await scope.evaluate((root) => {
			const found: string[] = [];
			const text = (root as HTMLElement).innerText ?? '';
			found.push(...text.split('\n'));
			root
				.querySelectorAll('input[placeholder], textarea[placeholder]')
				.forEach((e) => found.push((e as HTMLInputElement).placeholder));
			return found;
		});
		const hits = texts.filter((t) => ANGLE_PLACEHOLDER.test(t));
		for (const hit of [...new Set(hits)])
			this.problem(`${where} shows a <field>-style placeholder: "${hit.trim().slice(0, 120)}"`);
	}

	/** Toasts on screen: their text is noted, and checked for `<field>` placeholders. */
	async checkToasts() {
		const toasts = this.page.locator('.el-notification:visible');
		const count = await toasts.count();
		for (let i = 0; i < count; i++) {
			const text = (
				await toasts
					.nth(i)
					.innerText()
					.catch(() => '')
			).trim();
			if (!text) continue;
			this.current!.notes.push(`toast: ${text.replace(/\s+/g, ' ')}`);
			console.log(`  toast: ${text.replace(/\s+/g, ' ')}`);
			if (ANGLE_PLACEHOLDER.test(text))
				this.problem(`a toast shows a <field>-style placeholder: "${text.slice(0, 160)}"`);
		}
	}

	/** Waits until Send Template's Template Variables have loaded (fields, or a notice). */
	async waitForVariables(panel: Locator) {
		const mapper = panel.getByTestId('resource-mapper-container');
		await mapper.waitFor();
		await this.page.waitForFunction(
			(el) =>
				!!el &&
				!/Fetching/i.test(el.textContent ?? '') &&
				(el.querySelectorAll('[data-test-id="mapping-fields-container"] .parameter-item').length >
					0 ||
					/variables|no fields/i.test(el.textContent ?? '')),
			await mapper.elementHandle(),
			{ timeout: 60_000 },
		);
	}

	/**
	 * Template Variables labels that do not fit: an element of the label wider than its box
	 * (n8n cuts it with an ellipsis), or a text ending in one.
	 */
	async checkVariableLabels(panel: Locator, where: string) {
		const labels = await panel.getByTestId('mapping-fields-container').evaluate((container) =>
			Array.from(container.querySelectorAll('.parameter-item label')).map((label) => {
				// the title, and every box around it up to the label: any narrower than its text
				const title = label.querySelector('span.n8n-text') ?? label;
				const text = (title.textContent ?? '').replace(/\s+/g, ' ').trim();
				let clipped = false;
				for (let e: Element | null = title; e && label.contains(e); e = e.parentElement)
					if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1) clipped = true;
				const shown = (title as HTMLElement).innerText.trim();
				return { text, clipped, ellipsis: /(…|\.\.\.)$/.test(shown) };
			}),
		);
		if (!labels.length) this.problem(`${where}: no Template Variables fields loaded`);
		for (const l of labels) {
			if (l.clipped || l.ellipsis)
				this.problem(`${where}: Template Variables label cut off: "${l.text}"`);
		}
		this.current!.notes.push(`${where} variables: ${labels.map((l) => l.text).join(' | ')}`);
		console.log(`  ${where} variables: ${labels.map((l) => l.text).join(' | ')}`);
		return labels.length;
	}

	/** Scrolls the panel so that `target` is in view, for a second screenshot of a long panel. */
	async scrollTo(target: Locator) {
		await target.scrollIntoViewIfNeeded();
		await this.page.waitForTimeout(300);
	}

	/**
	 * Screenshots of a whole panel: the top, then one per screenful scrolled down (at most
	 * `max`), so a long panel is seen in full.
	 */
	async panelScreenshots(panel: Locator, label: string, max = 4) {
		await this.screenshot(label);
		for (let i = 2; i <= max; i++) {
			const moved = await panel.evaluate((el) => {
				// the box that scrolls the panel: the panel or one around it, else one inside it
				const around: HTMLElement[] = [];
				for (let e: HTMLElement | null = el as HTMLElement; e; e = e.parentElement) around.push(e);
				const inside = Array.from(el.querySelectorAll<HTMLElement>('*'));
				const box = [...around, ...inside].find(
					(e) =>
						e.scrollHeight > e.clientHeight + 1 &&
						/auto|scroll/.test(getComputedStyle(e).overflowY),
				);
				if (!box) return false;
				const before = box.scrollTop;
				box.scrollTop = before + box.clientHeight - 120;
				return box.scrollTop > before;
			});
			if (!moved) return;
			await this.page.waitForTimeout(300);
			await this.screenshot(`${label}-${i}`);
		}
	}

	description(type: string) {
		const d = this.descriptions.get(type);
		if (!d) throw new Error(`n8n does not serve the node type ${type}`);
		return d;
	}
}

async function runChecks(page: Page, check: EditorCheck, url: string) {
	await page.goto(`${url}/workflow/${WORKFLOW_ID}`);
	await page.getByTestId('canvas-node').first().waitFor({ timeout: 60_000 });
	await page.waitForTimeout(1000);

	await check.run('canvas', async () => {
		await check.screenshot('canvas');
	});

	await check.run('credential', async () => {
		await check.openNode(ACTION_TYPE, NODES.text.name);
		await page.getByTestId('credential-edit-button').click();
		const dialog = page.getByTestId('credential-edit-dialog');
		await dialog.waitFor();
		// the dialog tests the connection on open (against the sandbox)
		await page.waitForTimeout(2500);
		await check.screenshot('credential');
		// the label's title: the name, and n8n's `*` for a required field
		const label = dialog.getByTestId('businessAccountId').locator('label span.n8n-text').first();
		const text = (await label.innerText()).replace(/\s+/g, ' ').trim();
		if (!/\*\s*$/.test(text))
			check.problem(
				`the credential's WhatsApp Business Account ID is not marked required (label "${text}")`,
			);
		await check.checkAngleBrackets(dialog, 'the credential dialog');
		await check.scrollTo(dialog.getByTestId('useProof'));
		await check.screenshot('credential-end');
		await check.checkAngleBrackets(dialog, 'the credential dialog');
	});

	await check.run('trigger', async () => {
		const panel = await check.openNode(TRIGGER_TYPE, NODES.trigger.name);
		await page.waitForTimeout(1000);
		await check.screenshot('trigger');
		const item = panel
			.getByTestId('parameter-item')
			.filter({ has: page.getByTestId('parameter-input-verifyToken') })
			.last();
		const hint = await item.evaluate((el) => {
			const label = el.querySelector('label');
			const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
			let text = '';
			for (let n = walker.nextNode(); n; n = walker.nextNode()) {
				const parent = n.parentElement!;
				if (label?.contains(parent)) continue;
				const box = parent.getBoundingClientRect();
				if (box.width === 0 || box.height === 0) continue;
				if (getComputedStyle(parent).visibility === 'hidden') continue;
				text += n.textContent;
			}
			return text.replace(/\s+/g, ' ').trim();
		});
		if (hint.length < 10) check.problem("the trigger's Verify Token has no visible hint");
		else console.log(`  Verify Token hint: ${hint}`);
		await check.checkAngleBrackets(panel, 'the trigger panel');
	});

	await check.run('trigger registered per account', async () => {
		const panel = await check.openNode(TRIGGER_TYPE, NODES.accountTrigger.name);
		await page.waitForTimeout(1000);
		await check.panelScreenshots(panel, 'trigger-account');
		await check.checkAngleBrackets(panel, 'the trigger panel (per account)');
	});

	for (const [role, name] of [
		['reservation', 'send-template-named'],
		['receipt', 'send-template-receipt'],
	] as const) {
		await check.run(`Send Template (${NODES[role].name})`, async () => {
			const panel = await check.openNode(ACTION_TYPE, NODES[role].name);
			await check.waitForVariables(panel);
			await page.waitForTimeout(500);
			await check.checkVariableLabels(panel, NODES[role].name);
			await check.panelScreenshots(panel, name);
			await check.checkAngleBrackets(panel, `Send Template (${NODES[role].name})`);
		});
	}

	await check.run('Send Interactive (list)', async () => {
		const panel = await check.openNode(ACTION_TYPE, NODES.list.name);
		await page.waitForTimeout(1000);
		await check.panelScreenshots(panel, 'send-list');
		await check.checkAngleBrackets(panel, 'Send Interactive (list)');
	});

	await check.run('Send Text', async () => {
		const panel = await check.openNode(ACTION_TYPE, NODES.text.name);
		await page.waitForTimeout(1000);
		await check.screenshot('send-text');
		await check.checkAngleBrackets(panel, 'Send Text');
	});

	await check.run('Send Interactive (single product, catalog picker)', async () => {
		const panel = await check.openNode(ACTION_TYPE, NODES.product.name);
		await page.waitForTimeout(1000);
		// the picker asks the account for its connected catalog, as a user opening the list does
		await panel
			.getByTestId('resource-locator-catalogId')
			.getByTestId('rlc-input-container')
			.click();
		const item = page.getByTestId('rlc-item').filter({ hasText: 'Lucky Shrub Plants' });
		try {
			await item.first().waitFor({ state: 'visible', timeout: 15_000 });
			console.log(`  catalog picker: ${(await item.first().innerText()).trim()}`);
		} catch {
			check.problem("the catalog picker did not list the account's catalog");
		}
		await check.screenshot('send-product-catalog-picker');
		await page.keyboard.press('Escape');
		await check.checkAngleBrackets(panel, 'Send Interactive (single product)');
	});

	await check.run('Send and Wait for Response', async () => {
		const panel = await check.openNode(ACTION_TYPE, NODES.approval.name);
		await page.waitForTimeout(1000);
		await check.panelScreenshots(panel, 'send-and-wait');
		await check.checkAngleBrackets(panel, 'Send and Wait for Response');
	});

	for (const [role, name] of [
		['group', 'group-create'],
		['groupText', 'send-text-group'],
		['analytics', 'get-analytics'],
	] as const) {
		await check.run(NODES[role].name, async () => {
			const panel = await check.openNode(ACTION_TYPE, NODES[role].name);
			await page.waitForTimeout(1000);
			await check.panelScreenshots(panel, name);
			await check.checkAngleBrackets(panel, NODES[role].name);
		});
	}

	await check.run('node creator', async () => {
		await check.closePanels();
		await page.getByTestId('node-creator-plus-button').click();
		const search = page.getByTestId('node-creator-search-bar');
		await search.waitFor();
		await search.fill('WhatsApp');
		await page.waitForTimeout(1500);
		await check.screenshot('node-creator');
		const action = check.description(ACTION_TYPE);
		const trigger = check.description(TRIGGER_TYPE);
		// the entry for our action node, by its type name (n8n names each item `<type>-<uuid>`)
		const entry = page.locator(`[data-keyboard-nav-id^="${ACTION_TYPE}-"]`).first();
		if (!(await entry.count())) {
			check.problem(`no entry for ${ACTION_TYPE} when searching "WhatsApp"`);
			return;
		}
		const shown = (await entry.getByTestId('node-creator-item-description').innerText()).trim();
		const title = (await entry.getByTestId('node-creator-item-name').innerText()).trim();
		console.log(`  entry for ${ACTION_TYPE}: "${title}": "${shown}"`);
		if (shown === trigger.description && shown !== action.description)
			check.problem(
				`the entry for the action node ("${title}") shows the trigger's description "${shown}" instead of its own "${action.description}"`,
			);
		else if (shown !== action.description)
			check.problem(
				`the entry for the action node ("${title}") shows "${shown}", not its description "${action.description}"`,
			);
		await check.checkAngleBrackets(page.getByTestId('node-creator'), 'the node creator');
		// what the entry opens: the action node's operations and the trigger's events
		await entry.click();
		await page.waitForTimeout(1500);
		await check.panelScreenshots(page.getByTestId('node-creator'), 'node-creator-entry', 3);
		await check.checkAngleBrackets(page.getByTestId('node-creator'), 'the node creator');
		await page.keyboard.press('Escape');
	});
}

/**
 * The screenshots the README shows, copied from this run into docs/screenshots, so that they are
 * made by the command that checks them (`npm run test:editor`).
 */
const README_SHOTS: Record<string, string> = {
	credential: 'credential.png',
	trigger: 'trigger.png',
	'send-template-receipt': 'send-template.png',
};

function copyReadmeShots(results: CaseResult[]) {
	const dir = path.resolve(__dirname, '..', 'docs', 'screenshots');
	mkdirSync(dir, { recursive: true });
	const shots = results.flatMap((r) => r.screenshots);
	for (const [label, name] of Object.entries(README_SHOTS)) {
		const shot = shots.find((s) => path.basename(s).replace(/^\d+-/, '') === `${label}.png`);
		if (!shot) throw new Error(`no screenshot "${label}" was taken: ${shots.join(', ')}`);
		copyFileSync(shot, path.join(dir, name));
		console.log(`editor: ${path.relative(path.resolve(__dirname, '..'), path.join(dir, name))}`);
	}
}

describe(`the nodes in n8n's editor (n8n ${N8N_VERSION}, headless Chromium)`, () => {
	let started: Awaited<ReturnType<typeof startEditorN8n>> | undefined;
	let browser: Browser | undefined;

	beforeAll(async () => {
		if (!existsSync(CHROMIUM))
			throw new Error(
				`no Chromium at ${CHROMIUM}. Install Debian's: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH)`,
			);
		rmSync(SCREENSHOTS, { recursive: true, force: true });
		mkdirSync(SCREENSHOTS, { recursive: true });
		started = await startEditorN8n();
	}, 30 * 60_000);

	afterAll(async () => {
		await browser?.close();
		await started?.n8n.stop();
		await started?.sandbox.stop();
		console.log(`editor: screenshots in ${SCREENSHOTS}`);
	});

	test('every panel opens as a user sees it, with no case failing', async () => {
		const { n8n, rest } = started!;
		const descriptions = new Map(
			(
				await rest.call<Array<{ name: string; displayName: string; description: string }>>(
					'GET',
					'/types/nodes.json',
				)
			).map((t) => [t.name, t]),
		);
		browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
		const page = await signIn(browser, n8n.url);
		const check = new EditorCheck(page, descriptions);
		await runChecks(page, check, n8n.url);
		const failed = check.results.filter((r) => r.problems.length);
		expect(failed.map((r) => `${r.name}: ${r.problems.join('; ')}`)).toEqual([]);
		copyReadmeShots(check.results);
	});
});
