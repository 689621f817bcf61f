// The context of a Gateway of ours: its listeners validated (GW2) and its Accepted draft (GW3),
// a function of the parsed Gateway and its class's parameters, so that an engine can remember it
// per parsed Gateway (engine/gateways.ts) and routes their attachments to it. What differs
// between resolutions, the routes attached to each listener, starts empty and is recorded by
// every resolution (routes/attach.ts recordAttachments).

import type { ResolvedClass } from '../model/graph.js';
import type { ParsedGateway } from '../model/parsed.js';
import type { GatewayContext } from '../model/context.js';
import { objectKey } from '../model/graph.js';
import { gatewayAccepted } from './gateway-conditions.js';
import { validateListeners } from './listeners.js';

/** The Gateway's context, with no route attached yet. Only the class's parameters are read from `resolvedClass`. */
export function gatewayContext(gw: ParsedGateway, resolvedClass: ResolvedClass): GatewayContext {
  const listeners = validateListeners(gw.listeners);
  return { gateway: gw, key: objectKey(gw.meta.namespace, gw.meta.name), resolvedClass, accepted: gatewayAccepted(gw, listeners), listeners };
}
