import { CfnResource, Stack, Validations } from 'aws-cdk-lib';

/**
 * cdk-nag NIST 800-53 R5 findings the phase and edge stacks keep on purpose, each with the reason and the resources
 * it covers (paths inside the stack). Only resources matching `paths` are acknowledged: a new resource with the same
 * finding fails synthesis until someone reviews it and adds it here (and to docs/cdk-nag.md).
 */
export const NIST_ACKNOWLEDGEMENTS: ReadonlyArray<{ readonly rule: string; readonly paths: RegExp; readonly reason: string }> = [
  {
    rule: 'ALBHttpToHttpsRedirection',
    paths: /^Api\/LoadBalancer\/Listener\/Resource$/,
    reason: 'Without a domain in the model the only listener is HTTP on 80, reached only by the CloudFront VPC origin inside the VPC (internal ALB); viewers are redirected to HTTPS at CloudFront. With a domain the listener is HTTPS on 443 and this finding is gone',
  },
  {
    rule: 'ELBv2ACMCertificateRequired',
    paths: /^Api\/LoadBalancer\/Listener\/Resource$/,
    reason: 'Without a domain there is no name an ACM certificate could cover for the internal ALB (plan.cdn.originProtocol says why); give the model a domain and the listener uses the regional ACM certificate',
  },
  {
    rule: 'ALBWAFEnabled',
    paths: /^Api\/LoadBalancer\/Resource$/,
    reason: 'The ALB is internal and reachable only through CloudFront, whose distribution carries the web ACL (us-east-1 edge stack): a second web ACL on the ALB would evaluate the same requests again at the regional price',
  },
  {
    rule: 'CloudWatchAlarmAction',
    paths: /^Slo\/BurnRate[^/]+\/(Long|Short)WindowAlarm\/Resource$/,
    reason: 'Each burn-rate window alarm is one half of an AllOf composite alarm, and the composite notifies (page or ticket topic): an action on each half would page on a single window, which the multi-window burn-rate method exists to avoid',
  },
  {
    rule: 'CloudWatchLogGroupEncrypted',
    paths: /^(Api\/LogGroup|Cache\/SlowLog|Chaos\/Logs|Database\/ApplicationUserLog|Network\/FlowLogs|WebAcl\/Logs|WriteQueue\/LogGroup)\/Resource$/,
    reason: 'CloudWatch Logs encrypts every log group at rest with AWS-managed keys; a customer-managed key is an option (ApiTier and RedisCache logEncryptionKey) that adds a key policy for the Logs service and a monthly key cost, and these logs hold no secrets (tokens and passwords never reach them)',
  },
  {
    rule: 'EC2RestrictedCommonPorts',
    paths: /^Database\/SecurityGroup\/from Database(Proxy|Rotation)SecurityGroup[0-9A-F]+:\{IndirectPort\}$/,
    reason: 'The rule cannot resolve the port of a rule between two security groups (IndirectPort: the cluster port token): these admit only the RDS Proxy and the rotation function security groups, on 5432, never a CIDR',
  },
  {
    rule: 'EC2RestrictedSSH',
    paths: /^Database\/SecurityGroup\/from Database(Proxy|Rotation)SecurityGroup[0-9A-F]+:\{IndirectPort\}$/,
    reason: 'The rule cannot resolve the port of a rule between two security groups (IndirectPort: the cluster port token, 5432): no rule in the stack opens SSH, and these admit only the RDS Proxy and the rotation function security groups',
  },
  {
    rule: 'ElastiCacheRedisClusterAutomaticBackup',
    paths: /^Cache\/Resource$/,
    reason: 'Automatic backups are on: SnapshotRetentionLimit 7 days with a nightly SnapshotWindow; the rule expects a retention of 15 days or more, which for a cache (rebuilt from the database) would only add snapshot storage',
  },
  {
    rule: 'IAMNoInlinePolicy',
    paths: /(DefaultPolicy\/Resource|^Chaos\/Role\/Resource|^Database\/ApplicationUser\/CustomResourcePolicy\/Resource)$/,
    reason: 'Each of these policies belongs to one role created for one purpose in this stack and is scoped to this stack\'s resources (CDK writes grants as the role\'s policy); a separate managed policy would be the same statements, attachable to other roles',
  },
  {
    rule: 'LambdaConcurrency',
    paths: /^AWS679f53fac002430cb0da5b7982bd2287\/Resource$/,
    reason: 'aws-cdk-lib AwsCustomResource provider: CloudFormation invokes it once per deployment (to create the application database role); reserved concurrency would only take capacity from the account',
  },
  {
    rule: 'LambdaDLQ',
    paths: /^AWS679f53fac002430cb0da5b7982bd2287\/Resource$/,
    reason: 'aws-cdk-lib AwsCustomResource provider: CloudFormation invokes it synchronously and fails the deployment on error (which is the signal); nothing would ever read a dead-letter queue',
  },
  {
    rule: 'LambdaInsideVPC',
    paths: /^AWS679f53fac002430cb0da5b7982bd2287\/Resource$/,
    reason: 'aws-cdk-lib AwsCustomResource provider: it calls the RDS Data API and Secrets Manager over their public AWS endpoints only, never the database network; in the VPC it would need NAT or endpoints for the same calls',
  },
  {
    rule: 'RDSInBackupPlan',
    // Database/Instance<n>: the instances of a secondary region's Aurora Global Database cluster (L1).
    paths: /^Database\/(Resource\/(Writer|Reader\d+)\/Resource|Instance\d+)$/,
    reason: 'Aurora backs up at the cluster level (continuous, point-in-time recovery for the planned backupRetentionDays, a nightly window); AWS Backup plans for the instances would copy the same cluster volume again. Cross-account copies are an account-level decision',
  },
  {
    rule: 'RDSEnhancedMonitoringEnabled',
    paths: /^Database\/Instance\d+$/,
    reason: 'The instances of a secondary region\'s Aurora Global Database cluster: they serve reads and forwarded writes only, and their replication lag (AuroraGlobalDBReplicationLag) and CPU are CloudWatch metrics; OS-level enhanced monitoring (a monitoring role per region) is left to the promotion runbook, when a secondary becomes the writer',
  },
  {
    rule: 'S3BucketLoggingEnabled',
    paths: /^(Api\/AccessLogs|Cdn\/Logs)\/Resource$/,
    reason: 'These buckets are themselves access-log destinations: server access logs of them would need another log bucket, which would need one in turn; reads and deletes are audited by CloudTrail S3 data events on the account trail',
  },
  {
    rule: 'S3BucketReplicationEnabled',
    paths: /^(Api\/AccessLogs|Cdn\/Logs)\/Resource$/,
    reason: 'Access logs are kept a year in one region (S3 stores them across AZs); cross-region replication would double their cost for logs that are evidence, not service data. An organisation-wide log archive is the place for a second copy',
  },
  {
    rule: 'S3BucketVersioningEnabled',
    paths: /^Cdn\/Logs\/Resource$/,
    reason: 'CloudFront standard logging writes each log object once under a unique name (ACL-based delivery); objects are never overwritten, and deletion is audited by CloudTrail',
  },
  {
    rule: 'S3DefaultEncryptionKMS',
    paths: /^(Api\/AccessLogs|Cdn\/Logs)\/Resource$/,
    reason: 'ALB access-log delivery supports only SSE-S3, and CloudFront standard logging writes with an ACL grant that does not use a customer key: both buckets use S3-managed encryption (AES-256), SSL only',
  },
  {
    rule: 'SecretsManagerRotationEnabled',
    paths: /^Cache\/AuthToken\/Resource$/,
    reason: 'No Secrets Manager rotation function exists for ElastiCache AUTH tokens (rotation is ModifyReplicationGroup ROTATE then SET); the token is 64 random characters, encrypted with a customer key, in isolated subnets behind TLS',
  },
  {
    rule: 'VPCNoUnrestrictedRouteToIGW',
    paths: /^Network\/Resource\/PublicSubnet\d+\/DefaultRoute$/,
    reason: 'The public subnets hold only the NAT gateways, which need a route to the internet gateway; nothing else runs there (tasks, database and cache are in private and isolated subnets)',
  },
  {
    rule: 'VPCSubnetAutoAssignPublicIpDisabled',
    paths: /^Network\/Resource\/PublicSubnet\d+\/Subnet$/,
    reason: 'Public subnets for the NAT gateways only; no instance or task is ever placed there (the service runs with assignPublicIp false in private subnets)',
  },
];

/** Acknowledges each listed NIST 800-53 R5 finding on the resources of `stack` its paths name. */
export function acknowledgeNistFindings(stack: Stack): void {
  const prefix = stack.node.path.length + 1;
  for (const construct of stack.node.findAll()) {
    if (!CfnResource.isCfnResource(construct)) continue;
    const path = asFirstOfItsKind(construct.node.path.slice(prefix));
    for (const { rule, paths, reason } of NIST_ACKNOWLEDGEMENTS) {
      if (paths.test(path)) Validations.of(construct).acknowledge({ id: `NIST.800.53.R5-${rule}`, reason });
    }
  }
}

/**
 * An extra Aurora shard (DatabaseShard<n>) and the cluster-mode cache (ClusterCache) are the same constructs as shard
 * 0 and the first cache, with the same findings for the same reasons: match them as those.
 */
function asFirstOfItsKind(path: string): string {
  return path.replace(/^DatabaseShard\d+\//, 'Database/').replace(/from DatabaseShard\d+/, 'from Database').replace(/^ClusterCache\//, 'Cache/');
}
