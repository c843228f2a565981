/**
 * The SQL that gives an application its own least-privilege PostgreSQL role: one statement (a DO block), because
 * the RDS Data API runs one statement per ExecuteStatement call. Safe to run again and again (CREATE only if missing,
 * GRANT is idempotent), so a custom resource may run it on every update.
 */

/** A PostgreSQL identifier this library accepts unquoted: lowercase letter or _, then letters, digits, _ (at most 63). */
export const SQL_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** What {@link appUserSql} grants on. */
export interface AppUserSqlOptions {
  /** The application's role (a login role that authenticates with IAM through `rds_iam`). */
  readonly username: string;
  /** The database it may connect to. */
  readonly databaseName: string;
  /** The schema whose tables it reads and writes. */
  readonly schema: string;
}

/**
 * `CREATE ROLE ... LOGIN` unless it exists, `rds_iam` (IAM tokens instead of a password), CONNECT on the database,
 * USAGE on the schema, DML on its tables and sequences, now and for tables created later by the role that runs this
 * (the master user, which runs migrations). No CREATE, no ownership, no superuser: the application cannot change the
 * schema. Names are checked against {@link SQL_IDENTIFIER}, so nothing here needs quoting.
 */
export function appUserSql(o: AppUserSqlOptions): string {
  for (const [prop, value] of Object.entries(o)) {
    if (!SQL_IDENTIFIER.test(value)) {
      throw new Error(`'${prop}' (${value}) must be a lowercase PostgreSQL identifier: a letter or _, then letters, digits or _, at most 63 characters`);
    }
  }
  const { username: u, databaseName: db, schema: s } = o;
  return [
    'DO $$ BEGIN',
    `IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${u}') THEN CREATE ROLE ${u} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE; END IF;`,
    `GRANT rds_iam TO ${u};`,
    `GRANT CONNECT ON DATABASE ${db} TO ${u};`,
    `GRANT USAGE ON SCHEMA ${s} TO ${u};`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${u};`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${u};`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${u};`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT USAGE, SELECT ON SEQUENCES TO ${u};`,
    'END $$',
  ].join('\n');
}
