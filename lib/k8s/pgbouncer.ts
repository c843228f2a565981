import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { appLabels, BACKEND_REFERENCE_DEFAULTS, PGBOUNCER_DEFAULTS } from './defaults';
import { PgbouncerPoolSettings, renderPgbouncerIni } from './pgbouncer-ini';
import { zoneSpread } from './topology';
import { checkIntProp, checkNameProp } from './validation';

/** Properties of PgBouncer. */
export interface PgBouncerProps {
  /** Pool sizes and timeouts, written to pgbouncer.ini. */
  readonly pool: PgbouncerPoolSettings;
  /** Name of the Deployment, Service and ConfigMap (what the API's DB_HOST points at). @default 'pgbouncer' */
  readonly name?: string;
  /** `app.kubernetes.io/part-of` label. @default 'scaling-roadmap' */
  readonly partOf?: string;
  /** PgBouncer pods (fixed: each holds its own share of the server connections). @default 2 */
  readonly replicas?: number;
  /** An image with `/bin/sh` and `pgbouncer` on the PATH, running as uid `runAsUser`. @default 'docker.io/edoburu/pgbouncer:v1.23.1-p3' */
  readonly image?: string;
  /** @default 70 (the edoburu image's postgres user) */
  readonly runAsUser?: number;
  /** CPU request and limit in millicores. @default 1000 (PgBouncer is single-threaded) */
  readonly cpuMillis?: number;
  /** Memory request and limit. @default 256 */
  readonly memoryMiB?: number;
  /** Port clients connect to. @default 6432 */
  readonly port?: number;
  /** The database clients use, forwarded to the same name on the server. @default 'app' */
  readonly databaseName?: string;
  /** ConfigMap with `DB_HOST` (the Aurora writer endpoint) and `DB_PORT`, created from the AWS stack. @default 'aws-endpoints' */
  readonly endpointsConfigMap?: string;
  /** Secret with `username` and `password` of the database user. @default 'aurora-credentials' */
  readonly databaseSecret?: string;
  /** PgBouncer's TLS mode towards Aurora. @default 'require' */
  readonly serverTlsSslmode?: 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
}

/**
 * PgBouncer in transaction pooling mode: a Deployment with a fixed replica count, its Service, the generated
 * pgbouncer.ini in a ConfigMap, and a PodDisruptionBudget keeping all but one pod during drains.
 *
 * The credentials never appear in a manifest: at start the container writes `userlist.txt` and the `[databases]`
 * section from the Secret and ConfigMap it is given (environment variables), into a memory-backed runtime directory.
 */
export class PgBouncer extends Construct {
  public readonly configMap: kplus.ConfigMap;
  public readonly deployment: kplus.Deployment;
  public readonly service: kplus.Service;
  public readonly disruptionBudget: kplus.k8s.KubePodDisruptionBudget;
  /** The Service's name and port: what clients put in their connection string. */
  public readonly host: string;
  public readonly port: number;

