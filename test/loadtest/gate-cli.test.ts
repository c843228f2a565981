import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_MODEL } from '../../lib/capacity';
import { main, parseArgs, USAGE } from '../../scripts/roadmap';
import { startFakeApi } from '../support/fake-api';

async function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('scaling-roadmap gate', () => {
  test('the usage documents the gate and its exit codes', () => {
    expect(USAGE).toContain('scaling-roadmap gate --phase <1-3> --target <url> [--scale <f>] [--duration <s>]');
    expect(USAGE).toMatch(/99 when a threshold fails/);
  });

  test('parses a full command line', () => {
    expect(parseArgs(['gate', '--phase', '2', '--target', 'http://127.0.0.1:1', '--scale', '0.5', '--duration', '60', '--profile', 'origin', '--max-requests', '5000'])).toEqual({
      command: 'gate',
      phase: 2,
      target: 'http://127.0.0.1:1',
      scale: 0.5,
      durationSec: 60,
      profile: 'origin',
      model: undefined,
      maxRequests: 5000,
    });
  });

  test.each([
    [['gate', '--phase', '1', '--target', 'http://127.0.0.1:1', '--rps', '10'], "unknown option '--rps' for gate"],
    [['gate', '--phase', '4', '--target', 'http://127.0.0.1:1'], "--phase must be one of 1, 2, 3 (got '4')"],
    [['gate', '--phase', 'two', '--target', 'http://127.0.0.1:1'], "--phase must be one of 1, 2, 3 (got 'two')"],
    [['gate', '--target', 'http://127.0.0.1:1'], '--phase must be one of 1, 2, 3 (got nothing)'],
    [['gate', '--phase', '1'], '--target must be the base URL to load'],
    [['gate', '--phase', '1', '--target', 'http://127.0.0.1:1', '--scale', '0'], "--scale must be a number > 0 and <= 1,000 (got '0')"],
    [['gate', '--phase', '1', '--target', 'http://127.0.0.1:1', '--scale', 'fast'], "--scale must be a number > 0 and <= 1,000 (got 'fast')"],
    [['gate', '--phase', '1', '--target', 'http://127.0.0.1:1', '--duration', '-5'], "--duration must be a number > 0 and <= 86,400 s (got '-5')"],
    [['gate', '--phase', '1', '--target'], "'--target' needs a value"],
    [['gate', '--phase', '1', '--target', 'http://127.0.0.1:1', '--duration', '100000'], "--duration must be a number > 0 and <= 86,400 s (got '100000')"],
    [['gate', '--phase', '1', '--target', 'http://127.0.0.1:1', '--max-requests', '1.5'], "--max-requests must be a whole number >= 1 and <= 10,000,000 (got '1.5')"],
    [['gate', '--phase', '1', '--target', 'http://127.0.0.1:1', '--profile', 'cdn'], "--profile must be one of edge, origin (got 'cdn')"],
  ])('a bad command line %j: exit 2 naming the flag and the allowed values', async (args, reason) => {
    expect(() => parseArgs(args)).toThrow(reason);
    const { code, stdout, stderr } = await run(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(reason);
    expect(stderr).toContain('scaling-roadmap gate --phase <1-3>');
  });

  test('a run the cap refuses (or a bad URL): exit 2 before sending anything', async () => {
    const api = await startFakeApi();
    try {
      const capped = await run('gate', '--phase', '1', '--target', api.url, '--max-requests', '1000');
      expect(capped.code).toBe(2);
      expect(capped.stderr).toMatch(/^Model: the embedded default \(lib\/capacity\/defaults\.ts\)\nscaling-roadmap gate: the run would send [\d,]+ requests, above the cap of 1,000/);
      expect(api.count()).toBe(0);
      const badUrl = await run('gate', '--phase', '1', '--target', 'ftp://127.0.0.1/', '--scale', '0.01', '--duration', '2');
      expect(badUrl).toMatchObject({ code: 2, stderr: "Model: the embedded default (lib/capacity/defaults.ts)\nscaling-roadmap gate: --target must be an http:// or https:// URL (got 'ftp://127.0.0.1/')\n" });
    } finally {
      await api.close();
    }
  });

  test('a bad --model: exit 1 with the model error, nothing sent', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gate-cli-')), 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_MODEL, slo: { p95Ms: -1, errorRatePct: 0.5 } }));
    const { code, stdout, stderr } = await run('gate', '--phase', '1', '--target', 'http://127.0.0.1:9', '--model', file);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Invalid capacity model in '.*bad\.json': slo\.p95Ms: must be a number > 0/);
  });

  test('exit 0 and the table on a healthy server; exit 99 when a threshold fails', async () => {
    const healthy = await startFakeApi({ latencyMs: 2 });
    const failing = await startFakeApi({ latencyMs: 2, failEvery: 10 });
    try {
      const pass = await run('gate', '--phase', '1', '--target', healthy.url, '--scale', '0.01', '--duration', '2');
      expect(pass.code).toBe(0);
      expect(pass.stdout).toMatch(/^Load-test gate: Phase 1 \(2x\), edge profile, http:\/\/127\.0\.0\.1:\d+\n/);
      expect(pass.stdout).toMatch(/\| p95 latency \| [\d,.]+ ms \| < 500 ms \| pass \|/);
      expect(pass.stdout).toMatch(/\nPASS\n$/);
      const fail = await run('gate', '--phase', '1', '--target', failing.url, '--scale', '0.01', '--duration', '2', '--profile', 'origin');
      expect(fail.code).toBe(99);
      expect(fail.stdout).toMatch(/\| error rate \| (9\.\d+|10) % \([\d,]+ of [\d,]+\) \| < 0\.5 % \| FAIL \|/);
      expect(fail.stdout).toMatch(/\nFAIL: the phase is not promoted\n$/);
    } finally {
      await Promise.all([healthy.close(), failing.close()]);
    }
  });
});
