/**
 * The stack output keys an operator uses: the phase stacks create them, the report's runbook names them.
 * One list, so the runbook can never point at an output that does not exist (a test checks each one is synthesized).
 */
export const OUTPUTS = {
  url: 'Url',
  phase: 'Phase',
  ecsCluster: 'EcsClusterName',
  ecsService: 'EcsServiceName',
  scalableTarget: 'ScalableTargetResourceId',
  dbCluster: 'DbClusterIdentifier',
  cacheReplicationGroup: 'CacheReplicationGroupId',
  shardCount: 'ShardCount',
  /** Only in phases with a write queue. */
  writeQueueUrl: 'WriteQueueUrl',
  deadLetterQueueUrl: 'DeadLetterQueueUrl',
  workerService: 'WorkerServiceName',
  /** Only in a phase whose cache runs in cluster mode. */
  cacheClusterReplicationGroup: 'CacheClusterReplicationGroupId',
  cacheClusterConfigurationEndpoint: 'CacheClusterConfigurationEndpoint',
  /** Only in a phase with secondary regions: the Aurora Global Database. */
  globalCluster: 'GlobalClusterIdentifier',
  /** In each secondary-region stack: the secondary cluster's ARN (failover-global-cluster's target). */
  secondaryDbClusterArn: 'DbClusterArn',
  dashboard: 'DashboardName',
  pageTopic: 'PageTopicArn',
  ticketTopic: 'TicketTopicArn',
  /** In the us-east-1 edge stack: SNS actions must be in the alarm's region. */
  edgeTicketTopic: 'EdgeTicketTopicArn',
  chaosApiTasks: 'ChaosStopApiTasksTemplateId',
  chaosDatabase: 'ChaosDatabaseFailoverTemplateId',
  chaosCache: 'ChaosCacheAzPowerTemplateId',
} as const;
