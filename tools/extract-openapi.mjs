// Extracts, from Meta's official OpenAPI document for the Cloud API (github.com/facebook/openapi),
// the request body of `POST /{Version}/{Phone-Number-ID}/messages` into two small, self-contained
// fixtures that the sandbox checks every send against (dev/sandbox/openapi.ts):
//
//   test/fixtures/openapi/send-message.schema.json    the body schema: components.schemas.Message and
//                                                     every schema it reaches through `$ref` or an
//                                                     OpenAPI `discriminator.mapping`, copied verbatim
//                                                     into `$defs` (refs rewritten to `#/$defs/...`)
//   test/fixtures/openapi/send-message.examples.json  Meta's own request examples for that body
//
// and, the same way, the request body of `POST /{Version}/{Phone-Number-ID}/marketing_messages` into
// marketing-message.schema.json and marketing-message.examples.json (dev/sandbox/marketing.ts), and
// the JSON request bodies of the management endpoints the sandbox plays (groups, block list,
// registration, QR codes, conversational components, templates) into management-requests.schema.json
// (one schema per "METHOD path", shared schemas in $defs) and management-requests.examples.json.
//
// Nothing is fixed up here: where the document contradicts itself or Meta's docs, the exception is
// written down in dev/sandbox/openapi.ts. The commit is pinned so a re-run gives the same bytes.
//
// Usage: node tools/extract-openapi.mjs [<git dir of a facebook/openapi clone>]
//        (default: $OPENAPI_REPO, else /work/.mirror/facebook+openapi/repo)
import { execFileSync } from 'child_process';
import { mkdirSync, writeFileSync } from 'fs';
import path from 'path';
import { fileURLToPath } from 'url';
import { parse } from 'yaml';

const COMMIT = 'ecba623b4aba6ae770185b074ed77ed5acef22f7';
const FILE = 'business-messaging-api_v23.0.yaml';
const PATH = '/{Version}/{Phone-Number-ID}/messages';
const CONTENT_TYPE = 'application/json';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repo = process.argv[2] ?? process.env.OPENAPI_REPO ?? '/work/.mirror/facebook+openapi/repo';
const dest = path.join(root, 'test/fixtures/openapi');

const show = (file) =>
	execFileSync('git', ['-C', repo, 'show', `${COMMIT}:${file}`], {
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});

const document = parse(show(FILE));
const license = show('LICENSE');
const schemas = document.components.schemas;
const requestBody = document.paths[PATH]?.post?.requestBody?.content?.[CONTENT_TYPE];
if (!requestBody)
	throw new Error(`${FILE}@${COMMIT} has no ${CONTENT_TYPE} request body for POST ${PATH}`);

const LOCAL = '#/components/schemas/';
const nameOf = (ref) => {
	if (typeof ref !== 'string' || !ref.startsWith(LOCAL)) throw new Error(`unsupported $ref ${ref}`);
	const name = ref.slice(LOCAL.length);
	if (!schemas[name]) throw new Error(`$ref ${ref} points at nothing`);
	return name;
};

/** Copies a schema with its refs pointing into `$defs`, queueing every schema it names. */
function copy(node, queue) {
	if (Array.isArray(node)) return node.map((n) => copy(n, queue));
	if (!node || typeof node !== 'object') return node;
	const out = {};
	for (const [key, value] of Object.entries(node)) {
		if (key === '$ref') {
			const name = nameOf(value);
			queue.push(name);
			out[key] = `#/$defs/${name}`;
		} else if (key === 'discriminator' && value?.mapping) {
			// a discriminator's mapping names schemas that are only reached through it
			const mapping = {};
			for (const [tag, ref] of Object.entries(value.mapping)) {
				const name = nameOf(ref);
				queue.push(name);
				mapping[tag] = `#/$defs/${name}`;
			}
			out[key] = { ...value, mapping };
		} else {
			out[key] = copy(value, queue);
		}
	}
	return out;
}

const queue = [];
const top = copy(requestBody.schema, queue);
const defs = {};
while (queue.length) {
	const name = queue.shift();
	if (!(name in defs)) defs[name] = copy(schemas[name], queue);
}

