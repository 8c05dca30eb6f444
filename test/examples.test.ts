/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * The example workflows in examples/ load in n8n-core, and every node type, version, parameter
 * and option value in them exists. Our nodes are checked against their own descriptions; n8n's
 * nodes against the descriptions n8n publishes in its packages (fetched by
 * tools/fetch-node-types.mjs into test/.node-types/). Also: the README documents every
 * resource and operation the node has. That each example also runs, and what it sends, is
 * test/examples/run.test.ts.
 */
import { readdirSync, readFileSync } from 'fs';
import type {
	IConnections,
	INode,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import path from 'path';

import { operations } from '../nodes/WhatsAppCloud/actions/operations';
import { WhatsAppCloud } from '../nodes/WhatsAppCloud/WhatsAppCloud.node.ts';
import { WhatsAppCloudTrigger } from '../nodes/WhatsAppCloudTrigger/WhatsAppCloudTrigger.node.ts';
import {
	hitlVariant,
	published,
	toolVariant,
	versionsOf,
	type Description,
} from './examples/nodeTypes';
import { TestNodeTypes } from '../dev/harness/engine';

const root = path.resolve(__dirname, '..');
const EXAMPLES = path.join(root, 'examples');

const action = new WhatsAppCloud();
const trigger = new WhatsAppCloudTrigger();
// n8n makes a "<name>Tool" variant of every usableAsTool node, and a "<name>HitlTool" human-review
// tool of a node with Send and Wait (test/examples/nodeTypes.ts, where the examples also run)
const ours = new Map<string, Description[]>([
	['n8n-nodes-whatsapp-cloud.whatsAppCloud', [action.description]],
	['n8n-nodes-whatsapp-cloud.whatsAppCloudTool', [toolVariant().description]],
	['n8n-nodes-whatsapp-cloud.whatsAppCloudHitlTool', [hitlVariant().description]],
	['n8n-nodes-whatsapp-cloud.whatsAppCloudTrigger', [trigger.description]],
]);
let known: Map<string, Description[]>;

beforeAll(() => {
	known = new Map([...published(), ...ours]);
});

const versions = versionsOf;

function descriptionFor(node: INode): Description {
	const candidates = known.get(node.type);
	if (!candidates) throw new Error(`${node.name}: node type ${node.type} does not exist`);
	const found = candidates.find((d) => versions(d).includes(node.typeVersion));
	if (!found)
		throw new Error(
			`${node.name}: ${node.type} has no version ${node.typeVersion} (has ${candidates.flatMap(versions).join(', ')})`,
		);
	return found;
}

/** Every key must be a property; fixed option values must be allowed; collections are checked inside. */
function checkParameters(
	where: string,
	values: Record<string, unknown>,
	properties: INodeProperties[],
	problems: string[],
) {
	for (const [key, value] of Object.entries(values)) {
		const defs = properties.filter((p) => p.name === key);
		if (!defs.length) {
			problems.push(`${where}: unknown parameter "${key}"`);
			continue;
		}
		const isExpression = typeof value === 'string' && value.startsWith('=');
		// options loaded at edit time (a sheet's columns) have no fixed list to check against
		const fixedList = (d: INodeProperties) =>
			!d.typeOptions?.loadOptionsMethod && !d.typeOptions?.loadOptions;
		if (defs.every((d) => d.type === 'options' && fixedList(d)) && !isExpression) {
			const allowed = defs.flatMap((d) =>
				(d.options ?? []).map((o) => (o as { value: unknown }).value),
			);
			if (!allowed.includes(value))
				problems.push(
					`${where}: "${key}" = ${JSON.stringify(value)} is not one of ${JSON.stringify(allowed)}`,
				);
		}
		if (defs.every((d) => d.type === 'multiOptions' && fixedList(d)) && Array.isArray(value)) {
			const allowed = defs.flatMap((d) =>
				(d.options ?? []).map((o) => (o as { value: unknown }).value),
			);
			for (const v of value)
				if (!allowed.includes(v))
					problems.push(
						`${where}: "${key}" has ${JSON.stringify(v)}, not one of ${JSON.stringify(allowed)}`,
					);
		}
		// several operations each have their own Options collection: an option of any of them is known
		const collections = defs.filter((d) => d.type === 'collection');
		if (collections.length && value && typeof value === 'object') {
			checkParameters(
				`${where} > ${key}`,
				value as Record<string, unknown>,
				collections.flatMap((c) => (c.options ?? []) as INodeProperties[]),
				problems,
			);
		}
		const fixed = defs.find((d) => d.type === 'fixedCollection');
		if (fixed && value && typeof value === 'object') {
			for (const [group, entries] of Object.entries(value as Record<string, unknown>)) {
				const option = (fixed.options ?? []).find((o) => (o as { name: string }).name === group) as
					| { values: INodeProperties[] }
					| undefined;
				if (!option) {
					problems.push(`${where} > ${key}: unknown group "${group}"`);
					continue;
				}
				for (const entry of Array.isArray(entries) ? entries : [entries])
					checkParameters(
						`${where} > ${key} > ${group}`,
						entry as Record<string, unknown>,
						option.values,
						problems,
					);
			}
		}
	}
}

const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.workflow.json'));

test('there are example workflows for the receipt, routing, bulk, template, AI agent, group and cost report scenarios', () => {
	expect(files.sort()).toEqual([
		'ai-agent-approval.workflow.json',
		'ai-agent.workflow.json',
		'ai-support.workflow.json',
		'bulk-confirmations.workflow.json',
		'carousel-campaign.workflow.json',
		'catalog-order-routing.workflow.json',
		'cost-report.workflow.json',
		'flow-appointment-booking.workflow.json',
		'group-order-alerts.workflow.json',
		'helpdesk-routing.workflow.json',
		'payment-receipt.workflow.json',
		'template-approval.workflow.json',
	]);
});

describe.each(files)('%s', (file) => {
	const workflow = JSON.parse(readFileSync(path.join(EXAMPLES, file), 'utf8')) as {
		name: string;
		nodes: INode[];
		connections: IConnections;
	};

	test('every node type, version, parameter and option value exists', () => {
		const problems: string[] = [];
		for (const node of workflow.nodes) {
			let description: Description;
			try {
				description = descriptionFor(node);
			} catch (error) {
				problems.push((error as Error).message);
				continue;
			}
			checkParameters(
				node.name,
				node.parameters as Record<string, unknown>,
				description.properties,
				problems,
			);
			for (const credential of Object.keys(node.credentials ?? {})) {
				if (!(description.credentials ?? []).some((c) => c.name === credential))
					problems.push(`${node.name}: credential ${credential} is not one the node takes`);
			}
			if (
				node.type.startsWith('n8n-nodes-whatsapp-cloud.whatsAppCloud') &&
				node.type !== 'n8n-nodes-whatsapp-cloud.whatsAppCloudTrigger'
			) {
				const { resource, operation } = node.parameters as { resource: string; operation: string };
				if (!operations[resource]?.[operation])
					problems.push(`${node.name}: no operation ${resource}/${operation}`);
			}
		}
		expect(problems).toEqual([]);
	});

	test('connections join existing nodes, and the workflow loads in n8n-core', () => {
		const names = new Set(workflow.nodes.map((n) => n.name));
		expect(names.size).toBe(workflow.nodes.length);
		for (const [source, byType] of Object.entries(workflow.connections)) {
			expect(names.has(source)).toBe(true);
			for (const outputs of Object.values(byType))
				for (const targets of outputs)
					for (const t of targets ?? []) expect(names.has(t.node)).toBe(true);
		}
		const types: Record<string, INodeType> = {};
		for (const node of workflow.nodes) {
			if (node.type === 'n8n-nodes-whatsapp-cloud.whatsAppCloud') types[node.type] = action;
			else if (node.type === 'n8n-nodes-whatsapp-cloud.whatsAppCloudTrigger')
				types[node.type] = trigger;
			else types[node.type] = { description: descriptionFor(node) as INodeTypeDescription };
		}
		const loaded = new Workflow({
			nodes: workflow.nodes,
			connections: workflow.connections,
			active: false,
			nodeTypes: new TestNodeTypes(types),
		});
		expect(Object.keys(loaded.nodes).sort()).toEqual([...names].sort());
		// n8n resolves our nodes' parameters against their descriptions, as the editor does on import
		for (const node of workflow.nodes.filter(
			(n) =>
				n.type === 'n8n-nodes-whatsapp-cloud.whatsAppCloud' ||
				n.type === 'n8n-nodes-whatsapp-cloud.whatsAppCloudTrigger',
		)) {
			const description = descriptionFor(node) as INodeTypeDescription;
			const resolved = NodeHelpers.getNodeParameters(
				description.properties,
				node.parameters,
				true,
				false,
				node,
				description,
			);
			expect(resolved).toBeTruthy();
			for (const key of Object.keys(node.parameters)) expect(resolved).toHaveProperty(key);
		}
	});
});

test('the README documents every resource and operation of the node', () => {
	const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
	const resourceProperty = action.description.properties.find((p) => p.name === 'resource')!;
	const missing: string[] = [];
	for (const resource of resourceProperty.options as Array<{ name: string; value: string }>) {
		const operationProperty = action.description.properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource.value),
		)!;
		for (const op of operationProperty.options as Array<{ name: string; value: string }>) {
			const heading = readme
				.split('\n')
				.some((line) => line.startsWith(`### ${resource.name} > `) && line.includes(op.name));
			// message operations are documented in the operations table, one row each
			const row =
				resource.value === 'message' &&
				readme
					.split('\n')
					.map((line) => (line.startsWith('|') ? line.split('|')[1].trim() : ''))
					.some((cell) => cell === op.name || cell.startsWith(`${op.name} > `));
			if (!heading && !row) missing.push(`${resource.name} > ${op.name}`);
		}
	}
	expect(missing).toEqual([]);
});
