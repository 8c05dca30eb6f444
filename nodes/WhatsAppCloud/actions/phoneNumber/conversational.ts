import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { LIMIT } from '../../helpers/limits';
import { asText, charCount, hasEmoji, itemError } from '../../helpers/validation';

/**
 * A number's conversational components, as the two operations share them: the ice breakers (the
 * prompts a customer may tap when they first open the chat) and the commands (typed with a slash,
 * such as /tickets), Meta's rules for them, and their shape in the node's output.
 */

export type ConversationalComponents = {
	prompts: string[];
	commands: Array<{ command_name: string; command_description: string }>;
};

/** Meta's `conversational_automation` in the node's output shape, with the raw record kept. */
export function conversationalJson(phoneNumberId: string, c: IDataObject | undefined): IDataObject {
	const prompts = Array.isArray(c?.prompts) ? (c.prompts as unknown[]) : [];
	const commands = Array.isArray(c?.commands) ? (c.commands as IDataObject[]) : [];
	return {
		phoneNumberId,
		iceBreakers: prompts,
		commands: commands.map((k) => ({ name: k.command_name, description: k.command_description })),
		raw: c ?? {},
	};
}

/**
 * Meta's command names: letters, digits and underscores, without the slash the customer types. Meta
 * states 32 characters in one place and 30 with this pattern in another: the stricter one holds.
 */
const COMMAND_NAME = new RegExp(`^[a-zA-Z0-9_]{1,${LIMIT.commandName}}$`);

/** A text of one entry, checked: not empty, at most `max` characters, no emoji (Meta refuses them). */
function entryText(
	fns: IExecuteFunctions,
	i: number,
	value: unknown,
	label: string,
	max: number,
): string {
	const text = asText(fns, value, label, i).trim();
	if (!text) throw itemError(fns, i, `${label} is empty`, 'Fill it, or remove the entry.');
	const length = charCount(text);
	if (length > max)
		throw itemError(
			fns,
			i,
			`${label} is too long: ${length} characters (WhatsApp allows at most ${max})`,
			'Shorten it.',
		);
	if (hasEmoji(text))
		throw itemError(
			fns,
			i,
			`${label} contains an emoji, which WhatsApp does not allow here`,
			'Remove it.',
		);
	return text;
}

/** The list of a fixedCollection field of item `i`, as the editor or an expression left it. */
function entries(fns: IExecuteFunctions, i: number, path: string, label: string): IDataObject[] {
	const raw = fns.getNodeParameter(path, i, []) as unknown;
	if (raw === undefined || raw === null) return [];
	if (
		!Array.isArray(raw) ||
		raw.some((e) => typeof e !== 'object' || e === null || Array.isArray(e))
	)
		throw itemError(fns, i, `${label} must be a list of entries`, 'Add the entries in the field.');
	return raw as IDataObject[];
}

/**
 * The ice breakers and commands of item `i` with Meta's limits checked: at most 4 ice breakers of
 * 80 characters, at most 30 commands, each a name of letters, digits and underscores (no slash) and
 * a description of 256 characters, no emoji anywhere, no command name twice.
 */
export function readConversationalComponents(
	fns: IExecuteFunctions,
	i: number,
): ConversationalComponents {
	const iceBreakers = entries(fns, i, 'iceBreakers.iceBreaker', 'Ice Breakers');
	if (iceBreakers.length > LIMIT.iceBreakers)
		throw itemError(
			fns,
			i,
			`Ice Breakers has ${iceBreakers.length} entries (WhatsApp allows at most ${LIMIT.iceBreakers})`,
			'Remove some.',
		);
	const prompts = iceBreakers.map((e, n) =>
		entryText(fns, i, e.text, `Ice Breaker ${n + 1} > Text`, LIMIT.iceBreakerText),
	);
	const list = entries(fns, i, 'commands.command', 'Commands');
	if (list.length > LIMIT.commands)
		throw itemError(
			fns,
			i,
			`Commands has ${list.length} entries (WhatsApp allows at most ${LIMIT.commands})`,
			'Remove some.',
		);
	const seen = new Set<string>();
	const commands = list.map((e, n) => {
		const label = `Command ${n + 1} > Command Name`;
		const name = asText(fns, e.name, label, i).trim();
		if (!name) throw itemError(fns, i, `${label} is empty`, 'Fill it, or remove the command.');
		if (name.startsWith('/'))
			throw itemError(
				fns,
				i,
				`${label} starts with a slash`,
				`Give the name without it ("${name.slice(1, 31)}"): WhatsApp shows the slash itself.`,
			);
		if (!COMMAND_NAME.test(name))
			throw itemError(
				fns,
				i,
				charCount(name) > LIMIT.commandName
					? `${label} is too long: ${charCount(name)} characters (WhatsApp allows at most ${LIMIT.commandName})`
					: `${label} may hold only letters, digits and underscores, got ${JSON.stringify(name.slice(0, 40))}`,
				'Use a name such as order_status.',
			);
		if (seen.has(name))
			throw itemError(
				fns,
				i,
				`${label} "${name}" is there twice`,
				'Give each command its own name.',
			);
		seen.add(name);
		const description = entryText(
			fns,
			i,
			e.description,
			`Command ${n + 1} > Description`,
			LIMIT.commandDescription,
		);
		return { command_name: name, command_description: description };
	});
	return { prompts, commands };
}
