import { describe, expect, it } from 'vitest';
import * as inventory from './index';
import { detectInventoryFormat, parseInventory } from './detect';
import { expectError, fixture } from './test-support';

describe('detectInventoryFormat', () => {
  it('recognises the fixtures', () => {
    expect(detectInventoryFormat(fixture('hosts.ini'), 'hosts')).toBe('ansible-ini');
    expect(detectInventoryFormat(fixture('hosts.yaml'), 'hosts')).toBe('ansible-yaml');
    expect(detectInventoryFormat(fixture('ssh_config'), 'config')).toBe('ssh-config');
    expect(detectInventoryFormat('elements:\n  - { id: a, name: a, host: a }\n', 'inv')).toBe('flowdeck-yaml');
    expect(detectInventoryFormat('profiles: []\n', 'inv')).toBe('flowdeck-yaml');
  });

  it('recognises Ansible YAML without all:, and INI hosts named host', () => {
    expect(detectInventoryFormat('web:\n  hosts:\n    w1:\n', 'inv')).toBe('ansible-yaml');
    expect(detectInventoryFormat('[web]\nhost ansible_host=10.0.0.1\n', 'inv')).toBe('ansible-ini');
    expect(detectInventoryFormat('web1\nweb2\n', 'inv')).toBe('ansible-ini');
    expect(detectInventoryFormat('Host=a\n  Port=22\n', 'inv')).toBe('ssh-config');
  });

  it('keeps a broken YAML file in the YAML readers so the YAML error is shown', () => {
    expect(detectInventoryFormat('elements:\n  - id: a\n   name: b\n', 'inv')).toBe('flowdeck-yaml');
    expect(detectInventoryFormat('all:\n  hosts: {\n', 'inv')).toBe('ansible-yaml');
    expect(detectInventoryFormat('web:\n  hosts: [\n', 'inv.yml')).toBe('ansible-yaml');
    expectError(() => parseInventory('elements:\n  - id: a\n   name: b\n', 'inv.yaml'), 'invalid-yaml', { file: 'inv.yaml', line: 3, column: 1 });
  });
});

describe('parseInventory', () => {
  it('dispatches on the detected or the given format', () => {
    expect(parseInventory(fixture('hosts.ini'), 'hosts.ini').elements).toHaveLength(10);
    expect(parseInventory(fixture('ssh_config'), 'config', undefined, { home: '/h' }).elements[0]?.identityFile).toBe('/h/.ssh/id_ed25519');
    // Forced: a one-line file that would be read as INI.
    expect(parseInventory('Host a\n', 'x', 'ssh-config').elements.map((e) => e.id)).toEqual(['a']);
  });

  it('the module index exports what the rest of the app imports from it', () => {
    for (const name of [
      'parseFlowdeckInventoryYaml',
      'serializeFlowdeckInventoryYaml',
      'parseInventorySource',
      'resolveElements',
      'readInputFile',
      'describeZodIssue',
      'formatYamlPath',
    ]) {
      expect(typeof (inventory as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
