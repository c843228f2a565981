/**
 * Real PostgreSQL 15 and PgBouncer on loopback for tests: started and stopped inside the test run, as the `postgres`
 * user (PostgreSQL and PgBouncer refuse to run as root, and CI runs as root). Processes are spawned with the user's
 * uid/gid (what `runuser -u postgres --` does), so the pid we hold is the server's own and stopping it is exact.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const PG_BIN = '/usr/lib/postgresql/15/bin';
const INSTALL_HINT = 'apt-get update && apt-get install -y postgresql-15 pgbouncer (.ci/run does this on a fresh machine)';

/** Absolute path of a required binary, or an error naming the install command (never a silent skip). */
export function requireBinary(
  name: 'initdb' | 'postgres' | 'pgbench' | 'psql' | 'pgbouncer',
  candidates: readonly string[] = name === 'pgbouncer' ? ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'] : [path.join(PG_BIN, name)],
): string {
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`${name} is not installed (looked in ${candidates.join(', ')}): run '${INSTALL_HINT}'`);
  postgresUser();
  return found;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** uid and gid of the postgres system user. */
export function postgresUser(): { uid: number; gid: number } {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) throw new Error(`the 'postgres' system user is missing: run '${INSTALL_HINT}'`);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Runs a command as the postgres user, synchronously, bounded in time; throws with its output on failure. */
export function asPostgres(command: string, args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): string {
  const result = spawnSync(command, args, {
    ...postgresUser(),
    cwd: os.tmpdir(),
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 30_000,
    env: { ...process.env, ...options.env },
  });
  if (result.status !== 0) {
    throw new Error(`${path.basename(command)} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** A directory the postgres user owns, removed by `cleanup`. */
export function postgresOwnedDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o700);
  spawnSync('chown', ['postgres:postgres', dir]);
  return dir;
}

/** Writes a file the postgres user owns and only it can read. */
export function writePostgresFile(file: string, text: string): void {
  fs.writeFileSync(file, text, { mode: 0o600 });
  spawnSync('chown', ['postgres:postgres', file]);
}

/** Starts a long-running process as postgres and waits until `port` accepts TCP connections. */
export async function startAsPostgres(command: string, args: string[], port: number, timeoutMs = 20_000): Promise<ChildProcess> {
  const child = spawn(command, args, { ...postgresUser(), cwd: os.tmpdir(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${path.basename(command)} exited with ${child.exitCode}: ${stderr}`);
    if (await accepts(port)) return child;
    if (Date.now() > deadline) {
      stop(child);
      throw new Error(`${path.basename(command)} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Stops a process this test started (by its own pid), and waits for it to exit. */
export async function stopAndWait(child: ChildProcess | undefined, timeoutMs = 10_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  stop(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

function stop(child: ChildProcess): void {
  // PostgreSQL's SIGTERM is a "smart" shutdown that waits for clients; SIGINT is "fast" (PgBouncer: SIGINT also stops it).
  child.kill('SIGINT');
}
