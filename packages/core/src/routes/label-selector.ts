import type { LabelSelector } from '../model/parsed.js';

/**
 * `metav1.LabelSelector` semantics: every matchLabels pair and every expression must hold. An
 * expression with an unknown operator matches nothing, so a typo narrows access rather than
 * widening it (R5).
 */
export function matchesSelector(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    if (!Object.hasOwn(labels, key) || labels[key] !== value) return false;
  }
  for (const e of selector.matchExpressions) {
    const has = Object.hasOwn(labels, e.key);
    const value = has ? labels[e.key] : undefined;
    switch (e.operator) {
      case 'In':
        if (value === undefined || !e.values.includes(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && e.values.includes(value)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
