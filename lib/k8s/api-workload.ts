import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { appLabels } from './defaults';
import { zoneSpread } from './topology';
import { checkIntProp, checkNameProp } from './validation';

/** An environment variable read from a Secret or ConfigMap the user creates (never a value in the manifest). */
export interface EnvReference {
  readonly secretName?: string;
  readonly configMapName?: string;
  readonly key: string;
}

/** Properties of the API workload. */
export interface ApiWorkloadProps {
  /** Name of the Deployment, Service, HPA and PDB. @default 'api' */
  readonly name?: string;
  /** `app.kubernetes.io/part-of` label. @default 'scaling-roadmap' */
  readonly partOf?: string;
  /** @default 'public.ecr.aws/nginx/nginx:stable' - a public placeholder, as on ECS */
  readonly image?: string;
  /** @default 80 */
  readonly containerPort?: number;
  /** Port of the Service. @default 80 */
  readonly servicePort?: number;
  /** Readiness and liveness probes GET this path. @default '/' */
  readonly healthCheckPath?: string;
  /** CPU request and limit in millicores. @default 1000 */
  readonly cpuMillis?: number;
  /** Memory request and limit. @default 2048 */
  readonly memoryMiB?: number;
  /** HPA `minReplicas`. @default 2 */
  readonly minReplicas?: number;
  /** HPA `maxReplicas`. @default 4 */
  readonly maxReplicas?: number;
  /** HPA average CPU utilization target (of the request). @default 65 */
  readonly targetCpuPercent?: number;
  /** @default 0 */
  readonly scaleUpStabilizationSec?: number;
  /** Pods one scale-up step may add per `scaleUpPeriodSec`. @default - maxReplicas */
  readonly scaleUpPods?: number;
  /** @default 60 */
  readonly scaleUpPeriodSec?: number;
  /** @default 300 */
  readonly scaleDownStabilizationSec?: number;
  /** Percentage of pods one scale-down step may remove per `scaleDownPeriodSec`. @default 50 */
  readonly scaleDownPercent?: number;
  /** @default 300 */
  readonly scaleDownPeriodSec?: number;
  /** The preStop sleep: endpoints drop the pod before it stops accepting. @default 5 */
  readonly preStopSleepSec?: number;
  /** Must cover preStop + the longest request. @default 40 */
  readonly terminationGracePeriodSec?: number;
  /** @default 15 */
  readonly probePeriodSec?: number;
  /** @default 3 */
  readonly probeFailureThreshold?: number;
  /** How long a booting pod may take to pass its first health check (the startup probe) before liveness can restart it. @default 60 */
  readonly startupTimeoutSec?: number;
  /** PodDisruptionBudget `maxUnavailable` as a percentage. @default 25 */
  readonly maxUnavailablePercent?: number;
  /** Plain configuration: reviewed, non-secret values only. @default - none */
  readonly environment?: Record<string, string>;
  /** Values from Secrets and ConfigMaps by name and key. @default - none */
  readonly environmentReferences?: Record<string, EnvReference>;
}

/**
 * The API tier on Kubernetes: a Deployment whose replicas the HPA owns, a ClusterIP Service, a PodDisruptionBudget
 * and an autoscaling/v2 HorizontalPodAutoscaler with explicit behaviour (never cdk8s-plus's own defaults).
 */
