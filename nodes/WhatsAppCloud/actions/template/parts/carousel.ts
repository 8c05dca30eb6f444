import type { IDataObject } from 'n8n-workflow';

import { LIMIT } from '../../../helpers/limits';
import { isProductCarousel, type TemplateComponent, upper } from '../definition';
import { checkButton } from './buttons';
import type { Check, Issue, Path } from './types';

/**
 * A carousel: a message body above its cards, each card with the same components as the
 * first. What a card may hold is its kind's (kinds/mediaCarousel.ts, kinds/productCarousel.ts);
 * what every card shares is checked here.
 */

/** What one kind of card may hold. */
export type CardRules = {
	/** The kind of card, as the errors name it: a media card, a product card. */
	name: string;
	/** What is wrong with a carousel of `n` such cards, if anything. */
	cardCount: (n: number) => string | undefined;
	header: {
		formats: string[];
		/** What the header must be, said when it is not. */
		rule: string;
		/** Whether it needs a sample file. */
		sample: boolean;
	};
	/** Meta's rules for a card's body; `at` addresses the card. */
	body: (c: IDataObject, at: (...rest: Path) => Path, check: Check) => void;
	buttons: {
		types: string[];
		/** The allowed types, as the errors list them. */
		names: string;
		/** What is wrong with `n` buttons on a card, if anything. */
		count: (n: number) => string | undefined;
	};
};

/** Meta keeps carousels to Marketing templates. */
export function checkCarouselCategory(category: string, issue: Issue): void {
	if (category !== 'MARKETING')
		issue(
			['category'],
			'must be Marketing for a carousel template (Meta allows cards in marketing templates only)',
		);
}

/** Beside its cards, a carousel template has a message body only. */
export function checkBesideCards(type: string, path: Path, issue: Issue): void {
	if (['HEADER', 'FOOTER', 'BUTTONS'].includes(type))
		issue(
			path,
			'is not allowed in a carousel template: it has a message body and cards only (each card has its own header and buttons)',
		);
}

/** A card's components as Meta compares them: component types, header format, button types. */
function cardShape(card: IDataObject): string {
	return ((card.components ?? []) as IDataObject[])
		.map((c) => {
			const type = upper(c.type);
			if (type === 'HEADER') return `header ${upper(c.format).toLowerCase()}`;
			if (type === 'BUTTONS')
				return `buttons (${((c.buttons ?? []) as IDataObject[]).map((b) => upper(b.type)).join(', ')})`;
			return type.toLowerCase();
		})
		.join(', ');
}

/**
 * One card: its header, its components (each as its kind allows), its buttons. False when it has
 * no components, and so no shape to compare with the first card's.
 */
function checkCard(card: IDataObject, ci: number, rules: CardRules, check: Check): boolean {
	const { issue } = check;
	const at = (...rest: Path) => ['card', ci, ...rest];
	const components = (card?.components ?? []) as IDataObject[];
	if (!Array.isArray(components) || !components.length) {
		issue(at(), 'has no components: a card needs a header');
		return false;
	}
	const header = components.find((c) => upper(c.type) === 'HEADER');
	const format = upper(header?.format);
	if (!header) issue(at('header'), 'is missing: every card needs a header');
	else if (!rules.header.formats.includes(format))
		issue(
			at('header', 'format'),
			`is ${format || 'missing'}; ${rules.header.rule} (Meta refuses it, error 2388047)`,
		);
	else if (
		rules.header.sample &&
		!(((header.example as IDataObject)?.header_handle as unknown[]) ?? []).length
	)
		issue(
			at('header', 'example'),
			'needs a sample file (header_handle from the Resumable Upload API)',
		);
	for (const c of components) {
		const type = upper(c.type);
		if (!['HEADER', 'BODY', 'BUTTONS'].includes(type))
			issue(
				at(type.toLowerCase() || 'components'),
				'is not allowed in a card (header, body and buttons only)',
			);
		if (type === 'BODY') rules.body(c, at, check);
		if (type === 'BUTTONS') {
			const buttons = (c.buttons ?? []) as IDataObject[];
			const wrongCount = rules.buttons.count(buttons.length);
			if (wrongCount) issue(at('buttons'), wrongCount);
			buttons.forEach((b, bi) => {
				if (!rules.buttons.types.includes(upper(b.type))) {
					issue(
						at('buttons', bi, 'type'),
						`${String(b.type)} is not allowed on a ${rules.name} card (${rules.buttons.names})`,
					);
					return;
				}
				checkButton(b, at('buttons', bi), check);
			});
		}
	}
	return true;
}

/**
 * A carousel's cards, by the kind of its first card (a product header makes product cards): how
 * many, each card's own, and each card with the same components as the first. Issues go to
 * `card.<index>.*` and `cards`.
 */
export function checkCards(
	carousel: IDataObject,
	kinds: { media: CardRules; product: CardRules },
	check: Check,
): void {
	const cards = carousel.cards;
	if (!Array.isArray(cards)) {
		check.issue(['cards'], 'are missing: a carousel needs a "cards" array');
		return;
	}
	const rules = isProductCarousel(carousel as TemplateComponent) ? kinds.product : kinds.media;
	const wrongCount = rules.cardCount(cards.length);
	if (wrongCount) check.issue(['cards'], wrongCount);
	(cards as IDataObject[]).forEach((card, ci) => {
		if (
			checkCard(card, ci, rules, check) &&
			ci > 0 &&
			cardShape(card) !== cardShape(cards[0] as IDataObject)
		)
			check.issue(
				['card', ci],
				`has other components than card 1 (${cardShape(card) || 'none'} instead of ${cardShape(cards[0] as IDataObject)}): every card of a carousel has the same header type, body and buttons`,
			);
	});
}

/** "Card 2 > Button 1 > Text" for `card.1.buttons.0.text`: cards and their buttons counted from 1. */
function cardLabels(): Record<string, string> {
	const labels: Record<string, string> = {};
	for (let c = 0; c < LIMIT.cardsMax; c++) {
		const card = `Card ${c + 1}`;
		Object.assign(labels, {
			[`card.${c}`]: card,
			[`card.${c}.header`]: `${card} > Header`,
			[`card.${c}.header.format`]: `${card} > Header`,
			[`card.${c}.header.example`]: `${card} > Header Sample File`,
			[`card.${c}.body`]: `${card} > Body`,
			[`card.${c}.body.text`]: `${card} > Body`,
			[`card.${c}.buttons`]: `${card} > Buttons`,
		});
		for (let b = 0; b < LIMIT.templateButtons; b++) {
			const button = `${card} > Button ${b + 1}`;
			labels[`card.${c}.buttons.${b}`] = button;
			for (const [key, label] of [
				['text', 'Text'],
				['url', 'URL'],
				['example', 'URL Example'],
				['phone_number', 'Phone Number'],
				['type', 'Type'],
			])
				labels[`card.${c}.buttons.${b}.${key}`] = `${button} > ${label}`;
		}
	}
	return labels;
}

/** Editor labels of a carousel's parts, for errors: cards and buttons by number, as the form shows them. */
export const CAROUSEL_LABELS: Record<string, string> = {
	carousel: 'Cards',
	cards: 'Cards',
	...cardLabels(),
};

/** The carousel component of the form's cards. */
export const carouselComponent = (cards: IDataObject[]): IDataObject => ({
	type: 'CAROUSEL',
	cards,
});
