// Names in Redis shared by the owner (src-main/transport/runner) and the runner
// (src-main/runner). Zone and runner names are slugs (letters, digits, `.`, `_`, `@`, `-`), so
// `/` and `:` never occur inside one and every name below reads back unambiguously.

/** BullMQ's key prefix and the prefix of Flowdeck's own keys. */
export const PREFIX = 'flowdeck';

/** The queue every runner of the zone takes steps from: an element's first step in an execution. */
export const zoneQueue = (zone: string): string => `zone/${zone}`;
/** The queue only runner `name` takes from: later steps of the elements whose connection it holds. */
export const runnerQueue = (zone: string, name: string): string => `runner/${zone}/${name}`;

/** Sorted set: runner name -> when it was last seen (Redis server time, ms). */
export const zoneRunnersKey = (zone: string): string => `${PREFIX}:runners:${zone}`;
/** Hash: what a runner says about itself (host, version, jobs running...). */
export const runnerInfoKey = (zone: string, name: string): string => `${PREFIX}:runner:${zone}:${name}`;
/** Set of zones any runner ever announced, for the console's list. */
export const ZONES_KEY = `${PREFIX}:zones`;
/** Exists while the owner process lives (it renews it); a runner stops the commands of a gone owner. */
export const ownerKey = (owner: string): string => `${PREFIX}:owner:${owner}`;
/** The Redis Stream a step's output, start and end travel back on. */
export const outputKey = (jobId: string): string => `${PREFIX}:out:${jobId}`;
/** Set when a step is cancelled, for a runner that takes the job after the cancel was published. */
export const cancelKey = (jobId: string): string => `${PREFIX}:cancel:${jobId}`;
/** Pub/sub channel of a zone's runners: `cancel JOB` and `close CONNECTION`. */
export const controlChannel = (zone: string): string => `${PREFIX}:control:${zone}`;

/** How often a runner says it is alive. */
export const HEARTBEAT_MS = 2000;
/** A zone with no runner seen for this long has none: its steps fail at once. */
export const ALIVE_WINDOW_MS = 30_000;
/** A runner holding a step and silent this long is lost: the step fails (a retry may run elsewhere). */
export const LOST_AFTER_MS = 10_000;
/** The owner renews its key this often, and a runner gives up on the owner's commands once it expired. */
export const OWNER_RENEW_MS = 5000;
export const OWNER_TTL_MS = 15_000;
/** BullMQ's job lock and stalled check on the runners: a dead runner's jobs fail within about 15 s. */
export const LOCK_DURATION_MS = 10_000;
export const STALLED_INTERVAL_MS = 5000;
/** Output streams and cancel marks left behind by a crash expire on their own. */
export const LEFTOVER_TTL_MS = 3_600_000;
