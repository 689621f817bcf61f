// The context of a Gateway of ours (its listeners validated, GW2, and its Accepted draft, GW3) is a function of the parsed
// Gateway and its class's parameters, so it is remembered per parsed Gateway (model/memory.ts)
// by an engine (engine/) and handed out again while those are unchanged: at 50k Gateways, 150k context objects not
// rebuilt, and routes can remember their attachments to it (routes/route-resolutions.ts). What
// differs between resolutions, the routes attached to each listener, is emptied here and
// recorded again by every resolution (routes/attach.ts recordAttachments).

import type { ResolvedClass } from '../model/graph.js';
import type { ParsedGateway } from '../model/parsed.js';
import type { GatewayContext } from '../model/context.js';
import { objectKey } from '../model/graph.js';
import { recallFor, type MemoByObject } from '../model/memory.js';
import { gatewayAccepted } from './gateway-conditions.js';
import { validateListeners } from './listeners.js';

/** Where an engine remembers the contexts of its cluster's Gateways. */
export type GatewayContextMemory = MemoByObject<ParsedGateway, GatewayContext>;

/**
 * The Gateway's context, with no route attached yet. Only the class's parameters are read from
 * `resolvedClass`. Without `memory`, a new context.
 */
export function gatewayContext(gw: ParsedGateway, resolvedClass: ResolvedClass, memory: GatewayContextMemory | undefined): GatewayContext {
  const p = resolvedClass.parameters;
  const ctx = recallFor(memory, gw, [p.serviceBehaviour, p.loadBalancerClass, p.configMap], () => {
    const listeners = validateListeners(gw.listeners);
    return { gateway: gw, key: objectKey(gw.meta.namespace, gw.meta.name), resolvedClass, accepted: gatewayAccepted(gw, listeners), listeners };
  });
  for (const l of ctx.listeners) l.attached.length = 0;
  return ctx;
}
