/**
 * The load-test gate you can run without k6: an open-loop Node generator that sends the k6 script's stages (scaled
 * and compressed on request) at a fixed arrival rate, and judges the run with the same SLO thresholds.
 *
 * Open loop: request k goes at its scheduled time whether or not earlier ones have answered, and its latency is
 * measured from that scheduled time, so a server that makes requests queue (or a generator that falls behind) shows
 * in the p95 instead of silently lowering the rate (coordinated omission). p95 is computed from the raw latencies.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { performance } from 'node:perf_hooks';
import { LoadTestEntry, LoadTestPlan } from '../capacity/load-test-plan';
import { formatNumber as num } from '../capacity/summary';
import { ITEMS_PER_PATTERN } from './k6-script';
import { arrivalTimes, GateStage, gateStages, percentile, plannedRequests } from './schedule';

/** Requests a run may send unless told otherwise: a hard cap, checked before the first request. */
export const DEFAULT_MAX_REQUESTS = 100_000;
/** Seconds after the last scheduled send that in-flight requests get before they count as failed. */
const DRAIN_GRACE_SEC = 2;
/** abortOnFail needs this many answers first: a p95 of a handful of requests is their maximum. */
const ABORT_MIN_SAMPLES = 50;
/** Generator send lag (p95) above this share of the p95 threshold makes a p95 failure suspect. */
const SEND_LAG_SUSPECT_SHARE = 0.1;

/** A run the gate refuses to start (too many requests, none at all, a bad URL). */
export class GateError extends Error {}

/** What to run. */
export interface GateOptions {
  readonly plan: LoadTestPlan;
  /** Base URL: the CloudFront URL (edge) or the load balancer (origin). */
  readonly target: string;
  /** Which profile's rates to send. @default plan.defaultEntry */
  readonly entry?: LoadTestEntry;
  /** Multiplies every rate (and the in-flight cap). @default 1 */
  readonly scale?: number;
  /** The whole run lasts this long; stage durations shrink or grow in proportion. @default plan.totalSec */
  readonly durationSec?: number;
  /** Hard cap on requests: a run whose stages ask for more is refused before it starts. @default 100,000 */
  readonly maxRequests?: number;
  /** A request slower than this counts as failed. @default plan.requestTimeoutSec */
  readonly requestTimeoutSec?: number;
}

/** One line of the pass/fail table. */
export interface GateCheck {
  readonly name: string;
  readonly measured: string;
  readonly gate: string;
  /** undefined for information rows. */
  readonly passed?: boolean;
}

/** The outcome of a run. */
export interface GateResult {
  readonly label: string;
  readonly entry: LoadTestEntry;
  readonly target: string;
  readonly scale: number;
  readonly durationSec: number;
  readonly stages: readonly GateStage[];
  readonly planned: number;
  readonly sent: number;
  /** Requests that got an HTTP response (any status). */
  readonly completed: number;
  /** HTTP >= 400, timeouts and connection errors (k6's http_req_failed). */
  readonly failed: number;
  readonly p95Ms: number;
  readonly errorRate: number;
  /** p95 and error rate of the requests scheduled inside the (compressed) chaos window. */
  readonly chaos: { readonly startSec: number; readonly endSec: number; readonly action: string; readonly requests: number; readonly p95Ms: number; readonly errorRate: number };
  /** p95 of (actual send time - scheduled time): a large value means the generator, not the target, was slow. */
  readonly sendLagP95Ms: number;
  readonly achievedRps: number;
  readonly plannedRps: number;
  /** The thresholds the run was judged by. */
  readonly thresholds: { readonly p95Ms: number; readonly errorRate: number };
  /** Why sending stopped early (abortOnFail), if it did. */
  readonly aborted?: string;
  readonly checks: readonly GateCheck[];
  readonly passed: boolean;
}

