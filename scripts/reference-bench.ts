#!/usr/bin/env node
/**
 * A measured fact next to the formula: the reference service (scripts/reference-service.js, Node cluster workers with
 * a CPU cost and an I/O wait per request) pinned to one core, the open-loop load generator (scripts/load-generator.js)
 * pinned to the other, p95 measured at about 40 %, 65 % and 85 % CPU, and compared with what the plan predicts for the
 * same workers and service time ('per-worker' queues, as planApi computes it) and with the project's simulation.
 *
 *   npm run build && node dist/scripts/reference-bench.js [--seconds 25] [--workers 1] [--cpu-ms 4] [--io-ms 5]
 *
 * Both processes run under SCHED_FIFO priority 1 (`chrt -f 1`) when allowed: the machine is shared, and without it the
 * server gets whatever share of its core other processes leave, which no queueing model of a dedicated vCPU describes.
 * The kernel's real-time throttling (95 % of each second by default) still leaves the core to others; every run is
 * bounded (requests, seconds, and the server stops itself).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { quantile, simulateTask } from '../lib/capacity/simulation';
import { taskResponse } from '../lib/capacity/worker-model';

/** Options of {@link runReferenceBench}. */
export interface ReferenceBenchOptions {
  /** Cluster workers (one per core the server gets). @default 1 */
  readonly workers?: number;
  /** Mean CPU per request the service burns (exponential). @default 4 */
  readonly cpuMs?: number;
  /** Mean I/O wait per request (exponential). @default 5 */
  readonly ioMs?: number;
  /** Target utilisations, measured against the calibrated CPU per request. @default [0.4, 0.65, 0.85] */
  readonly utilizations?: readonly number[];
  /** Seconds of load per utilisation. @default 25 */
  readonly secondsPerLevel?: number;
  /** Cores for the server and the load generator (taskset lists). @default '0' and '1' */
  readonly serverCpus?: string;
  readonly clientCpus?: string;
  readonly seed?: number;
}

/** One measured load level. */
export interface ReferenceRow {
  readonly targetUtilization: number;
  readonly rate: number;
  readonly requests: number;
  readonly errors: number;
  /** CPU the workers used per request (from /proc, so HTTP parsing counts), ms. */
  readonly measuredCpuMs: number;
  /** rate x measured CPU per request / workers. */
  readonly measuredUtilization: number;
  readonly measuredP95Ms: number;
  /** The plan's formula (worker-model.ts, per-worker) at the measured CPU per request and the configured I/O mean. */
  readonly predictedP95Ms: number;
  /** simulateTask with the measured CPU per request and exponential I/O: the same model, simulated. */
  readonly simulatedP95Ms: number;
  /** 99th percentile of how late the generator sent a request (already inside the latencies). */
  readonly sendLagP99Ms: number;
  readonly withinTolerance: boolean;
}

/**
 * The measured p95 must lie within [0.65, 1.15] x the plan's prediction. Asymmetric on purpose: the prediction is
 * safe-side by construction. It takes all of a request's CPU time as exponential (coefficient of variation 1), while
 * the reference service's is an exponential 4 ms plus a near-fixed 0.3-1 ms of HTTP work, which queues less; and it
 * puts the response callback behind every request queued at its worker, while libuv runs expired timers before it
 * reads new requests, so the callback sometimes jumps the queue. Measured on 2026-12-02: 0.67-0.80 x at 40-85 % CPU.
 * Above it, 15 % covers the sampling error of a p95 from a few thousand autocorrelated requests at 85 % CPU (the
 * simulation scatters by ~10 % at this run length) and the generator's own send lag; a result above that means the
 * model misses a queue the service has.
 */
export const REFERENCE_TOLERANCE = { below: 0.65, above: 1.15 } as const;

