import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AuroraPostgres } from '../../lib/constructs/aurora-postgres';
import { ChaosExperiments, ChaosExperimentsProps, DatabaseFailure } from '../../lib/constructs/chaos-experiments';
import { flatten } from '../../lib/constructs/nag-findings';
import { Network } from '../../lib/constructs/network';
import { chaosOverProjectConstructs } from '../support/chaos-fixtures';
import { iamScopeProblems, RenderedStatement } from '../support/iam-scope';
import { logicalId } from '../support/template-helpers';
import { cdkJsonContext, testApp, testStack } from '../support/test-stack';

// Targets with literal names that differ from every default, so each assertion shows where a value comes from.
const ACCOUNT_REGION = 'eu-central-1:123456789012';
const SERVICE_ARN = `arn:aws:ecs:${ACCOUNT_REGION}:service/orders-api/orders-api-svc`;
const SLO_ALARMS = [
  `arn:aws:cloudwatch:${ACCOUNT_REGION}:alarm:orders-p95-latency`,
  `arn:aws:cloudwatch:${ACCOUNT_REGION}:alarm:orders-error-rate`,
];

interface Targets {
  readonly service: ecs.IBaseService;
  readonly cluster: rds.IDatabaseCluster;
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  readonly alarms: cloudwatch.IAlarm[];
}

function targets(stack: Stack): Targets {
  return {
    service: ecs.BaseService.fromServiceArnWithCluster(stack, 'Service', SERVICE_ARN),
    cluster: rds.DatabaseCluster.fromDatabaseClusterAttributes(stack, 'Cluster', {
      clusterIdentifier: 'orders-db',
      instanceIdentifiers: ['orders-db-writer', 'orders-db-reader-1', 'orders-db-reader-2'],
    }),
    replicationGroup: new elasticache.CfnReplicationGroup(stack, 'ReplicationGroup', {
      replicationGroupDescription: 'orders cache',
      replicationGroupId: 'orders-cache',
      engine: 'redis',
      cacheNodeType: 'cache.r7g.large',
      numCacheClusters: 2,
      multiAzEnabled: true,
      automaticFailoverEnabled: true,
    }),
    alarms: SLO_ALARMS.map((arn, i) => cloudwatch.Alarm.fromAlarmArn(stack, `Alarm${i}`, arn)),
  };
}

/** Synthesizes ChaosExperiments over the literal targets; `props` picks experiments and settings. */
function synth(props: (t: Targets) => ChaosExperimentsProps): { stack: Stack; chaos: ChaosExperiments; template: Template } {
  const stack = testStack();
  const chaos = new ChaosExperiments(stack, 'Chaos', props(targets(stack)));
  return { stack, chaos, template: Template.fromStack(stack) };
}

const ALL = (t: Targets): ChaosExperimentsProps => ({
  apiService: t.service,
  apiStopTaskPercent: 34,
  databaseCluster: t.cluster,
  cacheReplicationGroup: t.replicationGroup,
  cacheAvailabilityZone: 'eu-central-1b',
  stopConditionAlarms: t.alarms,
});

/** The statements of the role's inline policy, by Sid: actions and resources, as rendered. */
function roleStatements(template: Template): Record<string, { actions: string[]; resources: unknown[]; condition?: unknown }> {
  const roles = Object.values(template.findResources('AWS::IAM::Role', { Properties: { Policies: Match.anyValue() } }));
  expect(roles).toHaveLength(1);
  const [policy] = roles[0].Properties.Policies;
  const list = (x: unknown) => (Array.isArray(x) ? x : [x]);
  return Object.fromEntries(policy.PolicyDocument.Statement.map((s: any) => {
    expect(s.Effect).toBe('Allow');
    return [s.Sid, { actions: list(s.Action), resources: list(s.Resource), ...(s.Condition ? { condition: s.Condition } : {}) }];
  }));
}

function templateOf(template: Template, chaos: ChaosExperiments, name: 'apiTaskStop' | 'database' | 'cacheAzPower'): Record<string, any> {
  const experiment = chaos[name];
  if (!experiment) throw new Error(`no ${name} template`);
  return template.toJSON().Resources[logicalId(experiment)].Properties;
}

