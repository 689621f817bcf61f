import type { KubeObject } from '@l4gw/core';
import { stringify } from 'yaml';

/** A List as YAML or JSON text (with a final newline). */
export function formatList(objects: readonly KubeObject[], format: 'yaml' | 'json'): string {
  const list = { apiVersion: 'v1', kind: 'List', items: objects };
  if (format === 'json') return `${JSON.stringify(list, null, 2)}\n`;
  // lineWidth 0: never fold long strings (condition messages), so diffs stay one line per field.
  return stringify(list, { lineWidth: 0, aliasDuplicateObjects: false });
}
