import type { ReconcileOptions } from '../model/options.js';
import type { ParsedConfigMap, ParsedGateway, ParsedService } from '../model/parsed.js';
import type { GatewayContext } from '../model/context.js';
import { assignAddresses, type AddressMemory, type AddressResult } from '../gateway/addresses.js';

export type { AddressMemory };

export function rememberedAddresses(
  accepted: readonly GatewayContext[],
  notAccepted: readonly ParsedGateway[],
  services: readonly ParsedService[],
  configMaps: ReadonlyMap<string, ParsedConfigMap>,
  heldBack: readonly string[],
  options: ReconcileOptions,
  memory: AddressMemory,
): AddressResult {
  return assignAddresses(accepted, notAccepted, services, configMaps, heldBack, options, memory);
}
