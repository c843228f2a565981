import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as rds from 'aws-cdk-lib/aws-rds';

/**
 * A CDK app as teams write it by hand (the shape of the CDK docs' examples), with the scaling mistakes the pack exists
 * to catch: a Fargate service without auto scaling, a single-instance Aurora cluster and no proxy, a Redis without an
 * eviction policy, and a CloudFront distribution with caching disabled and no WAF.
 */
export function buildHandRolledApp(stack: Stack): void {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });

  const web = new ecsPatterns.ApplicationLoadBalancedFargateService(stack, 'Web', {
    vpc,
    taskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest') },
    desiredCount: 2,
    publicLoadBalancer: true,
  });

  const db = new rds.DatabaseCluster(stack, 'Db', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM) }),
    vpc,
    removalPolicy: RemovalPolicy.SNAPSHOT,
  });
  db.connections.allowDefaultPortFrom(web.service);

  const cacheSubnets = new elasticache.CfnSubnetGroup(stack, 'CacheSubnets', {
    description: 'cache',
    subnetIds: vpc.privateSubnets.map((s) => s.subnetId),
  });
  new elasticache.CfnReplicationGroup(stack, 'Cache', {
    replicationGroupDescription: 'sessions and page fragments',
    engine: 'redis',
    cacheNodeType: 'cache.t4g.small',
    numCacheClusters: 1,
    cacheSubnetGroupName: cacheSubnets.ref,
  });

  new cloudfront.Distribution(stack, 'Cdn', {
    defaultBehavior: {
      origin: new origins.LoadBalancerV2Origin(web.loadBalancer, { readTimeout: Duration.seconds(30) }),
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      compress: false,
    },
  });
}
