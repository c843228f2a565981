/**
 * The seeds' twelve sections, written from the report data with the configuration values the stacks use.
 */
import { CACHE_NODE_TYPES, DB_INSTANCE_CLASSES, duration, HOURS_PER_MONTH, PhasePlan, SATURATION_LABELS, saturationAlarmFor } from '../capacity';
import type { TodayReconciliation } from '../capacity';
import { OUTPUTS } from '../outputs';
import { Block, code, list, money, num, paragraph, Section, table } from './blocks';
import type { RoadmapReport } from './report';
import { shardingBlocks, verdictBlock } from './sharding-queue';

const pct = (share: number, digits = 0) => `${num(share * 100, digits)} %`;
const months = (m: number) => (m <= 0 ? 'now' : `${num(m, 1)} months`);

/** All twelve sections, in the seeds' order. */
export function reportSections(r: RoadmapReport): Section[] {
  return [
    assessment(r),
    phases(r),
    horizontalScaling(r),
    databasePath(r),
    cachingHierarchy(r),
    loadTesting(r),
    autoscaling(r),
    trafficManagement(r),
    cdnStrategy(r),
    monitoring(r),
    costProjections(r),
    runbook(r),
  ];
}

function assessment(r: RoadmapReport): Section {
  const { model } = r;
  const blocks: Block[] = [
    paragraph(
      `Today: ${num(model.current.peakRps)} RPS at peak, p95 ${num(model.current.p95LatencyMs)} ms, ${num(model.current.readsPerWrite)} reads per write, ` +
        `growing ${num(model.growth.monthlyGrowthPct, 1)} % a month; flash sales reach ${num(model.peakPattern.flashSaleMultiplier)}x the daily average. ` +
        `SLO: p95 < ${num(model.slo.p95Ms)} ms, errors < ${model.slo.errorRatePct} %. Live phase: ${model.current.deployedPhase === 0 ? 'none yet (today\'s system)' : `Phase ${model.current.deployedPhase}`}.`,
    ),
  ];
  if (r.bottlenecks.length === 0) {
    blocks.push(paragraph("No current metrics in the model (current.metrics): today's maximum throughput and when Phase 1 is needed are unknown. Add CPU, connections and hit rates to rank the bottlenecks."));
  } else {
    blocks.push(
      table(
        ['#', 'Bottleneck', 'Evidence', 'Saturates at', 'Max throughput', 'Hit in'],
        r.bottlenecks.map((b) => [
          String(b.rank),
          b.resource,
          b.evidence,
          b.headroomMultiple ? `${num(b.headroomMultiple.value, 2)}x today` : '-',
          b.maxThroughputRps ? `${num(b.maxThroughputRps.value)} RPS` : '-',
          b.monthsUntilHit ? months(b.monthsUntilHit.value) : '-',
        ]),
      ),
      paragraph(
        r.todaysLimitMultiple === undefined
          ? "Theoretical maximum throughput of today's setup: unknown (no metric in current.metrics saturates: add apiCpuPct or dbCpuPct)."
          : `Theoretical maximum throughput of today's setup: ${num(model.current.peakRps * r.todaysLimitMultiple)} RPS ` +
              `(${num(r.todaysLimitMultiple, 2)}x today's peak). Fixing one bottleneck exposes the next in this list (second-order bottlenecks).`,
      ),
      list(r.bottlenecks.flatMap((b) => b.fixes.map((f) => `${b.resource}: ${f}`))),
    );
  }
  blocks.push(...todaysMeasurement(r));
  return { id: 'assessment', title: '1. Scalability assessment', blocks };
}

const RECONCILIATION_VERDICT: Record<TodayReconciliation['status'], string> = {
  saturated: 'explained: the CPU queue of a saturated core; nothing carried',
  calibrated: 'calibrated: the unexplained part is carried into every phase as non-CPU latency',
  contradiction: 'contradiction: the inputs cannot both be true (see the warning); nothing carried',
  unknown: "unknown: without today's API CPU the p95 cannot be split into queueing and other latency; nothing carried",
};

/** Today's measured p95 against the model at today's load: what was calibrated and what each phase predicts with it. */
function todaysMeasurement(r: RoadmapReport): Block[] {
  const t = r.today;
  const ms = (v?: { value: number }) => (v ? `${num(v.value, 1)} ms` : 'unknown');
  const rows: string[][] = [
    ['Measured p95 today', ms(t.measuredP95Ms), t.measuredP95Ms.why],
    ['API CPU today', t.cpuUtilization ? pct(t.cpuUtilization.value) : 'unknown', t.cpuUtilization?.why ?? 'no current.metrics.apiCpuPct'],
    ["Model's p95 at today's load and CPU", t.status === 'saturated' ? 'unbounded (saturated)' : ms(t.modelledP95Ms), t.modelledP95Ms?.why ?? (t.status === 'saturated' ? 'the queue grows without bound at 100 % CPU' : 'needs the API CPU')],
    ['Idle p95 (the least possible)', ms(t.idleP95Ms), t.idleP95Ms.why],
    ['CPU at which the model gives the measured p95', t.impliedUtilization ? pct(t.impliedUtilization.value, 1) : 'unknown', t.impliedUtilization?.why ?? '-'],
    ['Non-CPU latency carried into each phase (mean)', `${num(t.extraIoMeanMs.value, 1)} ms`, t.extraIoMeanMs.why],
  ];
  return [
    paragraph(`**Today's measurement against the model** (${RECONCILIATION_VERDICT[t.status]}).`),
    table(['', 'Value', 'Why'], rows),
    table(
      ['', ...r.plans.map((p) => p.label)],
      [
        ['Predicted p95 at design peak (calibrated)', ...r.plans.map((p) => `${num(p.api.predictedP95Ms.value, 1)} ms`)],
        ['of which database/cache p95 (incl. carried latency)', ...r.plans.map((p) => `${num(p.api.downstreamP95Ms.value, 1)} ms`)],
        ['CPU target (SLO-derived, with the carried latency)', ...r.plans.map((p) => `${p.api.targetCpuPercent.value} %`)],
      ],
    ),
    ...(t.warnings.length ? [list(t.warnings)] : []),
  ];
}

