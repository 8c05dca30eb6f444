/**
 * A template as Meta returns it (Template > Get, the read before a send, the list), and what is
 * read off it everywhere: its placeholders, its carousel, its code buttons.
 */

export type TemplateButton = {
	type: string;
	text?: string;
	url?: string;
	example?: string | string[];
	otp_type?: string;
	phone_number?: string;
	flow_id?: string;
	flow_name?: string;
	flow_action?: string;
	navigate_screen?: string;
};

export type TemplateComponent = {
	type: string;
	format?: string;
	text?: string;
	example?: {
		header_text?: string[];
		header_text_named_params?: Array<{ param_name: string; example: string }>;
		header_handle?: string[];
		body_text?: string[][];
		body_text_named_params?: Array<{ param_name: string; example: string }>;
	};
	buttons?: TemplateButton[];
	add_security_recommendation?: boolean;
	/** A carousel's cards, each with its own header, body and buttons. */
	cards?: Array<{ components?: TemplateComponent[] }>;
};

export type TemplateDefinition = {
	id: string;
	name: string;
	language: string;
	status?: string;
	category?: string;
	parameter_format?: string;
	components?: TemplateComponent[];
};

/** A variable in a template's text: `{{1}}` or `{{name}}`. */
export const PLACEHOLDER = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;

/** The placeholders of a text, each once, in the order they first appear. */
export function placeholders(text: string | undefined): string[] {
	const found: string[] = [];
	for (const match of (text ?? '').matchAll(PLACEHOLDER))
		if (!found.includes(match[1])) found.push(match[1]);
	return found;
}

/** Meta writes component, format and button types in capitals, and accepts them in either case. */
export const upper = (value: unknown) => String(value ?? '').toUpperCase();

/** The carousel component of a template, if it has one. */
export const carouselOf = (template: TemplateDefinition) =>
	(template.components ?? []).find((c) => upper(c.type) === 'CAROUSEL');

/** A product card carousel: its first card's header shows a product. */
export const isProductCarousel = (carousel: TemplateComponent) =>
	upper((carousel.cards?.[0]?.components ?? []).find((c) => upper(c.type) === 'HEADER')?.format) ===
	'PRODUCT';

/**
 * The buttons that carry an authentication template's code: Meta stores the copy-code, one-tap and
 * zero-tap buttons as URL buttons ending in the code; a template read before that may say OTP.
 */
export const isCodeButton = (button: TemplateButton) =>
	upper(button.type) === 'OTP' ||
	(upper(button.type) === 'URL' && placeholders(button.url).length > 0);
