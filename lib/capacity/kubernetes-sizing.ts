/**
 * The numbers the Kubernetes path needs that the AWS plan does not have: PgBouncer's pools and timeouts, the API
 * pods' drain, probes and disruption budget, and the HPA's scale policies. Everything the PhasePlan already decides
 * (task size, min/max, CPU target, cooldowns, connection budget) is read from it, never recomputed.
 */
import type { PhasePlan, Sized } from './plan-types';
import { sized } from './plan-types';
import type { Capacity } from './schema';
import { fmt } from './traffic';

/** Transactions/s one PgBouncer process (single-threaded) is given: a conservative share of the tens of thousands it reaches on one core. */
export const PGBOUNCER_TPS_PER_POD = 10_000;
/** Surge of a rolling update (cdk8s-plus and Kubernetes default `maxSurge` 25 %): new API pods connect before old ones leave. */
export const ROLLING_SURGE = 1.25;

/** PgBouncer between the API pods and Aurora, in transaction pooling mode. */
export interface PoolerPlan {
  readonly replicas: Sized;
  readonly poolMode: Sized<'transaction'>;
  /** Server connections the plan lets the whole fleet hold: the same ceiling RDS Proxy enforces on AWS. */
  readonly serverConnectionCeiling: Sized;
  /** `default_pool_size`: server connections per pod (one database/user pair). */
  readonly defaultPoolSize: Sized;
  /** `reserve_pool_size`: extra server connections per pod for clients that waited `reservePoolTimeoutSec`. */
  readonly reservePoolSize: Sized;
  readonly reservePoolTimeoutSec: Sized;
  /** `max_db_connections`: the hard per-pod cap (pool + reserve); replicas x this <= the ceiling. */
  readonly maxDbConnections: Sized;
  /** `max_client_conn`: client connections one pod accepts. */
  readonly maxClientConn: Sized;
  readonly queryWaitTimeoutSec: Sized;
  readonly idleTransactionTimeoutSec: Sized;
  readonly serverIdleTimeoutSec: Sized;
  readonly serverLifetimeSec: Sized;
  readonly cpuMillis: Sized;
  readonly memoryMiB: Sized;
}

/** The API Deployment's pod lifecycle, disruption budget and HPA behaviour. */
export interface KubeApiPlan {
  /** CPU request and limit: the Fargate task size in millicores. */
  readonly cpuMillis: Sized;
  readonly preStopSleepSec: Sized;
  readonly terminationGracePeriodSec: Sized;
  readonly startupTimeoutSec: Sized;
  readonly probeFailureThreshold: Sized;
  /** PodDisruptionBudget `maxUnavailable`, as a percentage of the pods running. */
  readonly maxUnavailablePercent: Sized;
  readonly scaleUpStabilizationSec: Sized;
  /** Pods one scale-up step may add per `scaleUpPeriodSec`. */
  readonly scaleUpPods: Sized;
  readonly scaleUpPeriodSec: Sized;
  readonly scaleDownStabilizationSec: Sized;
  /** Share of pods one scale-down step may remove per `scaleDownPeriodSec`. */
  readonly scaleDownPercent: Sized;
  readonly scaleDownPeriodSec: Sized;
}

/** Everything the Kubernetes charts need beyond the PhasePlan. */
export interface KubernetesPlan {
  readonly api: KubeApiPlan;
  readonly pooler: PoolerPlan;
}