function phases(r: RoadmapReport): Section {
  const rows = r.timeline.map((t) => [
    t.label,
    t.status,
    t.status === 'unknown'
      ? "unknown (no metric says where today's system saturates)"
      : `${num(t.neededAtMultiple.value, 2)}x (${months(t.monthsUntilNeeded.value)}${t.neededBy ? `, ${t.neededBy}` : ''})`,
    t.status === 'unknown'
      ? `${t.leadTimeWeeks.value} weeks: start unknown (measure today's CPU first)`
      : `${t.leadTimeWeeks.value} weeks: start ${t.monthsUntilStart.value <= 0 ? 'now' : `by ${t.startBy ?? months(t.monthsUntilStart.value)}`} (peak ${num(t.startAtPeakRps.value)} RPS)`,
    `${months(t.monthsUntilOutgrown.value)}${t.outgrownBy ? ` (${t.outgrownBy})` : ''}`,
  ]);
  const blocks: Block[] = [
    table(['Phase', 'Status', 'Needed at traffic', 'Lead time', 'Outgrown in'], rows),
    { kind: 'chart', chart: 'traffic', caption: "Projected daily peak by month against each phase's design capacity" },
  ];
  for (const plan of r.plans) {
    blocks.push(paragraph(`**${plan.label}**: daily peak ${num(plan.traffic.peakRps.value)} RPS, designed for ${num(plan.traffic.designPeakRps.value)} RPS (${plan.traffic.designPeakRps.why}).`));
    blocks.push(list(architecture(plan)));
    blocks.push(paragraph(`Capacity of ${plan.label} at its design peak (no enforced component is over its limit, or planning fails):`), verdictBlock(plan));
  }
  return { id: 'phases', title: '2. Scaling phases', blocks };
}

function architecture(plan: PhasePlan): string[] {
  const regions = plan.regions.secondaries.value;
  const items = [
    `API: ${plan.api.minTasks.value}-${plan.api.maxTasks.value} Fargate tasks of ${plan.api.taskVcpu.value} vCPU / ${num(plan.api.taskMemoryMiB.value / 1024, 1)} GB behind an internal ALB`,
    plan.sharding.shards.value > 1
      ? `Database: ${plan.sharding.shards.value} shards (${plan.sharding.table.value} by hash of ${plan.sharding.shardKey.value}), each an Aurora cluster with RDS Proxy (max ${plan.database.proxyMaxConnectionsPercent.value} % of ${num(plan.database.maxConnections.value)} connections): ` +
        `shard 0 Aurora PostgreSQL ${plan.database.instanceClass.value} writer + ${plan.sharding.shardZeroReaders.value} readers, the other ${plan.sharding.shards.value - 1} ${plan.database.instanceClass.value} writer + ${plan.database.readers.value} readers`
      : `Database: Aurora PostgreSQL ${plan.database.instanceClass.value} writer + ${plan.database.readers.value} readers, RDS Proxy (max ${plan.database.proxyMaxConnectionsPercent.value} % of ${num(plan.database.maxConnections.value)} connections)`,
    ...(plan.queue ? [`Write queue: SQS + ${plan.queue.minWorkers.value}-${plan.queue.maxWorkers.value} Fargate workers for ${plan.queue.asyncWrites.value}`] : []),
    `Cache: ElastiCache Redis ${plan.cache.nodeType.value} x ${plan.cache.nodes.value} nodes, maxmemory-policy ${plan.cache.maxmemoryPolicy.value}` +
      (plan.cache.clusterMode.value ? `, cluster mode: ${plan.cache.shards.value} shards of 1 primary + ${plan.cache.replicas.value} replicas (${plan.cache.shards.why})` : ''),
    plan.edge.mode.value === 'CLOUDFRONT'
      ? `Edge: CloudFront (${plan.cdn.apiDefaultTtlSec.value} s for cacheable API GETs) and WAF (${num(plan.waf.perIpAllLimit.value)} requests per IP per ${plan.waf.windowSec.value / 60} min)`
      : `Edge: no CloudFront (it would cache nothing); a REGIONAL web ACL on the internet-facing ALB (${num(plan.waf.perIpAllLimit.value)} requests per IP per ${plan.waf.windowSec.value / 60} min)`,
    regions.length
      ? `Regions: ${plan.regions.primary.value} (primary) + ${regions.join(', ')}, each sized for the whole design peak; Aurora Global Database (writes: ${plan.regions.writeRouting.value}), RPO ~${plan.regions.rpoAchievedSec.value} s, RTO ~${plan.regions.rtoAchievedSec.value} s`
      : `Regions: ${plan.regions.primary.value} only (Multi-AZ)`,
  ];
  const warnings = plan.warnings.map((w) => `Limit: ${w}`);
  const budget = plan.cost.overrun ? [`Budget: ${plan.cost.overrun}`] : [];
  return [...items, ...warnings, ...budget];
}

function horizontalScaling(r: RoadmapReport): Section {
  return {
    id: 'horizontal',
    title: '3. Horizontal scaling strategy',
    blocks: [
      list([
        'Stateless API: sessions and carts live in Redis (not in process memory), files in S3, jobs on a queue, configuration in environment variables and Secrets Manager.',
        'No sticky sessions: the ALB target group has stickiness off, so any task serves any request and a task can be replaced at any time.',
        'One Node worker per vCPU (cluster module); the task sizes below keep each worker on its own core.',
        `Deployments start new tasks before stopping old ones (100-200 %) and roll back on failure (ECS circuit breaker); draining waits ${r.plans[0].api.deregistrationDelaySec.value} s.`,
      ]),
      table(
        ['', ...r.plans.map((p) => p.label)],
        [
          ['Task size', ...r.plans.map((p) => `${p.api.taskVcpu.value} vCPU / ${num(p.api.taskMemoryMiB.value / 1024, 1)} GB`)],
          ['RPS per task at target', ...r.plans.map((p) => num(p.api.rpsPerTaskAtTarget.value))],
          ['Tasks at design peak', ...r.plans.map((p) => num(p.api.tasksAtDesignPeak.value))],
          ['Min-max tasks', ...r.plans.map((p) => `${p.api.minTasks.value}-${p.api.maxTasks.value}`)],
          ['Utilisation at design peak', ...r.plans.map((p) => pct(p.api.utilizationAtDesignPeak.value))],
          ['Predicted p95 at design peak (Erlang C + I/O)', ...r.plans.map((p) => `${num(p.api.predictedP95Ms.value)} ms (SLO ${num(r.model.slo.p95Ms)} ms)`)],
          ['CPU queue p95 / database and cache p95', ...r.plans.map((p) => `${num(p.api.cpuQueueP95Ms.value, 1)} / ${num(p.api.downstreamP95Ms.value, 1)} ms`)],
        ],
      ),
      paragraph(`How: ${r.plans[0].api.tasksAtDesignPeak.why}; ${r.plans[0].api.predictedP95Ms.why}.`),
    ],
  };
}

