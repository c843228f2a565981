/**
 * The seeds' twelve sections, written from the report data with the configuration values the stacks use.
 */
import { duration, HOURS_PER_MONTH, PhasePlan, SATURATION_LABELS, saturationAlarmFor } from '../capacity';
import { OUTPUTS } from '../outputs';
import { Block, code, list, money, num, paragraph, Section, table } from './blocks';
import type { RoadmapReport } from './report';

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
    blocks.push(paragraph('No current metrics in the model (current.metrics): add CPU, connections and hit rates to rank the bottlenecks.'));
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
        `Theoretical maximum throughput of today's setup: ${num(model.current.peakRps * r.todaysLimitMultiple)} RPS ` +
          `(${num(r.todaysLimitMultiple, 2)}x today's peak). Fixing one bottleneck exposes the next in this list (second-order bottlenecks).`,
      ),
      list(r.bottlenecks.flatMap((b) => b.fixes.map((f) => `${b.resource}: ${f}`))),
    );
  }
  return { id: 'assessment', title: '1. Scalability assessment', blocks };
}

function phases(r: RoadmapReport): Section {
  const rows = r.timeline.map((t) => [
    t.label,
    t.status,
    `${num(t.neededAtMultiple.value, 2)}x (${months(t.monthsUntilNeeded.value)}${t.neededBy ? `, ${t.neededBy}` : ''})`,
    `${t.leadTimeWeeks.value} weeks: start ${t.monthsUntilStart.value <= 0 ? 'now' : `by ${t.startBy ?? months(t.monthsUntilStart.value)}`} (peak ${num(t.startAtPeakRps.value)} RPS)`,
    `${months(t.monthsUntilOutgrown.value)}${t.outgrownBy ? ` (${t.outgrownBy})` : ''}`,
  ]);
  const blocks: Block[] = [
    table(['Phase', 'Status', 'Needed at traffic', 'Lead time', 'Outgrown in'], rows),
    { kind: 'chart', chart: 'traffic', caption: "Projected daily peak by month against each phase's design capacity" },
  ];
  for (const plan of r.plans) {
    blocks.push(paragraph(`**${plan.label}**: daily peak ${num(plan.traffic.peakRps.value)} RPS, designed for ${num(plan.traffic.designPeakRps.value)} RPS (${plan.traffic.designPeakRps.why}).`));
    blocks.push(list(architecture(plan)));
  }
  return { id: 'phases', title: '2. Scaling phases', blocks };
}

function architecture(plan: PhasePlan): string[] {
  const items = [
    `API: ${plan.api.minTasks.value}-${plan.api.maxTasks.value} Fargate tasks of ${plan.api.taskVcpu.value} vCPU / ${num(plan.api.taskMemoryMiB.value / 1024, 1)} GB behind an internal ALB`,
    `Database: Aurora PostgreSQL ${plan.database.instanceClass.value} writer + ${plan.database.readers.value} readers, RDS Proxy (max ${plan.database.proxyMaxConnectionsPercent.value} % of ${num(plan.database.maxConnections.value)} connections)`,
    `Cache: ElastiCache Redis ${plan.cache.nodeType.value} x ${1 + plan.cache.replicas.value} nodes, maxmemory-policy ${plan.cache.maxmemoryPolicy.value}`,
    `Edge: CloudFront (${plan.cdn.apiDefaultTtlSec.value} s for cacheable API GETs) and WAF (${num(plan.waf.perIpAllLimit.value)} requests per IP per ${plan.waf.windowSec.value / 60} min)`,
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
  const sharding = r.plans.find((p) => p.warnings.some((w) => w.startsWith('Database')));
  const shardTimeline = sharding ? r.timeline.find((t) => t.phase === sharding.phase) : undefined;
  return {
    id: 'database',
    title: '4. Database scaling path',
    blocks: [
      table(
        ['', ...r.plans.map((p) => p.label)],
        [
          ['Instance class', ...r.plans.map((p) => p.database.instanceClass.value)],
          ['Readers', ...r.plans.map((p) => String(p.database.readers.value))],
          ['Write / read QPS at design peak', ...r.plans.map((p) => `${num(p.database.writeQps.value)} / ${num(p.database.readQps.value)}`)],
          ['Writer / reader utilisation', ...r.plans.map((p) => `${pct(p.database.writerUtilization.value)} / ${pct(p.database.readerUtilization.value)}`)],
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
        sharding
          ? `Sharding timeline: ${sharding.label} outgrows a single writer (${sharding.warnings.find((w) => w.startsWith('Database'))}); design the ${r.model.workload.primaryTable} shard key (${r.model.workload.partitionKey}) before ${shardTimeline?.startBy ?? 'that phase starts'}.`
          : 'Sharding: not needed within the three phases: one writer carries the write load.',
      ]),
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
            'sessions, catalog entries, query results',
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
        ],
      ),
      list([
        `Two target-tracking policies: CPU catches expensive requests, requests per task catches load that waits on I/O. Application Auto Scaling scales out when either asks and in only when both allow. (${r.plans[0].api.scaleOutCooldownSec.why}; ${r.plans[0].api.scaleInCooldownSec.why}.)`,
        'Before a known flash sale, raise the minimum to the tasks at design peak (scheduled action) instead of waiting for autoscaling.',
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
        `Load shedding: when the API is saturated, shed by priority: serve cacheable GETs stale from CloudFront, reject non-critical writes with 503 + Retry-After, keep checkout.`,
        'Graceful degradation: catalog and recommendations fall back to cached data; order placement never depends on a recommendation call.',
        `Bulkheads: separate DB pools for checkout and browsing (DB_POOL_SIZE = ${p1.database.clientPoolPerTask.value} per task in Phase 1, split between them), and timeouts on every outbound call (${r.model.service.requestTimeoutSec} s request budget).`,
      ]),
    ],
  };
}

