// Which kind a step is, told from its shape. Apart from the flow schemas, so the engine can
// ask it without loading the schema library.
import type { ApprovalCallStep, FlowCallStep, NormalizedStep, Step, StepKind } from './flow';

export function isFlowCall(step: NormalizedStep): step is FlowCallStep {
  return 'flow' in step;
}

export function isApproval(step: NormalizedStep): step is ApprovalCallStep {
  return 'approval' in step;
}

export function stepKindOf(step: Step): StepKind {
  if ('run' in step) return 'run';
  if ('script' in step) return 'script';
  if ('task' in step) return 'task';
  if ('sleep' in step) return 'sleep';
  if ('http' in step) return 'http';
  if ('approval' in step) return 'approval';
  return 'flow';
}