function databasePath(r: RoadmapReport): Section {
  return {
    id: 'database',
    title: '4. Database scaling path',
    blocks: [
      table(
        ['', ...r.plans.map((p) => p.label)],
        [
          ['Shards (Aurora clusters)', ...r.plans.map((p) => String(p.sharding.shards.value))],
          ['Instance class (per shard)', ...r.plans.map((p) => p.database.instanceClass.value)],
          ['Readers', ...r.plans.map((p) => String(p.database.readers.value))],
          ['Write / read QPS at design peak (per shard)', ...r.plans.map((p) => `${num(p.database.writeQps.value)} / ${num(p.database.readQps.value)}`)],
          ['Writer / reader utilisation (per shard)', ...r.plans.map((p) => `${pct(p.database.writerUtilization.value)} / ${pct(p.database.readerUtilization.value)}`)],
          ['Pool formula (cores x 2 + 1)', ...r.plans.map((p) => String(p.database.poolFormulaConnections.value))],
          ['Concurrent queries (Little)', ...r.plans.map((p) => num(p.database.peakConcurrentQueries.value, 1))],
          ['Proxy max connections', ...r.plans.map((p) => `${p.database.proxyMaxConnectionsPercent.value} % of ${num(p.database.maxConnections.value)}`)],
          ['Pool per task (DB_POOL_SIZE)', ...r.plans.map((p) => String(p.database.clientPoolPerTask.value))],
        ],
      ),
      list([
        'Read replicas: the app sends writes to DB_PROXY_ENDPOINT and reads that tolerate lag to DB_PROXY_READER_ENDPOINT (the proxy\'s read-only endpoint spreads them over the readers).',
        `Connection pooling: RDS Proxy multiplexes every task's pool onto a budget of ${r.plans[0].database.connectionBudget.value} backend connections per instance in Phase 1 (the pool formula); it queues clients rather than overload the database.`,
        `Query optimisation: queries slower than ${r.plans[0].database.slowQueryLogMs.value} ms are logged (a fifth of the p95 SLO); Performance Insights is on.`,
      ]),
      ...shardingBlocks(r),
    ],
  };
}

function cachingHierarchy(r: RoadmapReport): Section {
  const { model } = r;
  const [p1] = r.plans;
  return {
    id: 'caching',
    title: '5. Caching hierarchy',
    blocks: [
      table(
        ['Level', 'What', 'Size / TTL', 'Hit-ratio target', 'Invalidation'],
        [
          ['L1 in-process', 'configuration, feature flags, reference data', 'a small LRU per worker, 30-60 s TTL', '> 95 % of those lookups', 'TTL only (a deploy clears it)'],
          [
            'L2 Redis',
            `sessions, ${model.workload.sharedReads}, query results`,
            r.plans.map((p) => `${p.cache.nodeType.value} (${num(p.cache.requiredMemoryGb.value, 1)} GB needed)`).join(' -> '),
            pct(model.policy.cacheHitRatio),
            'cache-aside; delete the key on write (invalidation per write is counted in the ops/s); TTL with 10 % jitter against stampedes',
          ],
          [
            'L3 CloudFront',
            `cacheable GETs (${model.cdn.cacheableApiPathPatterns.join(', ')}) and static assets`,
            `${p1.cdn.apiDefaultTtlSec.value} s + ${p1.cdn.staleWhileRevalidateSec.value} s stale; static ${num(p1.cdn.staticTtlSec.value / 86400)} days`,
            `${pct(model.policy.cdnHitRatio)} of cacheable GETs`,
            'short TTLs; content-addressed static files; CloudFront invalidation only for emergencies',
          ],
        ],
      ),
      paragraph(`Redis runs with \`maxmemory-policy ${p1.cache.maxmemoryPolicy.value}\`: ${p1.cache.maxmemoryPolicy.why}.`),
    ],
  };
}

function loadTesting(r: RoadmapReport): Section {
  const tests = r.loadTests;
  const [t1] = tests;
  const edge1 = t1.profiles.edge;
  const rps = (n: number) => `${num(n)} RPS`;
  const minutes = (sec: number) => (sec % 60 === 0 ? `${num(sec / 60)} min` : `${num(sec)} s`);
  return {
    id: 'load-testing',
    title: '6. Load testing plan',
    blocks: [
      paragraph(
        `Before each promotion, against a copy of the phase: ramp to ${t1.peakMultiple.value}x the target RPS, hold, soak ${minutes(t1.soakSec.value)} at the target, ` +
          `and stop one API task in the middle of the soak. The phase is not promoted until every gate passes. ` +
          '`npm run synth` writes one k6 script per phase to `cdk.out/k6/phase<N>.js` (k6 exits 99 when a threshold fails); ' +
          '`npx scaling-roadmap gate` runs the same stages from this machine with a Node open-loop generator (exit 99 on failure too).',
      ),
      table(
        ['Phase', 'Target RPS (edge / origin)', `Ramp to (${t1.peakMultiple.value}x)`, 'Design peak', 'VUs pre-allocated / max (edge)', 'Chaos window', 'Gates'],
        tests.map((t, i) => [
          t.label,
          `${num(t.profiles.edge.targetRps.value)} / ${num(t.profiles.origin.targetRps.value)}`,
          `${num(t.profiles.edge.peakRps.value)} / ${num(t.profiles.origin.peakRps.value)}`,
          num(r.plans[i].traffic.designPeakRps.value),
          `${num(t.profiles.edge.preAllocatedVUs.value)} / ${num(t.profiles.edge.maxVUs.value)}`,
          `${num(t.chaos.startSec.value)}-${num(t.chaos.endSec.value)} s`,
          `p95 < ${num(t.thresholds.p95Ms.value)} ms, errors < ${num(t.thresholds.errorRate.value * 100, 3)} %`,
        ]),
      ),
      table(
        ['Stage (ramping-arrival-rate)', ...tests.map((t) => `${t.label}, edge`), 'Why'],
        edge1.stages.map((stage, s) => [
          stage.name,
          ...tests.map((t) => `${minutes(t.profiles.edge.stages[s].durationSec.value)} -> ${rps(t.profiles.edge.stages[s].targetRps.value)}`),
          stage.durationSec.why,
        ]),
      ),
      list([
        `Target: edge = ${edge1.targetRps.why}; origin = ${t1.profiles.origin.targetRps.why}. Default: ${t1.defaultEntry.value}, ${t1.defaultEntry.why}.`,
        `VUs: pre-allocated = ${edge1.preAllocatedVUs.why}; max = ${edge1.maxVUs.why} (Phase 1, edge). At Phase 2 and 3 rates, split the run across several generators, each with its share of the rate.`,
        `Mix: ${num(edge1.readShare.value * 100, 1)} % reads at the edge (${edge1.readShare.why}), ${num(t1.profiles.origin.readShare.value * 100, 1)} % at the origin (${t1.profiles.origin.readShare.why}). ` +
          `Reads: ${t1.readPaths.value.map((p) => `\`${p}\``).join(', ')} (${t1.readPaths.why}). Writes: POST ${t1.writePaths.value.map((p) => `\`${p}\``).join(', ')} (${t1.writePaths.why}).`,
        `Thresholds: http_req_duration p(95) < ${num(t1.thresholds.p95Ms.value)} ms, aborting the run when it fails after ${minutes(t1.thresholds.delayAbortEvalSec.value)} (${t1.thresholds.delayAbortEvalSec.why}); ` +
          `http_req_failed rate < ${t1.thresholds.errorRate.value} (${t1.thresholds.errorRate.why}); the same two for the requests inside the chaos window.`,
        `Chaos: ${t1.chaos.action.value}, at ${minutes(t1.chaos.startSec.value)} (${t1.chaos.startSec.why}), watched until ${minutes(t1.chaos.endSec.value)} (${t1.chaos.endSec.why}).`,
        `Chaos with AWS FIS (every phase stack deploys the three templates; each stops itself when the latency or a burn-rate alarm fires): in the chaos window run ` +
          `\`aws fis start-experiment --experiment-template-id <output ${OUTPUTS.chaosApiTasks}>\` (stops ${r.plans.map((p) => `${p.chaos.apiTaskStopPercent.value} %`).join(' / ')} of the API tasks in phases 1 / 2 / 3: ${r.plans[0].chaos.apiTaskStopPercent.why}); ` +
          `in separate runs ${OUTPUTS.chaosDatabase} (${r.plans[0].chaos.databaseFailure.why}) and ${OUTPUTS.chaosCache} (${r.plans[0].chaos.cacheInterruptionMinutes.why}).`,
        'During the soak watch memory, connection counts and replica lag for drift.',
      ]),
      code(
        'sh',
        [
          'npm run synth                                                    # writes cdk.out/k6/phase1.js .. phase3.js',
          'k6 run -e BASE_URL=https://<distribution>.cloudfront.net cdk.out/k6/phase2.js',
          'k6 run -e BASE_URL=http://<internal-alb> -e PROFILE=origin cdk.out/k6/phase2.js   # from inside the VPC',
          'npx scaling-roadmap gate --phase 2 --target https://<distribution>.cloudfront.net --scale 0.01 --duration 600   # 1 % of the rates in 10 min',
        ].join('\n'),
      ),
    ],
  };
}