/** Sizes PgBouncer from the plan's connection budget, pool per task and the model's timeouts. */
export function planPooler(model: Capacity, plan: PhasePlan): PoolerPlan {
  const { database, api, network } = plan;
  const budget = database.connectionBudget.value;
  const ceiling = Math.floor((database.maxConnections.value * database.proxyMaxConnectionsPercent.value) / 100);
  const tps = database.writeQps.value + database.readQps.value;
  const replicas = Math.max(2, network.availabilityZones.value, Math.ceil(tps / PGBOUNCER_TPS_PER_POD));
  const perPodCeiling = Math.floor(ceiling / replicas);
  if (perPodCeiling < 1) {
    throw new Error(`planPooler: ${replicas} PgBouncer pods cannot share ${ceiling} server connections (max_connections ${database.maxConnections.value} x ${database.proxyMaxConnectionsPercent.value} %)`);
  }
  const pool = Math.max(1, Math.min(Math.floor(budget / replicas), perPodCeiling));
  const reserve = perPodCeiling - pool;
  const clients = api.maxTasks.value * database.clientPoolPerTask.value;
  const survivors = Math.max(1, replicas - 1);
  const timeout = model.service.requestTimeoutSec;
  return {
    replicas: sized(
      replicas,
      `max(2, one per AZ (${network.availabilityZones.value}), ${fmt(tps)} queries/s / ${fmt(PGBOUNCER_TPS_PER_POD)} per single-threaded pod)`,
    ),
    poolMode: sized('transaction', 'a server connection is held only for a transaction, so many idle client pools share few server connections'),
    serverConnectionCeiling: sized(
      ceiling,
      `max_connections ${database.maxConnections.value} x proxy ceiling ${database.proxyMaxConnectionsPercent.value} %: the same limit RDS Proxy enforces on AWS`,
    ),
    defaultPoolSize: sized(pool, `connection budget ${budget} / ${replicas} pods, at most the per-pod ceiling ${perPodCeiling}, at least 1`),
    reservePoolSize: sized(reserve, `per-pod ceiling ${perPodCeiling} - pool ${pool}: bursts borrow up to the ceiling, never past it`),
    reservePoolTimeoutSec: sized(
      Math.max(1, Math.ceil(model.slo.p95Ms / 1000)),
      `a client queued longer than the p95 SLO (${model.slo.p95Ms} ms, rounded up to whole seconds) gets a reserve connection`,
    ),
    maxDbConnections: sized(perPodCeiling, `ceiling ${ceiling} / ${replicas} pods: all pods together never exceed the ceiling`),
    maxClientConn: sized(
      Math.ceil((clients * ROLLING_SURGE) / survivors),
      `max ${api.maxTasks.value} API pods x pool ${database.clientPoolPerTask.value} x rolling surge ${ROLLING_SURGE}, spread over ${survivors} pod(s) (one pooler pod may be lost)`,
    ),
    queryWaitTimeoutSec: sized(timeout, `request timeout ${timeout} s: a client queued longer serves a request that has already failed`),
    idleTransactionTimeoutSec: sized(timeout, `request timeout ${timeout} s: a transaction idle longer holds a server connection for a request that has already failed`),
    serverIdleTimeoutSec: sized(api.scaleInCooldownSec.value, 'the scale-in cooldown: idle server connections stay for the next burst, then go when the API would scale in'),
    serverLifetimeSec: sized(3600, "PgBouncer's default: hourly recycling spreads connections again after an Aurora failover"),
    cpuMillis: sized(1000, 'PgBouncer is single-threaded: one core is all a pod can use'),
    memoryMiB: sized(256, '~2 KB per connection plus packet buffers: far below 256 MiB even at max_client_conn'),
  };
}

/** The Kubernetes-only numbers of one phase. */
export function planKubernetes(model: Capacity, plan: PhasePlan): KubernetesPlan {
  const { api } = plan;
  const timeout = model.service.requestTimeoutSec;
  const target = api.targetCpuPercent.value;
  const preStop = api.deregistrationDelaySec.value - timeout;
  const midpoint = (target + 100) / 2;
  const maxUnavailable = Math.max(1, Math.floor(100 * (1 - target / midpoint)));
  const scaleDownPercent = 50;
  const halvings = Math.ceil(Math.log2(api.maxTasks.value / api.minTasks.value));
  return {
    api: {
      cpuMillis: sized(api.taskVcpu.value * 1000, `task size ${api.taskVcpu.value} vCPU (${api.taskCpuUnits.value} CPU units) in millicores`),
      preStopSleepSec: sized(
        preStop,
        `deregistration delay ${api.deregistrationDelaySec.value} s - request timeout ${timeout} s: endpoints and kube-proxy drop the pod before it stops accepting`,
      ),
      terminationGracePeriodSec: sized(preStop + timeout + 5, `preStop ${preStop} s + request timeout ${timeout} s + 5 s to exit: in-flight requests finish`),
      startupTimeoutSec: sized(model.service.taskStartupSec, 'service.taskStartupSec: the startup probe gives a booting pod that long before liveness may restart it'),
      probeFailureThreshold: sized(3, `3 failed checks x ${api.healthCheckIntervalSec.value} s: one slow response does not restart or unroute a pod`),
      maxUnavailablePercent: sized(
        maxUnavailable,
        `pods scale at ${target} % CPU; draining ${maxUnavailable} % at once leaves the rest below ${fmt(midpoint)} % (midway to saturation)`,
      ),
      scaleUpStabilizationSec: sized(0, 'scale out on the first high reading, as ECS target tracking does'),
      scaleUpPods: sized(api.maxTasks.value, `one step may reach max ${api.maxTasks.value} pods, as ECS target tracking jumps to the computed count`),
      scaleUpPeriodSec: sized(api.scaleOutCooldownSec.value, 'the scale-out cooldown: new pods are serving before the next step'),
      scaleDownStabilizationSec: sized(api.scaleInCooldownSec.value, 'the scale-in cooldown: the lowest recommendation over it wins, so a lull between bursts does not flap'),
      scaleDownPercent: sized(
        scaleDownPercent,
        `half the pods per cooldown: max ${api.maxTasks.value} -> min ${api.minTasks.value} in ${halvings} cooldown(s) after a peak; HPA's default (${api.minTasks.value} pods per 300 s) would take ${Math.ceil((api.maxTasks.value - api.minTasks.value) / api.minTasks.value)}`,
      ),
      scaleDownPeriodSec: sized(api.scaleInCooldownSec.value, 'the scale-in cooldown'),
    },
    pooler: planPooler(model, plan),
  };
}
