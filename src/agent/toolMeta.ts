import type { StructuredToolInterface } from '@langchain/core/tools';

/** MCP tool annotations as a tool loader records them in `tool.metadata.annotations`. */
export interface ToolAnnotationsLike {
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

export function annotationsOf(tool: StructuredToolInterface): ToolAnnotationsLike | undefined {
  const annotations = (tool as { metadata?: Record<string, unknown> }).metadata?.['annotations'];
  return annotations && typeof annotations === 'object' ? (annotations as ToolAnnotationsLike) : undefined;
}

export function serverOf(tool: StructuredToolInterface): string | undefined {
  const server = (tool as { metadata?: Record<string, unknown> }).metadata?.['server'];
  return typeof server === 'string' ? server : undefined;
}

/**
 * What the configuration says about approving a tool's calls, as a tool loader records it in
 * `tool.metadata.approval`: `always` ask, `never` ask (trusted), or undefined (annotations decide).
 */
export function approvalSettingOf(tool: StructuredToolInterface): 'always' | 'never' | undefined {
  const approval = (tool as { metadata?: Record<string, unknown> }).metadata?.['approval'];
  return approval === 'always' || approval === 'never' ? approval : undefined;
}

/**
 * Why a call needs a person's approval, or undefined when it does not. A setting from the
 * configuration wins (`never`: trusted; `always`: every call asks). Otherwise the annotations
 * decide: the tool says it is destructive, or it says nothing and does not claim to be read-only
 * (MCP's default for an unannotated tool is destructive).
 */
export function approvalReason(tool: StructuredToolInterface): string | undefined {
  const setting = approvalSettingOf(tool);
  if (setting === 'never') return undefined;
  if (setting === 'always') {
    const server = serverOf(tool);
    return `${server ? `server "${server}"` : 'its server'} is configured to ask before every call ("approve": "always")`;
  }
  const annotations = annotationsOf(tool);
  if (annotations?.readOnlyHint === true) return undefined;
  if (annotations?.destructiveHint === false) return undefined;
  if (annotations?.destructiveHint === true) return 'the tool is marked destructive';
  return 'the tool is not marked read-only or non-destructive';
}