const scriptsDir = (): string => {
  // From dist/scripts (compiled) or scripts (ts via jest): the .js service and generator live in <repo>/scripts.
  for (const dir of [path.join(__dirname, '..', '..', 'scripts'), __dirname]) {
    if (fs.existsSync(path.join(dir, 'reference-service.js'))) return dir;
  }
  throw new Error(`scripts/reference-service.js not found near ${__dirname}`);
};

/** `chrt -f 1 taskset -c <cpus>` when both work here, else `taskset -c <cpus>`; fails clearly without taskset. */
function pinned(cpus: string): { command: string; prefix: string[]; realtime: boolean } {
  if (spawnSync('taskset', ['-c', cpus, 'true']).status !== 0) {
    throw new Error(`'taskset -c ${cpus}' does not work here: install util-linux (apt-get install util-linux) and give valid core numbers`);
  }
  const realtime = spawnSync('chrt', ['-f', '1', 'true']).status === 0;
  return realtime ? { command: 'chrt', prefix: ['-f', '1', 'taskset', '-c', cpus], realtime } : { command: 'taskset', prefix: ['-c', cpus], realtime };
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat (Linux). */
function cpuSeconds(pid: number, ticksPerSec: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // the command name may contain spaces
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSec; // utime, stime are fields 14 and 15 of the line
}

function startServer(opts: Required<ReferenceBenchOptions>): Promise<{ child: ChildProcess; port: number; workerPids: number[]; realtime: boolean }> {
  const pin = pinned(opts.serverCpus);
  const args = [...pin.prefix, process.execPath, path.join(scriptsDir(), 'reference-service.js'), '--workers', String(opts.workers),
    '--cpu-ms', String(opts.cpuMs), '--io-ms', String(opts.ioMs), '--seed', String(opts.seed), '--max-seconds', '900'];
  const child = spawn(pin.command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the reference service did not start within 10 s')), 10_000);
    child.on('exit', (code) => reject(new Error(`the reference service exited (${code}) before listening`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      const { port, workerPids } = JSON.parse(out.split('\n')[0]) as { port: number; workerPids: number[] };
      resolve({ child, port, workerPids, realtime: pin.realtime });
    });
  });
}

interface GeneratorResult { sent: number; ok: number; errors: number; latenciesMs: number[]; sendLagP99Ms: number }

function generate(opts: Required<ReferenceBenchOptions>, port: number, rate: number, requests: number, seed: number): Promise<GeneratorResult> {
  const pin = pinned(opts.clientCpus);
  const args = [...pin.prefix, process.execPath, path.join(scriptsDir(), 'load-generator.js'), '--port', String(port), '--rate', String(rate),
    '--requests', String(requests), '--seed', String(seed), '--max-seconds', String(Math.ceil(opts.secondsPerLevel * 1.5))];
  const child = spawn(pin.command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as GeneratorResult) : reject(new Error(`load generator exited ${code}`))));
  });
}

