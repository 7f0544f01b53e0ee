/** How long and how big one evaluation may get before the sandbox ends it. */
export interface SandboxLimits {
  cpuMs: number;
  memoryBytes: number;
}

const MiB = 1024 * 1024;

/** A processing script runs once per run over every element, so it gets room to work. */
export const defaultProcessingLimits: SandboxLimits = { cpuMs: 1000, memoryBytes: 64 * MiB };

/** `when`, `elements:` and `{{ }}` run per step per element: tight, so a bad one fails fast. */
export const defaultExpressionLimits: SandboxLimits = { cpuMs: 250, memoryBytes: 16 * MiB };

export function describeBytes(bytes: number): string {
  return bytes >= MiB ? `${Math.round((bytes / MiB) * 10) / 10} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