function autoscaling(r: RoadmapReport): Section {
  return {
    id: 'autoscaling',
    title: '7. Auto-scaling policies',
    blocks: [
      table(
        ['', ...r.plans.map((p) => p.label)],
        [
          ['Min / max tasks', ...r.plans.map((p) => `${p.api.minTasks.value} / ${p.api.maxTasks.value}`)],
          ['Target CPU', ...r.plans.map((p) => `${p.api.targetCpuPercent.value} %`)],
          ['Target requests per task per minute', ...r.plans.map((p) => num(p.api.requestsPerTargetPerMinute.value))],
          ['Scale-out / scale-in cooldown', ...r.plans.map((p) => `${p.api.scaleOutCooldownSec.value} s / ${p.api.scaleInCooldownSec.value} s`)],
          ['Health check interval', ...r.plans.map((p) => `${p.api.healthCheckIntervalSec.value} s`)],
          ['Burst steps (CPU % -> + % of tasks)', ...r.plans.map((p) => p.peaks.burstSteps.value.map((s) => `>= ${s.lowerCpuPercent} %: +${s.changePercent} %`).join(', '))],
          ['Seconds from min to design-peak tasks (target tracking / step / both)', ...r.plans.map((p) => `${num(p.peaks.targetTrackingSecToDesignPeak.value)} / ${num(p.peaks.stepScalingSecToDesignPeak.value)} / ${num(p.peaks.secToDesignPeak.value)} s`)],
          [`A spike arrives in`, ...r.plans.map((p) => `${num(p.peaks.spikeRampSec.value)} s: ${p.peaks.catchesUp.value ? 'autoscaling keeps up' : `short; min tasks carry ${num(p.peaks.capacityAtMinTasksRps.value)} RPS meanwhile`}`)],
          ...(r.plans[0].peaks.scheduled.value.length
            ? r.plans[0].peaks.scheduled.value.map((e, i) => [
                `Scheduled: ${e.name} (min tasks ${e.raiseAtUtc.value} -> ${e.lowerAtUtc.value})`,
                ...r.plans.map((p) => `${p.peaks.scheduled.value[i].minTasks.value}, then ${p.api.minTasks.value}`),
              ])
            : [['Scheduled actions', ...r.plans.map(() => 'none (no peakPattern.scheduledEvents)')]]),
        ],
      ),
      list([
        `Two target-tracking policies: CPU catches expensive requests, requests per task catches load that waits on I/O. Application Auto Scaling scales out when either asks and in only when both allow. (${r.plans[0].api.scaleOutCooldownSec.why}; ${r.plans[0].api.scaleInCooldownSec.why}.)`,
        `A step-scaling policy beside them for bursts: it alarms on one 1-minute datapoint (target tracking waits for three) and adds a share of the running tasks per step (${r.plans[0].peaks.burstSteps.why}). With several policies the scalable target takes the largest capacity any of them asks for; the step policy never scales in, so scale-in stays with target tracking.`,
        `How long growth takes: ${r.plans[0].peaks.targetTrackingSecToDesignPeak.why}; step policy ${r.plans[0].peaks.stepScalingSecToDesignPeak.why}. ${r.plans[0].peaks.catchesUp.why}.`,
        r.plans[0].peaks.scheduled.value.length
          ? `Known events (peakPattern.scheduledEvents): scheduled actions raise min tasks ${r.model.peakPattern.eventLeadMinutes} min ahead of each to the tasks its peak needs at the target, and set it back to the baseline min when it ends; the policies still scale above that floor.`
          : 'No known events in the model: add flash sales and on-sales to peakPattern.scheduledEvents, and the stacks raise min tasks ahead of each.',
        'Aurora readers and Redis nodes are sized by the plan, not autoscaled: promotion to the next phase resizes them in place.',
      ]),
    ],
  };
}

function trafficManagement(r: RoadmapReport): Section {
  const [p1] = r.plans;
  return {
    id: 'traffic',
    title: '8. Traffic management',
    blocks: [
      table(
        ['Tier (WAF rate-based rule)', 'Limit per IP', 'Why'],
        [
          [`Logins (${p1.waf.loginPathPrefix.value})`, `${num(p1.waf.perIpLoginLimit.value)} per ${p1.waf.windowSec.value / 60} min`, p1.waf.perIpLoginLimit.why],
          ['Writes (POST, PUT, PATCH, DELETE)', `${num(p1.waf.perIpWriteLimit.value)} per ${p1.waf.windowSec.value / 60} min`, p1.waf.perIpWriteLimit.why],
          ['All requests', `${num(p1.waf.perIpAllLimit.value)} per ${p1.waf.windowSec.value / 60} min`, p1.waf.perIpAllLimit.why],
        ],
      ),
      list([
        'Above a limit WAF answers 429 with Retry-After; AWS managed rules (IP reputation, common, known bad inputs, SQL injection) run after the rate rules.',
        `Load shedding: when the API is saturated, shed by priority: serve cacheable GETs stale from CloudFront, reject non-critical writes with 503 + Retry-After, keep ${r.model.workload.criticalWrite}.`,
        `Graceful degradation: ${r.model.workload.sharedReads} and other optional reads fall back to cached data; ${r.model.workload.criticalWrite} never depends on an optional call.`,
        `Bulkheads: separate DB pools for ${r.model.workload.criticalWrite} and browsing (DB_POOL_SIZE = ${p1.database.clientPoolPerTask.value} per task in Phase 1, split between them), and timeouts on every outbound call (${r.model.service.requestTimeoutSec} s request budget).`,
      ]),
    ],
  };
}

