/**
 * The reference service and the open-loop load generator, run briefly and unpinned on 127.0.0.1 (bounded: at most
 * 200 requests and a few seconds). The p95-against-the-plan comparison needs two dedicated cores and takes ~80 s, so it
 * runs in `npm run bench` (scripts/reference-bench.ts), not here: on a shared machine its timing would not be stable.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { run } = require('../../scripts/load-generator.js') as {
  run(opts: Record<string, number>): Promise<{ sent: number; ok: number; errors: number; durationSec: number; latenciesMs: number[] }>;
};

const scripts = path.join(__dirname, '..', '..', 'scripts');

async function startService(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [path.join(scripts, 'reference-service.js'), ...args, '--max-seconds', '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]) as { port: number }).port);
    });
    child.on('exit', (code) => reject(new Error(`reference service exited ${code}`)));
  });
  return { child, port };
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('reference service + load generator', () => {
  test('serves every request of a light open-loop run, each taking at least its CPU and I/O time', async () => {
    const { child, port } = await startService(['--workers', '2', '--cpu-ms', '1', '--io-ms', '2']);
    try {
      const result = await run({ port, rate: 100, requests: 100, connections: 8, seed: 1, 'max-seconds': 10 });
      expect({ sent: result.sent, ok: result.ok, errors: result.errors }).toEqual({ sent: 100, ok: 100, errors: 0 });
      const mean = result.latenciesMs.reduce((s, x) => s + x, 0) / result.latenciesMs.length;
      expect(mean).toBeGreaterThan(2); // 1 ms CPU + 2 ms I/O on average, rounded to whole ms
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  test('open loop: an overloaded server does not slow the sender, so latencies grow with the backlog', async () => {
    // 20 ms of CPU per request at 100 RPS on one worker is twice its capacity: a closed-loop client would wait for each
    // answer and measure ~20 ms; sending on schedule, the last requests wait for the whole backlog (~0.6 s).
    const { child, port } = await startService(['--workers', '1', '--cpu-ms', '20', '--io-ms', '0']);
    try {
      const result = await run({ port, rate: 100, requests: 60, connections: 16, seed: 2, 'max-seconds': 10 });
      expect(result.ok).toBe(60);
      const sorted = [...result.latenciesMs].sort((a, b) => a - b);
      expect(sorted[sorted.length - 1]).toBeGreaterThan(300);
      expect(sorted[sorted.length - 1]).toBeGreaterThan(10 * sorted[0]);
    } finally {
      await stop(child);
    }
  });

  test.each([
    [['--workers', '0'], "'--workers' (0) must be a whole number in [1, 64]"],
    [['--cpu-ms', '0'], "'--cpu-ms' (0) must be > 0"],
    [['--threads', '2'], "unknown option '--threads'"],
  ])('the service rejects %p', (args, message) => {
    const result = spawnSync(process.execPath, [path.join(scripts, 'reference-service.js'), ...args], { encoding: 'utf8', timeout: 10_000 });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(message);
  });

  test('the generator rejects a missing rate and oversized runs', () => {
    const gen = (args: string[]) => spawnSync(process.execPath, [path.join(scripts, 'load-generator.js'), ...args], { encoding: 'utf8', timeout: 10_000 });
    expect(gen(['--port', '1', '--requests', '5']).stderr).toContain("'--rate' is required");
    expect(gen(['--port', '1', '--rate', '5', '--requests', '2000000']).stderr).toContain("'--requests' (2000000) must be <= 1,000,000");
  });
});
