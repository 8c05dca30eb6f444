import { callPermissionRequestMessage } from './callPermissionRequest';
import { catalogMessage } from './catalog';
import { contactRequestMessage } from './contactRequest';
import { ctaUrlMessage } from './ctaUrl';
import { flowMessage } from './flow';
import type { InteractiveKind } from './form';
import { listMessage } from './list';
import { locationRequestMessage } from './locationRequest';
import { mediaCarouselMessage } from './mediaCarousel';
import { multiProductMessage } from './multiProduct';
import { productCarouselMessage } from './productCarousel';
import { replyButtonsMessage } from './replyButtons';
import { singleProductMessage } from './singleProduct';
import { voiceCallMessage } from './voiceCall';

/**
 * Every kind of interactive message Send Interactive sends, each once. Their own fields follow
 * one another in the editor in this order; Interactive Type lists the kinds by name.
 */
export const INTERACTIVE_KINDS: readonly InteractiveKind[] = [
	replyButtonsMessage,
	listMessage,
	ctaUrlMessage,
	locationRequestMessage,
	contactRequestMessage,
	flowMessage,
	singleProductMessage,
	multiProductMessage,
	catalogMessage,
	mediaCarouselMessage,
	productCarouselMessage,
	voiceCallMessage,
	callPermissionRequestMessage,
];

/** The kind of an Interactive Type value, as workflows save it. */
export const interactiveKind = (value: string): InteractiveKind | undefined =>
	INTERACTIVE_KINDS.find((kind) => kind.option.value === value);