function cdnStrategy(r: RoadmapReport): Section {
  const [p1] = r.plans;
  const decision = table(
    ['', ...r.plans.map((p) => p.label)],
    [
      ['Edge', ...r.plans.map((p) => (p.edge.mode.value === 'CLOUDFRONT' ? 'CloudFront + web ACL (us-east-1)' : 'REGIONAL web ACL on the ALB'))],
      ['Requests CloudFront answers', ...r.plans.map((p) => pct(p.edge.offloadShare.value, 1))],
      ['CloudFront fees (share of the bill)', ...r.plans.map((p) => `${money(p.edge.cloudFrontUsd.value, 'USD')} (${pct(p.edge.cloudFrontBillShare.value)})`)],
      ['Bill with CloudFront - without', ...r.plans.map((p) => money(p.edge.extraCostUsd.value, 'USD'))],
    ],
  );
  const whys = list(r.plans.map((p) => `${p.label}: ${p.edge.mode.why}.`));
  if (r.plans.every((p) => p.edge.mode.value === 'REGIONAL')) {
    return {
      id: 'cdn',
      title: '9. CDN and edge strategy',
      blocks: [
        paragraph('**Is the edge worth it?** Each phase is priced with CloudFront and with the load balancer serving the internet (each sized for the load its origin carries).'),
        decision,
        whys,
        list([
          'No CloudFront: the ALB is internet-facing, with the same rate limits and AWS managed rules in a REGIONAL web ACL associated with it; AWS Shield Standard protects the ALB.',
          'Moving from a phase with CloudFront: the load balancer is replaced (its scheme cannot change in place) and the CloudFront log bucket is orphaned, retained; `npm run diff-phases` lists both.',
        ]),
      ],
    };
  }
  return {
    id: 'cdn',
    title: '9. CDN and edge strategy',
    blocks: [
      paragraph('**Is the edge worth it?** Each phase is priced with CloudFront and with the load balancer serving the internet (each sized for the load its origin carries).'),
      decision,
      whys,
      table(
        ['Path', 'Cache policy', 'TTL'],
        [
          ...(p1.cdn.staticPathPatterns.value.length ? [[p1.cdn.staticPathPatterns.value.join(', '), 'static: path only in the key, gzip + brotli', `${num(p1.cdn.staticTtlSec.value)} s`]] : []),
          [p1.cdn.cacheableApiPathPatterns.value.join(', '), 'cacheable API GETs: query string in the key, no cookies or Authorization', `${p1.cdn.apiDefaultTtlSec.value} s default, ${p1.cdn.apiMaxTtlSec.value} s max`],
          ['everything else (/*)', 'not cached; all methods forwarded', '0'],
        ],
      ),
      paragraph(`The API sends \`Cache-Control: ${p1.cdn.apiCacheControl.value}\` on cacheable GETs (container variable CACHE_CONTROL_CACHEABLE_GET); CloudFront honours s-maxage and stale-while-revalidate.`),
      list([
        'The origin is an internal ALB reached only through a CloudFront VPC origin: nothing bypasses the CDN and the web ACL.',
        `Origin TLS: ${p1.cdn.originProtocol.value}: ${p1.cdn.originProtocol.why}.`,
        'HTTPS only for viewers (HTTP redirects), HTTP/2 and HTTP/3, security headers (HSTS, nosniff, frame deny).',
        'Edge compute: none needed: no per-request logic at the edge; add a CloudFront Function only for cheap header rewrites.',
      ]),
    ],
  };
}

function monitoring(r: RoadmapReport): Section {
  const [first] = r.plans;
  const m = first.monitoring;
  const burnRows = m.burnRateWindows.map((w, i) => [
    i === 0 ? `Availability (non-5xx / all requests at the ALB): ${m.availabilityPct.value} % over ${m.sloWindowDays.value} days, a budget of ${num(m.errorBudgetMinutes.value, 1)} min` : '(same SLO)',
    `burn rate > ${num(w.burnRate.value, 1)}x: error ratio > ${pct(w.errorRatioThreshold.value, 2)} over ${duration(w.longWindowSec)} AND ${duration(w.shortWindowSec)}`,
    w.severity,
  ]);
  const signals = first.monitoring.saturation.map((s) => s.metric);
  const saturationRows = signals.map((metric) => {
    const per = r.plans.map((p) => saturationAlarmFor(p.monitoring, metric));
    return [
      SATURATION_LABELS[metric],
      ...per.map((s) => `${s.comparison === 'above' ? '>' : '<'} ${num(s.threshold.value, 2)}`),
      `${per[0].evaluationPeriods} x ${per[0].periodSec / 60} min`,
      per[0].threshold.why,
    ];
  });
  return {
    id: 'monitoring',
    title: '10. Monitoring and alerting',
    blocks: [
      paragraph(
        `Every phase stack deploys these alarms (${r.plans.map((p) => `${p.label}: ${p.monitoring.alarmCount.value} alarms + ${p.monitoring.compositeAlarmCount.value} composite`).join('; ')}), ` +
          `two SNS topics (outputs ${OUTPUTS.pageTopic} and ${OUTPUTS.ticketTopic}: subscribe the on-call pager and the team's queue) and one dashboard (output ${OUTPUTS.dashboard}), a row per tier with the SLO drawn on the graphs.`,
      ),
      table(
        ['SLI and SLO', 'Alert', 'Severity'],
        [
          [
            `Latency p95 (ALB target response time) < ${num(m.latencyP95Ms.value)} ms`,
            `p95 > ${num(m.latencyP95Ms.value)} ms in ${m.latencyAlarm.datapointsToAlarm} of ${m.latencyAlarm.evaluationPeriods} ${m.latencyAlarm.periodSec / 60}-minute periods`,
            'page',
          ],
          ...burnRows,
        ],
      ),
      paragraph(
        'Burn-rate alerts (Google SRE workbook): each row is two metric-math alarms on the error ratio, one per window, joined by an AllOf composite alarm: ' +
          'the long window proves the burn is real, the short one that it is still going on, so the page stops soon after the errors do.',
      ),
      table(['Saturation (ticket)', ...r.plans.map((p) => p.label), 'Sustained', `Why (${first.label})`], saturationRows),
      paragraph(`CloudFront 5xx rate: on the dashboard against ${num(m.edge5xxRatePct.value, 2)} %, not an alarm: ${m.edge5xxRatePct.why.replace(/^[^:]*: /, '')}.`),
      ...r.plans.filter((p) => p.regions.monitoring).map((p) => paragraph(
        `${p.label}'s secondary region${p.regions.secondaries.value.length > 1 ? 's' : ''} (${p.regions.secondaries.value.join(', ')}) deploy${p.regions.secondaries.value.length > 1 ? '' : 's'} ${p.regions.monitoring!.alarmCount.value} alarms + ${p.regions.monitoring!.compositeAlarmCount.value} composite and a dashboard${p.regions.secondaries.value.length > 1 ? ' each' : ''}, on ${p.regions.secondaries.value.length > 1 ? 'their' : 'its'} own topics: ` +
          `the same SLO alarms on the region's load balancer, the API and cache tickets with the thresholds above, and the Aurora global replication lag above ${num(p.regions.rpoTargetSec.value)} s (the RPO target).`,
      )),
      paragraph('Scaling triggers while each phase is live (crossing one starts the next phase):'),
      ...r.plans.map((plan, i) =>
        table([`${plan.label}: metric`, 'Threshold', 'Why', 'Then'], r.triggers[i].map((t) => [t.metric, t.threshold, t.why, t.action])),
      ),
    ],
  };
}

