import { App, Chart, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import * as path from 'node:path';
import type { Capacity, KubernetesPlan, PhasePlan, PoolerPlan } from '../capacity';
import { planKubernetes } from '../capacity/kubernetes-sizing';
import { ApiWorkload } from './api-workload';
import { BACKEND_REFERENCE_DEFAULTS, PGBOUNCER_DEFAULTS } from './defaults';
import { PgBouncer } from './pgbouncer';
import type { PgbouncerPoolSettings } from './pgbouncer-ini';

/** Properties of a phase chart. */
export interface PhaseChartProps {
  readonly model: Capacity;
  readonly plan: PhasePlan;
  /** @default planKubernetes(model, plan) */
  readonly kubernetes?: KubernetesPlan;
  /** ConfigMap with DB_HOST, DB_PORT (Aurora writer), REDIS_HOST, REDIS_READER_HOST, REDIS_PORT. @default 'aws-endpoints' */
  readonly endpointsConfigMap?: string;
  /** Secret with `username` and `password` of the database user. @default 'aurora-credentials' */
  readonly databaseSecret?: string;
  /** Secret with `token`, the ElastiCache AUTH token. @default 'redis-auth' */
  readonly redisSecret?: string;
}

/** PgBouncer's settings from the pooler plan: the chart's ConfigMap and the load test both use this. */
export function poolSettingsOf(pooler: PoolerPlan): PgbouncerPoolSettings {
  return {
    poolMode: pooler.poolMode.value,
    defaultPoolSize: pooler.defaultPoolSize.value,
    reservePoolSize: pooler.reservePoolSize.value,
    reservePoolTimeoutSec: pooler.reservePoolTimeoutSec.value,
    maxDbConnections: pooler.maxDbConnections.value,
    maxClientConn: pooler.maxClientConn.value,
    queryWaitTimeoutSec: pooler.queryWaitTimeoutSec.value,
    idleTransactionTimeoutSec: pooler.idleTransactionTimeoutSec.value,
    serverIdleTimeoutSec: pooler.serverIdleTimeoutSec.value,
    serverLifetimeSec: pooler.serverLifetimeSec.value,
  };
}

/**
 * One phase of the roadmap as Kubernetes manifests: the API (Deployment, Service, HPA, PDB) and PgBouncer, sized from
 * the same PhasePlan as the CDK phase stack. Aurora and ElastiCache stay on AWS: their endpoints and secrets reach
 * the pods through a ConfigMap and Secrets the user creates by name (docs/DESIGN.md, "Kubernetes and AWS side by side").
 *
 * Object names carry no phase, so applying the next phase's folder updates the same objects in place.
 */
export class PhaseChart extends Chart {
  public readonly plan: PhasePlan;
  public readonly kubernetesPlan: KubernetesPlan;
  public readonly api: ApiWorkload;
  public readonly pooler: PgBouncer;

  constructor(scope: Construct, id: string, props: PhaseChartProps) {
    const { model, plan } = props;
    super(scope, id, { labels: { 'scaling-roadmap/phase': String(plan.phase) }, disableResourceNameHashes: true });
    this.plan = plan;
    const k = props.kubernetes ?? planKubernetes(model, plan);
    this.kubernetesPlan = k;
    const endpointsConfigMap = props.endpointsConfigMap ?? BACKEND_REFERENCE_DEFAULTS.endpointsConfigMap;
    const databaseSecret = props.databaseSecret ?? BACKEND_REFERENCE_DEFAULTS.databaseSecret;
    const partOf = model.service.name;

    this.pooler = new PgBouncer(this, 'PgBouncer', {
      partOf,
      pool: poolSettingsOf(k.pooler),
      replicas: k.pooler.replicas.value,
      cpuMillis: k.pooler.cpuMillis.value,
      memoryMiB: k.pooler.memoryMiB.value,
      endpointsConfigMap,
      databaseSecret,
    });

    const { api, database, cdn } = plan;
    this.api = new ApiWorkload(this, 'Api', {
      partOf,
      image: model.service.containerImage,
      containerPort: model.service.containerPort,
      healthCheckPath: model.service.healthCheckPath,
      cpuMillis: k.api.cpuMillis.value,
      memoryMiB: api.taskMemoryMiB.value,
      minReplicas: api.minTasks.value,
      maxReplicas: api.maxTasks.value,
      targetCpuPercent: api.targetCpuPercent.value,
      scaleUpStabilizationSec: k.api.scaleUpStabilizationSec.value,
      scaleUpPods: k.api.scaleUpPods.value,
      scaleUpPeriodSec: k.api.scaleUpPeriodSec.value,
      scaleDownStabilizationSec: k.api.scaleDownStabilizationSec.value,
      scaleDownPercent: k.api.scaleDownPercent.value,
      scaleDownPeriodSec: k.api.scaleDownPeriodSec.value,
      preStopSleepSec: k.api.preStopSleepSec.value,
      terminationGracePeriodSec: k.api.terminationGracePeriodSec.value,
      probePeriodSec: api.healthCheckIntervalSec.value,
      probeFailureThreshold: k.api.probeFailureThreshold.value,
      startupTimeoutSec: k.api.startupTimeoutSec.value,
      maxUnavailablePercent: k.api.maxUnavailablePercent.value,
      // The same variables the ECS task gets, where Kubernetes differs: the database is reached through PgBouncer.
      environment: {
        SCALING_PHASE: String(plan.phase),
        DB_HOST: this.pooler.host,
        DB_PORT: String(this.pooler.port),
        DB_NAME: PGBOUNCER_DEFAULTS.databaseName,
        DB_POOL_SIZE: String(database.clientPoolPerTask.value),
        CACHE_CONTROL_CACHEABLE_GET: cdn.apiCacheControl.value,
      },
      environmentReferences: {
        DB_USERNAME: { secretName: databaseSecret, key: 'username' },
        DB_PASSWORD: { secretName: databaseSecret, key: 'password' },
        REDIS_HOST: { configMapName: endpointsConfigMap, key: 'REDIS_HOST' },
        REDIS_READER_HOST: { configMapName: endpointsConfigMap, key: 'REDIS_READER_HOST' },
        REDIS_PORT: { configMapName: endpointsConfigMap, key: 'REDIS_PORT' },
        REDIS_AUTH_TOKEN: { secretName: props.redisSecret ?? BACKEND_REFERENCE_DEFAULTS.redisSecret, key: 'token' },
      },
    });
  }
}

/** Synthesizes one folder per phase (`<outdir>/phase1/<service>.k8s.yaml`, ...): `kubectl apply -f <folder>` deploys it. */
export function synthPhaseCharts(model: Capacity, plans: readonly PhasePlan[], outdir: string): { phase: number; folder: string; chart: PhaseChart; app: App }[] {
  return plans.map((plan) => {
    const folder = path.join(outdir, `phase${plan.phase}`);
    const app = new App({ outdir: folder, yamlOutputType: YamlOutputType.FILE_PER_CHART, outputFileExtension: '.k8s.yaml' });
    const chart = new PhaseChart(app, model.service.name, { model, plan });
    app.synth();
    return { phase: plan.phase, folder, chart, app };
  });
}
