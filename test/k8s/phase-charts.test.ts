/**
 * One chart per phase, from the same plan as the CDK phase stacks: a snapshot per phase (what a reviewer reads), and
 * the numbers that matter read from both outputs (the synthesized CloudFormation template and the manifests) and
 * compared, so a dropped hand-off on either side fails here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdk8s';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_MODEL, parseCapacity, planKubernetes } from '../../lib/capacity';
import { PhaseChart, synthPhaseCharts } from '../../lib/k8s/phase-chart';
import { synthesizedPhases, templateOf } from '../support/synthesized-phases';

const model = parseCapacity(DEFAULT_MODEL);
const { phases } = synthesizedPhases(DEFAULT_MODEL);
const byPhase = phases.map(({ plan, stack }) => {
  const manifests = Testing.synth(new PhaseChart(Testing.app(), model.service.name, { model, plan }));
  const find = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
  return { label: plan.label, plan, template: templateOf(stack), manifests, find };
});

/** The only resource of a type in a template (its Properties). */
function only(template: Template, type: string): any {
  // The API tier and shard 0, which the chart mirrors: extra shards and the write queue repeat these types.
  const resources = Object.entries(template.findResources(type)).filter(([id]) => !/^(DatabaseShard\d|WriteQueue)/.test(id)).map(([, r]) => r);
  expect(resources).toHaveLength(1);
  return resources[0].Properties;
}

/** `key = value` lines of pgbouncer.ini as numbers where numeric. */
function ini(text: string): Record<string, string> {
  return Object.fromEntries(text.split('\n').filter((l) => / = /.test(l)).map((l) => l.split(' = ') as [string, string]));
}