function costProjections(r: RoadmapReport): Section {
  const currency = r.plans[0].cost.currency;
  const items = r.plans[0].cost.lines.map((l) => l.item);
  const rows = items.map((item) => [item, ...r.plans.map((p) => num(p.cost.lines.find((l) => l.item === item)!.usd))]);
  const usdRow = ['Total (USD)', ...r.plans.map((p) => num(p.cost.totalUsd))];
  const totals = [
    [`Total (${currency})`, ...r.plans.map((p) => money(p.cost.totalInCurrency, currency))],
    [`Ceiling (${currency})`, ...r.plans.map((p) => money(p.cost.ceiling.value, currency))],
    ['Within budget', ...r.plans.map((p) => (p.cost.overrun ? 'NO' : 'yes'))],
    [`Per 1,000 RPS of peak (${currency})`, ...r.plans.map((p) => num(p.cost.per1000PeakRps))],
    ...(r.plans[0].cost.perUser !== undefined ? [[`Per monthly user (${currency})`, ...r.plans.map((p) => num(p.cost.perUser!, 4))]] : []),
  ];
  const aurora = (p: PhasePlan, item: string) => p.cost.lines.find((l) => l.item === item)?.usd ?? 0;
  const ioShare = (p: PhasePlan) => aurora(p, 'Aurora I/O') / (aurora(p, 'Aurora I/O') + aurora(p, 'Aurora instances') + aurora(p, 'Aurora storage'));
  const baselineTasks = r.plans.map((p) => p.api.minTasks.value * p.api.taskVcpu.value);
  return {
    id: 'cost',
    title: '11. Cost projections',
    blocks: [
      paragraph(`Monthly, on-demand list prices (price table ${r.plans[0].cost.priceTableVersion}, ${r.region}), usage derived from the model; line items in USD.`),
      // A USD budget's total row already is the USD total: print it once.
      table(['Line item (USD/month)', ...r.plans.map((p) => p.label)], [...rows, ...(currency === 'USD' ? [] : [usdRow]), ...totals]),
      { kind: 'chart', chart: 'cost', caption: 'Monthly cost per phase against its budget ceiling' },
      list([
        `Compute Savings Plans on the always-on tasks (${baselineTasks.join(' / ')} vCPU at the minimum) and reserved Aurora and ElastiCache nodes cut the steady part of the bill by roughly a third.`,
        `Aurora I/O-Optimized pays off once I/O exceeds about 25 % of Aurora spend: ${r.plans.map((p) => `${p.label} ${pct(ioShare(p))}`).join(', ')}.`,
        'Per-request edge costs (CloudFront requests, WAF requests) grow linearly with traffic: above ~10 billion requests a month, negotiate CloudFront private pricing or a security savings bundle.',
        'Graviton (ARM64) tasks are about 20 % cheaper per vCPU when the image is multi-arch.',
      ]),
      table(['Basis of each line (phase 1)', ''], r.plans[0].cost.lines.map((l) => [l.item, l.basis])),
      paragraph(`Hours per month: ${HOURS_PER_MONTH}.`),
    ],
  };
}

/** Shell variables holding the names the runbook uses, read from the stack's outputs. */
function outputVariables(stackName: string, withQueue: boolean, withCluster = false): string {
  const vars: Array<[string, string]> = [
    ['CLUSTER', OUTPUTS.ecsCluster],
    ['SERVICE', OUTPUTS.ecsService],
    ['RESOURCE_ID', OUTPUTS.scalableTarget],
    ['DB_CLUSTER', OUTPUTS.dbCluster],
    ['CACHE_GROUP', OUTPUTS.cacheReplicationGroup],
    ['SHARD_COUNT', OUTPUTS.shardCount],
    // Only the phases with a write queue have these outputs.
    ...(withQueue
      ? ([
          ['WRITE_QUEUE_URL', OUTPUTS.writeQueueUrl],
          ['DLQ_URL', OUTPUTS.deadLetterQueueUrl],
          ['WORKER_SERVICE', OUTPUTS.workerService],
        ] as Array<[string, string]>)
      : []),
  ];
  if (withCluster) vars.push(['CACHE_CLUSTER_GROUP', OUTPUTS.cacheClusterReplicationGroup], ['CACHE_CLUSTER_ENDPOINT', OUTPUTS.cacheClusterConfigurationEndpoint]);
  return [
    `# Names from the stack outputs of '${stackName}'`,
    `out() { aws cloudformation describe-stacks --stack-name ${stackName} --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text; }`,
    ...vars.map(([name, key]) => `${name}=$(out ${key})`),
  ].join('\n');
}

/** The next larger entry of a size-ordered catalog, or undefined at its end. */
function nextLarger<T extends { readonly name: string }>(catalog: readonly T[], name: string): T | undefined {
  const i = catalog.findIndex((c) => c.name === name);
  return i >= 0 ? catalog[i + 1] : undefined;
}

