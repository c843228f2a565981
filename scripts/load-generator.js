#!/usr/bin/env node
/**
 * An open-loop HTTP load generator for 127.0.0.1: requests are sent on a seeded Poisson schedule whatever the server
 * does, and each latency is measured from the request's *scheduled* send time, so a stalled server cannot slow the
 * sender down and hide its own queue (no coordinated omission).
 *
 *   node scripts/load-generator.js --port 8080 --rate 100 --requests 4000 [--connections 32] [--seed 1] [--max-seconds 60]
 *
 * Prints one JSON line: {"sent","ok","errors","durationSec","latenciesMs":[..],"sendLagP99Ms"}. Bounded: at most
 * --requests requests, none scheduled after --max-seconds, and each one abandoned after 10 s. Host is always 127.0.0.1.
 * Plain JavaScript so it runs pinned to its own core without a build (`taskset -c 1 node ...`).
 */
'use strict';
const http = require('node:http');
const { mulberry32 } = require('./mulberry32.js');

const REQUEST_TIMEOUT_MS = 10_000;

function options(argv) {
  const known = { port: NaN, rate: NaN, requests: NaN, connections: 32, seed: 1, 'max-seconds': 60 };
  const out = { ...known };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    const value = Number(argv[i + 1]);
    if (!(name in known)) throw new Error(`unknown option '${argv[i]}'; known: ${Object.keys(known).map((k) => `--${k}`).join(', ')}`);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`'--${name}' (${argv[i + 1]}) must be a number > 0`);
    out[name] = value;
  }
  for (const name of ['port', 'rate', 'requests']) if (Number.isNaN(out[name])) throw new Error(`'--${name}' is required`);
  if (out.requests > 1_000_000) throw new Error(`'--requests' (${out.requests}) must be <= 1,000,000`);
  if (out['max-seconds'] > 600) throw new Error(`'--max-seconds' (${out['max-seconds']}) must be <= 600`);
  return out;
}


/** Runs the schedule; resolves when every sent request has answered, failed or timed out. */
function run(opts) {
  const random = mulberry32(opts.seed);
  // 'fifo' rotates through the open connections like a load balancer's pool; the default 'lifo' would reuse the same
  // one or two while the load is light, pinning them to one worker of a Node cluster.
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections, scheduling: 'fifo' });
  const schedule = new Float64Array(opts.requests);
  let t = 0;
  for (let i = 0; i < opts.requests; i++) {
    t += (-Math.log(1 - random()) / opts.rate) * 1000;
    schedule[i] = t;
  }
  const latenciesMs = [];
  const sendLagsMs = [];
  let errors = 0;
  let sent = 0;
  let settled = 0;
  const startedAt = performance.now() + 20; // a short lead so the first send is not already late
  const deadline = opts['max-seconds'] * 1000;

  return new Promise((resolve) => {
    let lastScheduled = 0;
    const finish = () => {
      agent.destroy();
      resolve({
        sent,
        ok: latenciesMs.length,
        errors,
        durationSec: lastScheduled / 1000,
        latenciesMs,
        sendLagP99Ms: sendLagsMs.sort((a, b) => a - b)[Math.floor(sendLagsMs.length * 0.99)] ?? 0,
      });
    };
    const settle = () => {
      settled++;
      if (settled === sent && (sent === opts.requests || lastScheduled >= deadline)) finish();
    };
    const send = (scheduledAt) => {
      sent++;
      sendLagsMs.push(performance.now() - scheduledAt);
      const req = http.request({ host: '127.0.0.1', port: opts.port, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) latenciesMs.push(performance.now() - scheduledAt);
          else errors++;
          settle();
        });
      });
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors++;
        settle();
      });
      req.end();
    };
    let next = 0;
    const tick = () => {
      const now = performance.now() - startedAt;
      while (next < opts.requests && schedule[next] <= now && schedule[next] < deadline) {
        lastScheduled = schedule[next];
        send(startedAt + schedule[next++]);
      }
      if (next < opts.requests && schedule[next] < deadline) {
        const wait = schedule[next] - (performance.now() - startedAt);
        // Timers have 1 ms steps: sleep until about a millisecond before the next send, then poll.
        if (wait > 1.5) setTimeout(tick, wait - 1);
        else setImmediate(tick);
      } else if (settled === sent) finish();
      else next = opts.requests; // the rest is past the deadline: settle() finishes once in-flight requests end
    };
    setTimeout(tick, 20);
  });
}

module.exports = { run };

if (require.main === module) {
  run(options(process.argv.slice(2))).then((result) => process.stdout.write(`${JSON.stringify(result)}\n`));
}
