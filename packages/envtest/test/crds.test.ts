import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crdDirectories, loadCrds } from '../src/index.js';

describe('loadCrds', () => {
  it('should load only CustomResourceDefinitions, one per CRD file of the v1.6 experimental channel', async () => {
    const directories = await crdDirectories('v1.6-experimental');
    const files = directories.flatMap((d) => readdirSync(d));
    // The channel also ships kustomization.yaml and a ValidatingAdmissionPolicy; neither is a CRD.
    expect(files).toContain('kustomization.yaml');
    const crdFiles = files.filter((f) => f.startsWith('gateway.networking') && !f.includes('_vap_'));
    const crds = await loadCrds(directories);
    expect(crds.map((c) => c.kind)).toEqual(crds.map(() => 'CustomResourceDefinition'));
    expect(crds).toHaveLength(crdFiles.length);
    expect(crds.map((c) => c.metadata?.name)).toContain('tcproutes.gateway.networking.k8s.io');
  });

  it('should keep the CEL rules, which a typed client would drop from a plain YAML parse', async () => {
    const crds = await loadCrds(await crdDirectories('v1.6-experimental'));
    const gateways = crds.find((c) => c.metadata?.name === 'gateways.gateway.networking.k8s.io');
    const v1 = gateways?.spec.versions.find((v) => v.name === 'v1');
    const listeners = v1?.schema?.openAPIV3Schema?.properties?.spec?.properties?.listeners;
    const rules = (listeners?.x_kubernetes_validations ?? []).map((r) => r.message);
    expect(rules).toContain("hostname must not be specified for protocols ['TCP', 'UDP']");
  });

  it('should return nothing for the empty set', async () => {
    expect(await loadCrds(await crdDirectories('none'))).toEqual([]);
  });
});
