import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { appUserSql } from '../../lib/constructs/app-user-sql';
import { asPostgres, freePort, postgresOwnedDir, requireBinary, startAsPostgres, stopAndWait } from '../support/real-postgres';

/**
 * The application role's SQL against a real PostgreSQL 15 (Aurora PostgreSQL's `rds_iam` role is created by hand, as
 * RDS has it): it runs twice without error (idempotent, as a custom resource update needs), and the role can read and
 * write rows but cannot create, alter or drop anything.
 */
describe('appUserSql on real PostgreSQL', () => {
  let postgres: ChildProcess | undefined;
  let dir = '';
  let port = 0;
  let psql = '';
  const run = (user: string, statement: string) =>
    asPostgres(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', 'app', '-v', 'ON_ERROR_STOP=1', '-Atc', statement]);
  const fails = (user: string, statement: string) => {
    try {
      run(user, statement);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`'${statement}' as ${user} succeeded, but should have been refused`);
  };

  beforeAll(async () => {
    const [initdb, postgresBin, psqlBin] = (['initdb', 'postgres', 'psql'] as const).map((name) => requireBinary(name));
    psql = psqlBin;
    dir = postgresOwnedDir('app-user-');
    port = await freePort();
    asPostgres(initdb, ['-D', `${dir}/data`, '-A', 'trust', '-U', 'dbadmin', '--no-sync', '-E', 'UTF8'], { timeoutMs: 60_000 });
    postgres = await startAsPostgres(postgresBin, ['-D', `${dir}/data`, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off'], port);
    asPostgres(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'dbadmin', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', 'CREATE DATABASE app', '-c', 'CREATE ROLE rds_iam']);
    run('dbadmin', 'CREATE TABLE orders (id serial PRIMARY KEY, total numeric)');
  }, 90_000);

  afterAll(async () => {
    await stopAndWait(postgres);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('runs twice without error and makes a LOGIN role with rds_iam, not a superuser', () => {
    const sql = appUserSql({ username: 'app_user', databaseName: 'app', schema: 'public' });
    run('dbadmin', sql);
    run('dbadmin', sql);
    expect(run('dbadmin', "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = 'app_user'").trim()).toBe('t|f|f|f');
    expect(run('dbadmin', "SELECT pg_has_role('app_user', 'rds_iam', 'member')").trim()).toBe('t');
  });

  test('the role reads and writes existing tables and tables created later by the master user', () => {
    run('app_user', 'INSERT INTO orders (total) VALUES (42)');
    expect(run('app_user', 'UPDATE orders SET total = 43 RETURNING total').trim()).toContain('43');
    run('dbadmin', 'CREATE TABLE shipments (id bigserial PRIMARY KEY, order_id int)');
    run('app_user', 'INSERT INTO shipments (order_id) VALUES (1)');
    expect(run('app_user', 'DELETE FROM shipments RETURNING order_id').trim()).toContain('1');
  });

  test('the role cannot change the schema: no CREATE, ALTER, DROP or TRUNCATE', () => {
    expect(fails('app_user', 'CREATE TABLE evil (id int)')).toMatch(/permission denied for schema public/);
    expect(fails('app_user', 'ALTER TABLE orders ADD COLUMN x int')).toMatch(/must be owner of table orders/);
    expect(fails('app_user', 'DROP TABLE orders')).toMatch(/must be owner of table orders/);
    expect(fails('app_user', 'TRUNCATE orders')).toMatch(/permission denied for table orders/);
  });

  test('rejects names that would need quoting (no SQL injection through props)', () => {
    expect(() => appUserSql({ username: "x'; DROP TABLE orders; --", databaseName: 'app', schema: 'public' })).toThrow(/'username' .* must be a lowercase PostgreSQL identifier/);
  });
});
