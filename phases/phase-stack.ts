import { Annotations, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import type { Capacity, PhaseNumber, PhasePlan } from '../lib/capacity';
import { ApiTier } from '../lib/constructs/api-tier';
import { AuroraPostgres } from '../lib/constructs/aurora-postgres';
import { ChaosExperiments, DatabaseFailure } from '../lib/constructs/chaos-experiments';
import { Cdn } from '../lib/constructs/cdn';
import { Network } from '../lib/constructs/network';
import { RedisCache } from '../lib/constructs/redis-cache';
import { WebAcl } from '../lib/constructs/web-acl';
import { WriteQueue } from '../lib/constructs/write-queue';
import type { SloMonitoring } from '../lib/constructs/slo-monitoring';
import { OUTPUTS } from '../lib/outputs';
import { applyCostTags } from './cost-tags';
import { rateLimitRules, type EdgeStack } from './edge-stack';
import { plannedApiTierProps } from './api-tier-props';
import { addGlobalDatabase } from './global-database';
import { addPhaseMonitoring } from './monitoring';
import { addRegionalRecord, importedZone } from './regional-dns';
import { pinAvailabilityZones } from './pinned-azs';

/** Properties of a phase stack. */
export interface PhaseStackProps {
  readonly model: Capacity;
  readonly plan: PhasePlan;
  /** The us-east-1 stack holding this phase's web ACL: required when the plan's edge is CLOUDFRONT, absent when REGIONAL. */
  readonly edge?: EdgeStack;
}

/** The master user name the deployed phase stacks' cluster was created with (see the Database construct below). */
export const DEPLOYED_MASTER_USERNAME = 'postgres';

/** 'db.r7g.large' -> the EC2 instance type 'r7g.large' that CDK's rds module expects. */
export function dbInstanceType(instanceClass: string): ec2.InstanceType {
  return new ec2.InstanceType(instanceClass.replace(/^db\./, ''));
}

/**
 * One phase of the roadmap as a deployable stack: network, API tier, Aurora, Redis and CloudFront,
 * each sized from the phase's plan.
 *
 * Every phase deploys as the same CloudFormation stack (named after the service) with the same construct ids,
 * so promoting a phase modifies the live stack in place: the database and cache are resized, never replaced.
 */
export class PhaseStack extends Stack {
  public readonly plan: PhasePlan;
  public readonly network: Network;
  /** Shard 0: the phase-1 cluster, never replaced (its construct id 'Database' keeps its logical ids). */
  public readonly database: AuroraPostgres;
  /** Every shard, shard 0 first: one Aurora cluster with readers and RDS Proxy each, sized alike. */
  public readonly shards: readonly AuroraPostgres[];
  /** The shard map parameters, per shard: its proxy endpoints and secret (plus one count parameter). */
  public readonly shardMap: readonly ssm.StringParameter[];
  /** The write queue and its workers, in the phases whose plan has a queue. */
  public readonly writeQueue?: WriteQueue;
  /** The cluster-mode-disabled Redis group (every phase keeps it: a stateful resource with a stable logical id). */
  public readonly cache: RedisCache;
  /** The cluster-mode Redis group of a phase whose plan needs shards. */
  public readonly clusterCache?: RedisCache;
  public readonly api: ApiTier;
  /** The distribution, when the plan keeps CloudFront (plan.edge.mode CLOUDFRONT). */
  public readonly cdn?: Cdn;
  /** The web ACL in front of the service: the edge stack's (CLOUDFRONT) or this stack's, on the ALB (REGIONAL). */
  public readonly webAcl: WebAcl;
  public readonly monitoring: SloMonitoring;
  public readonly chaos: ChaosExperiments;
  /** The Aurora Global Database, in a phase with secondary regions. */
  public readonly globalDatabase?: rds.CfnGlobalCluster;

  constructor(scope: Construct, id: string, phase: PhaseNumber, props: PhaseStackProps) {
    const { model, plan, edge } = props;
    if (plan.phase !== phase) throw new Error(`${id} deploys phase ${phase}, but was given the plan of phase ${plan.phase}`);
    const viaCloudFront = plan.edge.mode.value === 'CLOUDFRONT';
    if (viaCloudFront !== (edge !== undefined)) {
      throw new Error(`${id}: the plan's edge is ${plan.edge.mode.value}, so ${viaCloudFront ? 'an edge stack (us-east-1 web ACL) is required' : 'no edge stack may be given'}`);
    }
    super(scope, id, {
      env: { account: model.aws.account, region: model.aws.region },
      stackName: model.service.name,
      crossRegionReferences: true,
      // Stateful resources live here: deleting the stack must be a deliberate, two-step act.
      terminationProtection: true,
      description: `${model.service.name} ${plan.label}: API tier, Aurora PostgreSQL, Redis and ${viaCloudFront ? 'CloudFront' : 'a regional web ACL'}, generated by scaling-roadmap`,
    });
    this.plan = plan;
    pinAvailabilityZones(this, plan.network.availabilityZones.value);
    const { api, database, cache, cdn } = plan;
    // One retention for every log group of the phase (plan.monitoring.logRetentionDays, a CloudWatch-valid value).
    const logRetention = plan.monitoring.logRetentionDays.value as logs.RetentionDays;

    this.network = new Network(this, 'Network', {
      maxAzs: plan.network.availabilityZones.value,
      natGateways: plan.network.natGateways.value,
      flowLogRetention: logRetention,
    });
    const vpc = this.network.vpc;

    // Every shard is the same cluster; shard 0 keeps the id 'Database' (its logical ids predate sharding), the
    // others are 'DatabaseShard<n>', so going from 2 to 4 shards adds clusters and changes none.
    this.shards = Array.from({ length: plan.sharding.shards.value }, (_, n) =>
      new AuroraPostgres(this, n === 0 ? 'Database' : `DatabaseShard${n}`, {
        vpc,
        instanceType: dbInstanceType(database.instanceClass.value),
        readers: n === 0 ? plan.sharding.shardZeroReaders.value : database.readers.value,
        backupRetention: Duration.days(database.backupRetentionDays.value),
        proxyMaxConnectionsPercent: database.proxyMaxConnectionsPercent.value,
        proxyMaxIdleConnectionsPercent: database.proxyMaxIdleConnectionsPercent.value,
        slowQueryLogMs: database.slowQueryLogMs.value,
        // Shard 0 was created with the master user 'postgres'. MasterUsername is conditionally create-only
        // (CloudFormation may replace the cluster to change it), so it stays; new shards get the construct's default
        // ('dbadmin'). The application uses neither: it connects as its own role (applicationUsername).
        ...(n === 0 ? { masterUsername: DEPLOYED_MASTER_USERNAME } : {}),
        logRetention,
        preferredBackupWindow: database.backupWindow.value,
        preferredMaintenanceWindow: database.maintenanceWindow.value,
      }),
    );
    this.database = this.shards[0];
    this.shardMap = this.addShardMap(plan.sharding.ssmPrefix.value);

    // The single-primary group keeps its construct id in every phase. CloudFormation cannot turn it into a sharded
    // group in place (ReplicasPerNodeGroup is create-only; NumNodeGroups may replace), so a phase in cluster mode adds
    // the cluster beside it, sharing its key and AUTH token, and the app cuts over (current.cacheCutover, runbook).
    const single = cache.singlePrimaryGroup;
    this.cache = new RedisCache(this, 'Cache', {
      vpc,
      nodeType: (single?.nodeType ?? cache.nodeType).value,
      replicas: (single?.replicas ?? cache.replicas).value,
      maxmemoryPolicy: cache.maxmemoryPolicy.value,
      logRetention,
      snapshotWindow: cache.snapshotWindow.value,
      preferredMaintenanceWindow: cache.maintenanceWindow.value,
    });
    if (cache.clusterMode.value) {
      this.clusterCache = new RedisCache(this, 'ClusterCache', {
        vpc,
        clusterMode: true,
        shards: cache.shards.value,
        nodeType: cache.nodeType.value,
        replicas: cache.replicas.value,
        maxmemoryPolicy: cache.maxmemoryPolicy.value,
        encryptionKey: this.cache.encryptionKey,
        authToken: this.cache.authToken,
        // Same clients, same port: the API's existing rule reaches the cluster, and promotion adds no network rule.
        securityGroups: [this.cache.securityGroup],
        logRetention,
        snapshotWindow: cache.snapshotWindow.value,
        preferredMaintenanceWindow: cache.maintenanceWindow.value,
      });
    }
    /** The cache the plan sized: alarms, chaos and the runbook's commands point at it. */
    const sizedCache = this.clusterCache ?? this.cache;

    // TLS to the origin (plan.cdn.originProtocol): with a domain, the ALB listens on 443 with the model's regional
    // certificate; certificates and the zone are inputs, never looked up.
    const domain = model.domain;
    const originHttps = cdn.originProtocol.value === 'https-only';
    if (originHttps && !domain) throw new Error(`${id}: the plan asks for an HTTPS origin, but the model has no domain`);
    const originCertificate = originHttps && domain
      ? acm.Certificate.fromCertificateArn(this, 'OriginCertificate', domain.regionalCertificateArns[model.aws.region])
      : undefined;

    this.api = new ApiTier(this, 'Api', {
      vpc,
      certificate: originCertificate,
      ...plannedApiTierProps(model, plan, logRetention),
      // Without CloudFront the load balancer itself faces the internet, behind the regional web ACL.
      internetFacing: !viaCloudFront,
      // What the application needs to follow the plan: where its backends are and how to use them.
      environment: {
        SCALING_PHASE: String(plan.phase),
        DB_PROXY_ENDPOINT: this.database.proxyEndpoint,
        // The application's own role, not the master: sign an IAM token (rds-db:connect) for it, no password.
        DB_USERNAME: this.database.applicationUsername,
        DB_IAM_AUTH: 'true',
        DB_PROXY_READER_ENDPOINT: this.database.proxyReaderEndpoint ?? this.database.proxyEndpoint,
        DB_POOL_SIZE: String(database.clientPoolPerTask.value),
        // The single-primary group is never in cluster mode, so it has both endpoints.
        REDIS_HOST: this.cache.primaryEndpointAddress!,
        REDIS_READER_HOST: this.cache.readerEndpointAddress!,
        REDIS_PORT: String(this.cache.port),
        ...(this.clusterCache
          ? {
              // Cluster-aware clients discover the shards from the configuration endpoint (same port and AUTH token).
              REDIS_CLUSTER_CONFIGURATION_ENDPOINT: this.clusterCache.configurationEndpointAddress!,
              REDIS_CUTOVER: model.current.cacheCutover,
            }
          : {}),
        CACHE_CONTROL_CACHEABLE_GET: cdn.apiCacheControl.value,
        SHARD_MAP_PATH: plan.sharding.ssmPrefix.value,
      },
      secrets: {
        REDIS_AUTH_TOKEN: ecs.Secret.fromSecretsManager(this.cache.authToken),
      },
    });
    // The proxy requires IAM authentication: tasks sign a token with their role for the application user (no password
    // in the container, and the execution role no longer reads the master secret).
    for (const shard of this.shards) {
      shard.grantConnect(this.api.taskDefinition.taskRole, shard.applicationUsername);
      shard.allowConnectionsFrom(this.api);
    }
    // Least privilege: the tasks read exactly the shard map's parameters, by name.
    for (const parameter of this.shardMap) parameter.grantRead(this.api.taskDefinition.taskRole);
    this.cache.allowConnectionsFrom(this.api);

    if (plan.queue) {
      const q = plan.queue;
      this.writeQueue = new WriteQueue(this, 'WriteQueue', {
        cluster: this.api.cluster,
        image: ecs.ContainerImage.fromRegistry(model.service.containerImage),
        cpu: q.workerCpuUnits.value,
        memoryLimitMiB: q.workerMemoryMiB.value,
        minTasks: q.minWorkers.value,
        maxTasks: q.maxWorkers.value,
        backlogPerTaskTarget: q.backlogPerTaskTarget.value,
        maxReceiveCount: q.maxReceiveCount.value,
        retention: Duration.seconds(q.retentionSec.value),
        deadLetterRetention: Duration.seconds(q.deadLetterRetentionSec.value),
        visibilityTimeout: Duration.seconds(q.visibilityTimeoutSec.value),
        scaleOutCooldown: Duration.seconds(api.scaleOutCooldownSec.value),
        scaleInCooldown: Duration.seconds(api.scaleInCooldownSec.value),
        logRetention,
        // Workers connect like the API: as the application role with IAM tokens (every shard has the same role name).
        environment: { SCALING_PHASE: String(plan.phase), WORKER_MODE: 'write-queue', SHARD_MAP_PATH: plan.sharding.ssmPrefix.value, DB_USERNAME: this.database.applicationUsername, DB_IAM_AUTH: 'true' },
      });
      this.writeQueue.grantSendMessages(this.api.taskDefinition.taskRole);
      const workerRole = this.writeQueue.taskDefinition.taskRole;
      for (const shard of this.shards) {
        shard.grantConnect(workerRole, shard.applicationUsername);
        shard.allowConnectionsFrom(this.writeQueue.service, 'PostgreSQL from the write queue workers');
      }
      for (const parameter of this.shardMap) parameter.grantRead(workerRole);
      this.api.container.addEnvironment('WRITE_QUEUE_URL', this.writeQueue.queue.queueUrl);
    }

    if (edge) {
      this.webAcl = edge.webAcl;
      this.cdn = new Cdn(this, 'Cdn', {
        loadBalancer: this.api.loadBalancer,
        staticPathPatterns: [...cdn.staticPathPatterns.value],
        cacheableApiPathPatterns: [...cdn.cacheableApiPathPatterns.value],
        staticTtl: Duration.seconds(cdn.staticTtlSec.value),
        apiDefaultTtl: Duration.seconds(cdn.apiDefaultTtlSec.value),
        apiMaxTtl: Duration.seconds(cdn.apiMaxTtlSec.value),
        staleWhileRevalidate: Duration.seconds(cdn.staleWhileRevalidateSec.value),
        webAclArn: edge.webAcl.webAclArn,
        ...(originHttps && domain ? {
          originProtocol: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          originPort: 443,
          originDomainName: cdn.originDomainName.value,
          domainNames: [domain.name],
          certificate: acm.Certificate.fromCertificateArn(this, 'EdgeCertificate', domain.edgeCertificateArn),
        } : {}),
      });
      if (originHttps && domain) this.addDnsRecords(domain, cdn.originDomainName.value!);
    } else {
      // plan.edge says CloudFront does not earn its cost: the same rules run on the load balancer (REGIONAL scope).
      this.webAcl = new WebAcl(this, 'WebAcl', {
        scope: 'REGIONAL',
        rateLimits: rateLimitRules(plan.waf),
        managedRuleGroups: [...plan.waf.managedRuleGroups.value],
      });
      new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
        resourceArn: this.api.loadBalancer.loadBalancerArn,
        webAclArn: this.webAcl.webAclArn,
      });
    }

    this.monitoring = addPhaseMonitoring(this, plan, model.service.name, {
      api: this.api,
      database: this.database,
      databaseShards: this.shards,
      cache: sizedCache,
      cdn: this.cdn,
      webAcl: this.webAcl,
      writeQueue: this.writeQueue,
    });
    // The gate's chaos run: each experiment stops as soon as an SLO alarm fires (latency, burn-rate composites).
    this.chaos = new ChaosExperiments(this, 'Chaos', {
      apiService: this.api.service,
      apiCluster: this.api.cluster,
      apiStopTaskPercent: plan.chaos.apiTaskStopPercent.value,
      databaseCluster: this.database.cluster,
      databaseFailure: plan.chaos.databaseFailure.value === 'cluster-failover' ? DatabaseFailure.CLUSTER_FAILOVER : DatabaseFailure.READER_REBOOT,
      // The single-primary group until it is retired: the FIS role's policy names its group, so moving the experiment
      // is an IAM change made with the retirement, not during the cut-over.
      cacheReplicationGroup: this.cache.replicationGroup,
      cacheInterruptionDuration: Duration.minutes(plan.chaos.cacheInterruptionMinutes.value),
      stopConditionAlarms: this.monitoring.stopConditionAlarms,
      logRetention,
    });

    // A phase with secondary regions makes the cluster the primary of a global database (adopted, not replaced) and,
    // with a domain, puts this region behind the latency-based origin name.
    if (plan.regions.secondaries.value.length > 0) {
      this.globalDatabase = addGlobalDatabase(this.database, model);
      if (model.domain) addRegionalRecord(this, model.domain, this.api.loadBalancer);
    }

    this.addOperatorOutputs();

    applyCostTags(this, model, plan);
    for (const warning of plan.warnings) Annotations.of(this).addWarningV2('scaling-roadmap:plan-limit', warning);
    // Budget guard: the CLI refuses to synthesize or deploy this phase (and only this one) when it is over budget.
    if (plan.cost.overrun) {
      const message = `Budget: ${plan.label} ${plan.cost.overrun}`;
      if (model.budget.allowOverrun) Annotations.of(this).addWarningV2('scaling-roadmap:budget-overrun', message);
      else Annotations.of(this).addError(message);
    }
  }

  /**
   * The shard map the application reads at start: <prefix>/count, and per shard <prefix>/<n>/proxy-endpoint,
   * <prefix>/<n>/proxy-reader-endpoint and <prefix>/<n>/secret-arn. Shard n holds the rows with hash(key) mod count = n.
   */
  private addShardMap(prefix: string): ssm.StringParameter[] {
    const parameter = (id: string, name: string, value: string, description: string) =>
      new ssm.StringParameter(this, id, { parameterName: name, stringValue: value, description });
    const count = parameter('ShardMapCount', `${prefix}/count`, String(this.shards.length), `Shards of ${this.plan.sharding.table.value} by ${this.plan.sharding.shardKey.value}`);
    const perShard = this.shards.flatMap((shard, n) => {
      const id = `ShardMap${n}`;
      return [
        parameter(`${id}ProxyEndpoint`, `${prefix}/${n}/proxy-endpoint`, shard.proxyEndpoint, `Shard ${n}: RDS Proxy endpoint (writes)`),
        parameter(`${id}ProxyReaderEndpoint`, `${prefix}/${n}/proxy-reader-endpoint`, shard.proxyReaderEndpoint ?? shard.proxyEndpoint, `Shard ${n}: RDS Proxy read-only endpoint`),
        // The role the application logs in as (IAM tokens through the proxy): never the admin secret.
        parameter(`${id}ApplicationUser`, `${prefix}/${n}/application-user`, shard.applicationUsername, `Shard ${n}: the application's database role`),
      ];
    });
    return [count, ...perShard];
  }

  /**
   * Route 53 aliases in the model's zone (given as attributes: no lookup): the service name to the distribution (A and
   * AAAA), and the origin name the regional certificate covers to the internal ALB.
   */
  private addDnsRecords(domain: NonNullable<Capacity['domain']>, originDomainName: string): void {
    const zone = importedZone(this, domain);
    const toDistribution = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(this.cdn!.distribution));
    new route53.ARecord(this, 'ServiceAlias', { zone, recordName: `${domain.name}.`, target: toDistribution });
    new route53.AaaaRecord(this, 'ServiceAliasIpv6', { zone, recordName: `${domain.name}.`, target: toDistribution });
    // With secondary regions the origin name is a latency record per region (regional-dns.ts): no simple record beside it.
    if (this.plan.regions.secondaries.value.length > 0) return;
    new route53.ARecord(this, 'OriginAlias', {
      zone,
      recordName: `${originDomainName}.`,
      target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.api.loadBalancer)),
    });
  }

  /** The names the runbook tells an operator to use, as stack outputs (keys in lib/outputs.ts, which the report reads). */
  private addOperatorOutputs(): void {
    const output = (key: string, value: string, description: string) => new CfnOutput(this, key, { value, description });
    if (this.cdn) output(OUTPUTS.url, `https://${this.cdn.distributionDomainName}`, 'The service, through CloudFront');
    else output(OUTPUTS.url, `http://${this.api.loadBalancer.loadBalancerDnsName}`, 'The service, through its load balancer (regional web ACL; no CloudFront in this phase)');
    output(OUTPUTS.phase, this.plan.label, 'The roadmap phase this stack was synthesized for');
    output(OUTPUTS.ecsCluster, this.api.cluster.clusterName, 'ECS cluster of the API tier (aws ecs --cluster)');
    output(OUTPUTS.ecsService, this.api.service.serviceName, 'ECS service of the API tier (aws ecs --service)');
    output(
      OUTPUTS.scalableTarget,
      `service/${this.api.cluster.clusterName}/${this.api.service.serviceName}`,
      'Application Auto Scaling resource id of the API service (aws application-autoscaling --resource-id)',
    );
    output(OUTPUTS.dbCluster, this.database.cluster.clusterIdentifier, 'Aurora cluster identifier (aws rds --db-cluster-identifier)');
    output(OUTPUTS.shardCount, String(this.shards.length), `Aurora shards (SSM shard map under ${this.plan.sharding.ssmPrefix.value})`);
    if (this.writeQueue) {
      output(OUTPUTS.writeQueueUrl, this.writeQueue.queue.queueUrl, 'SQS write queue URL (aws sqs --queue-url)');
      output(OUTPUTS.deadLetterQueueUrl, this.writeQueue.deadLetterQueue.queueUrl, 'SQS dead-letter queue URL (aws sqs --queue-url)');
      output(OUTPUTS.workerService, this.writeQueue.service.serviceName, 'ECS service of the write queue workers (aws ecs --service)');
    }
    output(OUTPUTS.cacheReplicationGroup, this.cache.replicationGroup.ref, 'ElastiCache replication group id (aws elasticache --replication-group-id)');
    if (this.clusterCache) {
      output(OUTPUTS.cacheClusterReplicationGroup, this.clusterCache.replicationGroup.ref, 'Cluster-mode ElastiCache replication group id (aws elasticache --replication-group-id)');
      output(OUTPUTS.cacheClusterConfigurationEndpoint, this.clusterCache.configurationEndpointAddress!, 'Configuration endpoint of the cluster-mode cache (redis-cli -c -h)');
    }
    output(OUTPUTS.dashboard, this.monitoring.dashboard!.dashboardName, 'CloudWatch dashboard: a row per tier, the SLO drawn on the graphs');
    output(OUTPUTS.pageTopic, this.monitoring.pageTopic.topicArn, 'SNS topic of the alarms that page (subscribe the on-call pager)');
    output(OUTPUTS.ticketTopic, this.monitoring.ticketTopic.topicArn, 'SNS topic of the alarms that open a ticket');
    const ids = this.chaos.experimentTemplateIds;
    output(OUTPUTS.chaosApiTasks, ids.apiTaskStop!, `FIS template: stop ${this.plan.chaos.apiTaskStopPercent.value} % of the API tasks`);
    output(OUTPUTS.chaosDatabase, ids.database!, 'FIS template: fail the Aurora cluster over to a reader');
    output(OUTPUTS.chaosCache, ids.cacheAzPower!, `FIS template: cut the cache's power in one AZ for ${this.plan.chaos.cacheInterruptionMinutes.value} min`);
  }
}
