// The inventory module: readers for the formats Flowdeck imports, the Flowdeck YAML writer,
// re-import merging and the effective (resolved) element.
export { parseAnsibleIni } from './ansible-ini';
export { parseAnsibleYaml } from './ansible-yaml';
export { parseSshConfig, type SshConfigOptions } from './ssh-config';
export { parseFlowdeckInventoryYaml, serializeFlowdeckInventoryYaml } from './flowdeck-yaml';
export { detectInventoryFormat, parseInventory, parseInventorySource, inventoryFormats, type InventoryFormat, type InventorySource } from './detect';
export { resolveElement, resolveElements, expandGroups } from './resolve';
export { checkInventoryReferences } from './references';
export { checkTextSize, checkYamlDocument, checkYamlText, readInputFile } from './input-limits';
export { planImport, type ImportPlan, type ImportSnapshot, type NamedLayer, type HandEdit } from './merge';
export type { SourceLayer } from './source-layer';
export {
  zodIssueToError,
  firstZodIssueError,
  describeZodIssue,
  formatYamlPath,
  yamlPathLocation,
  yamlNodeAt,
  yamlSyntaxError,
  type YamlPath,
  type YamlDocumentLike,
} from './yaml-errors';
