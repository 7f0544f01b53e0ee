export { loadSandbox, type Sandbox } from './sandbox';
export { hasTemplate } from './template-syntax';
export type { TemplateTarget } from './template-plan';