  constructor(scope: Construct, id: string, props: PgBouncerProps) {
    super(scope, id);
    const name = props.name ?? 'pgbouncer';
    checkNameProp('name', name);
    const replicas = props.replicas ?? 2;
    checkIntProp('replicas', replicas, 1, 1000);
    checkIntProp('cpuMillis', props.cpuMillis, 100, 64_000);
    checkIntProp('memoryMiB', props.memoryMiB, 64, 65_536);
    checkIntProp('runAsUser', props.runAsUser, 1, 65_535);
    this.port = props.port ?? PGBOUNCER_DEFAULTS.port;
    checkIntProp('port', this.port, 1024, 65_535);
    const databaseName = props.databaseName ?? PGBOUNCER_DEFAULTS.databaseName;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseName)) throw new Error(`'databaseName' (${databaseName}) must be a lowercase PostgreSQL identifier of at most 63 characters`);
    const uid = props.runAsUser ?? PGBOUNCER_DEFAULTS.uid;
    const { configDir, runtimeDir } = PGBOUNCER_DEFAULTS;
    const labels = appLabels(props.partOf ?? 'scaling-roadmap', name);
    this.host = name;

    this.configMap = new kplus.ConfigMap(this, 'Config', {
      metadata: { name, labels },
      data: {
        'pgbouncer.ini': renderPgbouncerIni(props.pool, { listenPort: this.port, runtimeDir, serverTlsSslmode: props.serverTlsSslmode ?? 'require' }),
      },
    });

    const endpoints = kplus.ConfigMap.fromConfigMapName(this, 'Endpoints', props.endpointsConfigMap ?? BACKEND_REFERENCE_DEFAULTS.endpointsConfigMap);
    const secret = kplus.Secret.fromSecretName(this, 'Credentials', props.databaseSecret ?? BACKEND_REFERENCE_DEFAULTS.databaseSecret);
    this.deployment = new kplus.Deployment(this, 'Resource', {
      metadata: { name, labels },
      podMetadata: { labels },
      select: false,
      replicas,
      // Never more pods than planned, even mid-rollout: each pod holds max_db_connections, and their sum is the ceiling.
      strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.absolute(0), maxUnavailable: kplus.PercentOrAbsolute.absolute(1) }),
      // Clients reconnect after a pod stops; a short grace lets in-flight transactions (bounded by idle_transaction_timeout) end.
      terminationGracePeriod: Duration.seconds(Math.min(60, (props.pool.idleTransactionTimeoutSec ?? 30) + 5)),
      securityContext: { ensureNonRoot: true, user: uid, group: uid },
    });
    this.deployment.select(kplus.LabelSelector.of({ labels }));
    const config = kplus.Volume.fromConfigMap(this, 'ConfigVolume', this.configMap);
    const runtime = kplus.Volume.fromEmptyDir(this, 'RuntimeVolume', 'runtime', { medium: kplus.EmptyDirMedium.MEMORY, sizeLimit: Size.mebibytes(1) });
    this.deployment.addContainer({
      name: 'pgbouncer',
      image: props.image ?? PGBOUNCER_DEFAULTS.image,
      portNumber: this.port,
      command: ['/bin/sh', '-c', startScript(`${configDir}/pgbouncer.ini`, runtimeDir, databaseName)],
      envVariables: {
        DB_HOST: kplus.EnvValue.fromConfigMap(endpoints, 'DB_HOST'),
        DB_PORT: kplus.EnvValue.fromConfigMap(endpoints, 'DB_PORT'),
        DB_USERNAME: kplus.EnvValue.fromSecretValue({ secret, key: 'username' }),
        DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }),
      },
      resources: {
        cpu: { request: kplus.Cpu.millis(props.cpuMillis ?? 1000), limit: kplus.Cpu.millis(props.cpuMillis ?? 1000) },
        memory: { request: Size.mebibytes(props.memoryMiB ?? 256), limit: Size.mebibytes(props.memoryMiB ?? 256) },
      },
      readiness: kplus.Probe.fromTcpSocket({ port: this.port, periodSeconds: Duration.seconds(5), failureThreshold: 2 }),
      liveness: kplus.Probe.fromTcpSocket({ port: this.port, periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
      securityContext: { ensureNonRoot: true, user: uid, group: uid, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
      volumeMounts: [
        { volume: config, path: configDir, readOnly: true },
        { volume: runtime, path: runtimeDir },
      ],
    });
    // Soft spread over zones: losing a zone must not leave replacement pods Pending (cdk8s-plus `spread` is required anti-affinity).
    ApiObject.of(this.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/topologySpreadConstraints', zoneSpread(labels)));

    this.service = new kplus.Service(this, 'Service', {
      metadata: { name, labels },
      selector: this.deployment,
      ports: [{ port: this.port, targetPort: this.port, name: 'postgres' }],
    });
    this.disruptionBudget = new kplus.k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: { name, labels },
      spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: labels } },
    });
  }
}

/** Writes the secret-bearing files from the environment (never into the image or a manifest), then runs pgbouncer. */
function startScript(ini: string, runtimeDir: string, databaseName: string): string {
  return [
    'set -eu',
    'umask 077',
    `printf '[databases]\\n${databaseName} = host=%s port=%s dbname=${databaseName}\\n' "$DB_HOST" "$DB_PORT" > ${runtimeDir}/databases.ini`,
    `printf '"%s" "%s"\\n' "$DB_USERNAME" "$DB_PASSWORD" > ${runtimeDir}/userlist.txt`,
    `exec pgbouncer ${ini}`,
  ].join('\n');
}