/** Runs the gate against `options.target`; resolves when every request has answered or timed out. */
export async function runGate(options: GateOptions): Promise<GateResult> {
  const { plan } = options;
  const entry = options.entry ?? plan.defaultEntry.value;
  const scale = options.scale ?? 1;
  const durationSec = options.durationSec ?? plan.totalSec.value;
  const cap = options.maxRequests ?? DEFAULT_MAX_REQUESTS;
  const timeoutMs = (options.requestTimeoutSec ?? plan.requestTimeoutSec.value) * 1000;
  const url = parseTarget(options.target);
  const stages = gateStages(plan, entry, scale, durationSec);
  const planned = plannedRequests(stages);
  if (planned > cap) {
    throw new GateError(`the run would send ${num(planned)} requests, above the cap of ${num(cap)}: lower --scale or --duration, or raise --max-requests`);
  }
  if (planned === 0) throw new GateError('the run would send no requests: raise --scale or --duration');
  const times = arrivalTimes(stages, cap);
  const profile = plan.profiles[entry];
  const compress = durationSec / plan.totalSec.value;
  const chaos = { start: plan.chaos.startSec.value * compress, end: plan.chaos.endSec.value * compress };
  const abortAfterSec = plan.thresholds.delayAbortEvalSec.value * compress;
  const thresholdMs = plan.thresholds.p95Ms.value;

  const client = url.protocol === 'https:' ? https : http;
  // In flight at most the plan's maxVUs (scaled), like k6: beyond that requests wait for a socket, and the wait
  // counts in their latency because it is measured from the scheduled time.
  const agent = new client.Agent({ keepAlive: true, maxSockets: Math.max(1, Math.ceil(profile.maxVUs.value * scale)) });
  const latencyMs = new Float64Array(times.length).fill(NaN);
  const failedAt = new Uint8Array(times.length);
  const answered = new Uint8Array(times.length);
  const sendLagMs: number[] = [];
  const writeShare = 1 - profile.readShare.value;
  const base = url.href.replace(/\/+$/, '');
  let sent = 0;
  let finished = 0;
  let aborted: string | undefined;
  let lastAbortCheck = 0;
  let sendingDone = false;
  let sendingEndedSec = 0;

  // One untimed request first: module loading, JIT and the first connection are the generator's start-up cost,
  // not the target's latency. Its outcome is ignored; the run counts every failure that follows.
  await preflight(client, agent, `${base}${readPath(plan.readPaths.value, 0)}`, timeoutMs);

  const t0 = performance.now();
  const elapsedSec = () => (performance.now() - t0) / 1000;

  await new Promise<void>((resolve) => {
    let hardStop: NodeJS.Timeout | undefined;
    const settle = (i: number, failed: boolean) => {
      if (!Number.isNaN(latencyMs[i])) return;
      latencyMs[i] = performance.now() - (t0 + times[i] * 1000);
      failedAt[i] = failed ? 1 : 0;
      finished++;
      maybeDone();
    };
    const maybeDone = () => {
      if (sendingDone && finished === sent) {
        if (hardStop) clearTimeout(hardStop);
        resolve();
      }
    };
    const send = (i: number) => {
      // Writes spread evenly through the run: request i is a write when the running write count steps up.
      const write = Math.floor((i + 1) * writeShare) > Math.floor(i * writeShare);
      const path = write ? plan.writePaths.value[i % plan.writePaths.value.length] : readPath(plan.readPaths.value, i);
      const body = write ? JSON.stringify({ loadTest: true, iteration: i }) : undefined;
      sendLagMs.push(performance.now() - (t0 + times[i] * 1000));
      sent++;
      const req = client.request(
        `${base}${path}`,
        {
          agent,
          method: write ? 'POST' : 'GET',
          timeout: timeoutMs,
          headers: { 'X-Load-Test': '1', ...(body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {}) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            answered[i] = 1;
            settle(i, (res.statusCode ?? 0) >= 400);
          });
          res.on('error', () => settle(i, true));
          // A connection cut mid-body may end with 'close' alone; after 'end' this is a no-op (settle runs once).
          res.on('close', () => settle(i, true));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => settle(i, true));
      req.end(body);
    };
    const stopSending = () => {
      sendingDone = true;
      sendingEndedSec = elapsedSec();
      // Bounded wall time: whatever has not answered by then is a failure.
      hardStop = setTimeout(() => {
        agent.destroy();
        for (let i = 0; i < sent; i++) settle(i, true);
        resolve();
      }, timeoutMs + DRAIN_GRACE_SEC * 1000);
      maybeDone();
    };
    let next = 0;
    const tick = () => {
      const now = elapsedSec();
      while (next < times.length && times[next] <= now) send(next++);
      // k6's abortOnFail: after delayAbortEval, a p95 over the threshold stops the run early.
      if (now >= abortAfterSec && now - lastAbortCheck >= 1 && finished >= ABORT_MIN_SAMPLES) {
        lastAbortCheck = now;
        const p95 = percentile(Array.from(latencyMs).filter((v) => !Number.isNaN(v)), 95);
        if (p95 > thresholdMs) aborted = `p95 ${num(p95, 1)} ms > ${thresholdMs} ms at ${num(now, 1)} s: stopped early (abortOnFail)`;
      }
      if (next >= times.length || aborted) stopSending();
      else setTimeout(tick, Math.max(0, (times[next] - elapsedSec()) * 1000));
    };
    tick();
  });
  agent.destroy();

  const done = Array.from(latencyMs.subarray(0, sent));
  const failures = Array.from(failedAt.subarray(0, sent)).reduce((a, b) => a + b, 0);
  const inChaos = [...done.keys()].filter((i) => times[i] >= chaos.start && times[i] < chaos.end);
  const result = {
    label: plan.label,
    entry,
    target: options.target,
    scale,
    durationSec,
    stages,
    planned,
    sent,
    completed: Array.from(answered.subarray(0, sent)).reduce((a, b) => a + b, 0),
    failed: failures,
    p95Ms: percentile(done, 95),
    errorRate: sent ? failures / sent : 0,
    chaos: {
      startSec: chaos.start,
      endSec: chaos.end,
      action: plan.chaos.action.value,
      requests: inChaos.length,
      p95Ms: percentile(inChaos.map((i) => done[i]), 95),
      errorRate: inChaos.length ? inChaos.filter((i) => failedAt[i]).length / inChaos.length : 0,
    },
    sendLagP95Ms: percentile(sendLagMs, 95),
    achievedRps: sent / Math.max(sendingEndedSec, 1e-3),
    plannedRps: planned / durationSec,
    thresholds: { p95Ms: thresholdMs, errorRate: plan.thresholds.errorRate.value },
    aborted,
  };
  const checks = gateChecks(plan, result);
  return { ...result, checks, passed: !aborted && checks.every((c) => c.passed !== false) };
}

