/**
 * Strict offline validation of Kubernetes manifests against the schemas of k8s-schema.ts: unknown fields, wrong
 * types, missing required fields and unknown kinds are all errors, each naming the object, the path and the rule.
 */
import { buildStrictSchemas, JsonSchema, StrictKubernetesSchemas } from './k8s-schema';

let cached: StrictKubernetesSchemas | undefined;

/** The strict schemas, built once per process. */
export function strictSchemas(): StrictKubernetesSchemas {
  cached ??= buildStrictSchemas();
  return cached;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  if (type === 'number') return actual === 'number' || actual === 'integer';
  return actual === type;
}

function check(value: unknown, schema: JsonSchema, at: string, defs: StrictKubernetesSchemas['definitions'], errors: string[]): void {
  if (schema.$ref) {
    const target = defs[schema.$ref.replace('#/definitions/', '')];
    check(value, target, at, defs, errors);
    return;
  }
  if (schema.type !== undefined) {
    const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!types.some((t) => matchesType(value, t))) {
      errors.push(`${at || '/'}: expected ${types.join(' or ')}, got ${typeOf(value)} ${JSON.stringify(value)?.slice(0, 40)}`);
      return;
    }
  }
  if (schema.const !== undefined && value !== schema.const) errors.push(`${at}: must be ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)}`);
  if (schema.enum && !schema.enum.includes(value as string)) errors.push(`${at}: must be one of ${schema.enum.join(', ')}, got ${JSON.stringify(value)}`);
  if (schema.type === 'array' && schema.items) {
    (value as unknown[]).forEach((item, i) => check(item, schema.items!, `${at}/${i}`, defs, errors));
  }
  if (schema.type === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in object)) errors.push(`${at}/${key}: required field is missing`);
    for (const [key, child] of Object.entries(object)) {
      const property = schema.properties?.[key];
      if (property) check(child, property, `${at}/${key}`, defs, errors);
      else if (typeof schema.additionalProperties === 'object') check(child, schema.additionalProperties, `${at}/${key}`, defs, errors);
      else if (schema.additionalProperties === false) {
        const where = schema['x-kubernetes-definition'] ? ` (${schema['x-kubernetes-definition']} has ${Object.keys(schema.properties ?? {}).join(', ')})` : '';
        errors.push(`${at}/${key}: unknown field${where}`);
      }
    }
  }
}

/** Errors of one manifest (an object with apiVersion and kind), each prefixed with `Kind name`; empty when valid. */
export function validateManifest(manifest: unknown, schemas: StrictKubernetesSchemas = strictSchemas()): string[] {
  const object = manifest as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
  const label = `${String(object?.kind)} ${String(object?.metadata?.name ?? '(no name)')}`;
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return [`${label}: a manifest must be an object`];
  const schema = schemas.kinds.get(`${String(object.apiVersion)}/${String(object.kind)}`);
  if (!schema) return [`${label}: unknown kind ${String(object.apiVersion)}/${String(object.kind)} in Kubernetes ${schemas.kubernetesVersion}`];
  const errors: string[] = [];
  check(manifest, schema, '', schemas.definitions, errors);
  return errors.map((e) => `${label}: ${e}`);
}

/** Errors of every manifest in a list. */
export function validateManifests(manifests: readonly unknown[]): string[] {
  return manifests.flatMap((m) => validateManifest(m));
}
