import { z } from 'zod';
import { elementSchema, groupSchema, jsonValueSchema, profileSchema, slugSchema, type InventoryDocument, type ResolvedElement } from '../domain/inventory';
import { scheduleInputSchema, scheduleWhenSchema, type ScheduleView } from '../domain/schedule';
import type { FlowDocument, TaskDocument } from '../domain/flow';
import {
  executionStatuses,
  type ApprovalView,
  type BatchOrderView,
  type ExecutionReport,
  type ExecutionStatus,
  type ExecutionSummary,
  type LogStream,
  type StepRunRecord,
} from '../domain/execution';
import type { CredentialInfo } from '../domain/credential';
import { triggerIdSchema, triggerInputSchema, type TriggerCreated, type TriggerView } from '../domain/triggers';
import { webhookInputSchema, type WebhookView } from '../domain/webhooks';
import type { SerializedError } from '../errors';

/**
 * The one contract between the renderer and main: every request channel
 * with its schema (validated in main before any handler runs) and its response type, and
 * every event main pushes. Electron IPC, the headless console's WebSocket and in-process
 * test calls are thin adapters around one dispatcher built from this.
 */

const params = z.record(z.string(), jsonValueSchema);
const shellSessionId = z.string().min(1).max(100);
/** A terminal's size in character cells. */
const terminalCols = z.number().int().min(1).max(1000);
const terminalRows = z.number().int().min(1).max(1000);

