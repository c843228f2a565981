/**
 * A valid model whose every planned value that reaches a construct differs from that construct's default, in every
 * phase. With the default model many planned values equal the defaults (65 % CPU, port 8080, '/', 14 days...), so a
 * hand-off deleted from phases/ would go unnoticed; with this one the wiring test (test/phases/wiring.test.ts) fails.
 */
import { CapacityInput, DEFAULT_MODEL } from '../../lib/capacity';

export const OFF_DEFAULT_MODEL: CapacityInput = {
  ...DEFAULT_MODEL,
  service: {
    name: 'ticket-sales',
    costCentre: 'live-events',
    containerImage: 'public.ecr.aws/docker/library/node:20-alpine',
    containerPort: 3000,
    // The node image's own non-root user; a Node API writes only to /tmp.
    containerUser: '1000:1000',
    writablePaths: ['/tmp'],
    healthCheckPath: '/healthz',
    taskStartupSec: 90,
    healthCheckIntervalSec: 10,
    requestTimeoutSec: 20,
  },
  aws: { region: 'eu-west-1', account: '210987654321', availabilityZones: 2 },
  current: {
    ...DEFAULT_MODEL.current,
    peakRps: 600,
    // Big keys (seat maps) and a hot cache: a larger node and more replicas than the constructs' defaults.
    workingSetGb: 12,
    readsPerWrite: 19,
    cpuMsPerRequest: 4,
  },
  slo: { p95Ms: 400, errorRatePct: 1, availabilityPct: 99.5 },
  policy: {
    apiTargetCpuPct: 55,
    minTasks: 3,
    backupRetentionDays: 21,
    // Half a year of logs instead of the constructs' month.
    logRetentionDays: 180,
    // A cooler database (40 % CPU): in phase 1 the promoted writer cannot also carry the reads (43 %), so the reader
    // rule keeps the failover spare and plans 2 readers, not the construct's default 1.
    dbTargetCpuPct: 40,
    cacheOpsPerSecPerNode: 4000,
    // Seat maps as Redis hashes: a heavy per-key overhead. With 4,000 ops/s per node the cache runs in cluster mode
    // from phase 2, and the memory keeps each shard's node above the construct's default node type.
    cacheOverheadFactor: 4,
    // Seat maps: a few hot events take most reads, so least-frequently-used keeps them better than LRU.
    cacheEvictionPolicy: 'allkeys-lfu',
    // Fewer, larger tasks than the default 100 (16-vCPU tasks in phase 3, where 66 carry the design peak), with more
    // memory per vCPU than the construct's 2 GiB.
    maxTasksPerService: 70,
    memoryMiBPerVcpu: 3072,
  },
  budget: { currency: 'USD', monthlyCeiling: 50_000, costPer1000PeakRps: 40_000 },
  clients: { peakRpsPerClient: 3, burstFactor: 3, loginPathPrefix: '/v2/login', loginAttemptsPerMinute: 10, rateWindowSec: 120 },
  // Its own words and queue: 30 % of writes (seat-hold expiries, receipts) through the write queue, 2 s each.
  workload: {
    primaryTable: 'tickets',
    partitionKey: 'event_id',
    criticalWrite: 'seat purchase',
    sharedReads: 'venue maps',
    asyncWriteShare: 0.3,
    asyncWrites: 'seat-hold expiries and receipts',
    asyncMessageMs: 2000,
    asyncLatencySec: 300,
  },
  cdn: {
    staticPathPatterns: ['/s/*'],
    cacheableApiPathPatterns: ['/v2/events/*', '/v2/venues/*'],
    staticTtlSec: 2_592_000,
    apiStalenessSec: 20,
  },
  // A domain: HTTPS to the origin instead of the constructs' HTTP default.
  domain: {
    name: 'tickets.example.org',
    hostedZoneId: 'Z0987654321ZYXWVUTSRQ',
    hostedZoneName: 'example.org',
    edgeCertificateArn: 'arn:aws:acm:us-east-1:210987654321:certificate/fedcba98-7654-3210-fedc-ba9876543210',
    regionalCertificateArns: { 'eu-west-1': 'arn:aws:acm:eu-west-1:210987654321:certificate/fedcba98-7654-3210-fedc-ba9876543210' },
  },
};
