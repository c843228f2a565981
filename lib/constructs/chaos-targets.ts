/**
 * The targets of ChaosExperimentsProps resolved and checked: which experiments to create, on what, with which settings.
 * Errors name the prop, its value and the allowed range.
 */
import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';
import type { ChaosExperimentsProps } from './chaos-experiments';
import { stableName } from './stable-name';
import { propError, requireInteger } from './validation';

/** What the database experiment breaks. */
export enum DatabaseFailure {
  /**
   * `aws:rds:failover-db-cluster`: Aurora promotes a reader to writer. Writes stop for the failover (typically under
   * a minute) and the proxy reconnects to the new writer; the old writer comes back as a reader.
   */
  CLUSTER_FAILOVER = 'CLUSTER_FAILOVER',
  /**
   * `aws:rds:reboot-db-instances` on one reader: its reads move to the other readers while it restarts; writes go on.
   * `forceFailover` stays `false`: an Aurora instance is not a Multi-AZ DB instance, and failing over the writer is
   * what {@link CLUSTER_FAILOVER} does.
   */
  READER_REBOOT = 'READER_REBOOT',
}

/** A resource tag FIS selects targets by. */
export interface ChaosTargetTag {
  readonly key: string;
  readonly value: string;
}

/** FIS's default limit of tasks one aws:ecs:stop-task action may target (quota L-48D12416, adjustable). */
const DEFAULT_STOP_TASK_QUOTA = 5;
/** Tag key FIS selects the replication group by. */
const CACHE_TARGET_TAG_KEY = 'scaling-roadmap:chaos-target';

/** The API task-stop experiment's target, resolved from the props. */
export interface ApiTarget {
  readonly service: ecs.IBaseService;
  readonly cluster: ecs.ICluster;
  readonly selectionMode: string;
}

/** The database experiment's target, resolved from the props. */
export interface DatabaseTarget {
  readonly clusterIdentifier: string;
  readonly failure: DatabaseFailure;
  readonly readerInstanceIdentifier?: string;
}

/** The cache experiment's target, resolved from the props. */
export interface CacheTarget {
  /** The replication group when given as a construct (the construct tags it); undefined when given by id. */
  readonly replicationGroup?: elasticache.CfnReplicationGroup;
  readonly replicationGroupId: string;
  readonly availabilityZone: string;
  readonly duration: string;
  readonly tag: ChaosTargetTag;
}

/** The API target, or undefined without `apiService`; throws on invalid or orphaned API props. */
export function apiTarget(scope: Construct, props: ChaosExperimentsProps): ApiTarget | undefined {
  const { apiService, apiStopTaskPercent: percent, apiStopTaskCount: count } = props;
  if (!apiService) {
    const orphan = (['apiCluster', 'apiStopTaskPercent', 'apiStopTaskCount'] as const).find((p) => props[p] !== undefined);
    if (orphan) throw propError(scope, `'${orphan}' needs 'apiService': it configures the API task-stop experiment`);
    return undefined;
  }
  if (percent !== undefined && count !== undefined) {
    throw propError(scope, `'apiStopTaskPercent' (${percent}) and 'apiStopTaskCount' (${count}) are exclusive: give the share or the number of tasks to stop`);
  }
  let selectionMode: string;
  if (percent !== undefined) {
    requireInteger(scope, 'apiStopTaskPercent', percent, 1, 100, 'the percentage of the service\'s running tasks stopped at once');
    selectionMode = `PERCENT(${percent})`;
  } else {
    requireInteger(scope, 'apiStopTaskCount', count ?? 1, 1, Number.MAX_SAFE_INTEGER, 'the number of the service\'s running tasks stopped at once');
    selectionMode = `COUNT(${count ?? 1})`;
    if ((count ?? 1) > DEFAULT_STOP_TASK_QUOTA) {
      Annotations.of(scope).addWarningV2(
        'scaling-roadmap:chaos:stopTaskQuota',
        `'apiStopTaskCount' (${count}) is above FIS's default quota of ${DEFAULT_STOP_TASK_QUOTA} target tasks for aws:ecs:stop-task (L-48D12416): raise it in Service Quotas or the run fails.`,
      );
    }
  }
  return { service: apiService, cluster: props.apiCluster ?? apiService.cluster, selectionMode };
}

