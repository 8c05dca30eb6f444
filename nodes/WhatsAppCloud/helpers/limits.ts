/**
 * Meta's limits, each written once: the checks (`text(LIMIT.caption)`) and the field descriptions
 * (`upTo(LIMIT.caption)`) both read them from here, so a limit Meta changes is changed in one line.
 * Characters are counted as a person counts them (code points: an emoji is one).
 */
export const LIMIT = {
	/** Send Text's body, and a list message's body. */
	textBody: 4096,
	/** The body of every other interactive message. */
	interactiveBody: 1024,
	/** An image, video or document caption. */
	caption: 1024,
	/** A document's file name as the customer sees it. */
	fileName: 240,
	/** An interactive message's text header, and its footer. */
	headerText: 60,
	footerText: 60,
	/** A reply button's title, a call-to-action's text, a list's menu button, a Flow's button. */
	buttonTitle: 20,
	/** A reply or quick-reply button's ID, returned when tapped. */
	buttonId: 256,
	/** Reply buttons in one message. */
	replyButtons: 3,
	/** List rows: their ID, title and description; rows and sections in one list. */
	rowId: 200,
	rowTitle: 24,
	rowDescription: 72,
	listRows: 10,
	listSections: 10,
	/** A section's title, in lists and multi-product messages. */
	sectionTitle: 24,
	/** Products in one multi-product message, and its sections. */
	products: 30,
	productSections: 10,
	/** Cards in a carousel (media or product), and a media card's body with its line breaks. */
	cardsMin: 2,
	cardsMax: 10,
	cardBody: 160,
	cardBodyLineBreaks: 2,
	/** Quick replies on one media carousel card. */
	cardQuickReplies: 3,
	/** Callback data returned in the delivery statuses. */
	callbackData: 512,
	/** A contact card's name and other text fields, and its phone numbers. */
	contactText: 256,
	contactPhone: 64,
	/** A location's name and address. */
	locationText: 1000,
	/** The business profile's fields. */
	profileAbout: 139,
	profileAddress: 256,
	profileDescription: 512,
	profileEmail: 128,
	profileWebsite: 256,
	profileWebsites: 2,
	/** An authentication template's one-time code. */
	authenticationCode: 15,
	/** A template's language code (en_US, pt_BR, zh_HK...). */
	languageCode: 15,
	/** A template's name. */
	templateName: 512,
	/** A template's text header and its footer (the interactive ones are headerText, footerText). */
	templateHeaderText: 60,
	templateFooterText: 60,
	/** A template's body text, as created. */
	templateBody: 1024,
	/** A template's buttons, and the text of one (quick reply, URL, phone, Flow, View, code). */
	templateButtons: 10,
	templateButtonText: 25,
	/** A template URL button's URL, and a phone button's number in digits. */
	templateButtonUrl: 2000,
	templateButtonPhoneDigits: 20,
	/** A copy-code button's coupon code, as created and as sent. */
	couponCode: 15,
	/** Buttons on a media card of a carousel template (a product card has exactly one). */
	templateCardButtons: 2,
	/** A product card carousel is created with exactly this many cards, then sent with cardsMin to cardsMax. */
	productCardsCreated: 2,
	/** A body variable's value as sent; bodyParameterAlone when the template has nothing but its body. */
	bodyParameter: 1024,
	bodyParameterAlone: 32768,
	/** The Android apps of a one-tap or zero-tap code button, a package name, a signing key hash (exact). */
	supportedApps: 5,
	packageName: 224,
	signatureHash: 11,
	/** An authentication template's code expiry (minutes) and its time-to-live (seconds), each a range. */
	codeExpirationMin: 1,
	codeExpirationMax: 90,
	authenticationTtlMin: 30,
	authenticationTtlMax: 900,
	/** Edits of an approved template in a month (and one a day). */
	templateEditsPerMonth: 10,
	/** A number's two-step verification PIN, and the code Meta sends to verify it: digits, exactly. */
	pin: 6,
	verificationCode: 6,
	/** Registrations and deregistrations of one number in a moving window of this many hours. */
	registrations: 10,
	registrationWindowHours: 72,
	/** A QR code's prefilled message, the codes one number may have, and a page of Meta's QR code list. */
	qrPrefilledMessage: 140,
	qrCodesPerNumber: 2000,
	qrCodesPage: 25,
	/** A group's subject and description; its participants (the business aside); groups a number may have. */
	groupSubject: 128,
	groupDescription: 2048,
	groupParticipants: 8,
	groupsPerNumber: 10_000,
	/** A page of Meta's group list (1 to 1,024), and of a group's join requests. */
	groupsPage: 1024,
	/** A group's picture: a square JPEG of at least this many pixels a side, and at most this many bytes. */
	groupPictureMinPixels: 192,
	groupPictureBytes: 5 * 1024 * 1024,
	/**
	 * How far back the account analytics reach: a year for messages, pricing, conversations and
	 * calls (Meta cut it from ten years on Dec 1, 2025; for calls our reference has no figure, so the
	 * year of the others is applied), 90 days for templates; and the template IDs of one request.
	 */
	analyticsLookbackYears: 1,
	templateAnalyticsLookbackDays: 90,
	templateAnalyticsIds: 10,
} as const;

/** `Up to 1,024 characters` for a field's description. */
export const upTo = (limit: number, unit = 'characters') =>
	`Up to ${limit.toLocaleString('en-US')} ${unit}`;

/** `up to 1,024 characters`, inside a sentence. */
export const upToLower = (limit: number, unit = 'characters') => `u${upTo(limit, unit).slice(1)}`;
