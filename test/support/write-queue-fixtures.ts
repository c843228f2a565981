import { Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Network } from '../../lib/constructs/network';
import { WriteQueueProps } from '../../lib/constructs/write-queue';

/** A Network and an ECS cluster with Container Insights (the backlog metric's task count comes from it), in `stack`. */
export function clusterIn(stack: Stack): ecs.Cluster {
  const vpc = new Network(stack, 'Network').vpc;
  return new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENHANCED });
}

/** Off every default: proves each prop reaches the template. */
export const OFF_DEFAULT = {
  cpu: 2048,
  memoryLimitMiB: 4096,
  minTasks: 3,
  maxTasks: 17,
  backlogPerTaskTarget: 40,
  maxReceiveCount: 7,
  retention: Duration.days(2),
  deadLetterRetention: Duration.days(10),
  visibilityTimeout: Duration.seconds(90),
  scaleOutCooldown: Duration.seconds(45),
  scaleInCooldown: Duration.seconds(600),
} satisfies Partial<WriteQueueProps>;
