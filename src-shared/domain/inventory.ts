import { z } from 'zod';
import { SLUG_MAX, SLUG_PATTERN, SLUG_RULE } from './slug';

/** A JSON object as stored in contexts and group variables. */
export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** Contexts, params and variables nest at most this deep (what hostile-file checks allow too). */
const MAX_JSON_DEPTH = 64;

/**
 * Why `value` is not a JSON value of at most MAX_JSON_DEPTH levels, or undefined if it is.
 * Iterative, so a 10,000-level value from a WebSocket message is refused, never a stack overflow.
 */
function jsonValueProblem(value: unknown): string | undefined {
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { v, depth } = item;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return 'a number must be finite';
      continue;
    }
    if (typeof v !== 'object') return `${typeof v} is not a JSON value`;
    if (depth >= MAX_JSON_DEPTH) return `nested deeper than ${MAX_JSON_DEPTH} levels`;
    if (Array.isArray(v)) for (const x of v) stack.push({ v: x, depth: depth + 1 });
    else {
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return 'only plain objects are JSON values';
      for (const x of Object.values(v)) stack.push({ v: x, depth: depth + 1 });
    }
  }
  return undefined;
}

export const jsonValueSchema: z.ZodType<JsonValue> = z.custom<JsonValue>((v) => jsonValueProblem(v) === undefined, {
  error: (issue) => `not a JSON value: ${jsonValueProblem(issue.input) ?? 'invalid'}`,
});
const jsonObjectSchema = z.record(z.string(), jsonValueSchema) as z.ZodType<JsonObject>;

export const slugSchema = z.string().regex(SLUG_PATTERN, SLUG_RULE).max(SLUG_MAX);

export const transportKinds = ['ssh', 'local'] as const;
export type TransportKind = (typeof transportKinds)[number];

export const hostKeyPolicies = ['strict', 'accept-new'] as const;
export type HostKeyPolicy = (typeof hostKeyPolicies)[number];

export const elementSchema = z.object({
  id: slugSchema,
  name: z.string().min(1).max(200),
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).optional(),
  user: z.string().min(1).max(64).optional(),
  transport: z.enum(transportKinds).default('ssh'),
  credential: z.string().min(1).optional(),
  jump: z.string().min(1).optional(),
  identityFile: z.string().min(1).optional(),
  hostKeyPolicy: z.enum(hostKeyPolicies).optional(),
  /** The network zone the element sits in: its commands run on that zone's runners (`flowdeck runner --zone`), not here. */
  zone: slugSchema.optional(),
  profile: slugSchema.optional(),
  groups: z.array(slugSchema).default([]),
  context: jsonObjectSchema.default({}),
  enabled: z.boolean().default(true),
});
export type Element = z.output<typeof elementSchema>;
export type ElementInput = z.input<typeof elementSchema>;

export const groupSchema = z.object({
  name: slugSchema,
  /** Variables; a dotted key `a.b` nests as `a: { b }` in the member's context. */
  vars: jsonObjectSchema.default({}),
  /** Names of groups whose members are members of this group too (Ansible `:children`). */
  children: z.array(slugSchema).default([]),
});
export type Group = z.output<typeof groupSchema>;

export const profileSchema = z.object({
  id: slugSchema,
  name: z.string().min(1).max(200).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  user: z.string().min(1).max(64).optional(),
  credential: z.string().min(1).optional(),
  context: jsonObjectSchema.default({}),
});
export type Profile = z.output<typeof profileSchema>;

/** The Flowdeck YAML inventory document (import and export). */
export const inventoryDocumentSchema = z.object({
  profiles: z.array(profileSchema).default([]),
  groups: z.array(groupSchema).default([]),
  elements: z.array(elementSchema).default([]),
});
export type InventoryDocument = z.output<typeof inventoryDocumentSchema>;

/**
 * An element as flows and scripts see it: effective port/user/credential and the
 * context merged from profile, groups (ancestors first) and the element itself.
 */
export interface ResolvedElement {
  id: string;
  name: string;
  host: string;
  port: number;
  user?: string;
  transport: TransportKind;
  credential?: string;
  jump?: string;
  identityFile?: string;
  hostKeyPolicy: HostKeyPolicy;
  /** Set: a runner of this zone runs the element's commands (through Redis); unset: this process does. */
  zone?: string;
  profile?: string;
  /** Direct groups and their ancestors, lowest precedence first. */
  groups: string[];
  context: JsonObject;
  enabled: boolean;
  /** What a flow's `gather` command printed on this element in this execution (JSON, else text). */
  facts?: JsonValue;
}

/** The fields a script sees: nothing about credentials or transport details. */
export interface ScriptElement {
  id: string;
  name: string;
  host: string;
  groups: string[];
  profile: string | null;
  context: JsonObject;
  facts?: JsonValue;
}