const source = {
	repository: 'https://github.com/facebook/openapi',
	commit: COMMIT,
	file: FILE,
	openapi: document.openapi,
	apiVersion: document.info?.version,
	generatedBy: 'tools/extract-openapi.mjs',
};
const notice = {
	spdx: 'MIT',
	copyright: license.split('\n').find((l) => l.startsWith('Copyright')),
	text: license.trim().split('\n'),
};

const schemaFixture = {
	$comment: `Request body of POST ${PATH} from Meta's OpenAPI document (${FILE} at facebook/openapi@${COMMIT}): the schemas copied verbatim, $refs rewritten to #/$defs. MIT licensed, see x-license. Exceptions we make are in dev/sandbox/openapi.ts.`,
	'x-source': {
		...source,
		pointer: `paths.${PATH}.post.requestBody.content.${CONTENT_TYPE}.schema`,
	},
	'x-license': notice,
	// schemas of an OpenAPI 3.1 document use the OAS base dialect of JSON Schema 2020-12
	$schema: 'https://spec.openapis.org/oas/3.1/dialect/base',
	...top,
	$defs: defs,
};
const examplesFixture = {
	$comment: `Meta's request examples for POST ${PATH} (${FILE} at facebook/openapi@${COMMIT}), values unchanged. MIT licensed, see x-license.`,
	'x-source': {
		...source,
		pointer: `paths.${PATH}.post.requestBody.content.${CONTENT_TYPE}.examples`,
	},
	'x-license': notice,
	examples: Object.fromEntries(
		Object.entries(requestBody.examples ?? {}).map(([name, e]) => [name, e.value]),
	),
};

mkdirSync(dest, { recursive: true });
const write = (file, data) => {
	writeFileSync(path.join(dest, file), `${JSON.stringify(data, null, 2)}\n`);
	console.log(`extract-openapi: ${path.relative(root, path.join(dest, file))}`);
};
write('send-message.schema.json', schemaFixture);
write('send-message.examples.json', examplesFixture);
console.log(
	`extract-openapi: ${Object.keys(defs).length} schemas, ${Object.keys(examplesFixture.examples).length} examples`,
);

// The Marketing Messages API takes a template send on its own endpoint with its own request schema,
// `POST /{Version}/{Phone-Number-ID}/marketing_messages` (MarketingMessageRequestPayload). Its
// template is Meta's TemplateObject, the one /messages takes: dev/sandbox/marketing.ts checks the
// envelope against this fixture and the template through send-message.schema.json.
const MM_PATH = '/{Version}/{Phone-Number-ID}/marketing_messages';
const mmBody = document.paths[MM_PATH]?.post?.requestBody?.content?.[CONTENT_TYPE];
if (!mmBody)
	throw new Error(`${FILE}@${COMMIT} has no ${CONTENT_TYPE} request body for POST ${MM_PATH}`);
const mmQueue = [];
const mmTop = copy(mmBody.schema, mmQueue);
const mmDefs = {};
while (mmQueue.length) {
	const name = mmQueue.shift();
	if (!(name in mmDefs)) mmDefs[name] = copy(schemas[name], mmQueue);
}
const mmPointer = `paths.${MM_PATH}.post.requestBody.content.${CONTENT_TYPE}`;
write('marketing-message.schema.json', {
	$comment: `Request body of POST ${MM_PATH} from Meta's OpenAPI document (${FILE} at facebook/openapi@${COMMIT}): the schemas copied verbatim, $refs rewritten to #/$defs. MIT licensed, see x-license. Exceptions we make are in dev/sandbox/marketing.ts.`,
	'x-source': { ...source, pointer: `${mmPointer}.schema` },
	'x-license': notice,
	$schema: 'https://spec.openapis.org/oas/3.1/dialect/base',
	...mmTop,
	$defs: mmDefs,
});
write('marketing-message.examples.json', {
	$comment: `Meta's request examples for POST ${MM_PATH} (${FILE} at facebook/openapi@${COMMIT}), values unchanged. MIT licensed, see x-license.`,
	'x-source': { ...source, pointer: `${mmPointer}.examples` },
	'x-license': notice,
	examples: Object.fromEntries(
		Object.entries(mmBody.examples ?? {}).map(([name, e]) => [name, e.value]),
	),
});
console.log(
	`extract-openapi: marketing_messages: ${Object.keys(mmDefs).length} schemas, ${Object.keys(mmBody.examples ?? {}).length} examples`,
);

