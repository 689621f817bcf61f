// What the API server's schema for Gateway API objects would refuse (the OpenAPI and CEL rules of
// the v1.6 CRDs that l4gw's rules depend on), checked on manifests read offline. The operator never
// sees such objects, because the API server rejects them at apply time; `l4gw reconcile` must say
// the same, naming the field, instead of reconciling an object that cannot exist. Core stays total
// (it turns anything into conditions); this is the CLI's stand-in for the server's admission.

/** A path into an object: keys and list indexes, e.g. ['spec', 'listeners', 2, 'port']. */
export type FieldPath = readonly (string | number)[];

/** One thing the API server would refuse, at `path`. */
export interface SchemaProblem {
  readonly path: FieldPath;
  readonly message: string;
}

const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
const MAX_LISTENERS = 64;
const MAX_ADDRESSES = 16;
const MAX_PARENT_REFS = 32;
const MAX_BACKEND_REFS = 16;
const MAX_WEIGHT = 1_000_000;
/** `SectionName`: a DNS-1123 subdomain. */
const SECTION_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `a.b.c` with list indexes in brackets: `spec.listeners[2].port`. */
export function formatPath(path: FieldPath): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

/** The first problems of a Gateway, TCPRoute or UDPRoute of group gateway.networking.k8s.io; [] for any other object. */
export function schemaProblems(object: Readonly<Record<string, unknown>>): SchemaProblem[] {
  const apiVersion = object['apiVersion'];
  if (typeof apiVersion !== 'string' || !apiVersion.startsWith(`${GATEWAY_API_GROUP}/`)) return [];
  const checker = new Checker();
  const spec = checker.object(object['spec'], ['spec'], true);
  if (spec === undefined) return checker.problems;
  switch (object['kind']) {
    case 'Gateway':
      checkGateway(checker, spec);
      break;
    case 'TCPRoute':
    case 'UDPRoute':
      checkRoute(checker, spec, apiVersion === `${GATEWAY_API_GROUP}/v1`);
      break;
  }
  return checker.problems;
}

function checkGateway(c: Checker, spec: Readonly<Record<string, unknown>>): void {
  c.string(spec['gatewayClassName'], ['spec', 'gatewayClassName'], true);
  const listeners = c.list(spec['listeners'], ['spec', 'listeners'], { required: true, min: 1, max: MAX_LISTENERS });
  const names = new Map<string, number>();
  const endpoints = new Map<string, number>();
  listeners?.forEach((item, i) => {
    const path = ['spec', 'listeners', i];
    const listener = c.object(item, path, true);
    if (listener === undefined) return;
    const name = c.string(listener['name'], [...path, 'name'], true, SECTION_NAME);
    const port = c.integer(listener['port'], [...path, 'port'], true, 1, 65535);
    const protocol = c.string(listener['protocol'], [...path, 'protocol'], true);
    const hostname = c.string(listener['hostname'], [...path, 'hostname'], false);
    if (hostname !== undefined && hostname !== '' && (protocol === 'TCP' || protocol === 'UDP')) {
      c.problem([...path, 'hostname'], `hostname must not be specified for protocol ${protocol}`);
    }
    if (name !== undefined) {
      const first = names.get(name);
      if (first !== undefined) c.problem([...path, 'name'], `listener name "${name}" is already used by spec.listeners[${first}]`);
      else names.set(name, i);
    }
    if (port !== undefined && protocol !== undefined) {
      const endpoint = `${port}/${protocol}/${hostname ?? ''}`;
      const first = endpoints.get(endpoint);
      if (first !== undefined) {
        c.problem(path, `port ${port}, protocol ${protocol}${hostname ? ` and hostname ${hostname}` : ''} are already used by spec.listeners[${first}]`);
      } else endpoints.set(endpoint, i);
    }
    c.object(listener['allowedRoutes'], [...path, 'allowedRoutes'], false);
  });
  const addresses = c.list(spec['addresses'], ['spec', 'addresses'], { required: false, max: MAX_ADDRESSES });
  const values = new Map<string, number>();
  addresses?.forEach((item, i) => {
    const address = c.object(item, ['spec', 'addresses', i], true);
    if (address === undefined) return;
    const type = c.string(address['type'], ['spec', 'addresses', i, 'type'], false) ?? 'IPAddress';
    const value = c.string(address['value'], ['spec', 'addresses', i, 'value'], false);
    if (value === undefined || value === '') return;
    const first = values.get(`${type}/${value}`);
    if (first !== undefined) c.problem(['spec', 'addresses', i, 'value'], `${type} ${value} is already listed at spec.addresses[${first}]`);
    else values.set(`${type}/${value}`, i);
  });
}

