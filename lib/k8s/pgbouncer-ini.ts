/**
 * pgbouncer.ini from pool settings: one renderer for the chart's ConfigMap and for the test that runs the real
 * pgbouncer, so the settings exercised under load are the ones shipped.
 */

/** PgBouncer pool settings (the plan's PoolerPlan values, as plain numbers). */
export interface PgbouncerPoolSettings {
  /** `pool_mode`. @default 'transaction' */
  readonly poolMode?: 'session' | 'transaction' | 'statement';
  /** `default_pool_size`: server connections per database/user pair. */
  readonly defaultPoolSize: number;
  /** `reserve_pool_size`. @default 0 */
  readonly reservePoolSize?: number;
  /** `reserve_pool_timeout` in seconds. @default 5 */
  readonly reservePoolTimeoutSec?: number;
  /** `max_db_connections`: hard cap of server connections per database. */
  readonly maxDbConnections: number;
  /** `max_client_conn`. */
  readonly maxClientConn: number;
  /** `query_wait_timeout` in seconds. @default 120 */
  readonly queryWaitTimeoutSec?: number;
  /** `idle_transaction_timeout` in seconds (0 disables it). @default 0 */
  readonly idleTransactionTimeoutSec?: number;
  /** `server_idle_timeout` in seconds. @default 600 */
  readonly serverIdleTimeoutSec?: number;
  /** `server_lifetime` in seconds. @default 3600 */
  readonly serverLifetimeSec?: number;
}

/** Where this pgbouncer listens and finds its runtime files. */
export interface PgbouncerRuntime {
  /** @default '0.0.0.0' */
  readonly listenAddr?: string;
  /** @default 6432 */
  readonly listenPort?: number;
  /** Directory holding `databases.ini` (the `[databases]` section) and `userlist.txt`, written at start from the Secret. */
  readonly runtimeDir: string;
  /** `server_tls_sslmode` towards PostgreSQL. @default 'require' */
  readonly serverTlsSslmode?: 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
}

function checkInt(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`'${name}' (${value}) must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** The text of pgbouncer.ini; throws naming the setting when a value is out of range. */
export function renderPgbouncerIni(pool: PgbouncerPoolSettings, runtime: PgbouncerRuntime): string {
  const defaultPool = checkInt('defaultPoolSize', pool.defaultPoolSize, 1, 10_000);
  const reserve = checkInt('reservePoolSize', pool.reservePoolSize ?? 0, 0, 10_000);
  const maxDb = checkInt('maxDbConnections', pool.maxDbConnections, 1, 100_000);
  if (defaultPool > maxDb) throw new Error(`'defaultPoolSize' (${defaultPool}) must be <= 'maxDbConnections' (${maxDb})`);
  if (!/^\/[\w./-]*$/.test(runtime.runtimeDir)) throw new Error(`'runtimeDir' (${runtime.runtimeDir}) must be an absolute path of letters, digits, '_', '.', '/' and '-'`);
  const lines = [
    '[pgbouncer]',
    `listen_addr = ${runtime.listenAddr ?? '0.0.0.0'}`,
    `listen_port = ${checkInt('listenPort', runtime.listenPort ?? 6432, 1, 65535)}`,
    // No unix socket: the container's filesystem is read-only and clients come over TCP.
    'unix_socket_dir =',
    'auth_type = scram-sha-256',
    `auth_file = ${runtime.runtimeDir}/userlist.txt`,
    `pool_mode = ${pool.poolMode ?? 'transaction'}`,
    `default_pool_size = ${defaultPool}`,
    'min_pool_size = 0',
    `reserve_pool_size = ${reserve}`,
    `reserve_pool_timeout = ${checkInt('reservePoolTimeoutSec', pool.reservePoolTimeoutSec ?? 5, 0, 3600)}`,
    `max_db_connections = ${maxDb}`,
    `max_client_conn = ${checkInt('maxClientConn', pool.maxClientConn, 1, 1_000_000)}`,
    `query_wait_timeout = ${checkInt('queryWaitTimeoutSec', pool.queryWaitTimeoutSec ?? 120, 0, 86_400)}`,
    `idle_transaction_timeout = ${checkInt('idleTransactionTimeoutSec', pool.idleTransactionTimeoutSec ?? 0, 0, 86_400)}`,
    `server_idle_timeout = ${checkInt('serverIdleTimeoutSec', pool.serverIdleTimeoutSec ?? 600, 0, 86_400)}`,
    `server_lifetime = ${checkInt('serverLifetimeSec', pool.serverLifetimeSec ?? 3600, 0, 86_400)}`,
    `server_tls_sslmode = ${runtime.serverTlsSslmode ?? 'require'}`,
    // Drivers (JDBC, asyncpg) send it at connect; PgBouncer would refuse the connection otherwise.
    'ignore_startup_parameters = extra_float_digits',
    'log_connections = 0',
    'log_disconnections = 0',
    'stats_period = 60',
    // The [databases] section names the Aurora endpoint, which reaches the pod at run time (ConfigMap), not at synth.
    `%include ${runtime.runtimeDir}/databases.ini`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The `[databases]` section: one database, so `max_db_connections` caps every server connection of the pod. */
export function renderDatabasesIni(db: { name: string; host: string; port: number; dbname?: string }): string {
  return `[databases]\n${db.name} = host=${db.host} port=${db.port} dbname=${db.dbname ?? db.name}\n`;
}
