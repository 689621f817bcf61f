import type { ClassParameters, ConditionDraft, ResolvedClass } from '../model/graph.js';
import { EXTERNAL_TRAFFIC_POLICIES, isServiceBehaviour, LB_ANNOTATION_STYLES, SERVICE_BEHAVIOURS, type ReconcileOptions } from '../model/options.js';
import type { ParsedConfigMap, ParsedGatewayClass } from '../model/parsed.js';
import { KIND_CONFIG_MAP } from '../parse/api.js';
import { compareStrings } from '../model/order.js';
import { condition } from '../status/conditions.js';
import { Message } from '../status/messages.js';
import { ClassReason, ConditionType } from '../status/reasons.js';

/**
 * GC4: the features that really work, sorted by name (the conformance suite reads this list), by
 * their Gateway API v1.6 `pkg/features` names (v1.6 renamed `GatewayInfrastructurePropagation`
 * to `GatewayInfrastructure`). Not claimed: `GatewayPort8080` and `GatewayHTTPListenerIsolation`
 * (HTTP listeners). `ListenerSet` (LS1–LS4) is claimed although every upstream ListenerSet test
 * needs an HTTP listener Accepted: the conformance run lists those as not applicable and runs
 * L4 versions of them as the project's own tests (docs/conformance.md).
 */
export const SUPPORTED_FEATURES: readonly string[] = [
  'Gateway',
  'GatewayAddressEmpty',
  'GatewayInfrastructure',
  'GatewayStaticAddresses',
  'ListenerSet',
  'ReferenceGrant',
  'TCPRoute',
  'UDPRoute',
].sort(compareStrings);

/** GC3: Gateway API bundle versions whose TCP/UDP semantics l4gw implements. */
export const SUPPORTED_BUNDLE_VERSIONS = /^v1\.[2-7]\.\d+$/;
const SUPPORTED_BUNDLE_VERSIONS_TEXT = 'v1.2.x to v1.7.x';

/** ConfigMap keys of class parameters besides IPAM pools (GC2). */
export const PARAM_SERVICE_BEHAVIOUR = 'serviceBehaviour';
export const PARAM_LOAD_BALANCER_CLASS = 'loadBalancerClass';
export const PARAM_LB_ANNOTATIONS = 'lbAnnotations';
export const PARAM_EXTERNAL_TRAFFIC_POLICY = 'externalTrafficPolicy';

/**
 * GC1–GC4: keeps the classes whose controllerName is ours and decides their conditions.
 * `configMaps` is the index by `namespace/name`. Sorted by class name.
 */
export function resolveClasses(
  classes: readonly ParsedGatewayClass[],
  configMaps: ReadonlyMap<string, ParsedConfigMap>,
  crdBundleVersions: Readonly<Record<string, string>>,
  options: ReconcileOptions,
): ResolvedClass[] {
  const versionCondition = supportedVersion(crdBundleVersions);
  return classes
    .filter((c) => c.controllerName === options.controllerName)
    .map((c) => {
      const params = classParameters(c, configMaps);
      const problem = params.problem;
      const accepted = problem === undefined;
      const conditions: ConditionDraft[] = [
        problem === undefined
          ? condition(ConditionType.Accepted, true, ClassReason.Accepted, Message.classAccepted)
          : condition(ConditionType.Accepted, false, ClassReason.InvalidParameters, problem),
        versionCondition,
      ];
      return { class: c, accepted, parameters: params.parameters, conditions, supportedFeatures: SUPPORTED_FEATURES };
    });
}

/** GC2: reads and validates the parametersRef ConfigMap. */
function classParameters(
  c: ParsedGatewayClass,
  configMaps: ReadonlyMap<string, ParsedConfigMap>,
): { parameters: ClassParameters; problem?: string } {
  const ref = c.parametersRef;
  if (ref === undefined) return { parameters: {} };
  if (ref.group !== '' || ref.kind !== KIND_CONFIG_MAP) {
    return { parameters: {}, problem: Message.classParametersNotConfigMap(ref.group, ref.kind) };
  }
  if (ref.namespace === undefined || ref.namespace === '') {
    return { parameters: {}, problem: Message.classParametersNoNamespace };
  }
  const configMap = configMaps.get(`${ref.namespace}/${ref.name}`);
  if (configMap === undefined) {
    return { parameters: {}, problem: Message.classParametersNotFound(ref.namespace, ref.name) };
  }
  const data = configMap.data;
  const behaviour = data[PARAM_SERVICE_BEHAVIOUR];
  if (behaviour !== undefined && !isServiceBehaviour(behaviour)) {
    return { parameters: { configMap }, problem: Message.classParametersBadValue(PARAM_SERVICE_BEHAVIOUR, behaviour, SERVICE_BEHAVIOURS) };
  }
  const lbAnnotations = data[PARAM_LB_ANNOTATIONS];
  if (lbAnnotations !== undefined && !isOneOf(lbAnnotations, LB_ANNOTATION_STYLES)) {
    return { parameters: { configMap }, problem: Message.classParametersBadValue(PARAM_LB_ANNOTATIONS, lbAnnotations, LB_ANNOTATION_STYLES) };
  }
  const externalTrafficPolicy = data[PARAM_EXTERNAL_TRAFFIC_POLICY];
  if (externalTrafficPolicy !== undefined && !isOneOf(externalTrafficPolicy, EXTERNAL_TRAFFIC_POLICIES)) {
    return {
      parameters: { configMap },
      problem: Message.classParametersBadValue(PARAM_EXTERNAL_TRAFFIC_POLICY, externalTrafficPolicy, EXTERNAL_TRAFFIC_POLICIES),
    };
  }
  const loadBalancerClass = data[PARAM_LOAD_BALANCER_CLASS];
  return {
    parameters: {
      configMap,
      ...(behaviour !== undefined ? { serviceBehaviour: behaviour } : {}),
      ...(loadBalancerClass !== undefined && loadBalancerClass !== '' ? { loadBalancerClass } : {}),
      ...(lbAnnotations !== undefined ? { lbAnnotations } : {}),
      ...(externalTrafficPolicy !== undefined ? { externalTrafficPolicy } : {}),
    },
  };
}

function isOneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value);
}

/** GC3: True when every installed CRD's bundle version is supported (none known counts as supported). */
function supportedVersion(crdBundleVersions: Readonly<Record<string, string>>): ConditionDraft {
  const entries = Object.entries(crdBundleVersions).sort((a, b) => compareStrings(a[0], b[0]));
  const unsupported = entries.filter(([, v]) => !SUPPORTED_BUNDLE_VERSIONS.test(v));
  if (unsupported.length === 0) {
    return condition(ConditionType.SupportedVersion, true, ClassReason.SupportedVersion, Message.versionSupported);
  }
  const detected = [...new Set(entries.map(([, v]) => v || '(none)'))].sort(compareStrings).join(', ');
  return condition(
    ConditionType.SupportedVersion,
    false,
    ClassReason.UnsupportedVersion,
    Message.versionUnsupported(detected, SUPPORTED_BUNDLE_VERSIONS_TEXT),
  );
}