function checkRoute(c: Checker, spec: Readonly<Record<string, unknown>>, v1: boolean): void {
  const parents = c.list(spec['parentRefs'], ['spec', 'parentRefs'], { required: false, max: MAX_PARENT_REFS });
  parents?.forEach((item, i) => checkReference(c, item, ['spec', 'parentRefs', i], false));
  // v1 has exactly one rule; v1alpha2 allowed up to 16 (RT1 uses the first).
  const rules = c.list(spec['rules'], ['spec', 'rules'], { required: v1, min: 1, max: v1 ? 1 : 16 });
  rules?.forEach((item, i) => {
    const rule = c.object(item, ['spec', 'rules', i], true);
    if (rule === undefined) return;
    const backends = c.list(rule['backendRefs'], ['spec', 'rules', i, 'backendRefs'], { required: false, min: 1, max: MAX_BACKEND_REFS });
    backends?.forEach((backend, j) => checkReference(c, backend, ['spec', 'rules', i, 'backendRefs', j], true));
  });
}

function checkReference(c: Checker, item: unknown, path: FieldPath, backend: boolean): void {
  const ref = c.object(item, path, true);
  if (ref === undefined) return;
  c.string(ref['name'], [...path, 'name'], true);
  for (const key of ['group', 'kind', 'namespace', ...(backend ? [] : ['sectionName'])]) c.string(ref[key], [...path, key], false);
  c.integer(ref['port'], [...path, 'port'], false, 1, 65535);
  if (backend) c.integer(ref['weight'], [...path, 'weight'], false, 0, MAX_WEIGHT);
}

/** Collects problems while reading fields by their expected types. */
class Checker {
  readonly problems: SchemaProblem[] = [];

  problem(path: FieldPath, message: string): void {
    this.problems.push({ path, message });
  }

  object(value: unknown, path: FieldPath, required: boolean): Readonly<Record<string, unknown>> | undefined {
    if (value === undefined || value === null) {
      if (required) this.problem(path, 'is required');
      return undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.problem(path, `must be an object, not ${describe(value)}`);
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  list(value: unknown, path: FieldPath, limits: { required: boolean; min?: number; max: number }): readonly unknown[] | undefined {
    if (value === undefined || value === null) {
      if (limits.required) this.problem(path, 'is required');
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.problem(path, `must be a list, not ${describe(value)}`);
      return undefined;
    }
    if (limits.min !== undefined && value.length < limits.min) this.problem(path, `must have at least ${limits.min} item${limits.min === 1 ? '' : 's'}`);
    if (value.length > limits.max) this.problem(path, `has ${value.length} items; at most ${limits.max} are allowed`);
    return value;
  }

  string(value: unknown, path: FieldPath, required: boolean, pattern?: RegExp): string | undefined {
    if (value === undefined || value === null) {
      if (required) this.problem(path, 'is required');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.problem(path, `must be a string, not ${describe(value)}`);
      return undefined;
    }
    if (pattern !== undefined && !pattern.test(value)) this.problem(path, `"${value}" is not a valid name (lowercase letters, digits, '-' and '.')`);
    return value;
  }

  integer(value: unknown, path: FieldPath, required: boolean, min: number, max: number): number | undefined {
    if (value === undefined || value === null) {
      if (required) this.problem(path, 'is required');
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.problem(path, `must be an integer, not ${describe(value)}`);
      return undefined;
    }
    if (value < min || value > max) {
      this.problem(path, `${value} is outside ${min}-${max}`);
      return undefined;
    }
    return value;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `the string "${value}"`;
  if (Array.isArray(value)) return 'a list';
  return value === null ? 'null' : `a ${typeof value} (${JSON.stringify(value)})`;
}
