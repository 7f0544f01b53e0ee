// The inventory module: readers for the formats Flowdeck imports, the Flowdeck YAML writer,
// re-import merging and the effective (resolved) element.
export { parseFlowdeckInventoryYaml, serializeFlowdeckInventoryYaml } from './flowdeck-yaml';
export { parseInventorySource, type InventoryFormat } from './detect';
export { resolveElements } from './resolve';
export { readInputFile } from './input-limits';
export { describeZodIssue, formatYamlPath, type YamlPath } from './yaml-errors';
