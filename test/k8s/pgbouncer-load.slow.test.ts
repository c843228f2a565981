/**
 * PgBouncer under load, for real: PostgreSQL 15 and Debian's pgbouncer on loopback with exactly the pool settings the
 * chart ships (same renderer, same plan), pgbench with more clients than the pool has server connections. Every
 * transaction must complete, and pg_stat_activity (sampled during the run) must never show more server connections
 * than the plan gives one PgBouncer pod.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_MODEL, parseCapacity, planKubernetes, planModel } from '../../lib/capacity';
import { poolSettingsOf } from '../../lib/k8s/phase-chart';
import { renderDatabasesIni, renderPgbouncerIni } from '../../lib/k8s/pgbouncer-ini';
import { asPostgres, freePort, postgresOwnedDir, postgresUser, requireBinary, startAsPostgres, stopAndWait, writePostgresFile } from '../support/real-postgres';

const model = parseCapacity(DEFAULT_MODEL);
// Phase 2: a pool (19 + reserve 14 per pod for the default model) small enough to saturate here, large enough to matter.
const plan = planModel(model)[1];
const pooler = planKubernetes(model, plan).pooler;
const TRANSACTIONS_PER_CLIENT = 4;
/**
 * pgbench's simple-update, holding its server connection 400 ms per transaction (a slow request's transaction)
 * so clients queue well past reserve_pool_timeout (the last of 119 clients on 19 connections waits ~2 s) and PgBouncer
 * opens its reserve: the cap is tested where it binds.
 */
const SCRIPT = [
  '\\set aid random(1, 100000 * :scale)',
  'BEGIN;',
  'UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = :aid;',
  'SELECT pg_sleep(0.4);',
  'END;',
].join('\n');
const APP_USER = 'app';
const APP_PASSWORD = 'load-test-only';

interface Sample {
  readonly max: number;
  readonly samples: number;
}

/** Polls pg_stat_activity for the app user's server connections until `stop` resolves. */
async function sampleServerConnections(psql: string, port: number, stop: Promise<unknown>): Promise<Sample> {
  let done = false;
  void stop.finally(() => (done = true));
  let max = 0;
  let samples = 0;
  while (!done) {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-Atc', `select count(*) from pg_stat_activity where usename = '${APP_USER}'`], {
        ...postgresUser(),
        cwd: '/tmp',
      });
      let text = '';
      child.stdout.on('data', (c) => (text += c));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`psql exited ${code}`))));
    });
    max = Math.max(max, Number(out.trim()));
    samples++;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { max, samples };
}

test('a missing server binary fails the run, naming the install command (never a silent skip)', () => {
  expect(() => requireBinary('pgbouncer', ['/nonexistent/pgbouncer'])).toThrow(
    "pgbouncer is not installed (looked in /nonexistent/pgbouncer): run 'apt-get update && apt-get install -y postgresql-15 pgbouncer",
  );
});

