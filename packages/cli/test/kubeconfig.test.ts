import { describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { chooseKubeConfig, expandHome, overrideServer } from '../src/kubeconfig.js';

const HOME = '/home/me';
const inPod = { KUBERNETES_SERVICE_HOST: '10.0.0.1' };
const tokenExists = () => true;
const noToken = () => false;

describe('chooseKubeConfig', () => {
  it('should prefer the -kubeconfig flag over everything, expanding ~', () => {
    expect(chooseKubeConfig('~/.kube/config', { ...inPod, KUBECONFIG: '/k' }, tokenExists, HOME)).toEqual({ kind: 'flag', path: '/home/me/.kube/config' });
  });

  it('should use the in-cluster service account before $KUBECONFIG (DESIGN.md order)', () => {
    expect(chooseKubeConfig('', { ...inPod, KUBECONFIG: '/k' }, tokenExists, HOME)).toEqual({ kind: 'in-cluster' });
  });

  it('should not assume in-cluster without the token file', () => {
    expect(chooseKubeConfig('', { ...inPod, KUBECONFIG: '/k' }, noToken, HOME)).toEqual({ kind: 'env', path: '/k' });
  });

  it('should take the first non-empty $KUBECONFIG entry, then fall back to ~/.kube/config', () => {
    expect(chooseKubeConfig('', { KUBECONFIG: ':/a:/b' }, noToken, HOME)).toEqual({ kind: 'env', path: '/a' });
    expect(chooseKubeConfig('', {}, noToken, HOME)).toEqual({ kind: 'home', path: '/home/me/.kube/config' });
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