/** Starts the service, calibrates its CPU per request, measures each level, stops the service. */
export async function runReferenceBench(options: ReferenceBenchOptions = {}): Promise<{ rows: ReferenceRow[]; realtime: boolean; calibratedCpuMs: number }> {
  const opts: Required<ReferenceBenchOptions> = {
    workers: 1, cpuMs: 4, ioMs: 5, utilizations: [0.4, 0.65, 0.85], secondsPerLevel: 25, serverCpus: '0', clientCpus: '1', seed: 1, ...options,
  };
  const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  const server = await startServer(opts);
  const used = () => server.workerPids.reduce((sum, pid) => sum + cpuSeconds(pid, ticks), 0);
  try {
    // Calibration (also the JIT warm-up): what one request really costs, HTTP handling included, at ~30 % CPU.
    const calibrationRate = (0.3 * opts.workers * 1000) / opts.cpuMs;
    const before = used();
    const calibration = await generate(opts, server.port, calibrationRate, Math.round(calibrationRate * 5), opts.seed + 100);
    const calibratedCpuMs = ((used() - before) * 1000) / calibration.ok;

    const rows: ReferenceRow[] = [];
    for (const [i, u] of opts.utilizations.entries()) {
      const rate = (u * opts.workers * 1000) / calibratedCpuMs;
      const requests = Math.round(rate * opts.secondsPerLevel);
      const start = used();
      const result = await generate(opts, server.port, rate, requests, opts.seed + i);
      const measuredCpuMs = ((used() - start) * 1000) / result.ok;
      const serviceTimeSec = measuredCpuMs / 1000;
      const measuredUtilization = (rate * serviceTimeSec) / opts.workers;
      const latencies = Float64Array.from(result.latenciesMs);
      const measuredP95Ms = quantile(latencies, 0.95);
      const predictedP95Ms =
        measuredUtilization < 1
          ? taskResponse('per-worker', rate, opts.workers, serviceTimeSec, opts.ioMs / 1000).p95Sec * 1000
          : Number.POSITIVE_INFINITY;
      const sim = simulateTask({
        workerModel: 'per-worker', arrivalRatePerSec: rate, serviceTimeSec, workers: opts.workers, ioMeanSec: opts.ioMs / 1000, customers: 300_000, seed: 7 + i,
      });
      rows.push({
        targetUtilization: u, rate, requests: result.sent, errors: result.errors, measuredCpuMs, measuredUtilization, measuredP95Ms, predictedP95Ms,
        simulatedP95Ms: quantile(sim.responseTimesSec, 0.95) * 1000, sendLagP99Ms: result.sendLagP99Ms,
        withinTolerance: result.errors === 0 && measuredP95Ms >= REFERENCE_TOLERANCE.below * predictedP95Ms && measuredP95Ms <= REFERENCE_TOLERANCE.above * predictedP95Ms,
      });
    }
    return { rows, realtime: server.realtime, calibratedCpuMs };
  } finally {
    server.child.kill('SIGTERM');
  }
}

/** The rows as a Markdown table. */
export function referenceTable(rows: readonly ReferenceRow[]): string {
  const f = (n: number, d = 1) => n.toFixed(d);
  const head = '| target CPU | RPS | requests | CPU ms/req | measured CPU | measured p95 | plan p95 | measured / plan | simulated p95 | within tolerance |';
  const lines = rows.map((r) =>
    `| ${f(r.targetUtilization * 100, 0)} % | ${f(r.rate)} | ${r.requests} | ${f(r.measuredCpuMs, 2)} | ${f(r.measuredUtilization * 100)} % | ${f(r.measuredP95Ms)} ms | ${f(r.predictedP95Ms)} ms | ${f(r.measuredP95Ms / r.predictedP95Ms, 2)} | ${f(r.simulatedP95Ms)} ms | ${r.withinTolerance ? 'yes' : 'NO'} |`,
  );
  return [head, '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|', ...lines].join('\n');
}

async function main(args: readonly string[]): Promise<number> {
  const num = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const { rows, realtime, calibratedCpuMs } = await runReferenceBench({
    secondsPerLevel: num('seconds', 25), workers: num('workers', 1), cpuMs: num('cpu-ms', 4), ioMs: num('io-ms', 5),
    ...(args.includes('--levels') ? { utilizations: args[args.indexOf('--levels') + 1].split(',').map(Number) } : {}),
  });
  console.log(`reference service: Node cluster, per-worker queues; CPU per request calibrated at ${calibratedCpuMs.toFixed(2)} ms; ${realtime ? 'SCHED_FIFO' : 'normal priority (chrt not allowed: expect noise)'}`);
  console.log(referenceTable(rows));
  console.log(`tolerance: measured p95 within [${REFERENCE_TOLERANCE.below}, ${REFERENCE_TOLERANCE.above}] x the plan's prediction (see REFERENCE_TOLERANCE)`);
  return rows.every((r) => r.withinTolerance) ? 0 : 1;
}

if (require.main === module) main(process.argv.slice(2)).then((code) => process.exit(code));