export const requestSchemas = {
  'inventory/list': z.object({}).strict(),
  'inventory/import': z.object({ fileName: z.string().min(1).max(500), text: z.string().max(10_000_000) }).strict(),
  'inventory/saveElement': z.object({ element: elementSchema }).strict(),
  'inventory/deleteElement': z.object({ id: slugSchema }).strict(),
  'inventory/saveGroup': z.object({ group: groupSchema }).strict(),
  'inventory/deleteGroup': z.object({ name: slugSchema }).strict(),
  'inventory/saveProfile': z.object({ profile: profileSchema }).strict(),
  'inventory/deleteProfile': z.object({ id: slugSchema }).strict(),
  'flows/list': z.object({}).strict(),
  'flows/get': z.object({ id: slugSchema, version: z.number().int().positive().optional() }).strict(),
  /** Parses and checks YAML without saving: errors come with line and column. */
  'flows/validate': z.object({ source: z.string().max(1_000_000) }).strict(),
  'flows/save': z.object({ source: z.string().max(1_000_000) }).strict(),
  /** The processing script's result on the flow's targets, for the editor's live preview. */
  'flows/preview': z
    .object({ source: z.string().max(1_000_000), params: params.optional(), elements: z.array(slugSchema).optional() })
    .strict(),
  'tasks/list': z.object({}).strict(),
  'runs/plan': z.object({ flow: slugSchema, params: params.optional(), elements: z.array(slugSchema).optional() }).strict(),
  'runs/start': z
    .object({
      flow: slugSchema,
      params: params.optional(),
      elements: z.array(slugSchema).optional(),
      labels: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
    })
    .strict(),
  'executions/list': z
    .object({
      flow: slugSchema.optional(),
      status: z.enum(executionStatuses).optional(),
      element: slugSchema.optional(),
      label: z.object({ key: z.string().min(1), value: z.string().optional() }).strict().optional(),
      since: z.number().int().optional(),
      until: z.number().int().optional(),
      limit: z.number().int().min(1).max(1000).optional(),
      /** Executions older (smaller id) than this one: the next page. */
      before: z.number().int().positive().optional(),
      /** Executions started from this one (its retries). */
      origin: z.number().int().positive().optional(),
    })
    .strict(),
  'executions/get': z.object({ id: z.number().int().positive() }).strict(),
  'executions/cancel': z.object({ id: z.number().int().positive(), reason: z.string().max(500).optional() }).strict(),
  /** No new step run starts; running ones finish. Works on an execution any process runs. */
  'executions/pause': z.object({ id: z.number().int().positive() }).strict(),
  /** Lifts a pause; on a failed, cancelled or interrupted execution, continues it from the failed step. */
  'executions/resume': z.object({ id: z.number().int().positive() }).strict(),
  /** A new execution on the failed and not-run elements, linked to this one. */
  'executions/retry': z.object({ id: z.number().int().positive() }).strict(),
  'executions/approve': z
    .object({ id: z.number().int().positive(), decision: z.enum(['approve', 'reject']).default('approve'), comment: z.string().max(1000).optional() })
    .strict(),
  /** A page of one step run's log, oldest first, after the chunk id given. */
  'executions/log': z
    .object({ stepRunId: z.number().int().positive(), after: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(10_000).default(2000) })
    .strict(),
  /**
   * Output grouping: the last attempt of one step on every element, elements with
   * byte-identical output (of the chosen stream(s), in log order) grouped together.
   */
  'executions/outputGroups': z
    .object({ id: z.number().int().positive(), step: z.string().min(1).max(1000), stream: z.enum(['stdout', 'stderr', 'both']).default('stdout') })
    .strict(),
  'credentials/list': z.object({}).strict(),
  /** Secrets go one way: the renderer can write them, never read them back. */
  'credentials/save': z
    .object({
      id: slugSchema,
      name: z.string().min(1).max(200),
      kind: z.enum(['key', 'password', 'agent']),
      username: z.string().min(1).max(64).optional(),
      privateKey: z.string().max(100_000).optional(),
      passphrase: z.string().max(1000).optional(),
      password: z.string().max(1000).optional(),
    })
    .strict(),
  'credentials/delete': z.object({ id: slugSchema }).strict(),
  /**
   * A terminal on an element: its login shell on a pseudo-terminal over the same SSH connection a
   * run makes (a local element's: on this machine). The session belongs to the window that opened
   * it: only that window gets its `shell/output` and may type into it, and it ends when that
   * window goes away.
   */
  'shell/open': z.object({ element: slugSchema, cols: terminalCols, rows: terminalRows }).strict(),
  /** Keystrokes and pastes for the session. */
  'shell/input': z.object({ sessionId: shellSessionId, data: z.string().min(1).max(1_000_000) }).strict(),
  'shell/resize': z.object({ sessionId: shellSessionId, cols: terminalCols, rows: terminalRows }).strict(),
  /** The window's terminal has drawn this many more characters of the session's output (flow control). */
  'shell/ack': z.object({ sessionId: shellSessionId, chars: z.number().int().min(1).max(1_000_000_000) }).strict(),
  /** Ends the session: the remote shell's channel and connection, or the local shell's process group. */
  'shell/close': z.object({ sessionId: shellSessionId }).strict(),
  'schedules/list': z.object({ flow: slugSchema.optional() }).strict(),
  /** Creates (no id) or replaces a schedule; the scheduler picks it up at once. */
  'schedules/save': z.object({ id: z.number().int().positive().optional(), schedule: scheduleInputSchema }).strict(),
  'schedules/delete': z.object({ id: z.number().int().positive() }).strict(),
  /**
   * The form's live preview: the schedule in words and its next runs, nothing saved. With a
   * flow, also whether a run of it would start now (a flow whose targets match nothing would fail).
   */
  'schedules/preview': z
    .object({
      when: scheduleWhenSchema,
      timezone: z.string().min(1).max(100),
      count: z.number().int().min(1).max(50).default(5),
      flow: slugSchema.optional(),
      params: params.optional(),
    })
    .strict(),
  'settings/get': z.object({}).strict(),
  'settings/save': z
    .object({
      /** Executions (and their logs) older than this many days are removed; null keeps everything. */
      retentionDays: z.number().int().min(1).max(3650).nullable().optional(),
      maxConcurrentExecutions: z.number().int().min(1).max(1000).optional(),
      /** How many executions may wait for a slot; null: no limit. */
      maxQueuedExecutions: z.number().int().min(0).max(100_000).nullable().optional(),
    })
    .strict(),
  'knownHosts/list': z.object({}).strict(),
  'knownHosts/remove': z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535) }).strict(),
  /** The operator's answer to a `hostKey/question` event. */
  'hostKey/answer': z.object({ id: z.string().min(1), trust: z.boolean() }).strict(),
  /** The runners Redis knows of (FLOWDECK_REDIS_URL), by zone, with when each was last heard from. */
  'runners/list': z.object({}).strict(),
  /** HTTP triggers, never with their tokens. */
  'triggers/list': z.object({}).strict(),
  /** Answers the new trigger's token, this once: only its SHA-256 is kept. */
  'triggers/add': triggerInputSchema,
  'triggers/delete': z.object({ id: triggerIdSchema }).strict(),
  /** Webhooks with their last delivery, never with their secrets. */
  'webhooks/list': z.object({}).strict(),
  /** The secret, if any, goes one way: stored encrypted, never read back. */
  'webhooks/add': webhookInputSchema,
  'webhooks/delete': z.object({ id: z.number().int().positive() }).strict(),
} as const;

