import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { chooseKubeConfig, expandHome, loadKubeConfig, overrideServer } from '../src/kubeconfig.js';

const HOME = '/home/me';
const inPod = { KUBERNETES_SERVICE_HOST: '10.0.0.1' };
const tokenExists = () => true;
const noToken = () => false;

describe('chooseKubeConfig', () => {
  it('should prefer the -kubeconfig flag over everything, expanding ~', () => {
    expect(chooseKubeConfig('~/.kube/config', { ...inPod, KUBECONFIG: '/k' }, tokenExists, HOME)).toEqual({ kind: 'flag', path: '/home/me/.kube/config' });
  });

  it('should use $KUBECONFIG before the in-cluster service account, as client-go does', () => {
    expect(chooseKubeConfig('', { ...inPod, KUBECONFIG: '/k' }, tokenExists, HOME)).toEqual({ kind: 'env', paths: ['/k'] });
  });

  it('should use the in-cluster service account before ~/.kube/config, but only with the token file', () => {
    expect(chooseKubeConfig('', inPod, tokenExists, HOME)).toEqual({ kind: 'in-cluster' });
    expect(chooseKubeConfig('', inPod, noToken, HOME)).toEqual({ kind: 'home', path: '/home/me/.kube/config' });
  });

  it('should keep every non-empty $KUBECONFIG entry in order, then fall back to ~/.kube/config', () => {
    expect(chooseKubeConfig('', { KUBECONFIG: ':/a::~/b' }, noToken, HOME)).toEqual({ kind: 'env', paths: ['/a', '/home/me/b'] });
    expect(chooseKubeConfig('', {}, noToken, HOME)).toEqual({ kind: 'home', path: '/home/me/.kube/config' });
  });

  it('should use -master alone when no kubeconfig exists, and not when ~/.kube/config does', () => {
    expect(chooseKubeConfig('', {}, noToken, HOME, 'https://10.0.0.1:6443')).toEqual({ kind: 'master', server: 'https://10.0.0.1:6443' });
    expect(chooseKubeConfig('', {}, tokenExists, HOME, 'https://10.0.0.1:6443')).toEqual({ kind: 'home', path: '/home/me/.kube/config' });
  });
});

describe('loadKubeConfig', () => {
  const cluster = (name: string, server: string) => ({ name, cluster: { server, 'insecure-skip-tls-verify': true } });
  const file = (content: object): string => {
    const path = join(mkdtempSync(join(tmpdir(), 'l4gw-kubeconfig-')), 'config');
    writeFileSync(path, stringify({ apiVersion: 'v1', kind: 'Config', ...content }));
    return path;
  };

  it('should merge $KUBECONFIG files as client-go does: first definition and first current-context win, missing files skipped', async () => {
    const first = file({
      clusters: [cluster('shared', 'https://first:6443')],
      users: [{ name: 'u', user: { token: 'first' } }],
      contexts: [{ name: 'a', context: { cluster: 'shared', user: 'u' } }],
    });
    const second = file({
      clusters: [cluster('shared', 'https://second:6443'), cluster('other', 'https://other:6443')],
      users: [{ name: 'u', user: { token: 'second' } }],
      contexts: [{ name: 'b', context: { cluster: 'other', user: 'u' } }],
      'current-context': 'b',
    });
    const third = file({ contexts: [], 'current-context': 'a' });
    const config = await loadKubeConfig({ kind: 'env', paths: [first, '/nonexistent/config', second, third] });
    expect(config.getCurrentContext()).toBe('b');
    expect(config.getCurrentCluster()?.server).toBe('https://other:6443');
    expect(config.getCluster('shared')?.server).toBe('https://first:6443');
    expect(config.getUser('u')?.token).toBe('first');
  });

  it('should fail with exit code 3 naming $KUBECONFIG when none of its files exists', async () => {
    await expect(loadKubeConfig({ kind: 'env', paths: ['/nonexistent/a', '/nonexistent/b'] })).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringContaining('/nonexistent/a:/nonexistent/b: no such file (from $KUBECONFIG)'),
    });
  });

  it('should build a credential-less config from -master alone', async () => {
    const config = await loadKubeConfig({ kind: 'master', server: 'https://10.0.0.1:6443' });
    expect(config.getCurrentCluster()).toMatchObject({ server: 'https://10.0.0.1:6443', skipTLSVerify: false });
    expect(config.getCurrentUser()?.token).toBeUndefined();
  });
});

describe('expandHome', () => {
  it('should expand only a leading ~ or ~/', () => {
    expect(expandHome('~', HOME)).toBe(HOME);
    expect(expandHome('~/x', HOME)).toBe('/home/me/x');
    expect(expandHome('/a/~/x', HOME)).toBe('/a/~/x');
    expect(expandHome('~other/x', HOME)).toBe('~other/x');
  });
});

describe('overrideServer', () => {
  it('should point only the current cluster at -master and keep everything else', () => {
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [
        { name: 'a', server: 'https://a:6443', skipTLSVerify: true },
        { name: 'b', server: 'https://b:6443', skipTLSVerify: false },
      ],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'ctx', cluster: 'a', user: 'u' }],
      currentContext: 'ctx',
    });
    overrideServer(config, 'https://127.0.0.1:8443');
    expect(config.getCurrentCluster()).toMatchObject({ name: 'a', server: 'https://127.0.0.1:8443', skipTLSVerify: true });
    expect(config.getCluster('b')?.server).toBe('https://b:6443');
    overrideServer(config, '');
    expect(config.getCurrentCluster()?.server).toBe('https://127.0.0.1:8443');
  });
});
