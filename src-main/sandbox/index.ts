export { defaultExpressionLimits, defaultProcessingLimits, type SandboxLimits } from './limits';
export { createSandbox, loadSandbox, type Sandbox } from './sandbox';
export { hasTemplate } from './template-syntax';
export type { TemplateKind, TemplateTarget } from './template-plan';
