// Public surface of @l4gw/adapter-k8s: the operator entry point, its options, and the RBAC rule
// list the deployment manifests are generated from (R6).
export { runOperator, loadKubeConfig, type OperatorHandle } from './operator.js';
export { OPERATOR_DEFAULTS, type OperatorOptions, type EngineFactory } from './options.js';
export { RBAC_RULES, rbacAllows, type RbacRule } from './rbac.js';
export { CONTROLLER_LABEL, METRIC_NAMES, type OperatorMetrics } from './observability/metrics.js';
export { parseBindAddress } from './observability/http.js';
export type { LogFormat, LogLevel, LogSink, Logger } from './observability/logger.js';
export { FIELD_MANAGER } from './kube/writer.js';
export { errorText } from './kube/error-text.js';
export { DEFAULT_LEADER_ELECTION_TIMINGS } from './leaderelection/elector.js';
