/**
 * Checks the evaluation's fixtures before anything is scored: every expected tool exists, every
 * argument expectation names a real property, enum values are legal, templates resolve, tool
 * sets are valid MCP tool lists with a fake behind every tool. A broken fixture is an error,
 * never a silent zero.
 */
import {
  CATEGORIES,
  STYLES,
  alternativesOf,
  modelToolName,
  resolveExpect,
  type ArgMatcher,
  type CaseFile,
  type EvalCase,
  type ExpectedItem,
  type Json,
  type ResolvedExpect,
  type TemplateUse,
  type ToolSet,
} from './plannerEvalCases.ts';
import { isSpec } from './plannerEvalMatch.ts';
import { schemaProblem } from './plannerEvalSchemas.ts';

/** A tool as the cases refer to it: its name and JSON input schema. */
export interface ToolShape {
  readonly name: string;
  readonly inputSchema: Record<string, unknown>;
}

type Schema = Record<string, unknown>;

/** The schemas a dotted path can lead to (through properties, items, anyOf/oneOf). */
function schemasAt(schema: Schema, path: string): Schema[] {
  let nodes: Schema[] = [schema];
  for (const step of path.split('.')) {
    const next: Schema[] = [];
    const expand = (node: Schema): Schema[] => [
      node,
      ...(((node['anyOf'] ?? node['oneOf']) as Schema[] | undefined) ?? []).flatMap(expand),
    ];
    for (const node of nodes.flatMap(expand)) {
      const properties = node['properties'] as Record<string, Schema> | undefined;
      if (/^\d+$/.test(step) || step === '*') {
        if (node['items'] && typeof node['items'] === 'object') next.push(node['items'] as Schema);
      } else if (properties?.[step]) next.push(properties[step]);
    }
    nodes = next;
  }
  return nodes;
}

const typesOf = (node: Schema): string[] => {
  const type = node['type'];
  return Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : [];
};

/** Whether `value` is legal for the property: within its enum, or of a type one of its branches takes. */
function legal(nodes: readonly Schema[], value: Json): boolean {
  const branches = nodes.flatMap((node) => [node, ...(((node['anyOf'] ?? node['oneOf']) as Schema[] | undefined) ?? [])]);
  return branches.some((node) => {
    if (Array.isArray(node['enum'])) return (node['enum'] as Json[]).includes(value);
    const types = typesOf(node);
    if (types.length === 0) return !node['anyOf'] && !node['oneOf'];
    if (Array.isArray(value)) return types.includes('array');
    if (value === null) return types.includes('null');
    if (typeof value === 'number') return types.includes('number') || (types.includes('integer') && Number.isInteger(value));
    if (typeof value === 'boolean') return types.includes('boolean');
    if (typeof value === 'object') return types.includes('object');
    return types.includes('string');
  });
}

function literalsOf(matcher: ArgMatcher): Json[] {
  if (!isSpec(matcher)) return [matcher as Json];
  return [
    ...(matcher.equals !== undefined ? [matcher.equals] : []),
    ...(matcher.oneOf ?? []),
    ...(matcher.example !== undefined ? [matcher.example] : []),
  ];
}

function checkCase(evalCase: EvalCase, file: CaseFile, tools: ReadonlyMap<string, ToolShape>, problems: string[]): void {
  const where = `case ${evalCase.id}`;
  if (!(CATEGORIES as readonly string[]).includes(evalCase.category)) problems.push(`${where}: unknown category "${evalCase.category}"`);
  if (!(STYLES as readonly string[]).includes(evalCase.style)) problems.push(`${where}: unknown style "${evalCase.style}"`);
  if (!Array.isArray(evalCase.turns) || evalCase.turns.length === 0) return void problems.push(`${where}: no turns`);
  if (!evalCase.turns.some((turn) => turn.expect)) problems.push(`${where}: no turn has an expectation`);
  for (const [index, turn] of evalCase.turns.entries()) {
    const at = `${where} turn ${index + 1}`;
    if (typeof turn.user !== 'string' || turn.user.trim() === '') problems.push(`${at}: empty request`);
    if (!turn.expect) continue;
    // Each item resolved on its own, so one bad template does not hide the other problems.
    const listed: readonly (ExpectedItem | TemplateUse)[] = turn.expect.calls ?? [];
    const items = listed.flatMap((item): ExpectedItem[] => {
      try {
        return [...resolveExpect({ calls: [item] }, file.templates).calls];
      } catch (error) {
        problems.push(`${at}: ${(error as Error).message}`);
        return [];
      }
    });
    let expect: ResolvedExpect;
    try {
      expect = { ...resolveExpect({ ...turn.expect, calls: [] }, file.templates), calls: items };
    } catch (error) {
      problems.push(`${at}: ${(error as Error).message}`);
      continue;
    }
    if (expect.kind === 'refuse' && expect.calls.length > 0) problems.push(`${at}: a refusal expects no calls`);
    for (const call of expect.calls.flatMap((item) => alternativesOf(item).flat())) {
      const tool = tools.get(call.tool);
      if (!tool) {
        problems.push(`${at}: no tool ${call.tool}`);
        continue;
      }
      for (const [path, matcher] of Object.entries(call.args ?? {})) {
        const nodes = schemasAt(tool.inputSchema, path);
        if (nodes.length === 0) {
          problems.push(`${at}: ${call.tool} has no argument ${path}`);
          continue;
        }
        for (const value of literalsOf(matcher)) {
          if (!legal(nodes, value)) problems.push(`${at}: ${JSON.stringify(value)} is not a legal ${call.tool} ${path}`);
        }
      }
      for (const name of call.only ?? []) {
        if (schemasAt(tool.inputSchema, name).length === 0) problems.push(`${at}: "only" names ${name}, which ${call.tool} does not take`);
      }
    }
    for (const spec of expect.answer?.fromResults ?? []) {
      for (const name of Object.keys(spec.paths))
        if (!tools.has(name)) problems.push(`${at}: answer reads results of ${name}, which does not exist`);
    }
  }
}

