// GW8: a generated object carries its Gateway's `spec.infrastructure` labels and annotations.
// Plan compares generated metadata as a subset (others may add labels of their own), so a key
// removed from the Gateway would otherwise stay on the object forever. Each generated object
// therefore records which infrastructure keys l4gw put on it, in one annotation; plan sees the
// record change and the update leaves out the keys l4gw no longer wants (server-side apply then
// removes them, since l4gw owned them).

import { ANNOTATION_INFRASTRUCTURE_KEYS } from './labels.js';

/** The label and annotation keys an infrastructure record lists. */
export interface InfrastructureKeys {
  readonly labels: readonly string[];
  readonly annotations: readonly string[];
}

/**
 * The annotations for a generated object: the infrastructure annotations plus the record, or
 * nothing when the Gateway has neither infrastructure labels nor annotations.
 */
export function withInfrastructureRecord(
  labels: Readonly<Record<string, string>>,
  annotations: Readonly<Record<string, string>>,
): Record<string, string> {
  const labelKeys = Object.keys(labels).sort();
  const annotationKeys = Object.keys(annotations).sort();
  if (labelKeys.length === 0 && annotationKeys.length === 0) return {};
  const record: InfrastructureKeys = { labels: labelKeys, annotations: annotationKeys };
  return { ...annotations, [ANNOTATION_INFRASTRUCTURE_KEYS]: JSON.stringify(record) };
}

/**
 * The keys an observed object's record lists; none when it has no record or the record is not
 * one l4gw wrote (edited by hand, say): then nothing is removed, which is the safe side.
 */
export function recordedInfrastructureKeys(annotations: Readonly<Record<string, unknown>> | undefined): InfrastructureKeys {
  const value = annotations?.[ANNOTATION_INFRASTRUCTURE_KEYS];
  if (typeof value !== 'string') return NO_KEYS;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null) return NO_KEYS;
    const { labels, annotations: annotationKeys } = parsed as Record<string, unknown>;
    return { labels: stringsIn(labels), annotations: stringsIn(annotationKeys) };
  } catch {
    return NO_KEYS;
  }
}

const NO_KEYS: InfrastructureKeys = Object.freeze({ labels: [], annotations: [] });

function stringsIn(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
