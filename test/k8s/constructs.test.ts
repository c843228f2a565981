/**
 * The Kubernetes constructs on their own (plain props, safe defaults, errors naming the prop), and the hand-off from a
 * plan whose values differ from every construct default, so a dropped prop cannot hide behind a default.
 */
import { Testing } from 'cdk8s';
import { DEFAULT_MODEL, parseCapacity, planKubernetes, planModel } from '../../lib/capacity';
import { ApiWorkload } from '../../lib/k8s/api-workload';
import { PgBouncer } from '../../lib/k8s/pgbouncer';
import { renderDatabasesIni, renderPgbouncerIni } from '../../lib/k8s/pgbouncer-ini';
import { PhaseChart } from '../../lib/k8s/phase-chart';
import { validateManifests } from '../../lib/review/k8s-validate';

const POOL = { defaultPoolSize: 10, maxDbConnections: 15, maxClientConn: 200 };

function synthApi(props: ConstructorParameters<typeof ApiWorkload>[2] = {}) {
  const chart = Testing.chart();
  const api = new ApiWorkload(chart, 'Api', props);
  return { api, manifests: Testing.synth(chart) };
}

describe('ApiWorkload', () => {
  test('defaults: 2-4 pods at 65 % CPU, explicit HPA behaviour, PDB 25 %, non-root, read-only root filesystem, strictly valid', () => {
    const { api, manifests } = synthApi();
    expect(manifests.map((m) => m.kind)).toEqual(['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']);
    expect(validateManifests(manifests)).toEqual([]);
    const hpa = manifests[2];
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 4 });
    expect(hpa.spec.behavior.scaleDown).toEqual({ policies: [{ type: 'Percent', value: 50, periodSeconds: 300 }], selectPolicy: 'Max', stabilizationWindowSeconds: 300 });
    expect(manifests[3].spec.maxUnavailable).toBe('25%');
    const container = manifests[0].spec.template.spec.containers[0];
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(api.deployment.name).toBe('api');
    expect(api.autoscaler).toBeDefined();
    expect(api.disruptionBudget.name).toBe('api');
  });

  test.each([
    [{ minReplicas: 6, maxReplicas: 4 }, "'minReplicas' (6) must be <= 'maxReplicas' (4)"],
    [{ targetCpuPercent: 0 }, "'targetCpuPercent' (0) must be an integer from 1 to 100"],
    [{ scaleDownStabilizationSec: 4000 }, "'scaleDownStabilizationSec' (4000) must be an integer from 0 to 3600"],
    [{ scaleUpPeriodSec: 1801 }, "'scaleUpPeriodSec' (1801) must be an integer from 1 to 1800"],
    [{ preStopSleepSec: 30, terminationGracePeriodSec: 30 }, "'terminationGracePeriodSec' (30) must be > 'preStopSleepSec' (30)"],
    [{ healthCheckPath: 'health' }, "'healthCheckPath' (health) must start with '/'"],
    [{ name: 'API' }, `'name' ("API") must be a DNS label`],
    [{ environmentReferences: { X: { key: 'k' } } }, "'environmentReferences.X' must name exactly one of secretName and configMapName"],
  ])('rejects %j', (props, message) => {
    expect(() => synthApi(props)).toThrow(message);
  });
});

describe('PgBouncer', () => {
  test('defaults: 2 pods, transaction mode, never surging past its replicas, credentials only by reference', () => {
    const chart = Testing.chart();
    const pooler = new PgBouncer(chart, 'Pooler', { pool: POOL });
    const manifests = Testing.synth(chart);
    expect(validateManifests(manifests)).toEqual([]);
    const deployment = manifests.find((m) => m.kind === 'Deployment');
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(pooler.configMap.data['pgbouncer.ini']).toContain('pool_mode = transaction\n');
    expect(pooler.host).toBe('pgbouncer');
    expect(pooler.port).toBe(6432);
    const env = deployment.spec.template.spec.containers[0].env;
    expect(env.every((e: any) => e.valueFrom && e.value === undefined)).toBe(true);
  });

  test.each([
    [{ replicas: 0 }, "'replicas' (0) must be an integer from 1 to 1000"],
    [{ port: 80 }, "'port' (80) must be an integer from 1024 to 65535"],
    [{ databaseName: 'App' }, "'databaseName' (App) must be a lowercase PostgreSQL identifier"],
    [{ pool: { ...POOL, defaultPoolSize: 20 } }, "'defaultPoolSize' (20) must be <= 'maxDbConnections' (15)"],
  ])('rejects %j', (props, message) => {
    expect(() => new PgBouncer(Testing.chart(), 'Pooler', { pool: POOL, ...props })).toThrow(message);
  });
});