/** The manual steps of one phase: every command with real values, never a class or a task count past its limit. */
function runbookSteps(r: RoadmapReport, p: PhasePlan): string[] {
  const name = r.model.service.name;
  const ceiling = r.model.policy.maxTasksPerService;
  const next = r.plans[p.phase] ?? p;
  const max = p.api.maxTasks.value;
  const raisedMax = Math.min(ceiling, Math.max(max * 2, next.api.maxTasks.value));
  const lines = [`# ${p.label}: when autoscaling is stuck at its ceiling (${max} tasks)`];
  if (raisedMax > max) {
    lines.push(
      `aws application-autoscaling register-scalable-target --service-namespace ecs \\`,
      `  --resource-id "$RESOURCE_ID" --scalable-dimension ecs:service:DesiredCount \\`,
      `  --min-capacity ${p.api.tasksAtDesignPeak.value} --max-capacity ${raisedMax}`,
    );
  } else {
    lines.push(`# Max tasks is already policy.maxTasksPerService (${ceiling}): do not raise it; shed load (WAF write limit) while the next phase is deployed`);
  }
  lines.push(`aws ecs update-service --cluster "$CLUSTER" --service "$SERVICE" --desired-count ${Math.min(p.api.tasksAtDesignPeak.value, raisedMax)}`);
  lines.push(
    `# Reads saturate the readers: add one of the same class to shard 0 (it joins the proxy's read-only endpoint)${p.sharding.shards.value > 1 ? `; the other ${p.sharding.shards.value - 1} shard(s): list them with the shard map below` : ''}`,
    `aws rds create-db-instance --db-cluster-identifier "$DB_CLUSTER" --engine aurora-postgresql \\`,
    `  --db-instance-class ${p.database.instanceClass.value} --db-instance-identifier ${name}-manual-reader-1`,
  );
  const biggerDb = next !== p && next.database.instanceClass.value !== p.database.instanceClass.value ? next.database.instanceClass.value : nextLarger(DB_INSTANCE_CLASSES, p.database.instanceClass.value)?.name;
  if (biggerDb) {
    lines.push(
      `# Writer saturated: move to the next class (${biggerDb}) by resizing a reader, then fail over to it`,
      `READER=$(aws rds describe-db-clusters --db-cluster-identifier "$DB_CLUSTER" --query 'DBClusters[0].DBClusterMembers[?!IsClusterWriter].DBInstanceIdentifier | [0]' --output text)`,
      `aws rds modify-db-instance --db-instance-identifier "$READER" --db-instance-class ${biggerDb} --apply-immediately`,
      `aws rds failover-db-cluster --db-cluster-identifier "$DB_CLUSTER" --target-db-instance-identifier "$READER"`,
    );
  } else {
    lines.push(
      `# Writer saturated: ${p.database.instanceClass.value} is the largest class, there is none to move to. Writes are spread over ${p.sharding.shards.value} shard(s);` +
        ` relieve the writer by draining the write queue slower (lower its max workers) or by doubling the shards (section 4's migration)`,
    );
  }
  lines.push(`aws ssm get-parameters-by-path --path ${p.sharding.ssmPrefix.value} --recursive --query 'Parameters[].[Name,Value]' --output text`);
  if (p.queue) {
    const q = p.queue;
    const workerMax = Math.min(ceiling, q.maxWorkers.value * 2);
    lines.push(
      `# Write queue backlog: see it, then (while the writers have headroom) allow more workers, at most policy.maxTasksPerService ${ceiling}`,
      `aws sqs get-queue-attributes --queue-url "$WRITE_QUEUE_URL" --attribute-names ApproximateNumberOfMessages ApproximateAgeOfOldestMessage`,
      ...(workerMax > q.maxWorkers.value
        ? [
            `aws application-autoscaling register-scalable-target --service-namespace ecs --scalable-dimension ecs:service:DesiredCount \\`,
            `  --resource-id "service/$CLUSTER/$WORKER_SERVICE" --min-capacity ${q.minWorkers.value} --max-capacity ${workerMax}`,
          ]
        : [`# The workers' max (${q.maxWorkers.value}) is policy.maxTasksPerService: do not raise it`]),
      `# Dead-letter messages: fix the cause, then move them back to the queue`,
      `DLQ_ARN=$(aws sqs get-queue-attributes --queue-url "$DLQ_URL" --attribute-names QueueArn --query Attributes.QueueArn --output text)`,
      `aws sqs start-message-move-task --source-arn "$DLQ_ARN"`,
    );
  }
  lines.push(...cacheScalingSteps(p, next));
  return lines;
}

function runbook(r: RoadmapReport): Section {
  const name = r.model.service.name;
  const steps = r.plans.map((p) => code('sh', runbookSteps(r, p).join('\n')));
  return {
    id: 'runbook',
    title: '12. Runbook: manual scaling when autoscaling fails',
    blocks: [
      list([
        'Confirm the symptom on the dashboard (p95, 5xx, CPU, running vs desired tasks) and check the scaling activity log (`aws application-autoscaling describe-scaling-activities --service-namespace ecs`).',
        `Shed load first if the SLO is already breached: lower the WAF per-IP limit for writes, serve ${r.model.workload.sharedReads} from cache.`,
        `An unplanned sale announced at short notice: raise the floor by hand at least ${r.model.peakPattern.eventLeadMinutes} min ahead (\`register-scalable-target --min-capacity <tasks at design peak>\` below), as the scheduled actions do for peakPattern.scheduledEvents; autoscaling alone needs ~${num(r.plans[0].peaks.secToDesignPeak.value)} s and a spike arrives in ${num(r.plans[0].peaks.spikeRampSec.value)} s.`,
        `Scale by hand with the commands below; the first block reads every name they use from the outputs of stack '${name}'.`,
        `Then make it permanent: update the capacity model, run \`npm run synth\`, and \`cdk deploy\` the live phase's stack (\`Phase1Stack\`, \`Phase2Stack\` or \`Phase3Stack\`): a manual change is reverted by the next deploy of stack '${name}'.`,
        'Promoting to a phase with a larger Aurora class: CloudFormation would modify the writer first, and an instance is unavailable while its class changes. Resize the readers first (`modify-db-instance ... --apply-immediately`), fail over to Reader1 (`failover-db-cluster`), resize the old writer, then `cdk deploy` (the classes already match).',
      ]),
      code('sh', outputVariables(name, r.plans.some((p) => p.queue), r.plans.some((p) => p.cache.clusterMode.value))),
      ...steps,
      ...cacheCutover(r),
      ...regionFailover(r),
    ],
  };
}