describe.each(byPhase.map((p) => [p.label, p] as const))('%s', (_label, { plan, template, manifests, find }) => {
  const deployment = find('Deployment', 'api');
  const container = deployment.spec.template.spec.containers[0];
  const hpa = find('HorizontalPodAutoscaler', 'api');
  const cdkScaling = only(template, 'AWS::ApplicationAutoScaling::ScalableTarget');
  const cpuPolicy = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy'))
    .map((r) => r.Properties.TargetTrackingScalingPolicyConfiguration)
    .find((c) => c.PredefinedMetricSpecification.PredefinedMetricType === 'ECSServiceAverageCPUUtilization');
  const taskDefinition = only(template, 'AWS::ECS::TaskDefinition');

  test('the manifests (snapshot: what a reviewer reads in a PR)', () => {
    expect(manifests).toMatchSnapshot();
  });

  test('HPA min/max and CPU target equal the CDK stack\'s scalable target and CPU policy', () => {
    expect(hpa.spec.minReplicas).toBe(cdkScaling.MinCapacity);
    expect(hpa.spec.maxReplicas).toBe(cdkScaling.MaxCapacity);
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpuPolicy.TargetValue } } }]);
    // and the Deployment leaves replicas to the HPA (cdk8s-plus drops them once an HPA targets it)
    expect(deployment.spec.replicas).toBeUndefined();
  });

  test('HPA behaviour comes from the CDK cooldowns, never from cdk8s-plus\'s defaults', () => {
    const { scaleUp, scaleDown } = hpa.spec.behavior;
    expect(scaleUp.policies).toEqual([{ type: 'Pods', value: cdkScaling.MaxCapacity, periodSeconds: cpuPolicy.ScaleOutCooldown }]);
    expect(scaleUp.stabilizationWindowSeconds).toBe(0);
    expect(scaleDown.stabilizationWindowSeconds).toBe(cpuPolicy.ScaleInCooldown);
    expect(scaleDown.policies).toEqual([{ type: 'Percent', value: 50, periodSeconds: cpuPolicy.ScaleInCooldown }]);
  });

  test('requests and limits equal the Fargate task size', () => {
    const millis = (Number(taskDefinition.Cpu) / 1024) * 1000;
    const memory = `${taskDefinition.Memory}Mi`;
    expect(container.resources).toEqual({ requests: { cpu: `${millis}m`, memory }, limits: { cpu: `${millis}m`, memory } });
  });

  test('probes use the ALB health-check path and interval; the drain covers the ALB deregistration delay', () => {
    const targetGroup = only(template, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
      expect(probe.httpGet).toEqual({ path: targetGroup.HealthCheckPath, port: model.service.containerPort, scheme: 'HTTP' });
    }
    expect(container.readinessProbe.periodSeconds).toBe(targetGroup.HealthCheckIntervalSeconds);
    const delay = Number(targetGroup.TargetGroupAttributes.find((a: any) => a.Key === 'deregistration_delay.timeout_seconds').Value);
    const preStop = Number(container.lifecycle.preStop.exec.command[1]);
    expect(container.lifecycle.preStop.exec.command[0]).toBe('sleep');
    // preStop + the request timeout is the ALB's draining delay; the grace period adds time to exit
    expect(preStop + model.service.requestTimeoutSec).toBe(delay);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(delay);
  });

  test('zone spread is a soft topologySpreadConstraint, never required anti-affinity', () => {
    const spec = deployment.spec.template.spec;
    expect(spec.affinity).toBeUndefined();
    expect(spec.topologySpreadConstraints).toContainEqual(expect.objectContaining({ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' }));
  });

  test('the API pool and PgBouncer\'s server connections match the CDK stack\'s pool and RDS Proxy ceiling', () => {
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    const cdkEnv = Object.fromEntries(taskDefinition.ContainerDefinitions[0].Environment.map((e: any) => [e.Name, e.Value]));
    expect(env.DB_POOL_SIZE).toBe(cdkEnv.DB_POOL_SIZE);
    expect(env.SCALING_PHASE).toBe(cdkEnv.SCALING_PHASE);

    const proxyPercent = only(template, 'AWS::RDS::DBProxyTargetGroup').ConnectionPoolConfigurationInfo.MaxConnectionsPercent;
    const ceiling = Math.floor((plan.database.maxConnections.value * proxyPercent) / 100);
    const settings = ini(find('ConfigMap', 'pgbouncer').data['pgbouncer.ini']);
    const pooler = find('Deployment', 'pgbouncer');
    const replicas = pooler.spec.replicas;
    expect(settings.pool_mode).toBe('transaction');
    // every pod at its cap stays within what RDS Proxy would allow, and the default pools carry the connection budget
    expect(replicas * Number(settings.max_db_connections)).toBeLessThanOrEqual(ceiling);
    expect(Number(settings.default_pool_size) + Number(settings.reserve_pool_size)).toBe(Number(settings.max_db_connections));
    expect(replicas * Number(settings.default_pool_size)).toBeLessThanOrEqual(plan.database.connectionBudget.value);
    // every API pod's pool fits, even with one PgBouncer pod lost
    expect((replicas - 1) * Number(settings.max_client_conn)).toBeGreaterThanOrEqual(cdkScaling.MaxCapacity * Number(cdkEnv.DB_POOL_SIZE));
    // a rollout never runs more PgBouncer pods than planned
    expect(pooler.spec.strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 });
  });

  test('the PDB is sized from the CPU headroom', () => {
    const k = planKubernetes(model, plan);
    expect(find('PodDisruptionBudget', 'api').spec.maxUnavailable).toBe(`${k.api.maxUnavailablePercent.value}%`);
  });

  test('no credential is a value in any manifest: the database and Redis secrets are references', () => {
    const text = JSON.stringify(manifests);
    expect(text).not.toMatch(/"kind":"Secret"/);
    const refs = [...text.matchAll(/"secretKeyRef":\{"key":"(\w+)","name":"([\w-]+)"\}/g)].map((m) => `${m[2]}/${m[1]}`);
    expect(new Set(refs)).toEqual(new Set(['aurora-credentials/username', 'aurora-credentials/password', 'redis-auth/token']));
  });
});

test('synthPhaseCharts writes one folder per phase that kubectl apply -f takes', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-out-'));
  const written = synthPhaseCharts(model, phases.map((p) => p.plan), outdir);
  expect(written.map((w) => path.relative(outdir, w.folder))).toEqual(['phase1', 'phase2', 'phase3']);
  for (const { folder } of written) {
    expect(fs.readdirSync(folder)).toEqual([`${model.service.name}.k8s.yaml`]);
    const text = fs.readFileSync(path.join(folder, `${model.service.name}.k8s.yaml`), 'utf8');
    expect(text.split(/^---$/m)).toHaveLength(8);
  }
  fs.rmSync(outdir, { recursive: true, force: true });
});