describe('PgBouncer with the plan\'s pool settings, against PostgreSQL 15', () => {
  let postgres: ChildProcess | undefined;
  let bouncer: ChildProcess | undefined;
  let dir = '';
  let pgPortUsed = 0;
  let psqlBin = '';
  let pgbenchBin = '';

  afterAll(async () => {
    await stopAndWait(bouncer);
    await stopAndWait(postgres);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('every pgbench transaction completes and the server never sees more than max_db_connections', async () => {
    // GIVEN the binaries (a missing one fails, naming the install command)
    const [initdb, postgresBin, pgbench, psql, pgbouncer] = (['initdb', 'postgres', 'pgbench', 'psql', 'pgbouncer'] as const).map((name) => requireBinary(name));
    const started = Date.now();
    dir = postgresOwnedDir('pgbouncer-load-');
    const data = path.join(dir, 'data');
    const runtime = path.join(dir, 'run');
    const [pgPort, bouncerPort] = [await freePort(), await freePort()];
    pgPortUsed = pgPort;
    psqlBin = psql;
    pgbenchBin = pgbench;

    // a throwaway PostgreSQL 15 (trust on loopback only; fsync off: durability is not under test)
    asPostgres(initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'], { timeoutMs: 60_000 });
    postgres = await startAsPostgres(postgresBin, ['-D', data, '-p', String(pgPort), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'max_connections=100'], pgPort);
    const sql = (statement: string) => asPostgres(psql, ['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-Atc', statement]);
    sql(`create role ${APP_USER} login password '${APP_PASSWORD}'`);
    sql(`create database ${APP_USER} owner ${APP_USER}`);
    asPostgres(pgbench, ['-i', '-s', '1', '-q', '-h', '127.0.0.1', '-p', String(pgPort), '-U', APP_USER, APP_USER], { timeoutMs: 60_000 });

    // and pgbouncer with the chart's pgbouncer.ini (only where it listens, its runtime dir and TLS differ: no TLS on loopback)
    fs.mkdirSync(runtime);
    fs.chownSync(runtime, postgresUser().uid, postgresUser().gid);
    const iniFile = path.join(dir, 'pgbouncer.ini');
    writePostgresFile(iniFile, renderPgbouncerIni(poolSettingsOf(pooler), { listenAddr: '127.0.0.1', listenPort: bouncerPort, runtimeDir: runtime, serverTlsSslmode: 'disable' }));
    writePostgresFile(path.join(runtime, 'databases.ini'), renderDatabasesIni({ name: APP_USER, host: '127.0.0.1', port: pgPort }));
    writePostgresFile(path.join(runtime, 'userlist.txt'), `"${APP_USER}" "${APP_PASSWORD}"\n`);
    const script = path.join(dir, 'transaction.sql');
    writePostgresFile(script, `${SCRIPT}\n`);
    bouncer = await startAsPostgres(pgbouncer, [iniFile], bouncerPort);

    // WHEN pgbench runs through PgBouncer with as many clients as one pod accepts, far more than its server connections
    const clients = pooler.maxClientConn.value;
    expect(clients).toBeGreaterThan(pooler.maxDbConnections.value * 2);
    const bench = new Promise<string>((resolve, reject) => {
      const child = spawn(pgbench, ['-h', '127.0.0.1', '-p', String(bouncerPort), '-U', APP_USER, '-c', String(clients), '-j', '2', '-t', String(TRANSACTIONS_PER_CLIENT), '-n', '-M', 'simple', '-f', script, APP_USER], {
        ...postgresUser(),
        cwd: '/tmp',
        env: { ...process.env, PGPASSWORD: APP_PASSWORD },
        timeout: 45_000,
      });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (out += c));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`pgbench exited ${code}:\n${out}`))));
    });
    const [output, seen] = await Promise.all([bench, sampleServerConnections(psql, pgPort, bench)]);

    // THEN every transaction completed, none failed
    const processed = /number of transactions actually processed: (\d+)\/(\d+)/.exec(output);
    expect(processed).not.toBeNull();
    expect(Number(processed![1])).toBe(clients * TRANSACTIONS_PER_CLIENT);
    expect(Number(processed![2])).toBe(clients * TRANSACTIONS_PER_CLIENT);
    const failed = /number of failed transactions: (\d+)/.exec(output);
    if (failed) expect(Number(failed[1])).toBe(0);
    // and PostgreSQL saw the reserve in use (more than the default pool: the cap was reached for), never past the cap
    expect(seen.samples).toBeGreaterThan(3);
    expect(seen.max).toBeGreaterThan(pooler.defaultPoolSize.value);
    expect(seen.max).toBeLessThanOrEqual(pooler.maxDbConnections.value);
    const tps = /tps = ([\d.]+)/.exec(output)?.[1];
    console.log(
      `pgbench through pgbouncer (${plan.label}): ${clients} clients x ${TRANSACTIONS_PER_CLIENT} transactions = ${processed![1]} done; ` +
        `pool ${pooler.defaultPoolSize.value} + reserve ${pooler.reservePoolSize.value}, max_db_connections ${pooler.maxDbConnections.value}; ` +
        `max server connections seen ${seen.max} over ${seen.samples} samples; ${tps} tps; ${((Date.now() - started) / 1000).toFixed(1)} s with server start/stop`,
    );
  });

  test('the sampler is live: connections that bypass PgBouncer show up above the cap', async () => {
    expect(pgPortUsed).toBeGreaterThan(0);
    const direct = pooler.maxDbConnections.value + 2;
    // One pgbench process holding `direct` connections straight to PostgreSQL for a second each.
    const script = path.join(dir, 'hold.sql');
    writePostgresFile(script, 'SELECT pg_sleep(1);\n');
    const sessions = new Promise<void>((resolve, reject) => {
      const child = spawn(pgbenchBin, ['-h', '127.0.0.1', '-p', String(pgPortUsed), '-U', APP_USER, '-c', String(direct), '-j', '1', '-t', '1', '-n', '-f', script, APP_USER], {
        ...postgresUser(),
        cwd: '/tmp',
        timeout: 20_000,
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pgbench exited ${code}`))));
    });
    const seen = await sampleServerConnections(psqlBin, pgPortUsed, sessions);
    expect(seen.max).toBeGreaterThan(pooler.maxDbConnections.value);
  });
});