/** The regions, RPO/RTO and the failover procedure, for the first phase with secondary regions. */
function regionFailover(r: RoadmapReport): Block[] {
  const first = r.plans.find((p) => p.regions.secondaries.value.length > 0);
  const name = r.model.service.name;
  if (!first) {
    return [paragraph(`One region (${r.model.aws.region}) in every phase: aws.secondaryRegions is empty, so a region loss is recovered from backups, not failed over.`)];
  }
  const g = first.regions;
  const [target] = g.secondaries.value;
  const dns = r.model.domain
    ? `Route 53 answers origin.${r.model.domain.name} with the nearest region whose load balancer has healthy targets (alias target health; a failed region leaves DNS within ${g.failoverDetectSec.value} s): traffic leaves a failed region by itself.`
    : 'The model has no domain: no Route 53 latency records are created, so traffic stays on the primary region\'s CloudFront origin; moving it to a secondary region means pointing the origin at that region\'s LoadBalancerDnsName output by hand. Add a domain to get latency routing and automatic DNS failover.';
  return [
    paragraph(
      `Regions from ${first.label}: ${g.primary.value} (primary, Aurora writer) and ${g.secondaries.value.join(', ')}, each a stack '${name}-<region>' sized for the whole design peak ` +
        `(${g.sizedForFailover.why}); ${g.trafficSharePerRegion.why}. Writes: ${g.writeRouting.why}. ` +
        `RPO target ${g.rpoTargetSec.value} s, achieved ~${g.rpoAchievedSec.value} s (${g.rpoAchievedSec.why}). RTO target ${g.rtoTargetSec.value} s, achieved ~${g.rtoAchievedSec.value} s (${g.rtoAchievedSec.why}). ${dns}`,
    ),
    code(
      'sh',
      [
        `# Aurora Global Database: names from the stack outputs ('${name}' in ${g.primary.value}, '${name}-${target}' in ${target})`,
        `GLOBAL=$(out ${OUTPUTS.globalCluster})`,
        `TARGET_ARN=$(aws cloudformation describe-stacks --region ${target} --stack-name ${name}-${target} --query "Stacks[0].Outputs[?OutputKey=='${OUTPUTS.secondaryDbClusterArn}'].OutputValue" --output text)`,
        `# Replication lag of the secondary (ms), before any switch`,
        `aws cloudwatch get-metric-statistics --region ${target} --namespace AWS/RDS --metric-name AuroraGlobalDBReplicationLag \\`,
        `  --dimensions Name=DBClusterIdentifier,Value="\${TARGET_ARN##*:}" --statistics Maximum --period 60 \\`,
        `  --start-time "$(date -u -d '-10 min' +%FT%TZ)" --end-time "$(date -u +%FT%TZ)"`,
        `# Planned move of the writer to ${target} (no data loss; about a minute of write unavailability)`,
        `aws rds switchover-global-cluster --region ${g.primary.value} --global-cluster-identifier "$GLOBAL" --target-db-cluster-identifier "$TARGET_ARN"`,
        `# ${g.primary.value} lost: promote ${target} now, accepting the writes not yet replicated (RPO ~${g.rpoAchievedSec.value} s)`,
        `aws rds failover-global-cluster --region ${target} --global-cluster-identifier "$GLOBAL" --target-db-cluster-identifier "$TARGET_ARN" --allow-data-loss`,
        `# Which cluster writes now`,
        `aws rds describe-global-clusters --region ${target} --global-cluster-identifier "$GLOBAL" \\`,
        `  --query 'GlobalClusters[0].GlobalClusterMembers[].{cluster:DBClusterArn,writer:IsWriter}'`,
      ].join('\n'),
    ),
    list([
      `After a failover the tasks in ${target} keep DB_ENDPOINT (the cluster's reader endpoint) and write forwarding stops mattering: the promoted cluster writes itself. Tasks in ${g.primary.value} come back once the old primary rejoins as a secondary (AWS does this after the region recovers).`,
      `The stacks still describe ${g.primary.value} as the primary: before the next \`cdk deploy\`, switch back with switchover-global-cluster to ${g.primary.value}, or change aws.region and aws.secondaryRegions in the model, so CloudFormation and AWS agree.`,
      'Caches are regional and not replicated: a failed-over region serves from its own (warm, since it took its share of traffic) Redis; keys written in the other region expire by TTL.',
    ]),
  ];
}

/** What to run when Redis saturates in phase `p`: a bigger node, or (cluster mode) one more shard, resharded online. */
function cacheScalingSteps(p: PhasePlan, next: PhasePlan): string[] {
  if (p.cache.clusterMode.value) {
    return [
      `# Redis saturated (a shard's memory, evictions or engine CPU): add a shard (${p.cache.shards.value} -> ${p.cache.shards.value + 1}); slots move online`,
      `aws elasticache modify-replication-group-shard-configuration --replication-group-id "$CACHE_CLUSTER_GROUP" \\`,
      `  --node-group-count ${p.cache.shards.value + 1} --apply-immediately`,
    ];
  }
  if (next.cache.clusterMode.value) {
    return [
      `# Redis saturated: one primary cannot take ${next.label}'s writes; the cluster-mode cut-over below is the fix. Until then, the largest node that helps:`,
      `aws elasticache modify-replication-group --replication-group-id "$CACHE_GROUP" --cache-node-type ${next.cache.singlePrimaryGroup!.nodeType.value} --apply-immediately`,
    ];
  }
  const biggerNode = next !== p && next.cache.nodeType.value !== p.cache.nodeType.value ? next.cache.nodeType.value : nextLarger(CACHE_NODE_TYPES, p.cache.nodeType.value)?.name;
  if (!biggerNode) {
    return [`# Redis saturated on ${p.cache.nodeType.value}, the largest node: no larger size; the fix is cluster mode (plan a phase with it: cache sizing moves to shards when one primary cannot hold the load)`];
  }
  return [
    `# Redis memory or CPU saturated: next node size (${biggerNode}), online`,
    `aws elasticache modify-replication-group --replication-group-id "$CACHE_GROUP" --cache-node-type ${biggerNode} --apply-immediately`,
  ];
}

/**
 * The cut-over to a cluster-mode cache, for the first phase that has one. CloudFormation cannot reshard a
 * cluster-mode-disabled group in place (ReplicasPerNodeGroup is create-only, NumNodeGroups may replace), so the
 * phase adds the cluster beside the old group; the app moves by a model setting, and a later release retires the old group.
 */
function cacheCutover(r: RoadmapReport): Block[] {
  const first = r.plans.find((p) => p.cache.clusterMode.value);
  if (!first) return [];
  const name = r.model.service.name;
  const c = first.cache;
  const single = c.singlePrimaryGroup!;
  return [
    paragraph(
      `Redis cluster mode from ${first.label}: ${c.shards.value} shards of ${c.nodeType.value} x (1 + ${c.replicas.value} replicas), because ${c.shards.why}. ` +
        `CloudFormation cannot move the existing group there in place (ReplicasPerNodeGroup is create-only and NumNodeGroups may replace it: the resource schema and \`cdk diff\` both say so), ` +
        `so the phase adds the cluster beside it. The old group keeps its logical id and is not replaced (${single.nodeType.value} x ${1 + single.replicas.value}, billed until retired); both share the AUTH token, the KMS key and the security group.`,
    ),
    list([
      `Deploy ${first.label} with \`current.cacheCutover: dual-write\` (the default): the tasks get REDIS_CLUSTER_CONFIGURATION_ENDPOINT and REDIS_CUTOVER=dual-write. The app keeps reading from REDIS_HOST and writes every SET and invalidation to both groups (a cluster-aware client, e.g. ioredis Cluster, on the configuration endpoint).`,
      `Warm for at least the longest key TTL (a cache needs no copy: dual writes fill it), then compare hit rates: the cluster's per-shard hit-rate alarms must be quiet and its hit rate near the old group's.`,
      `Flip: set \`current.cacheCutover: cluster\` in the model, \`npm run synth\`, \`cdk deploy Phase${first.phase}Stack\`. The tasks roll to REDIS_CUTOVER=cluster and read and write only the cluster. Roll back by setting dual-write again (the old group was kept current).`,
      `Retire the old group in the next release: remove it from the stack and record it in test/review/stateful-baseline.json (a deliberate removal, reviewed); its final snapshot is kept (DeletionPolicy Snapshot).`,
    ]),
    code(
      'sh',
      [
        `# Check the cluster before the flip (names from the outputs of '${name}')`,
        `aws elasticache describe-replication-groups --replication-group-id "$CACHE_CLUSTER_GROUP" \\`,
        `  --query 'ReplicationGroups[0].{status:Status,shards:length(NodeGroups),mode:ClusterMode}'`,
        `redis-cli -c --tls -h "$CACHE_CLUSTER_ENDPOINT" -p 6380 --askpass cluster info   # cluster_state:ok, cluster_slots_assigned:16384`,
      ].join('\n'),
    ),
  ];
}