describe('pgbouncer.ini', () => {
  test('holds the pool settings and includes the runtime [databases] section', () => {
    const text = renderPgbouncerIni({ ...POOL, reservePoolSize: 5, queryWaitTimeoutSec: 20 }, { runtimeDir: '/run/x', listenPort: 7000 });
    expect(text).toContain('default_pool_size = 10\n');
    expect(text).toContain('reserve_pool_size = 5\n');
    expect(text).toContain('max_db_connections = 15\n');
    expect(text).toContain('max_client_conn = 200\n');
    expect(text).toContain('query_wait_timeout = 20\n');
    expect(text).toContain('listen_port = 7000\n');
    expect(text.trimEnd().endsWith('%include /run/x/databases.ini')).toBe(true);
    expect(renderDatabasesIni({ name: 'app', host: 'db.example', port: 5432 })).toBe('[databases]\napp = host=db.example port=5432 dbname=app\n');
  });

  test.each([
    [{ ...POOL, maxClientConn: 0 }, { runtimeDir: '/run' }, "'maxClientConn' (0) must be an integer from 1 to 1000000"],
    [{ ...POOL, defaultPoolSize: 1.5 }, { runtimeDir: '/run' }, "'defaultPoolSize' (1.5) must be an integer"],
    [POOL, { runtimeDir: 'run dir' }, "'runtimeDir' (run dir) must be an absolute path"],
  ])('rejects %j %j', (pool, runtime, message) => {
    expect(() => renderPgbouncerIni(pool, runtime)).toThrow(message);
  });
});

test('a model unlike every default reaches the manifests (no hand-off hides behind a default)', () => {
  const model = parseCapacity({
    ...DEFAULT_MODEL,
    service: { ...DEFAULT_MODEL.service, containerPort: 8080, healthCheckPath: '/healthz', requestTimeoutSec: 20, taskStartupSec: 45, containerImage: 'registry.example/api:1' },
    policy: { ...DEFAULT_MODEL.policy, apiTargetCpuPct: 55 },
  });
  const plan = planModel(model)[2];
  const k = planKubernetes(model, plan);
  const manifests = Testing.synth(new PhaseChart(Testing.app(), 'x', { model, plan, endpointsConfigMap: 'eps', databaseSecret: 'db', redisSecret: 'rs' }));
  expect(validateManifests(manifests)).toEqual([]);
  const find = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
  const hpa = find('HorizontalPodAutoscaler', 'api');
  expect(hpa.spec).toMatchObject({ minReplicas: plan.api.minTasks.value, maxReplicas: plan.api.maxTasks.value });
  expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(55);
  const pod = find('Deployment', 'api').spec.template.spec;
  const container = pod.containers[0];
  expect(container.image).toBe('registry.example/api:1');
  expect(container.readinessProbe.httpGet).toMatchObject({ path: '/healthz', port: 8080 });
  expect(container.startupProbe.failureThreshold * container.startupProbe.periodSeconds).toBe(45);
  expect(pod.terminationGracePeriodSeconds).toBe(k.api.terminationGracePeriodSec.value);
  expect(container.resources.limits).toEqual({ cpu: `${plan.api.taskVcpu.value * 1000}m`, memory: `${plan.api.taskMemoryMiB.value}Mi` });
  expect(find('PodDisruptionBudget', 'api').spec.maxUnavailable).toBe(`${k.api.maxUnavailablePercent.value}%`);
  const ini = find('ConfigMap', 'pgbouncer').data['pgbouncer.ini'];
  expect(ini).toContain(`query_wait_timeout = 20\n`);
  expect(ini).toContain(`default_pool_size = ${k.pooler.defaultPoolSize.value}\n`);
  expect(find('Deployment', 'pgbouncer').spec.replicas).toBe(k.pooler.replicas.value);
  expect(JSON.stringify(manifests)).toContain('"secretKeyRef":{"key":"password","name":"db"}');
  expect(JSON.stringify(manifests)).toContain('"configMapKeyRef":{"key":"DB_HOST","name":"eps"}');
});
