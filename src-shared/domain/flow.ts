import { z } from 'zod';
import { jsonValueSchema, slugSchema } from './inventory';

export const flowModes = ['serial', 'parallel'] as const;
export type FlowMode = (typeof flowModes)[number];

export const stepKinds = ['run', 'script', 'task', 'sleep', 'http', 'flow', 'approval'] as const;
export type StepKind = (typeof stepKinds)[number];

const seconds = z.number().positive().max(7 * 24 * 3600);

const retriesSchema = z
  .object({
    count: z.number().int().min(0).max(100),
    delay: z.number().min(0).max(3600).default(0),
    backoff: z.number().min(1).max(10).default(1),
  })
  .strict();
export type Retries = z.output<typeof retriesSchema>;

const envSchema = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'is not a valid environment variable name'), z.string());

/** Fields every step may carry, whatever its kind. */
const commonStepFields = {
  id: slugSchema.optional(),
  name: z.string().max(200).optional(),
  when: z.string().min(1).optional(),
  timeout: seconds.optional(),
  retries: retriesSchema.optional(),
  continueOnError: z.boolean().optional(),
  env: envSchema.optional(),
  target: z.literal('local').optional(),
};

const httpRequestSchema = z
  .object({
    url: z.string().min(1),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.string().optional(),
  })
  .strict();

const runStepSchema = z.object({ ...commonStepFields, run: z.string().min(1) }).strict();
const scriptStepSchema = z
  .object({ ...commonStepFields, script: z.string().min(1), interpreter: z.string().min(1).default('/bin/sh') })
  .strict();
const taskStepSchema = z
  .object({ ...commonStepFields, task: slugSchema, with: z.record(z.string(), jsonValueSchema).default({}) })
  .strict();
const sleepStepSchema = z.object({ ...commonStepFields, sleep: z.number().min(0).max(7 * 24 * 3600) }).strict();
const httpStepSchema = z
  .object({ ...commonStepFields, http: z.union([z.string().min(1), httpRequestSchema]) })
  .strict();
const flowStepSchema = z
  .object({
    ...commonStepFields,
    flow: slugSchema,
    /** `own` lets the child select by its own targets; otherwise a JS expression giving elements or ids. */
    elements: z.string().min(1).optional(),
    params: z.record(z.string(), jsonValueSchema).default({}),
  })
  .strict();

/** Waits until an operator approves (the execution goes on) or rejects (the step fails). */
const approvalStepSchema = z.object({ ...commonStepFields, approval: z.string().min(1).max(2000) }).strict();

type RunStep = z.output<typeof runStepSchema>;
type ScriptStep = z.output<typeof scriptStepSchema>;
type TaskStep = z.output<typeof taskStepSchema>;
type SleepStep = z.output<typeof sleepStepSchema>;
type HttpStep = z.output<typeof httpStepSchema>;
type FlowStep = z.output<typeof flowStepSchema>;
type ApprovalStep = z.output<typeof approvalStepSchema>;
export type Step = RunStep | ScriptStep | TaskStep | SleepStep | HttpStep | FlowStep | ApprovalStep;

/** A step after normalisation: its id is always set. */
export type NormalizedStep = Step & { id: string };
export type FlowCallStep = FlowStep & { id: string };

export type ApprovalCallStep = ApprovalStep & { id: string };

export const stepSchemaByKind = {
  run: runStepSchema,
  script: scriptStepSchema,
  task: taskStepSchema,
  sleep: sleepStepSchema,
  http: httpStepSchema,
  flow: flowStepSchema,
  approval: approvalStepSchema,
} as const;

const paramSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an identifier (letters, digits, _)'),
    description: z.string().optional(),
    default: jsonValueSchema.optional(),
    required: z.boolean().default(false),
    secret: z.boolean().default(false),
  })
  .strict();
export type FlowParam = z.output<typeof paramSchema>;

const targetsSchema = z
  .object({
    profile: slugSchema.optional(),
    groups: z.array(slugSchema).optional(),
    /** Explicit element ids. */
    elements: z.array(slugSchema).optional(),
    /** key = value on the effective context; dotted keys reach nested values. */
    filters: z.record(z.string(), jsonValueSchema).optional(),
    /** A JS expression over `element`; elements for which it is truthy are kept. */
    expression: z.string().min(1).optional(),
  })
  .strict();
export type Targets = z.output<typeof targetsSchema>;

const onFailurePolicies = ['stop', 'continue'] as const;

/** Steps are parsed kind by kind (see flows/parse) so errors name the step; here they pass through. */
export const flowDocumentSchema = z
  .object({
    id: slugSchema,
    name: z.string().min(1).max(200),
    description: z.string().max(10_000).default(''),
    mode: z.enum(flowModes).default('serial'),
    targets: targetsSchema.default({}),
    params: z.array(paramSchema).default([]),
    processing: z.string().default(''),
    steps: z.array(z.unknown()).min(1, 'a flow needs at least one step'),
    concurrency: z.number().int().min(1).max(1000).default(20),
    batchSize: z.number().int().min(1).optional(),
    delayBetweenBatches: z.number().min(0).max(24 * 3600).default(0),
    onFailure: z.enum(onFailurePolicies).default('stop'),
    maxFailPercent: z.number().min(0).max(100).default(100),
    failFast: z.boolean().default(false),
    timeout: seconds.optional(),
    /** After the first N elements finished, wait for an operator to approve the rest. */
    canary: z.number().int().min(1).optional(),
    /**
     * A run whose targets (or processing script) leave no element fails at once unless the
     * flow says this: a nightly job must not "succeed" on nothing after a typo in a group name.
     */
    allowEmpty: z.boolean().default(false),
    /**
     * At most this many step starts (commands, HTTP requests; each attempt counts) in any
     * second of the execution, the steps of the child flows it calls included.
     */
    rateLimit: z.number().int().min(1).max(10_000).optional(),
    /**
     * A command whose stdout (JSON, else the trimmed text) becomes `element.facts`: run on every
     * element before the first step, then the processing script orders them again with the facts.
     */
    gather: z.string().min(1).optional(),
    /** With `gather`: gather and order again before each batch, on the elements not yet run. */
    reorderEachBatch: z.boolean().default(false),
  })
  .strict();

export type FlowDocument = Omit<z.output<typeof flowDocumentSchema>, 'steps'> & { steps: NormalizedStep[] };

/** A reusable custom step. */
const taskParamSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an identifier (letters, digits, _)'),
    type: z.enum(['string', 'number', 'boolean']).default('string'),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    required: z.boolean().default(false),
    description: z.string().optional(),
  })
  .strict();

export const taskDocumentSchema = z
  .object({
    id: slugSchema,
    name: z.string().min(1).max(200),
    description: z.string().default(''),
    params: z.array(taskParamSchema).default([]),
    run: z.string().min(1).optional(),
    script: z.string().min(1).optional(),
    interpreter: z.string().min(1).default('/bin/sh'),
    timeout: seconds.optional(),
    retries: retriesSchema.optional(),
  })
  .strict()
  .refine((t) => (t.run === undefined) !== (t.script === undefined), {
    message: 'a task has exactly one body: `run` or `script`',
  });
export type TaskDocument = z.output<typeof taskDocumentSchema>;