export type Channel = keyof typeof requestSchemas;
export type RequestOf<C extends Channel> = z.input<(typeof requestSchemas)[C]>;
export type ParsedRequestOf<C extends Channel> = z.output<(typeof requestSchemas)[C]>;

export interface FlowListItem {
  id: string;
  name: string;
  version: number;
  mode: string;
  steps: number;
  updatedAt: number;
}

export interface ProblemAt {
  message: string;
  line?: number;
  column?: number;
}

export interface PlanView {
  flow: string;
  version: number;
  mode: string;
  elements: string[];
  waves: Array<Array<{ element: string; step: string; kind: string; when?: string }>>;
  notes: string[];
}

export interface KnownHostView {
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  addedAt: number;
}

export interface SettingsView {
  retentionDays: number | null;
  maxConcurrentExecutions: number;
  /** Executions that may wait in the queue at once; null: no limit. One more is refused at once. */
  maxQueuedExecutions: number | null;
}

interface RunnerView {
  name: string;
  host: string;
  /** The Flowdeck version the runner runs. */
  version: string;
  /** Commands running on it now, and at most at once. */
  running: number;
  concurrency: number;
  /** `draining`: stopping, finishing what it runs and taking nothing new. */
  state: 'running' | 'draining';
  /** When it was last heard from (epoch ms, Redis's clock), and how long ago that was when asked. */
  lastSeen: number;
  seenAgoMs: number;
  /** Heard from within the last 30 s: steps of its zone may go to it. */
  alive: boolean;
}

export interface RunnersView {
  /** Null when no Redis is configured (no runners: every element runs in this process). */
  redis: { url: string; reachable: boolean; error?: string } | null;
  /** Zones by name; each zone's runners by name. */
  zones: Array<{ zone: string; alive: number; runners: RunnerView[] }>;
}

interface LogPage {
  chunks: Array<{ id: number; stream: LogStream; ts: number; data: string }>;
  /** Pass as `after` for the next page; equal to the request's when nothing new came. */
  last: number;
  done: boolean;
}

/** A group's sample is at most this many bytes of its output: enough to read, small enough to send. */
export const OUTPUT_SAMPLE_BYTES = 64 * 1024;

/** Elements whose output of one step was byte-identical. */
export interface OutputGroup {
  /** sha256 (hex) of the output: the same key is the same output, in this and any other answer. */
  key: string;
  /** In the execution's element order. */
  elements: string[];
  /** How many elements: `elements.length`. */
  size: number;
  /** The output's length in bytes (UTF-8). */
  bytes: number;
  /** The first OUTPUT_SAMPLE_BYTES (64 KiB) of the output, cut at a character boundary. */
  sample: string;
  /** The output is longer than the sample. */
  truncated: boolean;
}

export interface OutputGroups {
  step: string;
  /** Largest first; equal sizes in the order of their first element. */
  groups: OutputGroup[];
  /** Elements of the execution with no run of the step (never reached, or skipped). */
  missing: string[];
}