/** The rows of the pass/fail table. */
function gateChecks(plan: LoadTestPlan, r: Omit<GateResult, 'checks' | 'passed'>): GateCheck[] {
  const p95 = plan.thresholds.p95Ms.value;
  const errors = plan.thresholds.errorRate.value;
  const ms = (v: number) => (Number.isNaN(v) ? '-' : `${num(v, 1)} ms`);
  const pct = (v: number) => `${num(v * 100, 2)} %`;
  const rows: GateCheck[] = [
    { name: 'p95 latency', measured: ms(r.p95Ms), gate: `< ${num(p95)} ms`, passed: r.p95Ms < p95 },
    { name: 'error rate', measured: `${pct(r.errorRate)} (${num(r.failed)} of ${num(r.sent)})`, gate: `< ${pct(errors)}`, passed: r.errorRate < errors },
  ];
  if (r.chaos.requests > 0) {
    rows.push(
      { name: 'p95 in the chaos window', measured: ms(r.chaos.p95Ms), gate: `< ${num(p95)} ms`, passed: r.chaos.p95Ms < p95 },
      { name: 'error rate in the chaos window', measured: pct(r.chaos.errorRate), gate: `< ${pct(errors)}`, passed: r.chaos.errorRate < errors },
    );
  }
  rows.push(
    { name: 'requests sent / completed', measured: `${num(r.sent)} / ${num(r.completed)}`, gate: `${num(r.planned)} planned` },
    { name: 'achieved rate', measured: `${num(r.achievedRps, 1)} req/s`, gate: `${num(r.plannedRps, 1)} req/s planned` },
    { name: 'generator send lag p95', measured: ms(r.sendLagP95Ms), gate: 'large = the generator, not the target, was slow' },
  );
  return rows;
}

/** The result as a Markdown table with a verdict line. */
export function renderGateResult(r: GateResult): string {
  const peak = Math.max(...r.stages.map((s) => s.toRps));
  const lines = [
    `Load-test gate: ${r.label}, ${r.entry} profile, ${r.target}`,
    `${r.stages.length} stages (${r.stages.map((s) => s.name).join(', ')}) up to ${num(peak, 1)} req/s in ${num(r.durationSec, 1)} s (rates x ${r.scale})`,
    `Chaos window: ${num(r.chaos.startSec, 1)}-${num(r.chaos.endSec, 1)} s after the start: ${r.chaos.action} (not done by the gate)`,
    '',
    '| Check | Measured | Gate | Result |',
    '|---|---:|---|---|',
    ...r.checks.map((c) => `| ${c.name} | ${c.measured} | ${c.gate} | ${c.passed === undefined ? '' : c.passed ? 'pass' : 'FAIL'} |`),
    '',
  ];
  if (r.aborted) lines.push(`Aborted: ${r.aborted}`);
  if (generatorSuspect(r)) {
    lines.push(
      `Note: the generator itself fell behind (send lag p95 ${num(r.sendLagP95Ms, 1)} ms): part of the p95 is this machine's, not the target's. ` +
        'The gate still fails (it never promotes on doubt): rerun on a quieter machine or with a lower --scale.',
    );
  }
  lines.push(r.passed ? 'PASS' : 'FAIL: the phase is not promoted', '');
  return lines.join('\n');
}

/** True when the p95 failed while the generator's own send lag was a sizeable part of the threshold. */
export function generatorSuspect(r: Pick<GateResult, 'p95Ms' | 'sendLagP95Ms' | 'thresholds'>): boolean {
  return !(r.p95Ms < r.thresholds.p95Ms) && r.sendLagP95Ms >= r.thresholds.p95Ms * SEND_LAG_SUSPECT_SHARE;
}

/** Sends one request and waits for its end (or error, or timeout), ignoring the outcome. */
function preflight(client: typeof http | typeof https, agent: http.Agent, url: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const req = client.request(url, { agent, method: 'GET', timeout: timeoutMs, headers: { 'X-Load-Test': '1' } }, (res) => {
      res.resume();
      res.on('close', () => resolve());
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve());
    req.end();
  });
}

/** Read path i: the patterns in turn, `*` replaced by an item number (as the k6 script does). */
function readPath(patterns: readonly string[], i: number): string {
  return patterns[i % patterns.length].replace('*', String(Math.floor(i / patterns.length) % ITEMS_PER_PATTERN));
}

function parseTarget(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new GateError(`--target must be an http:// or https:// URL (got '${target}')`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new GateError(`--target must be an http:// or https:// URL (got '${target}')`);
  return url;
}
