import type { IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { itemError, readText } from '../../helpers/validation';

/**
 * The language codes Meta accepts for templates (case-sensitive, with an underscore: `en_US`,
 * never `en-US`). Meta adds codes now and then, so the Language fields also take any other code.
 */
const CODES: Array<[code: string, name: string]> = [
	['af', 'Afrikaans'],
	['sq', 'Albanian'],
	['ar', 'Arabic'],
	['ar_EG', 'Arabic (Egypt)'],
	['ar_AE', 'Arabic (UAE)'],
	['ar_LB', 'Arabic (Lebanon)'],
	['ar_MA', 'Arabic (Morocco)'],
	['ar_QA', 'Arabic (Qatar)'],
	['az', 'Azerbaijani'],
	['be_BY', 'Belarusian'],
	['bn', 'Bengali'],
	['bn_IN', 'Bengali (India)'],
	['bg', 'Bulgarian'],
	['ca', 'Catalan'],
	['zh_CN', 'Chinese (China)'],
	['zh_HK', 'Chinese (Hong Kong)'],
	['zh_TW', 'Chinese (Taiwan)'],
	['hr', 'Croatian'],
	['cs', 'Czech'],
	['da', 'Danish'],
	['prs_AF', 'Dari'],
	['nl', 'Dutch'],
	['nl_BE', 'Dutch (Belgium)'],
	['en', 'English'],
	['en_AU', 'English (Australia)'],
	['en_CA', 'English (Canada)'],
	['en_GH', 'English (Ghana)'],
	['en_IN', 'English (India)'],
	['en_IE', 'English (Ireland)'],
	['en_JM', 'English (Jamaica)'],
	['en_MY', 'English (Malaysia)'],
	['en_NZ', 'English (New Zealand)'],
	['en_QA', 'English (Qatar)'],
	['en_SG', 'English (Singapore)'],
	['en_ZA', 'English (South Africa)'],
	['en_UG', 'English (Uganda)'],
	['en_AE', 'English (UAE)'],
	['en_GB', 'English (UK)'],
	['en_US', 'English (US)'],
	['et', 'Estonian'],
	['fil', 'Filipino'],
	['fi', 'Finnish'],
	['fr', 'French'],
	['fr_BE', 'French (Belgium)'],
	['fr_CA', 'French (Canada)'],
	['fr_CI', "French (Côte d'Ivoire)"],
	['fr_MA', 'French (Morocco)'],
	['fr_CH', 'French (Switzerland)'],
	['ka', 'Georgian'],
	['de', 'German'],
	['de_AT', 'German (Austria)'],
	['de_CH', 'German (Switzerland)'],
	['el', 'Greek'],
	['gu', 'Gujarati'],
	['ha', 'Hausa'],
	['he', 'Hebrew'],
	['hi', 'Hindi'],
	['hu', 'Hungarian'],
	['id', 'Indonesian'],
	['ga', 'Irish'],
	['it', 'Italian'],
	['ja', 'Japanese'],
	['kn', 'Kannada'],
	['kk', 'Kazakh'],
	['rw_RW', 'Kinyarwanda'],
	['ko', 'Korean'],
	['ky_KG', 'Kyrgyz'],
	['lo', 'Lao'],
	['lv', 'Latvian'],
	['lt', 'Lithuanian'],
	['mk', 'Macedonian'],
	['ms', 'Malay'],
	['ml', 'Malayalam'],
	['mr', 'Marathi'],
	['nb', 'Norwegian'],
	['ps_AF', 'Pashto'],
	['fa', 'Persian'],
	['pl', 'Polish'],
	['pt_BR', 'Portuguese (Brazil)'],
	['pt_PT', 'Portuguese (Portugal)'],
	['pa', 'Punjabi'],
	['ro', 'Romanian'],
	['ru', 'Russian'],
	['sr', 'Serbian'],
	['si_LK', 'Sinhala'],
	['sk', 'Slovak'],
	['sl', 'Slovenian'],
	['es', 'Spanish'],
	['es_AR', 'Spanish (Argentina)'],
	['es_CL', 'Spanish (Chile)'],
	['es_CO', 'Spanish (Colombia)'],
	['es_CR', 'Spanish (Costa Rica)'],
	['es_DO', 'Spanish (Dominican Republic)'],
	['es_EC', 'Spanish (Ecuador)'],
	['es_HN', 'Spanish (Honduras)'],
	['es_MX', 'Spanish (Mexico)'],
	['es_PA', 'Spanish (Panama)'],
	['es_PE', 'Spanish (Peru)'],
	['es_ES', 'Spanish (Spain)'],
	['es_UY', 'Spanish (Uruguay)'],
	['sw', 'Swahili'],
	['sv', 'Swedish'],
	['ta', 'Tamil'],
	['te', 'Telugu'],
	['th', 'Thai'],
	['tr', 'Turkish'],
	['uk', 'Ukrainian'],
	['ur', 'Urdu'],
	['uz', 'Uzbek'],
	['vi', 'Vietnamese'],
	['zu', 'Zulu'],
];

/** The value of the "Other Code" entry: the code is then typed in a field of its own. */
export const OTHER_LANGUAGE = 'other';

/** The Language options, by name, each showing its code. */
export const templateLanguages: INodePropertyOptions[] = CODES.map(([code, name]) => ({
	name: `${name} · ${code}`,
	value: code,
})).sort((a, b) => a.name.localeCompare(b.name));

/** The same list with "Other Code" (in its place by name), for a code Meta may add. */
export const templateLanguagesWithOther: INodePropertyOptions[] = [
	...templateLanguages,
	{
		name: 'Other Code (Type It)',
		value: OTHER_LANGUAGE,
		description: 'A code Meta added after this list was written',
	},
].sort((a, b) => a.name.localeCompare(b.name));

/** The code typed when Language is Other (read by readLanguage). */
export const otherLanguageField: INodeProperties = {
	displayName: 'Language Code',
	name: 'otherLanguage',
	type: 'string',
	default: '',
	// not marked required: n8n would then also demand it when Language is an expression
	placeholder: 'e.g. en_US',
	description: "Meta's code, case-sensitive, with an underscore",
	displayOptions: { show: { language: [OTHER_LANGUAGE] } },
};

/**
 * The Language of item `i`: a listed code, or the one typed under "Other Code". Meta's codes are
 * letters with an optional region after an underscore; `en-US` (a web locale) is refused here
 * with the fix, since Meta would refuse it only after the request.
 */
export function readLanguage(fns: IExecuteFunctions, i: number): string {
	const picked = readText(fns, 'language', i, 'Language', { trim: true });
	const code =
		picked === OTHER_LANGUAGE
			? readText(fns, 'otherLanguage', i, 'Language Code', { trim: true })
			: picked;
	if (!/^[a-z]{2,3}(_[A-Z]{2})?$/.test(code)) {
		const field = picked === OTHER_LANGUAGE ? 'Language Code' : 'Language';
		throw itemError(
			fns,
			i,
			`${field} "${code}" is not a language code Meta uses`,
			`Write it like en_US, de or pt_BR: lowercase language, then an underscore and the uppercase region if there is one.${code.includes('-') ? ` Here: ${code.replace('-', '_')}.` : ''}`,
			'',
		);
	}
	return code;
}
