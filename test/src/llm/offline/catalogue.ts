import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { createAnalysisTools } from '../../../../servers/analysis/tools.ts';
import { ANALYSIS_INSTRUCTIONS } from '../../../../servers/analysis/index.ts';
import { createIncidentTools } from '../../../../servers/incident/tools.ts';
import { INCIDENT_INSTRUCTIONS } from '../../../../servers/incident/index.ts';
import { createSearchAgent } from '../../../../servers/search/agent.ts';
import type { SearchBackend } from '../../../../servers/search/backend.ts';
import type { AnalysisEngine } from '../../../../servers/analysis/engine.ts';
import type { IncidentRepository } from '../../../../servers/incident/repository.ts';
import type { ToolDefinition } from '../../../../src/mcp/index.ts';
import type { ToolDefinition as FunctionTool } from '@langchain/core/language_models/base';

// The tool catalogue the planner is measured on, as a remote MCP client would list it.

const unused = <T>(what: string): T =>
  new Proxy(
    {},
    {
      get: (_target, key) =>
        key === 'then'
          ? undefined
          : () => {
              throw new Error(`${what} is not used to list tools`);
            },
    },
  ) as T;

function fromDefinition(server: string, tool: ToolDefinition): FunctionTool {
  // The SDK lists zod input schemas this way (draft-7, input side).
  const parameters = z.toJSONSchema(tool.input, { target: 'draft-7', io: 'input' });
  return {
    type: 'function',
    function: { name: `${server}__${tool.name}`, description: tool.description, parameters: parameters as Record<string, unknown> },
  };
}

function firstSentence(text: string): string {
  return text.split(/(?<=\.)\s/)[0] ?? text;
}

/** `ask_<name>_agent`, which every agent exposes (DESIGN.md); described from the agent's instructions. */
function askTool(server: string, instructions: string): FunctionTool {
  return {
    type: 'function',
    function: {
      name: `${server}__ask_${server}_agent`,
      description: `Ask the ${server} agent to handle a request in plain words; it picks and runs its own tools. ${firstSentence(instructions)}`,
      parameters: {
        type: 'object',
        properties: { request: { type: 'string', description: `What you want the ${server} agent to do, in plain words` } },
        required: ['request'],
      },
    },
  };
}

interface EverythingFixture {
  readonly source: string;
  readonly tools: readonly { name: string; description?: string; inputSchema: Record<string, unknown> }[];
}

/** server-everything's tools, captured from the pinned package (see the fixture's `source`). */
export function everythingTools(): FunctionTool[] {
  const fixture = JSON.parse(
    readFileSync(new URL('../../../fixtures/planner/everything-tools.json', import.meta.url), 'utf8'),
  ) as EverythingFixture;
  return fixture.tools.map((tool) => ({
    type: 'function' as const,
    function: { name: `everything__${tool.name}`, description: tool.description ?? '', parameters: tool.inputSchema },
  }));
}

/** Incident, search and analysis tools built from the agents' own definitions, plus server-everything's. */
export async function plannerCatalogue(): Promise<FunctionTool[]> {
  const search = await createSearchAgent({ backend: { name: 'local' } as unknown as SearchBackend });
  return [
    ...createIncidentTools(unused<IncidentRepository>('the incident repository')).map((tool) => fromDefinition('incident', tool)),
    askTool('incident', INCIDENT_INSTRUCTIONS),
    ...search.tools.map((tool) => fromDefinition('search', tool)),
    askTool('search', search.instructions),
    ...createAnalysisTools(unused<AnalysisEngine>('the analysis engine')).map((tool) => fromDefinition('analysis', tool)),
    askTool('analysis', ANALYSIS_INSTRUCTIONS),
    ...everythingTools(),
  ];
}
