import { z } from 'zod';
import { jsonValueSchema, slugSchema, type JsonValue } from './inventory';

/** HTTP triggers: a flow started by `POST /api/triggers/ID` with the trigger's bearer token. */

/** A trigger's id: random, lower-case hex, part of its URL. */
export const triggerIdSchema = z.string().regex(/^[0-9a-f]{16}$/, 'a trigger id is 16 hexadecimal digits');

/** A parameter name as flows declare them. */
const paramName = z.string().min(1).max(100);

export const triggerInputSchema = z
  .object({
    flow: slugSchema,
    name: z.string().min(1).max(200).optional(),
    /** Fixed values; a caller may override one only when it is also in `allowParams`. */
    params: z.record(paramName, jsonValueSchema).default({}),
    /** The parameters a caller may set in the request body. */
    allowParams: z.array(paramName).max(100).default([]),
  })
  .strict();
export type TriggerInput = z.input<typeof triggerInputSchema>;
export type TriggerSpec = z.output<typeof triggerInputSchema>;

/** A trigger as listed: never its token (only a hash of it is kept). */
export interface TriggerView {
  id: string;
  flow: string;
  name: string | null;
  /** `/api/triggers/ID`, on `flowdeck serve` (or the app's trigger listener). */
  path: string;
  params: Record<string, JsonValue>;
  allowParams: string[];
  createdAt: number;
  lastUsedAt: number | null;
  lastExecutionId: number | null;
}

/** What adding a trigger answers, once: the token is shown here and never again. */
export interface TriggerCreated {
  trigger: TriggerView;
  token: string;
}

