import { Annotations, ArnFormat, Duration, RemovalPolicy, Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { propError } from './validation';
import {
  type ApiTarget, apiTarget, type CacheTarget, cacheTarget, type ChaosTargetTag, DatabaseFailure, type DatabaseTarget, databaseTarget,
} from './chaos-targets';
import { iamWildcardFinding } from './nag-findings';
import { stableName } from './stable-name';

// The enum and the tag type are part of this construct's props and fields.
export { DatabaseFailure } from './chaos-targets';
export type { ChaosTargetTag } from './chaos-targets';

/** The experiments {@link ChaosExperiments} can create, by the name used in its fields and outputs. */
export type ChaosExperimentName = 'apiTaskStop' | 'database' | 'cacheAzPower';

/**
 * Properties of {@link ChaosExperiments}. Each experiment is created only when its target is given
 * (`apiService`, `databaseCluster`/`databaseClusterIdentifier`, `cacheReplicationGroup`/`cacheReplicationGroupId`);
 * at least one must be.
 */
export interface ChaosExperimentsProps {
  /**
   * ECS service whose tasks the API task-stop experiment (`aws:ecs:stop-task`) stops.
   * @default - no API task-stop experiment
   */
  readonly apiService?: ecs.IBaseService;

  /**
   * Cluster of `apiService`.
   * @default - `apiService.cluster`
   */
  readonly apiCluster?: ecs.ICluster;

  /**
   * Share of the service's running tasks stopped at once, in percent (integer, 1-100): `PERCENT(n)`. Pass the share
   * the service can lose at design peak and still meet its SLO. FIS rounds down and fails the run if that is no task.
   * @default - `apiStopTaskCount`
   */
  readonly apiStopTaskPercent?: number;

  /**
   * Number of the service's running tasks stopped at once (integer >= 1): `COUNT(n)`. Exclusive with `apiStopTaskPercent`.
   * @default 1 (the seeds' "kill one replica mid-soak")
   */
  readonly apiStopTaskCount?: number;

  /**
   * Aurora cluster the database experiment targets.
   * @default - no database experiment (unless `databaseClusterIdentifier` is given)
   */
  readonly databaseCluster?: rds.IDatabaseCluster;

  /**
   * Identifier of an Aurora cluster in this stack's account and region, instead of `databaseCluster`.
   * @default - no database experiment (unless `databaseCluster` is given)
   */
  readonly databaseClusterIdentifier?: string;

  /**
   * What the database experiment breaks. Cluster failover by default: the seeds' gate fails the database over, and a
   * failover is the loss clients notice (writes pause, connections move to a promoted reader), which the plan's extra
   * reader is sized for; a reader reboot only takes one reader's share of the reads away.
   * @default DatabaseFailure.CLUSTER_FAILOVER
   */
  readonly databaseFailure?: DatabaseFailure;

  /**
   * Instance identifier of the reader to reboot (only with `DatabaseFailure.READER_REBOOT`). Roles move on failover:
   * the instance named here is rebooted whatever its role is at run time.
   * @default - the cluster's second instance (its first reader when created) when `databaseCluster` lists its instances
   */
  readonly databaseReaderInstanceIdentifier?: string;

  /**
   * Replication group the cache experiment (`aws:elasticache:replicationgroup-interrupt-az-power`) targets. It must
   * have Multi-AZ and automatic failover on. FIS finds it by a tag (see {@link ChaosExperiments.cacheTargetTag}),
   * which this construct adds to it.
   * @default - no cache experiment (unless `cacheReplicationGroupId` is given)
   */
  readonly cacheReplicationGroup?: elasticache.CfnReplicationGroup;

  /**
   * Id of a replication group in this stack's account and region, instead of `cacheReplicationGroup`. Tag it with
   * {@link ChaosExperiments.cacheTargetTag} yourself: FIS selects replication groups by tag, not by ARN.
   * @default - no cache experiment (unless `cacheReplicationGroup` is given)
   */
  readonly cacheReplicationGroupId?: string;

  /**
   * Availability Zone whose cache nodes lose power: a name (`eu-central-1a`) or an AZ ID (`euc1-az1`). The primary
   * fails over only if it is in this AZ: pick the primary's AZ to test the failover, another one to test a replica loss.
   * @default - the stack's first Availability Zone
   */
  readonly cacheAvailabilityZone?: string;

  /**
   * How long the cache nodes stay without power (1 minute to 12 hours).
   * @default Duration.minutes(10)
   */
  readonly cacheInterruptionDuration?: Duration;

  /**
   * Alarms that stop a running experiment when they go to ALARM (at most 5, FIS's limit): the SLO alarms of the gate.
   * @default - none: every experiment runs unguarded, and each template carries a warning saying so
   */
  readonly stopConditionAlarms?: cloudwatch.IAlarm[];

  /**
   * How long experiment logs are kept: they are the record that a phase gate's chaos run passed.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Customer-managed KMS key for the experiment log group. A key created in the same app gets a key policy statement
   * for CloudWatch Logs; an imported key's policy must already allow `logs.<region>.amazonaws.com`.
   * @default - encrypted by CloudWatch Logs with its own key
   */
  readonly logEncryptionKey?: kms.IKey;
}

/** FIS's limit of stop conditions per experiment template (quota L-872EC72B, not adjustable). */
const MAX_STOP_CONDITIONS = 5;

/**
 * AWS FIS experiment templates for a phase gate's chaos run: stop API tasks, fail the Aurora cluster over (or reboot
 * a reader), cut power to the cache nodes in one Availability Zone. Run them mid-soak with
 * `aws fis start-experiment --experiment-template-id <id>` while the SLO alarms (the stop conditions) hold.
 *
 * One IAM role serves every template of the construct and may act on the given targets only; experiment logs go to
 * one CloudWatch Logs group. Creating the templates changes nothing: an experiment runs only when started.
 */
export class ChaosExperiments extends Construct {
  /** The role FIS assumes to run the experiments: allowed only the actions on the targets given. */
  public readonly role: iam.Role;

  /** Where FIS writes the experiment logs (schema version 2). */
  public readonly logGroup: logs.LogGroup;

  /** The API task-stop experiment template, when `apiService` is given. */
  public readonly apiTaskStop?: fis.CfnExperimentTemplate;

  /** The database experiment template (cluster failover or reader reboot), when a database cluster is given. */
  public readonly database?: fis.CfnExperimentTemplate;

  /** The cache AZ power interruption experiment template, when a replication group is given. */
  public readonly cacheAzPower?: fis.CfnExperimentTemplate;

  /** The tag FIS selects the replication group by (added to `cacheReplicationGroup`; add it yourself to an id). */
  public readonly cacheTargetTag?: ChaosTargetTag;

  /** Id of each template created (what `aws fis start-experiment --experiment-template-id` takes), for stack outputs. */
  public readonly experimentTemplateIds: Readonly<Partial<Record<ChaosExperimentName, string>>>;

  private readonly policy = new iam.PolicyDocument();
  private readonly wildcards = new Map<string, string>();

  constructor(scope: Construct, id: string, props: ChaosExperimentsProps) {
    super(scope, id);
    const stack = Stack.of(this);

    const alarms = props.stopConditionAlarms ?? [];
    if (alarms.length > MAX_STOP_CONDITIONS) {
      throw propError(this, `'stopConditionAlarms' (${alarms.length} alarms) must hold at most ${MAX_STOP_CONDITIONS}: FIS allows ${MAX_STOP_CONDITIONS} stop conditions per experiment template`);
    }
    const api = apiTarget(this, props);
    const database = databaseTarget(this, props);
    const cache = cacheTarget(this, props);
    if (!api && !database && !cache) {
      throw propError(this, "ChaosExperiments needs at least one target: 'apiService', 'databaseCluster' (or 'databaseClusterIdentifier') or 'cacheReplicationGroup' (or 'cacheReplicationGroupId')");
    }

    this.role = new iam.Role(this, 'Role', {
      description: 'AWS FIS experiment role: stops, fails over or interrupts only the chaos targets of this construct',
      // Only FIS experiments of this account and region may assume it (confused-deputy protection).
      assumedBy: new iam.ServicePrincipal('fis.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'fis', resource: 'experiment', resourceName: '*' }) },
        },
      }),
      // Inline, so the permissions exist as soon as the role does (no separate policy resource to wait for).
      inlinePolicies: { ChaosExperiments: this.policy },
    });

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.logEncryptionKey,
      // The logs are the evidence that a gate's chaos run passed: they outlive the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.allowLogDelivery(props.logEncryptionKey);

    // Every FIS action used here lists tag:GetResources among its permissions (tag-based target resolution).
    this.allow('ResolveTargets', ['tag:GetResources'], ['*']);

    const common: CommonTemplateProps = {
      roleArn: this.role.roleArn,
      stopConditions: alarms.length
        ? alarms.map((alarm) => ({ source: 'aws:cloudwatch:alarm', value: alarm.alarmArn }))
        : [{ source: 'none' }],
      logConfiguration: this.logConfiguration(),
    };
    const templates: Array<[ChaosExperimentName, fis.CfnExperimentTemplate]> = [];
    if (api) {
      this.apiTaskStop = this.addApiTaskStop(api, common);
      templates.push(['apiTaskStop', this.apiTaskStop]);
    }
    if (database) {
      this.database = this.addDatabase(database, common);
      templates.push(['database', this.database]);
    }
    if (cache) {
      this.cacheTargetTag = cache.tag;
      if (cache.replicationGroup) {
        Tags.of(cache.replicationGroup).add(cache.tag.key, cache.tag.value);
      } else {
        Annotations.of(this).addWarningV2(
          'scaling-roadmap:chaos:untaggedCacheTarget',
          `Tag replication group ${cache.replicationGroupId} with ${cache.tag.key}=${cache.tag.value} (aws elasticache add-tags-to-resource): FIS finds it by that tag, and the cache experiment fails to start without it.`,
        );
      }
      this.cacheAzPower = this.addCacheAzPower(cache, common);
      templates.push(['cacheAzPower', this.cacheAzPower]);
    }

    for (const [finding, reason] of this.wildcards) {
      Validations.of(this.role.node.defaultChild as iam.CfnRole).acknowledge({ id: finding, reason });
    }
    if (!alarms.length) {
      for (const [name, template] of templates) {
        Annotations.of(template).addWarningV2(
          'scaling-roadmap:chaos:unguardedExperiment',
          `'stopConditionAlarms' is empty: the ${name} experiment runs unguarded (stop condition 'none'), FIS will not stop it when the service degrades. Pass the gate's SLO alarms.`,
        );
      }
    }
    this.experimentTemplateIds = Object.fromEntries(templates.map(([name, template]) => [name, template.attrId]));
  }

  private addApiTaskStop(api: ApiTarget, common: CommonTemplateProps): fis.CfnExperimentTemplate {
    const stack = Stack.of(this);
    const { clusterName, clusterArn } = api.cluster;
    // Task ids exist only at run time: the ARN names the cluster, FIS's 'service' parameter narrows it to the service.
    const tasks = stack.formatArn({ service: 'ecs', resource: 'task', resourceName: `${clusterName}/*` });
    this.allow('StopApiTasks', ['ecs:DescribeTasks', 'ecs:StopTask'], [tasks],
      `ECS task ids are assigned at run time: ecs:StopTask and ecs:DescribeTasks are limited to the tasks of the API's cluster (task/<cluster>/*), and FIS selects only tasks of the API service ('service' target parameter)`);
    // ListTasks has no task-level resource: allowed on '*', for the API's cluster only.
    this.allow('ListApiTasks', ['ecs:ListTasks'], ['*'], undefined, { ArnEquals: { 'ecs:cluster': clusterArn } });

    return this.template('ApiTaskStop', {
      description:
        `Chaos, API replica loss: stops ${api.selectionMode} of the running tasks of ECS service ${api.service.serviceName} ` +
        `(cluster ${clusterName}) at once with aws:ecs:stop-task. ECS starts replacements; the API must hold its SLO meanwhile.`,
      targets: {
        ApiTasks: {
          resourceType: 'aws:ecs:task',
          parameters: { cluster: clusterName, service: api.service.serviceName },
          selectionMode: api.selectionMode,
        },
      },
      actions: {
        StopTasks: {
          actionId: 'aws:ecs:stop-task',
          description: `Stop ${api.selectionMode} of the API service's tasks`,
          targets: { Tasks: 'ApiTasks' },
        },
      },
      ...common,
    });
  }

  private addDatabase(database: DatabaseTarget, common: CommonTemplateProps): fis.CfnExperimentTemplate {
    const stack = Stack.of(this);
    const cluster = stack.formatArn({ service: 'rds', resource: 'cluster', resourceName: database.clusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    if (database.failure === DatabaseFailure.CLUSTER_FAILOVER) {
      this.allow('FailoverDatabaseCluster', ['rds:FailoverDBCluster', 'rds:DescribeDBClusters'], [cluster]);
      return this.template('Database', {
        description:
          `Chaos, database failover: fails Aurora cluster ${database.clusterIdentifier} over with aws:rds:failover-db-cluster. ` +
          'A reader becomes the writer, writes pause until it is promoted, connections through the proxy move to it.',
        targets: { Cluster: { resourceType: 'aws:rds:cluster', resourceArns: [cluster], selectionMode: 'ALL' } },
        actions: {
          FailoverCluster: {
            actionId: 'aws:rds:failover-db-cluster',
            description: 'Promote a reader of the Aurora cluster to writer',
            targets: { Clusters: 'Cluster' },
          },
        },
        ...common,
      });
    }
    const reader = stack.formatArn({ service: 'rds', resource: 'db', resourceName: database.readerInstanceIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.allow('RebootDatabaseReader', ['rds:RebootDBInstance', 'rds:DescribeDBInstances'], [reader]);
    return this.template('Database', {
      description:
        `Chaos, database reader loss: reboots instance ${database.readerInstanceIdentifier} of Aurora cluster ${database.clusterIdentifier} ` +
        'with aws:rds:reboot-db-instances (no failover). Its reads move to the other readers while it restarts.',
      targets: { Reader: { resourceType: 'aws:rds:db', resourceArns: [reader], selectionMode: 'ALL' } },
      actions: {
        RebootReader: {
          actionId: 'aws:rds:reboot-db-instances',
          description: 'Reboot one reader of the Aurora cluster',
          parameters: { forceFailover: 'false' },
          targets: { DBInstances: 'Reader' },
        },
      },
      ...common,
    });
  }

  private addCacheAzPower(cache: CacheTarget, common: CommonTemplateProps): fis.CfnExperimentTemplate {
    const replicationGroup = Stack.of(this).formatArn({
      service: 'elasticache', resource: 'replicationgroup', resourceName: cache.replicationGroupId, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.allow('InterruptCacheAzPower', ['elasticache:InterruptClusterAzPower', 'elasticache:DescribeReplicationGroups'], [replicationGroup]);
    return this.template('CacheAzPower', {
      description:
        `Chaos, cache AZ loss: cuts power to the nodes of ElastiCache replication group ${cache.replicationGroupId} in ${cache.availabilityZone} ` +
        `for ${cache.duration} with aws:elasticache:replicationgroup-interrupt-az-power. A primary there fails over to a replica; nodes there stay down.`,
      targets: {
        ReplicationGroup: {
          resourceType: 'aws:elasticache:replicationgroup',
          // FIS resolves replication groups by tag only (not by ARN); the AZ is a required target parameter.
          resourceTags: { [cache.tag.key]: cache.tag.value },
          parameters: { availabilityZoneIdentifier: cache.availabilityZone },
          selectionMode: 'ALL',
        },
      },
      actions: {
        InterruptAzPower: {
          actionId: 'aws:elasticache:replicationgroup-interrupt-az-power',
          description: 'Interrupt power to the cache nodes in one Availability Zone',
          parameters: { duration: cache.duration },
          targets: { ReplicationGroups: 'ReplicationGroup' },
        },
      },
      ...common,
    });
  }

  private template(id: string, props: fis.CfnExperimentTemplateProps): fis.CfnExperimentTemplate {
    return new fis.CfnExperimentTemplate(this, id, {
      ...props,
      // A run whose targets resolve to nothing fails instead of reporting a pass that broke nothing.
      experimentOptions: { accountTargeting: 'single-account', emptyTargetResolutionMode: 'fail' },
      // Tags are required by the resource schema; the name tells the operator which stack and construct it is.
      tags: { Name: `${stableName(this)}/${id}` },
    });
  }

  private logConfiguration(): fis.CfnExperimentTemplate.ExperimentTemplateLogConfigurationProperty {
    // The L1 types this property as `any` and passes it through unchanged: CloudFormation's casing is needed here.
    return { cloudWatchLogsConfiguration: { LogGroupArn: this.logGroup.logGroupArn }, logSchemaVersion: 2 };
  }

  /**
   * What CloudWatch Logs' vended-log delivery needs to deliver FIS logs. The log group's resource policy for
   * delivery.logs.amazonaws.com is created here, so the role needs no logs:PutResourcePolicy.
   */
  private allowLogDelivery(key: kms.IKey | undefined): void {
    const stack = Stack.of(this);
    // A resource policy of its own rather than logGroup.addToResourcePolicy: that one's generated name includes the
    // stack's construct id, so it would be replaced whenever the deployed stack moves to another phase.
    new logs.ResourcePolicy(this, 'LogsPolicy', {
      resourcePolicyName: stableName(this, '-').slice(0, 255),
      policyStatements: [new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*' }) },
        },
      })],
    });
    // None of the three has resource-level permissions (IAM accepts only '*'); the two Describe calls are read-only.
    this.allow('DeliverExperimentLogs', ['logs:CreateLogDelivery', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies'], ['*']);
    if (key) {
      // Logs encrypts with the key only for log groups of this account and region.
      key.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) } },
      }));
    }
  }

  /** Adds one statement to the role; a wildcard resource needs the reason a reviewer reads for cdk-nag IAM5. */
  private allow(sid: string, actions: string[], resources: string[], reason?: string, conditions?: Record<string, unknown>): void {
    this.policy.addStatements(new iam.PolicyStatement({ sid, actions, resources, conditions }));
    for (const resource of resources.filter((r) => Token.isUnresolved(r) || r.includes('*'))) {
      const finding = iamWildcardFinding(this, resource);
      if (!finding.includes('*')) continue;
      this.wildcards.set(finding, reason ?? this.wildcards.get(finding) ?? WILDCARD_REASON);
    }
  }
}

/** Why some statements have '*' as resource (cdk-nag AwsSolutions-IAM5). */
const WILDCARD_REASON =
  "Actions without resource-level permissions, so IAM accepts only '*': tag:GetResources (FIS resolves targets by tag; read-only), " +
  'logs:CreateLogDelivery with the read-only logs:DescribeLogGroups and logs:DescribeResourcePolicies (FIS experiment logging to this construct\'s log group) ' +
  'and, with the API experiment, ecs:ListTasks, narrowed by an ecs:cluster condition to the API\'s cluster';

type CommonTemplateProps = Pick<fis.CfnExperimentTemplateProps, 'roleArn' | 'stopConditions' | 'logConfiguration'>;