/** Response type per channel. */
export interface Responses {
  'inventory/list': { elements: ResolvedElement[]; document: InventoryDocument };
  'inventory/import': { added: string[]; updated: string[]; unchanged: string[] };
  'inventory/saveElement': { id: string };
  'inventory/deleteElement': { deleted: boolean };
  'inventory/saveGroup': { name: string };
  'inventory/deleteGroup': { deleted: boolean };
  'inventory/saveProfile': { id: string };
  'inventory/deleteProfile': { deleted: boolean };
  'flows/list': FlowListItem[];
  'flows/get': { document: FlowDocument; source: string; version: number };
  'flows/validate': { ok: true; flows: string[]; tasks: string[] } | { ok: false; problem: ProblemAt };
  'flows/save': { flows: Array<{ id: string; version: number; changed: boolean }>; tasks: string[] };
  'flows/preview': { ok: true; elements: Array<{ id: string; name: string; host: string; groups: string[] }> } | { ok: false; problem: ProblemAt };
  'tasks/list': TaskDocument[];
  'runs/plan': PlanView;
  'runs/start': { id: number };
  'executions/list': ExecutionSummary[];
  'executions/get': ExecutionReport & { summary: ExecutionSummary; stepRuns: StepRunRecord[]; approvals: ApprovalView[]; batchOrders: BatchOrderView[] };
  'executions/cancel': { status: ExecutionStatus };
  'executions/pause': { status: ExecutionStatus };
  'executions/resume': { status: ExecutionStatus };
  'executions/retry': { id: number };
  'executions/approve': ApprovalView;
  'schedules/list': ScheduleView[];
  'schedules/save': ScheduleView;
  'schedules/delete': { deleted: boolean };
  'schedules/preview': { ok: true; description: string; cron: string; nextRuns: number[]; warning?: string } | { ok: false; problem: ProblemAt };
  'settings/get': SettingsView;
  'settings/save': SettingsView;
  'executions/log': LogPage;
  'executions/outputGroups': OutputGroups;
  'credentials/list': CredentialInfo[];
  'credentials/save': CredentialInfo;
  'credentials/delete': { deleted: boolean };
  'shell/open': { sessionId: string };
  'shell/input': Record<string, never>;
  'shell/resize': Record<string, never>;
  'shell/ack': Record<string, never>;
  'shell/close': { closed: boolean };
  'knownHosts/list': KnownHostView[];
  'knownHosts/remove': { removed: number };
  'hostKey/answer': { accepted: boolean };
  'runners/list': RunnersView;
  'triggers/list': TriggerView[];
  'triggers/add': TriggerCreated;
  'triggers/delete': { deleted: boolean };
  'webhooks/list': WebhookView[];
  'webhooks/add': WebhookView;
  'webhooks/delete': { deleted: boolean };
}

export type Handlers = { [C in Channel]: (req: ParsedRequestOf<C>) => Promise<Responses[C]> };

export type Result<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

/** Events main pushes; live updates are batched (at most a few per second per execution). */
export interface Events {
  'execution/changed': ExecutionSummary;
  'stepRuns/changed': { executionId: number; runs: StepRunRecord[] };
  'log/appended': { executionId: number; stepRunId: number; chunks: Array<{ stream: LogStream; ts: number; data: string }> };
  'hostKey/question': { id: string; element: string; host: string; port: number; keyType: string; fingerprint: string };
  /** The question was answered (here or in another window) or given up: close its dialog. */
  'hostKey/settled': { id: string };
  /** A shell session's output, sent at once (not batched) to the window that opened it only; answered with `shell/ack`. */
  'shell/output': { sessionId: string; data: string };
  /** The session ended: the shell's exit status, the signal that killed it, or why it was lost. */
  'shell/exit': { sessionId: string; code: number | null; signal: string | null; message?: string };
  'approval/changed': ApprovalView;
  /** For a desktop notification (a notice in the page in the headless console). */
  'notice': { kind: 'finished' | 'approval'; executionId: number; flow: string; status: ExecutionStatus; message: string };
  'schedules/changed': { ids: number[] };
  /** A flow with `gather` decided the order of another batch: `executions/get` has it. */
  'batchOrders/changed': { executionId: number };
}
export type EventName = keyof Events;

/** What the preload (Electron) and the WebSocket shim (headless console) both expose as `window.flowdeck`. */
export interface FlowdeckBridge {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<Responses[C]>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}
