/**
 * planKubernetes: the Kubernetes-only numbers, each with its reason, derived from (never recomputing) the PhasePlan.
 */
import { DEFAULT_MODEL, parseCapacity, PhasePlan, planKubernetes, planModel, planPooler, sized } from '../../lib/capacity';

const model = parseCapacity(DEFAULT_MODEL);
const plans = planModel(model);

describe('the default model, by hand', () => {
  test('phase 1: 3 PgBouncer pods share the 36-connection ceiling (max_connections 3,604 x 1 %), budget 12', () => {
    const { pooler } = planKubernetes(model, plans[0]);
    expect(pooler.serverConnectionCeiling.value).toBe(36);
    expect(pooler.replicas.value).toBe(3); // one per AZ
    expect(pooler.defaultPoolSize.value).toBe(4); // 12 / 3
    expect(pooler.maxDbConnections.value).toBe(12); // 36 / 3
    expect(pooler.reservePoolSize.value).toBe(8);
    expect(pooler.maxClientConn.value).toBe(25); // 8 tasks x 5 x 1.25 / 2 surviving pods
    expect(pooler.queryWaitTimeoutSec.value).toBe(30);
  });

  test('phase 1 API: drain 5 s + 30 s + 5 s, PDB 21 %, scale-down halves per 300 s cooldown', () => {
    const { api } = planKubernetes(model, plans[0]);
    expect(api.preStopSleepSec.value).toBe(5);
    expect(api.terminationGracePeriodSec.value).toBe(40);
    expect(api.maxUnavailablePercent.value).toBe(21); // 1 - 65 / 82.5
    expect(api.scaleDownPercent.value).toBe(50);
    expect(api.scaleDownStabilizationSec.value).toBe(plans[0].api.scaleInCooldownSec.value);
    expect(api.scaleUpPeriodSec.value).toBe(plans[0].api.scaleOutCooldownSec.value);
    expect(api.cpuMillis.value).toBe(1000);
  });
});

describe.each(plans.map((p) => [p.label, p] as const))('%s: invariants', (_label, plan) => {
  const k = planKubernetes(model, plan);
  test('all pods at their cap stay within the ceiling; pool + reserve = cap; pools carry at most the budget', () => {
    const { pooler } = k;
    expect(pooler.replicas.value * pooler.maxDbConnections.value).toBeLessThanOrEqual(pooler.serverConnectionCeiling.value);
    expect(pooler.defaultPoolSize.value + pooler.reservePoolSize.value).toBe(pooler.maxDbConnections.value);
    expect(pooler.replicas.value * pooler.defaultPoolSize.value).toBeLessThanOrEqual(Math.max(plan.database.connectionBudget.value, pooler.replicas.value));
    expect((pooler.replicas.value - 1) * pooler.maxClientConn.value).toBeGreaterThanOrEqual(plan.api.maxTasks.value * plan.database.clientPoolPerTask.value);
  });

  test('every value has a reason', () => {
    for (const value of [...Object.values(k.api), ...Object.values(k.pooler)]) {
      expect(value.why.length).toBeGreaterThan(10);
    }
  });
});

test('a ceiling too small for one connection per PgBouncer pod is an error naming the numbers', () => {
  const plan = plans[0];
  const tiny: PhasePlan = { ...plan, database: { ...plan.database, maxConnections: sized(100, 'test'), proxyMaxConnectionsPercent: sized(1, 'test') } };
  expect(() => planPooler(model, tiny)).toThrow('planPooler: 3 PgBouncer pods cannot share 1 server connections (max_connections 100 x 1 %)');
});