function cdnStrategy(r: RoadmapReport): Section {
  const [p1] = r.plans;
  return {
    id: 'cdn',
    title: '9. CDN and edge strategy',
    blocks: [
      table(
        ['Path', 'Cache policy', 'TTL'],
        [
          [p1.cdn.staticPathPatterns.value.join(', '), 'static: path only in the key, gzip + brotli', `${num(p1.cdn.staticTtlSec.value)} s`],
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
function outputVariables(stackName: string): string {
  const vars: Array<[string, string]> = [
    ['CLUSTER', OUTPUTS.ecsCluster],
    ['SERVICE', OUTPUTS.ecsService],
    ['RESOURCE_ID', OUTPUTS.scalableTarget],
    ['DB_CLUSTER', OUTPUTS.dbCluster],
    ['CACHE_GROUP', OUTPUTS.cacheReplicationGroup],
  ];
  return [
    `# Names from the stack outputs of '${stackName}'`,
    `out() { aws cloudformation describe-stacks --stack-name ${stackName} --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text; }`,
    ...vars.map(([name, key]) => `${name}=$(out ${key})`),
  ].join('\n');
}

function runbook(r: RoadmapReport): Section {
  const name = r.model.service.name;
  const steps = r.plans.map((p) => {
    const next = r.plans[p.phase] ?? p;
    return code(
      'sh',
      [
        `# ${p.label}: when autoscaling is stuck at its ceiling (${p.api.maxTasks.value} tasks)`,
        `aws application-autoscaling register-scalable-target --service-namespace ecs \\`,
        `  --resource-id "$RESOURCE_ID" --scalable-dimension ecs:service:DesiredCount \\`,
        `  --min-capacity ${p.api.tasksAtDesignPeak.value} --max-capacity ${Math.max(p.api.maxTasks.value * 2, next.api.maxTasks.value)}`,
        `aws ecs update-service --cluster "$CLUSTER" --service "$SERVICE" --desired-count ${p.api.tasksAtDesignPeak.value}`,
        `# Reads saturate the readers: add one of the same class (it joins the proxy's read-only endpoint)`,
        `aws rds create-db-instance --db-cluster-identifier "$DB_CLUSTER" --engine aurora-postgresql \\`,
        `  --db-instance-class ${p.database.instanceClass.value} --db-instance-identifier ${name}-manual-reader-1`,
        `# Writer saturated: move to the next class (${next.database.instanceClass.value}) by resizing a reader, then fail over to it`,
        `READER=$(aws rds describe-db-clusters --db-cluster-identifier "$DB_CLUSTER" --query 'DBClusters[0].DBClusterMembers[?!IsClusterWriter].DBInstanceIdentifier | [0]' --output text)`,
        `aws rds modify-db-instance --db-instance-identifier "$READER" --db-instance-class ${next.database.instanceClass.value} --apply-immediately`,
        `aws rds failover-db-cluster --db-cluster-identifier "$DB_CLUSTER" --target-db-instance-identifier "$READER"`,
        `# Redis memory or CPU saturated: next node size (${next.cache.nodeType.value}), online`,
        `aws elasticache modify-replication-group --replication-group-id "$CACHE_GROUP" --cache-node-type ${next.cache.nodeType.value} --apply-immediately`,
      ].join('\n'),
    );
  });
  return {
    id: 'runbook',
    title: '12. Runbook: manual scaling when autoscaling fails',
    blocks: [
      list([
        'Confirm the symptom on the dashboard (p95, 5xx, CPU, running vs desired tasks) and check the scaling activity log (`aws application-autoscaling describe-scaling-activities --service-namespace ecs`).',
        'Shed load first if the SLO is already breached: lower the WAF per-IP limit for writes, serve catalog from cache.',
        `Scale by hand with the commands below; the first block reads every name they use from the outputs of stack '${name}'.`,
        `Then make it permanent: update the capacity model, run \`npm run synth\`, and \`cdk deploy Phase<N>Stack\`: a manual change is reverted by the next deploy of stack '${name}'.`,
        'Promoting to a phase with a larger Aurora class: CloudFormation would modify the writer first, and an instance is unavailable while its class changes. Resize the readers first (`modify-db-instance ... --apply-immediately`), fail over to Reader1 (`failover-db-cluster`), resize the old writer, then `cdk deploy` (the classes already match).',
      ]),
      code('sh', outputVariables(name)),
      ...steps,
    ],
  };
}
