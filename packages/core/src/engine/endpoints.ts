// What an engine remembers of DP1 (dataplane/endpoints.ts) per Gateway and per backend, and the
// dataplane steps that reuse it: an unchanged Gateway costs a comparison instead of hashing names
// and building a Service and its slices on every reconcile, and an unchanged backend is mirrored
// once, not on every reconcile.

import type { BackendTarget, RealisedListener, ResolvedGateway } from '../model/graph.js';
import { statusAddresses } from '../model/graph.js';
import type { KubeObject } from '../model/kube.js';
import { recallFor, ScratchInputs, type MemoByObject } from './memo.js';
import type { ReconcileOptions } from '../model/options.js';
import type { ParsedEndpointSlice, ParsedGateway } from '../model/parsed.js';
import { endpointsObjects, type EndpointSliceLookup, type EndpointsSteps } from '../dataplane/endpoints.js';
import { announcerStyle } from '../dataplane/metadata.js';
import { mirrorEndpoints, type EndpointGroup } from '../dataplane/mirror.js';
import type { DataplaneSteps } from '../dataplane/realise.js';

/**
 * Where an engine remembers the objects last generated for each Gateway (by its parsed object,
 * which stays the same instance while the Gateway is unchanged) and everything they were
 * generated from; reused when all of that is identical.
 */
export interface EndpointsMemory {
  readonly byResolution: MemoByObject<ParsedGateway, readonly KubeObject[]>;
  readonly byInputs: MemoByObject<ParsedGateway, readonly KubeObject[]>;
  readonly quickInputs: ScratchInputs;
  readonly mirrored: MirrorMemory;
}

/**
 * Where an engine remembers the last groups mirrored from a backend, by its first EndpointSlice with the port
 * and slices they came from. Parsed slices are the same instances from one reconcile to the next
 * while their objects are unchanged (./parse-cache.ts), so an unchanged backend is mirrored once:
 * at 10k Gateways that is 60k endpoints not copied again, and the desired EndpointSlices keep
 * pointing at the same (read-only) endpoint lists.
 */
export type MirrorMemory = MemoByObject<ParsedEndpointSlice, readonly EndpointGroup[]>;

/** An empty EndpointsMemory. */
export function endpointsMemory(): EndpointsMemory {
  return { byResolution: new WeakMap(), byInputs: new WeakMap(), quickInputs: new ScratchInputs(), mirrored: new WeakMap() };
}

/** The dataplane's steps, remembering each Gateway's DP1 objects and each backend's groups in `memory`. */
export function rememberingDataplaneSteps(memory: EndpointsMemory): DataplaneSteps {
  const steps = rememberingEndpointsSteps(memory.mirrored);
  return {
    endpointsObjects: (gateway, listeners, slicesOf, name, options) => {
      // Two levels: the resolved Gateway is the same instance while everything it was resolved from
      // is (gateway/resolved-gateway.ts), so with the same slice index the objects are the same;
      // else everything they are built from is compared.
      const quick = memory.quickInputs.start();
      quick.push(gateway, slicesOf.index, name, options.lbAnnotations);
      return recallFor(memory.byResolution, gateway.gateway, quick, () =>
        recallFor(memory.byInputs, gateway.gateway, endpointsInputs(gateway, listeners, slicesOf, name, options), () =>
          endpointsObjects(gateway, listeners, slicesOf, name, options, steps),
        ),
      );
    },
  };
}

/** DP1's steps, remembering each backend's groups in `memory` (by its first slice). */
export function rememberingEndpointsSteps(memory: MirrorMemory): EndpointsSteps {
  return {
    mirrorEndpoints: (target: BackendTarget, slices: readonly ParsedEndpointSlice[]) => {
      const first = slices[0];
      if (first === undefined) return mirrorEndpoints(target, slices);
      return recallFor(memory, first, [target.targetPort, target.servicePort.name, ...slices], () => mirrorEndpoints(target, slices));
    },
  };
}

/**
 * Everything endpointsObjects reads, flattened, each list preceded by its length: the
 * Gateway (parsed: names, uid, infrastructure), class, load-balancer class, traffic policy,
 * addresses, the announcer style, the Service name granted, and per listener its name, protocol, port and
 * backends (weight, Service, port, target port, EndpointSlices).
 */
function endpointsInputs(
  gateway: ResolvedGateway,
  listeners: readonly RealisedListener[],
  slicesOf: EndpointSliceLookup,
  name: string,
  options: ReconcileOptions,
): unknown[] {
  const assignment = gateway.assignment;
  const addresses = statusAddresses(assignment);
  const inputs: unknown[] = [gateway.gateway, gateway.className, gateway.loadBalancerClass, gateway.externalTrafficPolicy, assignment.kind, addresses.length, ...addresses, announcerStyle(gateway, options), name, listeners.length];
  for (const listener of listeners) {
    const backends = listener.winner?.backends ?? [];
    inputs.push(listener.name, listener.protocol, listener.port, backends.length);
    for (const backend of backends) {
      const target = backend.target;
      inputs.push(backend.weight, target?.service, target?.servicePort, target?.targetPort);
      if (target === undefined) continue;
      const slices = slicesOf.of(target.service);
      inputs.push(slices.length);
      for (const slice of slices) inputs.push(slice);
    }
  }
  return inputs;
}
