import { describe, expect, it } from 'vitest';
import { chooseKubeConfig, expandHome } from '../src/kubeconfig.js';

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
