import { z } from 'zod';
import { hostKeyPolicies, transportKinds, type ResolvedElement } from '../../../src-shared/domain/inventory';

/**
 * What a runner needs to reach an element: where, as whom, through which jump hosts, which
 * host-key policy, and the NAME of a credential (its secret lives in the runner's own database).
 * Groups, context and facts stay with the owner: the runner has no use for them.
 */
const wireElementSchema = z
  .object({
    id: z.string().min(1).max(300),
    name: z.string().min(1).max(300),
    host: z.string().min(1).max(255),
    port: z.number().int().min(1).max(65535),
    user: z.string().min(1).max(64).optional(),
    transport: z.enum(transportKinds),
    credential: z.string().min(1).max(200).optional(),
    jump: z.string().min(1).max(2000).optional(),
    identityFile: z.string().min(1).max(4096).optional(),
    hostKeyPolicy: z.enum(hostKeyPolicies),
  })
  .strict();
export type WireElement = z.infer<typeof wireElementSchema>;

/** One step's command for a runner: the BullMQ job's data. */
export const stepJobSchema = z
  .object({
    v: z.literal(1),
    /** The owning process, whose liveness key the runner watches. */
    owner: z.string().min(1).max(200),
    /** The owner's connection: steps with the same one share the runner's connection to the element. */
    conn: z.string().min(1).max(100),
    element: wireElementSchema,
    /** Jump hosts the element names by element id, resolved by the owner, keyed by that id. */
    jumps: z.record(z.string(), wireElementSchema),
    command: z.string(),
    stdin: z.string().optional(),
    env: z.record(z.string(), z.string()),
  })
  .strict();
export type StepJob = z.infer<typeof stepJobSchema>;

export function toWireElement(e: ResolvedElement): WireElement {
  const w: WireElement = { id: e.id, name: e.name, host: e.host, port: e.port, transport: e.transport, hostKeyPolicy: e.hostKeyPolicy };
  if (e.user !== undefined) w.user = e.user;
  if (e.credential !== undefined) w.credential = e.credential;
  if (e.jump !== undefined) w.jump = e.jump;
  if (e.identityFile !== undefined) w.identityFile = e.identityFile;
  return w;
}

export function fromWireElement(w: WireElement): ResolvedElement {
  return { ...w, groups: [], context: {}, enabled: true };
}

/** The jump hosts an element names by element id (`jump: bastion`, or a chain `a,b`), as the owner resolved them. */
export function jumpElements(element: ResolvedElement, known: ReadonlyMap<string, ResolvedElement> | undefined): Record<string, WireElement> {
  const out: Record<string, WireElement> = {};
  if (!element.jump || !known) return out;
  for (const spec of element.jump.split(',').map((s) => s.trim())) {
    const hop = known.get(spec);
    if (hop) out[spec] = toWireElement(hop);
  }
  return out;
}

/**
 * What travels back on a step's output stream, in order: `start` (a runner took it), output
 * chunks, then exactly one of `exit`, `fail` (the runner could not run it: unreachable host,
 * authentication, host key...) or `back` (the runner is stopping and hands it back unstarted).
 */
export type StreamEntry =
  | { kind: 'start'; runner: string; host: string }
  | { kind: 'output'; stream: 'stdout' | 'stderr'; data: Buffer }
  | { kind: 'exit'; exitCode: number | null; signal: string | null }
  | { kind: 'fail'; cause: FailCause; message: string }
  | { kind: 'back'; reason: string };

const failCauses = ['unreachable', 'timeout', 'auth', 'host-key', 'protocol', 'unavailable'] as const;
export type FailCause = (typeof failCauses)[number];

/** Field/value pairs for XADD. */
export function encodeEntry(e: StreamEntry): Array<string | Buffer> {
  switch (e.kind) {
    case 'start':
      return ['k', 's', 'runner', e.runner, 'host', e.host];
    case 'output':
      return ['k', e.stream === 'stdout' ? 'o' : 'e', 'd', e.data];
    case 'exit':
      return ['k', 'x', 'code', e.exitCode === null ? '' : String(e.exitCode), 'sig', e.signal ?? ''];
    case 'fail':
      return ['k', 'f', 'cause', e.cause, 'msg', e.message];
    case 'back':
      return ['k', 'b', 'msg', e.reason];
  }
}

/** An XREAD entry's fields back into an entry; undefined for one this version does not know. */
export function decodeEntry(fields: readonly Buffer[]): StreamEntry | undefined {
  const f = new Map<string, Buffer>();
  for (let i = 0; i + 1 < fields.length; i += 2) f.set((fields[i] as Buffer).toString('latin1'), fields[i + 1] as Buffer);
  const text = (k: string): string => f.get(k)?.toString('utf8') ?? '';
  switch (text('k')) {
    case 's':
      return { kind: 'start', runner: text('runner'), host: text('host') };
    case 'o':
      return { kind: 'output', stream: 'stdout', data: f.get('d') ?? Buffer.alloc(0) };
    case 'e':
      return { kind: 'output', stream: 'stderr', data: f.get('d') ?? Buffer.alloc(0) };
    case 'x': {
      const code = text('code');
      return { kind: 'exit', exitCode: code === '' ? null : Number(code), signal: text('sig') || null };
    }
    case 'f': {
      const cause = text('cause');
      return { kind: 'fail', cause: (failCauses as readonly string[]).includes(cause) ? (cause as FailCause) : 'protocol', message: text('msg') };
    }
    case 'b':
      return { kind: 'back', reason: text('msg') };
    default:
      return undefined;
  }
}
