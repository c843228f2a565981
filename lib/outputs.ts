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
  /** Only in a phase whose cache runs in cluster mode. */
  cacheClusterReplicationGroup: 'CacheClusterReplicationGroupId',
  cacheClusterConfigurationEndpoint: 'CacheClusterConfigurationEndpoint',
  dashboard: 'DashboardName',
  pageTopic: 'PageTopicArn',
  ticketTopic: 'TicketTopicArn',
  /** In the us-east-1 edge stack: SNS actions must be in the alarm's region. */
  edgeTicketTopic: 'EdgeTicketTopicArn',
  chaosApiTasks: 'ChaosStopApiTasksTemplateId',
  chaosDatabase: 'ChaosDatabaseFailoverTemplateId',
  chaosCache: 'ChaosCacheAzPowerTemplateId',
} as const;
