#!/usr/bin/env node
/**
 * A reference HTTP service that queues the way the seeds' Phase 1 API does: Node's `cluster` module with one
 * single-threaded worker per vCPU, connections dealt round-robin to the workers (SCHED_RR, Node's default on Linux).
 * Each request burns a random amount of CPU (exponential with mean --cpu-ms, measured with process.cpuUsage, so time
 * the core spends elsewhere does not count), then waits a random I/O time (exponential with mean --io-ms, a timer:
 * the worker serves other requests meanwhile, as it would while awaiting the database), then answers 200.
 * It is what the capacity model calls 'per-worker' with cpuMsPerRequest = --cpu-ms and a database/cache time of --io-ms.
 *
 *   node scripts/reference-service.js [--workers 1] [--cpu-ms 4] [--io-ms 5] [--port 0] [--seed 1] [--max-seconds 900]
 *
 * Listens on 127.0.0.1 only. When every worker listens it prints one JSON line, {"port":..,"workerPids":[..]}.
 * Stops on SIGTERM/SIGINT, and by itself after --max-seconds so a forgotten run cannot linger.
 * Plain JavaScript (no build step), so the tests and the bench can start it with `taskset -c 0 node ...`.
 */
'use strict';
const cluster = require('node:cluster');
const http = require('node:http');
const { mulberry32 } = require('./mulberry32.js');

/** Parses --name value pairs; every option is a number. */
function options(argv) {
  const known = { workers: 1, 'cpu-ms': 4, 'io-ms': 5, port: 0, seed: 1, 'max-seconds': 900 };
  const out = { ...known };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    const value = Number(argv[i + 1]);
    if (!(name in known)) throw new Error(`unknown option '${argv[i]}'; known: ${Object.keys(known).map((k) => `--${k}`).join(', ')}`);
    if (!Number.isFinite(value) || value < 0) throw new Error(`'--${name}' (${argv[i + 1]}) must be a number >= 0`);
    out[name] = value;
  }
  if (!Number.isInteger(out.workers) || out.workers < 1 || out.workers > 64) throw new Error(`'--workers' (${out.workers}) must be a whole number in [1, 64]`);
  if (out['cpu-ms'] <= 0) throw new Error(`'--cpu-ms' (${out['cpu-ms']}) must be > 0`);
  return out;
}


function runWorker(opts) {
  const random = mulberry32(opts.seed * 1000 + cluster.worker.id);
  const exponential = (mean) => -Math.log(1 - random()) * mean;
  const server = http.createServer((req, res) => {
    // CPU first: spin until this process has used the drawn CPU time (user + system, microseconds).
    const cpuUs = exponential(opts['cpu-ms']) * 1000;
    const start = process.cpuUsage();
    for (;;) {
      const used = process.cpuUsage(start);
      if (used.user + used.system >= cpuUs) break;
    }
    // Then the I/O wait: the event loop is free for other requests until the timer fires (Node timers have 1 ms
    // steps, so the wait is rounded to the nearest millisecond; the mean is kept).
    const ioMs = opts['io-ms'] > 0 ? Math.round(exponential(opts['io-ms'])) : 0;
    const answer = () => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
      res.end('ok');
    };
    if (ioMs > 0) setTimeout(answer, ioMs);
    else answer();
  });
  server.keepAliveTimeout = 60_000;
  server.listen(opts.port, '127.0.0.1', () => process.send({ listening: server.address().port }));
}

function runPrimary(opts) {
  cluster.schedulingPolicy = cluster.SCHED_RR; // deal connections round-robin, as Node does by default on Linux
  const pids = [];
  let port;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers)) worker.kill();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  for (let i = 0; i < opts.workers; i++) {
    const worker = cluster.fork();
    worker.on('message', (message) => {
      if (!message || typeof message.listening !== 'number') return;
      port = message.listening;
      pids.push(worker.process.pid);
      if (pids.length === opts.workers) process.stdout.write(`${JSON.stringify({ port, workerPids: pids })}\n`);
    });
  }
  cluster.on('exit', (worker, code, signal) => {
    if (!stopping) {
      process.stderr.write(`worker ${worker.process.pid} exited (${signal ?? code}); stopping\n`);
      stop();
    }
  });
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  setTimeout(stop, opts['max-seconds'] * 1000).unref();
  // Exit when every worker is gone after a stop.
  cluster.on('exit', () => {
    if (stopping && Object.keys(cluster.workers).length === 0) process.exit(0);
  });
}

const opts = options(process.argv.slice(2));
if (cluster.isPrimary) runPrimary(opts);
else runWorker(opts);