// Management endpoints: each JSON request body the sandbox checks (dev/sandbox/openapi.ts
// checkRequest), keyed "METHOD path" as the document writes the path. A path the document does not
// have, or a method without a JSON body, stops the run: the list must say only what is there.
const MANAGEMENT = [
	['post', '/{Version}/{Phone-Number-ID}/groups'],
	['post', '/{Version}/{group_id}'],
	['post', '/{Version}/{group_id}/invite_link'],
	['post', '/{Version}/{group_id}/join_requests'],
	['delete', '/{Version}/{group_id}/join_requests'],
	['delete', '/{Version}/{group_id}/participants'],
	['post', '/{Version}/{Phone-Number-ID}/block_users'],
	['delete', '/{Version}/{Phone-Number-ID}/block_users'],
	['post', '/{Version}/{Phone-Number-ID}/conversational_automation'],
	['post', '/{Version}/{Phone-Number-ID}/register'],
	['post', '/{Version}/{Phone-Number-ID}/request_code'],
	['post', '/{Version}/{Phone-Number-ID}/verify_code'],
	['post', '/{Version}/{Phone-Number-ID}'],
	['post', '/{Version}/{Phone-Number-ID}/message_qrdls'],
	['post', '/{Version}/{WABA-ID}/message_templates'],
	['post', '/{Version}/{TEMPLATE_ID}'],
];
const mgQueue = [];
const requests = {};
const mgExamples = {};
for (const [method, p] of MANAGEMENT) {
	const body = document.paths[p]?.[method]?.requestBody?.content?.[CONTENT_TYPE];
	if (!body)
		throw new Error(`${FILE}@${COMMIT} has no ${CONTENT_TYPE} request body for ${method} ${p}`);
	const key = `${method.toUpperCase()} ${p}`;
	requests[key] = copy(body.schema, mgQueue);
	mgExamples[key] = Object.fromEntries(
		Object.entries(body.examples ?? {}).map(([name, e]) => [name, e.value]),
	);
}
const mgDefs = {};
while (mgQueue.length) {
	const name = mgQueue.shift();
	if (!(name in mgDefs)) mgDefs[name] = copy(schemas[name], mgQueue);
}
write('management-requests.schema.json', {
	$comment: `JSON request bodies of management endpoints from Meta's OpenAPI document (${FILE} at facebook/openapi@${COMMIT}): each under x-requests["METHOD path"] as paths.<path>.<method>.requestBody.content.${CONTENT_TYPE}.schema, the schemas copied verbatim, $refs rewritten to #/$defs. MIT licensed, see x-license. Exceptions we make are in dev/sandbox/openapi.ts.`,
	'x-source': {
		...source,
		pointer: `paths.<path>.<method>.requestBody.content.${CONTENT_TYPE}.schema`,
	},
	'x-license': notice,
	$schema: 'https://spec.openapis.org/oas/3.1/dialect/base',
	'x-requests': requests,
	$defs: mgDefs,
});
write('management-requests.examples.json', {
	$comment: `Meta's request examples for the management endpoints in management-requests.schema.json (${FILE} at facebook/openapi@${COMMIT}), values unchanged. MIT licensed, see x-license.`,
	'x-source': {
		...source,
		pointer: `paths.<path>.<method>.requestBody.content.${CONTENT_TYPE}.examples`,
	},
	'x-license': notice,
	examples: mgExamples,
});
console.log(
	`extract-openapi: management: ${MANAGEMENT.length} requests, ${Object.keys(mgDefs).length} schemas, ${Object.values(mgExamples).reduce((n, e) => n + Object.keys(e).length, 0)} examples`,
);
