/**
 * Defaults of the Kubernetes constructs, in one place (like aws-solutions-constructs' <service>-defaults.ts).
 */

/** Kubernetes' recommended labels: the selectors use only these, so they never change between phases (selectors are immutable). */
export function appLabels(partOf: string, component: string): Record<string, string> {
  return { 'app.kubernetes.io/name': component, 'app.kubernetes.io/part-of': partOf };
}

/** PgBouncer's image, user, port and paths inside the pod. */
export const PGBOUNCER_DEFAULTS = {
  image: 'docker.io/edoburu/pgbouncer:v1.23.1-p3',
  /** The image's `postgres` user (Alpine uid/gid 70): the pod runs as it, never as root. */
  uid: 70,
  port: 6432,
  configDir: '/etc/pgbouncer',
  runtimeDir: '/run/pgbouncer',
  databaseName: 'app',
  databasePort: 5432,
} as const;

/** Names of the objects the user (or External Secrets) creates from the AWS stack's outputs: the chart never holds a secret. */
export const BACKEND_REFERENCE_DEFAULTS = {
  endpointsConfigMap: 'aws-endpoints',
  databaseSecret: 'aurora-credentials',
  redisSecret: 'redis-auth',
} as const;
