import { CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig, type V1Service } from '@kubernetes/client-node';

/** The annotation kube-vip's services mode reads the requested address(es) from. */
const KUBE_VIP_ADDRESSES = 'kube-vip.io/loadbalancerIPs';

/** A running test announcer; `stop()` ends its loop. */
export interface TestAnnouncer {
  stop(): void;
}

/** The ingress a kube-vip-annotated LoadBalancer Service should show, or undefined when not ours. */
export function requestedIngress(service: V1Service): string[] | undefined {
  if (service.spec?.type !== 'LoadBalancer') return undefined;
  const requested = service.metadata?.annotations?.[KUBE_VIP_ADDRESSES];
  if (requested === undefined) return undefined;
  return requested
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '' && a !== '0.0.0.0');
}

/**
 * A stand-in for kube-vip in services mode (kube-vip is not served by the Go module proxy), doing
 * only the part the data plane needs from it: for each LoadBalancer Service carrying
 * `kube-vip.io/loadbalancerIPs`, it copies those addresses into `status.loadBalancer.ingress`,
 * which is what makes kube-proxy program the VIP. It does not answer ARP: the client's route to
 * the VIP range via the node stands in for that. It polls every `intervalMs` (a list of Services
 * is cheap on this API server) rather than watching, to stay small.
 */
export function startTestAnnouncer(kubeConfig: KubeConfig, intervalMs = 100): TestAnnouncer {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  let stopped = false;
  const pass = async (): Promise<void> => {
    const services = await core.listServiceForAllNamespaces();
    for (const service of services.items) {
      const wanted = requestedIngress(service);
      if (wanted === undefined) continue;
      const current = (service.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '');
      if (current.join(',') === wanted.join(',')) continue;
      await core.patchNamespacedServiceStatus(
        {
          name: service.metadata?.name ?? '',
          namespace: service.metadata?.namespace ?? '',
          body: { status: { loadBalancer: { ingress: wanted.map((ip) => ({ ip, ipMode: 'VIP' })) } } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    }
  };
  void (async () => {
    while (!stopped) {
      // A Service deleted between list and patch, or a restarting API server: try again next pass.
      await pass().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    stop: () => {
      stopped = true;
    },
  };
}