/** The database target, or undefined without a cluster; throws on invalid or orphaned database props. */
export function databaseTarget(scope: Construct, props: ChaosExperimentsProps): DatabaseTarget | undefined {
  const { databaseCluster: cluster, databaseClusterIdentifier: identifier, databaseReaderInstanceIdentifier: reader } = props;
  const failure = props.databaseFailure ?? DatabaseFailure.CLUSTER_FAILOVER;
  if (cluster && identifier !== undefined) {
    throw propError(scope, `'databaseCluster' and 'databaseClusterIdentifier' (${identifier}) are exclusive: give the cluster or its identifier`);
  }
  if (!cluster && identifier === undefined) {
    const orphan = (['databaseFailure', 'databaseReaderInstanceIdentifier'] as const).find((p) => props[p] !== undefined);
    if (orphan) throw propError(scope, `'${orphan}' needs 'databaseCluster' or 'databaseClusterIdentifier': it configures the database experiment`);
    return undefined;
  }
  if (identifier !== undefined && !Token.isUnresolved(identifier) && !/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/.test(identifier)) {
    throw propError(scope, `'databaseClusterIdentifier' (${identifier}) must be an RDS cluster identifier: 1-63 letters, digits or hyphens, starting with a letter`);
  }
  const instances = cluster ? knownInstances(cluster) : undefined;
  if (failure === DatabaseFailure.CLUSTER_FAILOVER) {
    if (reader !== undefined) {
      throw propError(scope, `'databaseReaderInstanceIdentifier' (${reader}) applies only to 'databaseFailure' DatabaseFailure.READER_REBOOT; a cluster failover lets Aurora pick the reader to promote`);
    }
    if (instances && instances.length < 2) {
      throw propError(scope, `'databaseCluster' has ${instances.length} instance(s): a failover needs at least one reader to promote`);
    }
    return { clusterIdentifier: cluster?.clusterIdentifier ?? identifier!, failure };
  }
  const readerInstanceIdentifier = reader ?? instances?.[1];
  if (readerInstanceIdentifier === undefined) {
    throw propError(scope, "'databaseReaderInstanceIdentifier' is required with DatabaseFailure.READER_REBOOT when 'databaseCluster' does not list a reader instance");
  }
  return { clusterIdentifier: cluster?.clusterIdentifier ?? identifier!, failure, readerInstanceIdentifier };
}

/** The cluster's instance identifiers (writer first), or undefined for an imported cluster that was given none. */
function knownInstances(cluster: rds.IDatabaseCluster): string[] | undefined {
  try {
    return cluster.instanceIdentifiers ?? undefined;
  } catch {
    return undefined;
  }
}

/** The cache target, or undefined without a replication group; throws on invalid or orphaned cache props. */
export function cacheTarget(scope: Construct, props: ChaosExperimentsProps): CacheTarget | undefined {
  const { cacheReplicationGroup: group, cacheReplicationGroupId: groupId } = props;
  if (group && groupId !== undefined) {
    throw propError(scope, `'cacheReplicationGroup' and 'cacheReplicationGroupId' (${groupId}) are exclusive: give the replication group or its id`);
  }
  if (!group && groupId === undefined) {
    const orphan = (['cacheAvailabilityZone', 'cacheInterruptionDuration'] as const).find((p) => props[p] !== undefined);
    if (orphan) throw propError(scope, `'${orphan}' needs 'cacheReplicationGroup' or 'cacheReplicationGroupId': it configures the cache experiment`);
    return undefined;
  }
  if (group) {
    for (const flag of ['multiAzEnabled', 'automaticFailoverEnabled'] as const) {
      const value = group[flag];
      if (!Token.isUnresolved(value) && value !== true) {
        throw propError(scope, `'cacheReplicationGroup' (${group.node.path}) has ${flag} ${String(value)}: the AZ power interruption needs Multi-AZ with automatic failover on`);
      }
    }
  }

  const availabilityZone = props.cacheAvailabilityZone ?? Stack.of(scope).availabilityZones[0];
  if (!Token.isUnresolved(availabilityZone) && !/^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/.test(availabilityZone) && !/^[a-z]+\d*-az\d+$/.test(availabilityZone)) {
    throw propError(scope, `'cacheAvailabilityZone' (${availabilityZone}) must be an Availability Zone name such as 'eu-central-1a' or an AZ ID such as 'euc1-az1'`);
  }
  const duration = props.cacheInterruptionDuration ?? Duration.minutes(10);
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 60 || seconds > 12 * 3600) {
    throw propError(scope, `'cacheInterruptionDuration' (${duration.toHumanString()}) must be whole seconds from 1 minute to 12 hours`);
  }

  // FIS resolves the tag over every replication group of the account and region: the deployed stack name makes it
  // unique there, and it stays the same when the next phase's stack replaces this one under the same name.
  const tag = { key: CACHE_TARGET_TAG_KEY, value: stableName(scope) };
  return { replicationGroup: group, replicationGroupId: group?.ref ?? groupId!, availabilityZone, duration: duration.toIsoString(), tag };
}