/** Problems with case files against the tools they use (empty when all is well). */
export function validateCases(
  files: readonly CaseFile[],
  tools: readonly ToolShape[],
  bindings?: ReadonlyMap<string, readonly ToolShape[]>,
): string[] {
  const problems: string[] = [];
  const all = new Map(tools.map((tool) => [tool.name, tool]));
  const seen = new Set<string>();
  for (const file of files) {
    for (const evalCase of file.cases) {
      if (seen.has(evalCase.id)) problems.push(`case ${evalCase.id}: the id is used twice`);
      seen.add(evalCase.id);
      let visible = all;
      if (bindings) {
        if (!evalCase.sets || evalCase.sets.length === 0) problems.push(`case ${evalCase.id}: binds no tool set`);
        const unknown = (evalCase.sets ?? []).filter((set) => !bindings.has(set));
        if (unknown.length > 0) problems.push(`case ${evalCase.id}: no tool set ${unknown.join(', ')}`);
        visible = new Map((evalCase.sets ?? []).flatMap((set) => bindings.get(set) ?? []).map((tool) => [tool.name, tool]));
      }
      checkCase(evalCase, file, visible, problems);
    }
  }
  return problems;
}

const MCP_TOOL_NAME = /^[A-Za-z0-9._-]{1,128}$/;

/** Problems with the unseen tool sets themselves (empty when all is well). */
export function validateToolSets(sets: readonly ToolSet[]): string[] {
  const problems: string[] = [];
  const servers = new Set<string>();
  const modelNames = new Map<string, string>();
  for (const set of sets) {
    const where = `tool set ${set.server}`;
    if (!/^[a-zA-Z][a-zA-Z0-9_-]*$/.test(set.server)) problems.push(`${where}: server names are letters, digits, _ and -`);
    if (servers.has(set.server)) problems.push(`${where}: the server name is used twice`);
    servers.add(set.server);
    const names = new Set<string>();
    for (const tool of set.tools) {
      if (!MCP_TOOL_NAME.test(tool.name)) problems.push(`${where}: "${tool.name}" is not a legal MCP tool name`);
      if (names.has(tool.name)) problems.push(`${where}: tool ${tool.name} is listed twice`);
      names.add(tool.name);
      const modelName = modelToolName(set.server, tool.name);
      const clash = modelNames.get(modelName);
      if (clash) problems.push(`${where}: ${tool.name} and ${clash} both reach the model as ${modelName}`);
      modelNames.set(modelName, `${set.server}__${tool.name}`);
      if (tool.inputSchema['type'] !== 'object') problems.push(`${where}: ${tool.name}'s inputSchema must be an object schema`);
      const problem = schemaProblem(tool.inputSchema);
      if (problem) problems.push(`${where}: ${tool.name}'s inputSchema is invalid: ${problem}`);
      if (!set.fakes[tool.name]) problems.push(`${where}: ${tool.name} has no fake`);
      if (!tool.description) problems.push(`${where}: ${tool.name} has no description`);
    }
    for (const [name, fake] of Object.entries(set.fakes)) {
      if (!names.has(name)) problems.push(`${where}: fake for ${name}, which is not listed`);
      const collection = fake['collection'];
      if (fake['op'] !== 'static' && (typeof collection !== 'string' || !(collection in set.data))) {
        problems.push(`${where}: the fake of ${name} uses collection ${String(collection)}, which is not in data`);
      }
    }
  }
  return problems;
}

/** The unseen sets' tools as the cases name them (`server__tool`), per set. */
export function toolShapesBySet(sets: readonly ToolSet[]): Map<string, ToolShape[]> {
  return new Map(
    sets.map((set) => [set.server, set.tools.map((tool) => ({ name: `${set.server}__${tool.name}`, inputSchema: tool.inputSchema }))]),
  );
}
