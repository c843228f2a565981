/**
 * A tiny HTTP API on 127.0.0.1 (a free port) with injectable latency and error rate, for the load-test gate's tests.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeApiOptions {
  /** Every response waits this long. @default 0 */
  readonly latencyMs?: number;
  /** Every n-th request answers 503 (deterministic, so the error rate is exact). @default never */
  readonly failEvery?: number;
}

export interface FakeApi {
  readonly url: string;
  /** Requests seen, by method and path with a trailing item number as '*' ('GET /api/catalog/*'). */
  readonly seen: Map<string, number>;
  /** Requests answered so far. */
  count(): number;
  close(): Promise<void>;
}

/** Starts the server; close() it in afterAll. */
export async function startFakeApi(options: FakeApiOptions = {}): Promise<FakeApi> {
  const seen = new Map<string, number>();
  let n = 0;
  const server = http.createServer((req, res) => {
    const i = ++n;
    const key = `${req.method} ${(req.url ?? '').replace(/\/\d+$/, '/*')}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    req.resume();
    const status = options.failEvery && i % options.failEvery === 0 ? 503 : 200;
    const reply = () => res.writeHead(status, { 'content-type': 'application/json' }).end('{"ok":true}');
    if (options.latencyMs) setTimeout(reply, options.latencyMs);
    else reply();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    count: () => n,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