const LOGGING_STATEMENTS = {
  DeliverExperimentLogs: { actions: ['logs:CreateLogDelivery', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies'], resources: ['*'] },
  ResolveTargets: { actions: ['tag:GetResources'], resources: ['*'] },
};

describe('ChaosExperiments', () => {
  describe('all three experiments, guarded by the SLO alarms', () => {
    let chaos: ChaosExperiments;
    let template: Template;
    let stack: Stack;
    beforeAll(() => {
      ({ stack, chaos, template } = synth(ALL));
    });

    test('API task stop: aws:ecs:stop-task on the service\'s tasks, PERCENT from the prop', () => {
      const props = templateOf(template, chaos, 'apiTaskStop');
      expect(props.Actions).toEqual({
        StopTasks: { ActionId: 'aws:ecs:stop-task', Description: expect.any(String), Targets: { Tasks: 'ApiTasks' } },
      });
      expect(props.Targets).toEqual({
        ApiTasks: { ResourceType: 'aws:ecs:task', Parameters: { cluster: 'orders-api', service: 'orders-api-svc' }, SelectionMode: 'PERCENT(34)' },
      });
      expect(props.Description).toMatch(/^Chaos, API replica loss: stops PERCENT\(34\) of the running tasks of ECS service orders-api-svc \(cluster orders-api\)/);
    });

    test('database: aws:rds:failover-db-cluster on the cluster ARN by default', () => {
      const props = templateOf(template, chaos, 'database');
      expect(props.Actions).toEqual({
        FailoverCluster: { ActionId: 'aws:rds:failover-db-cluster', Description: expect.any(String), Targets: { Clusters: 'Cluster' } },
      });
      expect(props.Targets).toEqual({
        Cluster: { ResourceType: 'aws:rds:cluster', ResourceArns: [`arn:aws:rds:${ACCOUNT_REGION}:cluster:orders-db`], SelectionMode: 'ALL' },
      });
    });

    test('cache: aws:elasticache:replicationgroup-interrupt-az-power in the given AZ for PT10M, by the tag it puts on the group', () => {
      const props = templateOf(template, chaos, 'cacheAzPower');
      expect(props.Actions).toEqual({
        InterruptAzPower: {
          ActionId: 'aws:elasticache:replicationgroup-interrupt-az-power',
          Description: expect.any(String),
          Parameters: { duration: 'PT10M' },
          Targets: { ReplicationGroups: 'ReplicationGroup' },
        },
      });
      const tag = { Key: 'scaling-roadmap:chaos-target', Value: 'TestStack/Chaos' };
      expect(chaos.cacheTargetTag).toEqual({ key: tag.Key, value: tag.Value });
      expect(props.Targets).toEqual({
        ReplicationGroup: {
          ResourceType: 'aws:elasticache:replicationgroup',
          ResourceTags: { [tag.Key]: tag.Value },
          Parameters: { availabilityZoneIdentifier: 'eu-central-1b' },
          SelectionMode: 'ALL',
        },
      });
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { ReplicationGroupId: 'orders-cache', Tags: [tag] });
    });

    test('each template stops on every SLO alarm, logs to the construct\'s log group and is tagged with its path', () => {
      for (const name of ['apiTaskStop', 'database', 'cacheAzPower'] as const) {
        const props = templateOf(template, chaos, name);
        expect(props.StopConditions).toEqual(SLO_ALARMS.map((arn) => ({ Source: 'aws:cloudwatch:alarm', Value: arn })));
        expect(props.LogConfiguration).toEqual({
          CloudWatchLogsConfiguration: { LogGroupArn: { 'Fn::GetAtt': [logicalId(chaos.logGroup), 'Arn'] } },
          LogSchemaVersion: 2,
        });
        expect(props.RoleArn).toEqual({ 'Fn::GetAtt': [logicalId(chaos.role), 'Arn'] });
        expect(props.ExperimentOptions).toEqual({ AccountTargeting: 'single-account', EmptyTargetResolutionMode: 'fail' });
        expect(props.Tags).toEqual({ Name: expect.stringMatching(/^TestStack\/Chaos\/(ApiTaskStop|Database|CacheAzPower)$/) });
      }
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('unguarded'))).toEqual([]);
    });

    test('the log group keeps a year of logs, outlives the stack, and lets only CloudWatch Logs delivery of this account write', () => {
      template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 365 }, DeletionPolicy: 'Retain' });
      const [policy] = Object.values(template.findResources('AWS::Logs::ResourcePolicy'));
      const document = JSON.stringify(stack.resolve(policy.Properties.PolicyDocument));
      expect(document).toContain('delivery.logs.amazonaws.com');
      expect(document).toContain('\\"aws:SourceAccount\\":\\"123456789012\\"');
      expect(document).toContain(logicalId(chaos.logGroup));
    });

    test('the role: assumable by FIS experiments of this account only; each action on exactly the targeted ARNs', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'fis.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '123456789012' },
              ArnLike: { 'aws:SourceArn': `arn:aws:fis:${ACCOUNT_REGION}:experiment/*` },
            },
          }],
        },
      });
      expect(roleStatements(template)).toEqual({
        StopApiTasks: { actions: ['ecs:DescribeTasks', 'ecs:StopTask'], resources: [`arn:aws:ecs:${ACCOUNT_REGION}:task/orders-api/*`] },
        ListApiTasks: {
          actions: ['ecs:ListTasks'],
          resources: ['*'],
          condition: { ArnEquals: { 'ecs:cluster': `arn:aws:ecs:${ACCOUNT_REGION}:cluster/orders-api` } },
        },
        FailoverDatabaseCluster: { actions: ['rds:DescribeDBClusters', 'rds:FailoverDBCluster'], resources: [`arn:aws:rds:${ACCOUNT_REGION}:cluster:orders-db`] },
        InterruptCacheAzPower: {
          actions: ['elasticache:DescribeReplicationGroups', 'elasticache:InterruptClusterAzPower'],
          resources: [{ 'Fn::Join': ['', [`arn:aws:elasticache:${ACCOUNT_REGION}:replicationgroup:`, { Ref: 'ReplicationGroup' }]] }],
        },
        ...LOGGING_STATEMENTS,
      });
    });

    test('experimentTemplateIds has the id of each template, for stack outputs', () => {
      expect(stack.resolve(chaos.experimentTemplateIds)).toEqual({
        apiTaskStop: { 'Fn::GetAtt': [logicalId(chaos.apiTaskStop!), 'Id'] },
        database: { 'Fn::GetAtt': [logicalId(chaos.database!), 'Id'] },
        cacheAzPower: { 'Fn::GetAtt': [logicalId(chaos.cacheAzPower!), 'Id'] },
      });
    });
  });

  describe('each experiment only when its target is given', () => {
    test.each([
      ['apiTaskStop', (t: Targets) => ({ apiService: t.service })],
      ['database', (t: Targets) => ({ databaseCluster: t.cluster })],
      ['cacheAzPower', (t: Targets) => ({ cacheReplicationGroup: t.replicationGroup })],
    ] as const)('%s alone: one template, and the role may do nothing else', (name, props) => {
      const { chaos, template } = synth(props);
      template.resourceCountIs('AWS::FIS::ExperimentTemplate', 1);
      expect(Object.keys(chaos.experimentTemplateIds)).toEqual([name]);
      const statements = Object.keys(roleStatements(template)).filter((sid) => !(sid in LOGGING_STATEMENTS));
      expect(statements).toEqual({ apiTaskStop: ['StopApiTasks', 'ListApiTasks'], database: ['FailoverDatabaseCluster'], cacheAzPower: ['InterruptCacheAzPower'] }[name]);
    });
  });

  describe('API task stop selection', () => {
    test.each([
      [{}, 'COUNT(1)'],
      [{ apiStopTaskCount: 3 }, 'COUNT(3)'],
      [{ apiStopTaskPercent: 1 }, 'PERCENT(1)'],
      [{ apiStopTaskPercent: 100 }, 'PERCENT(100)'],
    ])('%j selects %s', (selection, mode) => {
      const { chaos, template } = synth((t) => ({ apiService: t.service, ...selection }));
      expect(templateOf(template, chaos, 'apiTaskStop').Targets.ApiTasks.SelectionMode).toBe(mode);
    });

    test('more tasks than FIS\'s default quota of 5 per stop-task action: a warning names the quota', () => {
      const { stack } = synth((t) => ({ apiService: t.service, apiStopTaskCount: 6 }));
      expect(Annotations.fromStack(stack).findWarning('/TestStack/Chaos', Match.stringLikeRegexp('L-48D12416'))).toHaveLength(1);
    });

    test('apiCluster overrides the service\'s cluster in the target and in the role', () => {
      const { chaos, template } = synth((t) => ({
        apiService: t.service,
        apiCluster: ecs.Cluster.fromClusterArn(t.service, 'Other', `arn:aws:ecs:${ACCOUNT_REGION}:cluster/orders-api-blue`),
      }));
      expect(templateOf(template, chaos, 'apiTaskStop').Targets.ApiTasks.Parameters).toEqual({ cluster: 'orders-api-blue', service: 'orders-api-svc' });
      expect(roleStatements(template).StopApiTasks.resources).toEqual([`arn:aws:ecs:${ACCOUNT_REGION}:task/orders-api-blue/*`]);
    });
  });

  describe('database experiment', () => {
    test('READER_REBOOT reboots the cluster\'s first reader, without forced failover, and may reboot only that instance', () => {
      const { chaos, template } = synth((t) => ({ databaseCluster: t.cluster, databaseFailure: DatabaseFailure.READER_REBOOT }));
      const props = templateOf(template, chaos, 'database');
      expect(props.Actions).toEqual({
        RebootReader: {
          ActionId: 'aws:rds:reboot-db-instances',
          Description: expect.any(String),
          Parameters: { forceFailover: 'false' },
          Targets: { DBInstances: 'Reader' },
        },
      });
      const reader = `arn:aws:rds:${ACCOUNT_REGION}:db:orders-db-reader-1`;
      expect(props.Targets).toEqual({ Reader: { ResourceType: 'aws:rds:db', ResourceArns: [reader], SelectionMode: 'ALL' } });
      expect(roleStatements(template).RebootDatabaseReader).toEqual({ actions: ['rds:DescribeDBInstances', 'rds:RebootDBInstance'], resources: [reader] });
      expect(roleStatements(template).FailoverDatabaseCluster).toBeUndefined();
    });

    test('a cluster identifier and a named reader work without a cluster object', () => {
      const { chaos, template } = synth(() => ({
        databaseClusterIdentifier: 'billing-db',
        databaseFailure: DatabaseFailure.READER_REBOOT,
        databaseReaderInstanceIdentifier: 'billing-db-reader-2',
      }));
      expect(templateOf(template, chaos, 'database').Targets.Reader.ResourceArns).toEqual([`arn:aws:rds:${ACCOUNT_REGION}:db:billing-db-reader-2`]);
      expect(templateOf(template, chaos, 'database').Description).toContain('billing-db-reader-2 of Aurora cluster billing-db');
    });

    test('the project\'s AuroraPostgres cluster: the failover targets its generated identifier', () => {
      const stack = testStack();
      const db = new AuroraPostgres(stack, 'Db', { vpc: new Network(stack, 'Network').vpc });
      const chaos = new ChaosExperiments(stack, 'Chaos', { databaseCluster: db.cluster });
      const props = templateOf(Template.fromStack(stack), chaos, 'database');
      expect(props.Targets.Cluster.ResourceArns).toEqual([{ 'Fn::Join': ['', [`arn:aws:rds:${ACCOUNT_REGION}:cluster:`, { Ref: logicalId(db.cluster) }]] }]);
    });
  });

  describe('cache experiment', () => {
    test.each([
      [Duration.minutes(1), 'PT1M'],
      [Duration.minutes(15), 'PT15M'],
      [Duration.hours(12), 'PT12H'],
    ])('cacheInterruptionDuration %s is %s', (duration, iso) => {
      const { chaos, template } = synth((t) => ({ cacheReplicationGroup: t.replicationGroup, cacheInterruptionDuration: duration }));
      expect(templateOf(template, chaos, 'cacheAzPower').Actions.InterruptAzPower.Parameters).toEqual({ duration: iso });
    });

    test('the AZ defaults to the stack\'s first; an AZ ID is accepted', () => {
      const first = synth((t) => ({ cacheReplicationGroup: t.replicationGroup }));
      expect(templateOf(first.template, first.chaos, 'cacheAzPower').Targets.ReplicationGroup.Parameters).toEqual({ availabilityZoneIdentifier: 'eu-central-1a' });
      const byId = synth((t) => ({ cacheReplicationGroup: t.replicationGroup, cacheAvailabilityZone: 'euc1-az3' }));
      expect(templateOf(byId.template, byId.chaos, 'cacheAzPower').Targets.ReplicationGroup.Parameters).toEqual({ availabilityZoneIdentifier: 'euc1-az3' });
    });

    test('the target tag and template names use the deployed stack name, so every phase (same name) keeps them', () => {
      const [phase1, phase2] = ['Phase1Stack', 'Phase2Stack'].map((id) => {
        const stack = testStack(id, { stackName: 'order-management' });
        const chaos = new ChaosExperiments(stack, 'Chaos', { cacheReplicationGroup: targets(stack).replicationGroup });
        return { chaos, name: templateOf(Template.fromStack(stack), chaos, 'cacheAzPower').Tags.Name };
      });
      expect(phase1.chaos.cacheTargetTag).toEqual({ key: 'scaling-roadmap:chaos-target', value: 'order-management/Chaos' });
      expect(phase2.chaos.cacheTargetTag).toEqual(phase1.chaos.cacheTargetTag);
      expect([phase1.name, phase2.name]).toEqual(['order-management/Chaos/CacheAzPower', 'order-management/Chaos/CacheAzPower']);
    });

    test('by id: the ARN is built from it, and a warning tells the operator to tag the group', () => {
      const { stack, chaos, template } = synth(() => ({ cacheReplicationGroupId: 'sessions-cache' }));
      expect(roleStatements(template).InterruptCacheAzPower.resources).toEqual([`arn:aws:elasticache:${ACCOUNT_REGION}:replicationgroup:sessions-cache`]);
      const warnings = Annotations.fromStack(stack).findWarning('/TestStack/Chaos', Match.stringLikeRegexp('Tag replication group sessions-cache with scaling-roadmap:chaos-target='));
      expect(warnings).toHaveLength(1);
      expect(chaos.cacheTargetTag?.key).toBe('scaling-roadmap:chaos-target');
    });
  });

  describe('without stop-condition alarms', () => {
    test('every template has the stop condition none and a warning that it runs unguarded', () => {
      const { stack, chaos, template } = synth((t) => ({ apiService: t.service, databaseCluster: t.cluster }));
      for (const name of ['apiTaskStop', 'database'] as const) {
        expect(templateOf(template, chaos, name).StopConditions).toEqual([{ Source: 'none' }]);
      }
      const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp("'stopConditionAlarms' is empty: the \\w+ experiment runs unguarded"));
      expect(warnings.map((w) => w.id).sort()).toEqual(['/TestStack/Chaos/ApiTaskStop', '/TestStack/Chaos/Database']);
    });
  });

  describe('log group settings', () => {
    test('retention from the prop; a customer-managed key encrypts it and lets CloudWatch Logs of this region use it', () => {
      const stack = testStack();
      const key = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });
      const chaos = new ChaosExperiments(stack, 'Chaos', {
        databaseClusterIdentifier: 'orders-db', logRetention: logs.RetentionDays.THREE_MONTHS, logEncryptionKey: key,
      });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90, KmsKeyId: { 'Fn::GetAtt': [logicalId(key), 'Arn'] } });
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([Match.objectLike({
            Principal: { Service: 'logs.eu-central-1.amazonaws.com' },
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${ACCOUNT_REGION}:log-group:*` } },
          })]),
        },
      });
      expect(chaos.logGroup).toBeDefined();
    });
  });

  describe('prop validation', () => {
    test.each<[string, (t: Targets) => ChaosExperimentsProps, RegExp]>([
      ['no target', () => ({}), /needs at least one target: 'apiService', 'databaseCluster'/],
      ['percent 0', (t) => ({ apiService: t.service, apiStopTaskPercent: 0 }), /'apiStopTaskPercent' \(0\) must be an integer from 1 to 100/],
      ['percent 101', (t) => ({ apiService: t.service, apiStopTaskPercent: 101 }), /'apiStopTaskPercent' \(101\) must be an integer from 1 to 100/],
      ['percent 12.5', (t) => ({ apiService: t.service, apiStopTaskPercent: 12.5 }), /'apiStopTaskPercent' \(12.5\) must be an integer from 1 to 100/],
      ['count 0', (t) => ({ apiService: t.service, apiStopTaskCount: 0 }), /'apiStopTaskCount' \(0\) must be an integer >= 1/],
      ['percent and count', (t) => ({ apiService: t.service, apiStopTaskPercent: 20, apiStopTaskCount: 2 }), /'apiStopTaskPercent' \(20\) and 'apiStopTaskCount' \(2\) are exclusive/],
      ['percent without service', (t) => ({ databaseCluster: t.cluster, apiStopTaskPercent: 20 }), /'apiStopTaskPercent' needs 'apiService'/],
      ['cluster and identifier', (t) => ({ databaseCluster: t.cluster, databaseClusterIdentifier: 'x' }), /'databaseCluster' and 'databaseClusterIdentifier' \(x\) are exclusive/],
      ['bad identifier', () => ({ databaseClusterIdentifier: 'orders_db' }), /'databaseClusterIdentifier' \(orders_db\) must be an RDS cluster identifier/],
      ['reader with failover', (t) => ({ databaseCluster: t.cluster, databaseReaderInstanceIdentifier: 'r1' }), /'databaseReaderInstanceIdentifier' \(r1\) applies only to 'databaseFailure' DatabaseFailure.READER_REBOOT/],
      ['reboot without a known reader', () => ({ databaseClusterIdentifier: 'orders-db', databaseFailure: DatabaseFailure.READER_REBOOT }), /'databaseReaderInstanceIdentifier' is required with DatabaseFailure.READER_REBOOT/],
      ['failover without reader', (t) => ({
        databaseCluster: rds.DatabaseCluster.fromDatabaseClusterAttributes(t.service, 'Single', { clusterIdentifier: 'solo', instanceIdentifiers: ['solo-1'] }),
      }), /'databaseCluster' has 1 instance\(s\): a failover needs at least one reader/],
      ['database setting without database', (t) => ({ apiService: t.service, databaseFailure: DatabaseFailure.READER_REBOOT }), /'databaseFailure' needs 'databaseCluster' or 'databaseClusterIdentifier'/],
      ['group and id', (t) => ({ cacheReplicationGroup: t.replicationGroup, cacheReplicationGroupId: 'y' }), /'cacheReplicationGroup' and 'cacheReplicationGroupId' \(y\) are exclusive/],
      ['group without Multi-AZ', (t) => ({
        cacheReplicationGroup: new elasticache.CfnReplicationGroup(t.service, 'SingleAz', { replicationGroupDescription: 'x', automaticFailoverEnabled: true }),
      }), /'cacheReplicationGroup' \(TestStack\/Service\/SingleAz\) has multiAzEnabled undefined: the AZ power interruption needs Multi-AZ with automatic failover on/],
      ['bad AZ', () => ({ cacheReplicationGroupId: 'c', cacheAvailabilityZone: 'Frankfurt' }), /'cacheAvailabilityZone' \(Frankfurt\) must be an Availability Zone name such as 'eu-central-1a' or an AZ ID/],
      ['30 s power cut', () => ({ cacheReplicationGroupId: 'c', cacheInterruptionDuration: Duration.seconds(30) }), /'cacheInterruptionDuration' \(30 seconds\) must be whole seconds from 1 minute to 12 hours/],
      ['13 h power cut', () => ({ cacheReplicationGroupId: 'c', cacheInterruptionDuration: Duration.hours(13) }), /'cacheInterruptionDuration' \(13 hours\) must be whole seconds from 1 minute to 12 hours/],
      ['cache setting without cache', (t) => ({ apiService: t.service, cacheAvailabilityZone: 'eu-central-1a' }), /'cacheAvailabilityZone' needs 'cacheReplicationGroup' or 'cacheReplicationGroupId'/],
      ['6 alarms', (t) => ({ apiService: t.service, stopConditionAlarms: [...t.alarms, ...t.alarms, ...t.alarms] }), /'stopConditionAlarms' \(6 alarms\) must hold at most 5/],
    ])('%s', (_name, props, error) => {
      const stack = testStack();
      expect(() => new ChaosExperiments(stack, 'Chaos', props(targets(stack)))).toThrow(error);
    });
  });
});

describe('the role\'s scoping against AWS\'s Service Authorization data', () => {
  /** The role's statements with resources flattened (`<Ref>` for tokens), as the checker reads them. */
  function rendered(template: Template): RenderedStatement[] {
    return Object.entries(roleStatements(template)).map(([sid, s]) => ({
      sid, actions: s.actions, resources: s.resources.map(flatten), condition: s.condition as RenderedStatement['condition'],
    }));
  }

  test.each([
    ['every experiment', ALL],
    ['reader reboot', (t: Targets) => ({ databaseCluster: t.cluster, databaseFailure: DatabaseFailure.READER_REBOOT })],
    ['cache by id', () => ({ cacheReplicationGroupId: 'sessions-cache' })],
  ] as const)('%s: each action exists, is granted on a resource type it authorizes against, with conditions it supports', async (_name, props) => {
    const statements = rendered(synth(props).template);
    expect(statements.length).toBeGreaterThan(2);
    expect(await iamScopeProblems(statements)).toEqual([]);
  });

  test('the checker fails what IAM would silently not match or not allow', async () => {
    expect(await iamScopeProblems([
      { sid: 'LogGroupScoped', actions: ['logs:DescribeLogGroups'], resources: [`arn:aws:logs:${ACCOUNT_REGION}:log-group:*`] },
      { sid: 'WrongType', actions: ['ecs:StopTask'], resources: [`arn:aws:ecs:${ACCOUNT_REGION}:cluster/orders-api`] },
      { sid: 'Typo', actions: ['elasticache:InterruptClusterPower'], resources: ['*'] },
      { sid: 'Condition', actions: ['rds:FailoverDBCluster'], resources: ['*'], condition: { StringEquals: { 'ecs:cluster': 'x' } } },
    ])).toEqual([
      "LogGroupScoped: logs:DescribeLogGroups has no resource-level permissions, so 'arn:aws:logs:eu-central-1:123456789012:log-group:*' never matches: it needs '*'",
      "WrongType: 'arn:aws:ecs:eu-central-1:123456789012:cluster/orders-api' is none of ecs:StopTask's resource types (arn:${Partition}:ecs:${Region}:${Account}:task/${ClusterName}/${TaskId})",
      'Typo: elasticache:InterruptClusterPower is not an IAM action',
      'Condition: rds:FailoverDBCluster does not support the condition key ecs:cluster',
    ]);
  });
});

describe('ChaosExperiments over the project\'s constructs: cdk-nag (cfn-lint: test/constructs/cfn-lint.slow.test.ts)', () => {
  const { stack, api, chaos } = chaosOverProjectConstructs(testApp());

  /** Unacknowledged AwsSolutions findings under `scope`. */
  function findings(scope: Stack): string[] {
    return new AwsSolutionsChecks().validateScope(scope).violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}`));
  }

  test('cdk-nag AwsSolutions: nothing unacknowledged', () => {
    expect(findings(stack)).toEqual([]);
  });

  test('cdk-nag in a stack without env (partition, region and account are tokens): nothing unacknowledged either', () => {
    const agnostic = new Stack(new App({ context: cdkJsonContext() }), 'Agnostic');
    new ChaosExperiments(agnostic, 'Chaos', { ...ALL(targets(agnostic)), cacheAvailabilityZone: undefined });
    // Only the construct's own resources: the bare test replication group has findings of its own (AEC1, ...).
    expect(findings(agnostic).filter((f) => f.includes(' at Agnostic/Chaos/'))).toEqual([]);
  });

  test('each acknowledgement is one IAM5 wildcard finding on the role, with a reason a reviewer can read', () => {
    const role = chaos.role.node.defaultChild as iam.CfnRole;
    const entries = role.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(entries.map(([id]) => id.replace(/^.*::(?=AwsSolutions-)/, '')).sort()).toEqual([
      `AwsSolutions-IAM5[Resource::*]`,
      `AwsSolutions-IAM5[Resource::arn:aws:ecs:${ACCOUNT_REGION}:task/<${logicalId(api.cluster)}>/*]`,
    ]);
    for (const [, reason] of entries) {
      expect(reason.length).toBeGreaterThan(80);
      expect(reason).not.toMatch(/[|\n]/);
    }
  });

  test('the acknowledgements are granular: a new wildcard on the same role is still reported', () => {
    const other = testStack('Other');
    const targets = { cluster: rds.DatabaseCluster.fromDatabaseClusterAttributes(other, 'C', { clusterIdentifier: 'orders-db', instanceIdentifiers: ['a', 'b'] }) };
    const extra = new ChaosExperiments(other, 'Chaos', { databaseCluster: targets.cluster });
    expect(findings(other)).toEqual([]);
    extra.role.addToPolicy(new iam.PolicyStatement({ actions: ['rds:DeleteDBCluster'], resources: [`arn:aws:rds:${ACCOUNT_REGION}:cluster:*`] }));
    expect(findings(other)).toEqual([`error AwsSolutions-IAM5[Resource::arn:aws:rds:${ACCOUNT_REGION}:cluster:*] at Other/Chaos/Role/DefaultPolicy/Resource`]);
  });
});
