import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBinary, MissingBinaryError } from '../src/index.js';

describe('findBinary', () => {
  const assets = mkdtempSync(join(tmpdir(), 'l4gw-envtest-assets-'));
  const fakeEtcd = join(assets, 'etcd');
  writeFileSync(fakeEtcd, '#!/bin/sh\n');
  chmodSync(fakeEtcd, 0o755);
  const override = join(assets, 'my-etcd');
  writeFileSync(override, '#!/bin/sh\n');
  chmodSync(override, 0o755);
  afterAll(() => rmSync(assets, { recursive: true, force: true }));

  it('should find a binary in KUBEBUILDER_ASSETS', () => {
    expect(findBinary('etcd', { KUBEBUILDER_ASSETS: assets })).toBe(fakeEtcd);
  });

  it('should prefer the TEST_ASSET_ override to KUBEBUILDER_ASSETS', () => {
    expect(findBinary('etcd', { KUBEBUILDER_ASSETS: assets, TEST_ASSET_ETCD: override })).toBe(override);
  });

  it('should explain how to build the binaries when nothing is configured', () => {
    expect(() => findBinary('kube-apiserver', {})).toThrow(MissingBinaryError);
    expect(() => findBinary('kube-apiserver', {})).toThrow(/tools\/envtest\/build\.sh --print-env/);
    expect(() => findBinary('kube-apiserver', {})).toThrow(/KUBEBUILDER_ASSETS/);
  });

  it('should name the directory when KUBEBUILDER_ASSETS lacks the binary', () => {
    expect(() => findBinary('kube-apiserver', { KUBEBUILDER_ASSETS: assets })).toThrow(
      new RegExp(`KUBEBUILDER_ASSETS=${assets} has no executable kube-apiserver`),
    );
  });

  it('should reject a TEST_ASSET_ override that is not executable', () => {
    expect(() => findBinary('kube-apiserver', { TEST_ASSET_KUBE_APISERVER: join(assets, 'missing') })).toThrow(/is not an executable file/);
  });
});