export class ApiWorkload extends Construct {
  public readonly deployment: kplus.Deployment;
  public readonly service: kplus.Service;
  public readonly autoscaler: kplus.HorizontalPodAutoscaler;
  public readonly disruptionBudget: kplus.k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: ApiWorkloadProps = {}) {
    super(scope, id);
    const name = props.name ?? 'api';
    checkNameProp('name', name);
    const p = {
      containerPort: props.containerPort ?? 80,
      servicePort: props.servicePort ?? 80,
      cpuMillis: props.cpuMillis ?? 1000,
      memoryMiB: props.memoryMiB ?? 2048,
      minReplicas: props.minReplicas ?? 2,
      maxReplicas: props.maxReplicas ?? 4,
      targetCpuPercent: props.targetCpuPercent ?? 65,
      scaleUpStabilizationSec: props.scaleUpStabilizationSec ?? 0,
      scaleUpPeriodSec: props.scaleUpPeriodSec ?? 60,
      scaleDownStabilizationSec: props.scaleDownStabilizationSec ?? 300,
      scaleDownPercent: props.scaleDownPercent ?? 50,
      scaleDownPeriodSec: props.scaleDownPeriodSec ?? 300,
      preStopSleepSec: props.preStopSleepSec ?? 5,
      terminationGracePeriodSec: props.terminationGracePeriodSec ?? 40,
      probePeriodSec: props.probePeriodSec ?? 15,
      probeFailureThreshold: props.probeFailureThreshold ?? 3,
      startupTimeoutSec: props.startupTimeoutSec ?? 60,
      maxUnavailablePercent: props.maxUnavailablePercent ?? 25,
    };
    const scaleUpPods = props.scaleUpPods ?? p.maxReplicas;
    checkIntProp('containerPort', p.containerPort, 1, 65_535);
    checkIntProp('servicePort', p.servicePort, 1, 65_535);
    checkIntProp('cpuMillis', p.cpuMillis, 100, 192_000);
    checkIntProp('memoryMiB', p.memoryMiB, 128, 1_048_576);
    checkIntProp('minReplicas', p.minReplicas, 1, 10_000);
    checkIntProp('maxReplicas', p.maxReplicas, 1, 10_000);
    if (p.minReplicas > p.maxReplicas) throw new Error(`'minReplicas' (${p.minReplicas}) must be <= 'maxReplicas' (${p.maxReplicas})`);
    checkIntProp('targetCpuPercent', p.targetCpuPercent, 1, 100);
    // Kubernetes' own bounds: stabilization windows 0-3600 s, policy periods 1-1800 s.
    checkIntProp('scaleUpStabilizationSec', p.scaleUpStabilizationSec, 0, 3600);
    checkIntProp('scaleDownStabilizationSec', p.scaleDownStabilizationSec, 0, 3600);
    checkIntProp('scaleUpPeriodSec', p.scaleUpPeriodSec, 1, 1800);
    checkIntProp('scaleDownPeriodSec', p.scaleDownPeriodSec, 1, 1800);
    checkIntProp('scaleUpPods', scaleUpPods, 1, 10_000);
    checkIntProp('scaleDownPercent', p.scaleDownPercent, 1, 100);
    checkIntProp('preStopSleepSec', p.preStopSleepSec, 0, 600);
    checkIntProp('terminationGracePeriodSec', p.terminationGracePeriodSec, 1, 3600);
    if (p.terminationGracePeriodSec <= p.preStopSleepSec) {
      throw new Error(`'terminationGracePeriodSec' (${p.terminationGracePeriodSec}) must be > 'preStopSleepSec' (${p.preStopSleepSec}): the grace period includes the preStop hook`);
    }
    checkIntProp('probePeriodSec', p.probePeriodSec, 1, 3600);
    checkIntProp('probeFailureThreshold', p.probeFailureThreshold, 1, 100);
    checkIntProp('startupTimeoutSec', p.startupTimeoutSec, 1, 3600);
    checkIntProp('maxUnavailablePercent', p.maxUnavailablePercent, 1, 100);
    const healthCheckPath = props.healthCheckPath ?? '/';
    if (!healthCheckPath.startsWith('/')) throw new Error(`'healthCheckPath' (${healthCheckPath}) must start with '/'`);
    const labels = appLabels(props.partOf ?? 'scaling-roadmap', name);

    this.deployment = new kplus.Deployment(this, 'Resource', {
      metadata: { name, labels },
      podMetadata: { labels },
      select: false,
      terminationGracePeriod: Duration.seconds(p.terminationGracePeriodSec),
    });
    this.deployment.select(kplus.LabelSelector.of({ labels }));
    const tmp = kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp');
    const probe = (periodSec: number, failureThreshold: number) =>
      kplus.Probe.fromHttpGet(healthCheckPath, {
        port: p.containerPort,
        periodSeconds: Duration.seconds(periodSec),
        failureThreshold,
        timeoutSeconds: Duration.seconds(Math.min(5, periodSec)),
      });
    // Startup checks every 5 s (a ready pod serves sooner) for up to startupTimeoutSec; liveness only starts after it.
    const startupPeriodSec = Math.min(5, p.probePeriodSec);
    this.deployment.addContainer({
      name,
      image: props.image ?? 'public.ecr.aws/nginx/nginx:stable',
      portNumber: p.containerPort,
      envVariables: {
        ...Object.fromEntries(Object.entries(props.environment ?? {}).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
        ...Object.fromEntries(Object.entries(props.environmentReferences ?? {}).map(([k, ref]) => [k, this.envReference(k, ref)])),
      },
      // Request = limit: the pod gets exactly the Fargate task size, and HPA utilization means what ECS's does.
      resources: {
        cpu: { request: kplus.Cpu.millis(p.cpuMillis), limit: kplus.Cpu.millis(p.cpuMillis) },
        memory: { request: Size.mebibytes(p.memoryMiB), limit: Size.mebibytes(p.memoryMiB) },
      },
      startup: probe(startupPeriodSec, Math.ceil(p.startupTimeoutSec / startupPeriodSec)),
      readiness: probe(p.probePeriodSec, p.probeFailureThreshold),
      liveness: probe(p.probePeriodSec, p.probeFailureThreshold),
      lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', String(p.preStopSleepSec)]) },
      securityContext: { ensureNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
      volumeMounts: [{ volume: tmp, path: '/tmp' }],
    });
    ApiObject.of(this.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/topologySpreadConstraints', zoneSpread(labels)));

    this.service = new kplus.Service(this, 'Service', {
      metadata: { name, labels },
      selector: this.deployment,
      ports: [{ port: p.servicePort, targetPort: p.containerPort, name: 'http' }],
    });

    this.autoscaler = new kplus.HorizontalPodAutoscaler(this, 'Autoscaler', {
      metadata: { name, labels },
      target: this.deployment,
      minReplicas: p.minReplicas,
      maxReplicas: p.maxReplicas,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(p.targetCpuPercent))],
      scaleUp: {
        stabilizationWindow: Duration.seconds(p.scaleUpStabilizationSec),
        strategy: kplus.ScalingStrategy.MAX_CHANGE,
        policies: [{ replicas: kplus.Replicas.absolute(scaleUpPods), duration: Duration.seconds(p.scaleUpPeriodSec) }],
      },
      scaleDown: {
        stabilizationWindow: Duration.seconds(p.scaleDownStabilizationSec),
        strategy: kplus.ScalingStrategy.MAX_CHANGE,
        policies: [{ replicas: kplus.Replicas.percent(p.scaleDownPercent), duration: Duration.seconds(p.scaleDownPeriodSec) }],
      },
    });

    this.disruptionBudget = new kplus.k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: { name, labels },
      spec: { maxUnavailable: kplus.k8s.IntOrString.fromString(`${p.maxUnavailablePercent}%`), selector: { matchLabels: labels } },
    });
  }

  private envReference(variable: string, ref: EnvReference): kplus.EnvValue {
    if (Boolean(ref.secretName) === Boolean(ref.configMapName)) {
      throw new Error(`'environmentReferences.${variable}' must name exactly one of secretName and configMapName`);
    }
    if (ref.secretName) {
      return kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(this, `Secret${variable}`, ref.secretName), key: ref.key });
    }
    return kplus.EnvValue.fromConfigMap(kplus.ConfigMap.fromConfigMapName(this, `ConfigMap${variable}`, ref.configMapName!), ref.key);
  }
}
