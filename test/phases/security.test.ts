/**
 * Issue 14's security properties, asserted on every phase of the default model and of the off-default model.
 */
import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DOMAIN_MODEL } from '../support/domain-model';
import { DEFAULT_MODEL, parseCapacity, PhasePlan } from '../../lib/capacity';
import { OFF_DEFAULT_MODEL } from '../support/off-default-model';
import { constructTree, elementAt, logicalIdAt, onlyResource, shardNodes } from '../support/construct-tree';
import { SynthesizedApp, SynthesizedStack, synthesizedPhases, templateOf } from '../support/synthesized-phases';

/**
 * A phase stack and the constructs these tests name, read from the assembly's construct tree (tree.json): for each, the
 * logical id of its resource (its default child), as `logicalId(construct)` gives it on the construct objects.
 */
function phaseCase({ directory, assembly }: SynthesizedApp, stack: SynthesizedStack, plan: PhasePlan) {
  const root = constructTree(directory).children![stack.artifactId]; // a top-level stack: its artifact id is its construct id
  const at = (constructPath: string): string => logicalIdAt(root, constructPath);
  return {
    stack,
    plan,
    template: templateOf(stack),
    shardProxies: shardNodes(root).map((shard) => onlyResource(shard, 'AWS::RDS::DBProxy')),
    taskRole: at('Api/TaskDefinition/TaskRole'),
    executionRole: at('Api/TaskDefinition/ExecutionRole'),
    apiSecurityGroup: at('Api/ServiceSecurityGroup'),
    loadBalancer: at('Api/LoadBalancer'),
    cache: at('Cache'),
    cacheAuthToken: at('Cache/AuthToken'),
    /** Metadata entries of type `type` on the distribution's CloudFormation resource. */
    distributionMetadata: (type: string) =>
      (assembly.getStackArtifact(stack.artifactId).metadata[`/${elementAt(root, 'Cdn/Resource').path}`] ?? []).filter((m) => m.type === type),
  };
}

const MODELS = { default: synthesizedPhases(), 'off-default': synthesizedPhases(OFF_DEFAULT_MODEL) };
const CASES = Object.entries(MODELS).flatMap(([model, app]) =>
  app.phases.map(({ stack, plan }) => [`${model} phase ${plan.phase}`, phaseCase(app, stack, plan)] as const),
);

type Resources = Record<string, { Type: string; Properties?: any; DependsOn?: string[] }>;
const policiesOf = (template: Template, roleLogicalId: string) =>
  Object.values(template.findResources('AWS::IAM::Policy') as Resources)
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleLogicalId}"`))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
/** The value of the SSM parameter `name` (the shard map). */
const parameter = (template: Template, name: string) =>
  Object.values(template.findResources('AWS::SSM::Parameter') as Resources).find((r) => r.Properties.Name === name)?.Properties.Value;

describe.each(CASES)('%s', (_name, phase) => {
  const { plan, template } = phase;

  describe('the application connects as its own database role, never as the master', () => {
    test('the master user stays postgres (deployed cluster) and the app user differs from it', () => {
      template.hasResourceProperties('AWS::RDS::DBCluster', { MasterUsername: 'postgres', EnableHttpEndpoint: true });
      // The shard map publishes shard 0's (the deployed cluster's) applicationUsername.
      expect(parameter(template, `${plan.sharding.ssmPrefix.value}/0/application-user`)).toBe('app_user');
    });

    test("the task role's rds-db:connect names the proxy's resource id and app_user", () => {
      const statements = policiesOf(template, phase.taskRole).filter((s) => s.Action === 'rds-db:connect');
      expect(statements).toHaveLength(1);
      // One resource per shard: each names its shard's proxy and app_user, and only app_user.
      const resources = [statements[0].Resource].flat();
      expect(resources).toHaveLength(phase.shardProxies.length);
      phase.shardProxies.forEach((proxy, i) => {
        const arn = JSON.stringify(resources[i]);
        expect(arn).toContain(`{"Fn::GetAtt":["${proxy}","DBProxyArn"]}`);
        expect(arn).toMatch(/\/app_user"\]\]\}$/);
      });
    });

    test('the execution role reads no database secret (only the Redis AUTH token)', () => {
      const statements = policiesOf(template, phase.executionRole);
      const secretReads = statements.filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
      expect(secretReads.map((s) => s.Resource)).toEqual([{ Ref: phase.cacheAuthToken }]);
      expect(JSON.stringify(statements)).not.toMatch(/DatabaseSecret/);
    });

    test('the container gets user name, proxy endpoint and the IAM flag as plain configuration, no DB secret', () => {
      const [container] = Object.values(template.findResources('AWS::ECS::TaskDefinition') as Resources)[0].Properties.ContainerDefinitions;
      const env = Object.fromEntries(container.Environment.map((e: any) => [e.Name, e.Value]));
      expect(env).toMatchObject({ DB_USERNAME: 'app_user', DB_IAM_AUTH: 'true', DB_PROXY_ENDPOINT: { 'Fn::GetAtt': [phase.shardProxies[0], 'Endpoint'] } });
      expect(container.Secrets.map((s: any) => s.Name)).toEqual(['REDIS_AUTH_TOKEN']);
    });

    test('the proxy logs in with IAM end to end and does not hold the master secret', () => {
      template.hasResourceProperties('AWS::RDS::DBProxy', { DefaultAuthScheme: 'IAM_AUTH', RequireTLS: true });
      expect(Object.values(template.findResources('AWS::RDS::DBProxy') as Resources)[0].Properties.Auth).toBeUndefined();
    });
  });
});

describe.each(CASES)('stricter defaults, %s', (name, { template, apiSecurityGroup, shardProxies, cache }) => {
  const model = name.startsWith('default') ? parseCapacity(DEFAULT_MODEL) : parseCapacity(OFF_DEFAULT_MODEL);

  test('the ALB has deletion protection on', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'true' }]),
    });
  });

  test("the container runs as the model's non-root user with a read-only root filesystem and the model's writable paths", () => {
    const [container] = Object.values(template.findResources('AWS::ECS::TaskDefinition') as Resources)[0].Properties.ContainerDefinitions;
    expect(container.User).toBe(model.service.containerUser);
    expect(container.User).not.toMatch(/^(0|root)(:|$)/);
    expect(container.ReadonlyRootFilesystem).toBe(true);
    expect(container.MountPoints.map((m: any) => m.ContainerPath)).toEqual(model.service.writablePaths);
  });

  test('task egress: HTTPS out, each shard\'s proxy port and the Redis port, nothing else', () => {
    const sg = apiSecurityGroup;
    const inline = Object.values(template.findResources('AWS::EC2::SecurityGroup') as Resources).find((g) => g.Properties.GroupDescription.startsWith('API tasks'))!;
    const separate = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress') as Resources)
      .filter((e) => JSON.stringify(e.Properties.GroupId).includes(`"${sg}"`)).map((e) => e.Properties);
    const ports = [...inline.Properties.SecurityGroupEgress, ...separate].map((r: any) => r.FromPort).sort((a: number, b: number) => a - b);
    const cachePort = (template.toJSON().Resources as Resources)[cache].Properties.Port;
    expect(ports).toEqual([443, ...shardProxies.map(() => 5432), cachePort]);
  });
});

describe.each(Object.entries(MODELS).flatMap(([model, { phases }]) => phases.map((p) => [`${model} phase ${p.plan.phase}`, p] as const)))('logs, %s', (_name, { stack, edge, plan }) => {
  const days = plan.monitoring.logRetentionDays.value;

  test('every log group of the phase (regional and edge), and the exported PostgreSQL log, expires after policy.logRetentionDays', () => {
    const regional = templateOf(stack);
    const groups = [...Object.values(regional.findResources('AWS::Logs::LogGroup')), ...Object.values(templateOf(edge!).findResources('AWS::Logs::LogGroup'))];
    expect(groups.length).toBeGreaterThanOrEqual(4);
    for (const g of groups) expect(g.Properties.RetentionInDays).toBe(days);
    regional.hasResourceProperties('Custom::LogRetention', Match.objectLike({ LogGroupName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['/postgresql'])] }), RetentionInDays: days }));
  });

  test('the cost model counts the PostgreSQL log and the retention', () => {
    const line = plan.cost.lines.find((l) => l.item === 'CloudWatch')!;
    expect(line.basis).toMatch(new RegExp(`\\d+ GB PostgreSQL logs ingested, kept ${days} days`));
  });

  test('access-log versions are kept 90 days after they are overwritten or deleted, not 1 day', () => {
    templateOf(stack).hasResourceProperties('AWS::S3::Bucket', Match.objectLike({
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } })] },
    }));
  });
});

describe.each(CASES)('windows, %s', (_name, { stack, plan, template }) => {
  test("Aurora and ElastiCache windows are the plan's (the region's night), not fixed UTC hours", () => {
    const { database, cache } = plan;
    template.hasResourceProperties('AWS::RDS::DBCluster', Match.objectLike({
      PreferredBackupWindow: database.backupWindow.value,
      PreferredMaintenanceWindow: database.maintenanceWindow.value,
    }));
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', Match.objectLike({
      SnapshotWindow: cache.snapshotWindow.value,
      PreferredMaintenanceWindow: cache.maintenanceWindow.value,
    }));
    if (stack.region === 'eu-central-1') {
      expect([database.backupWindow.value, cache.snapshotWindow.value]).toEqual(['01:00-02:00', '02:00-03:00']);
    }
  });
});

describe('TLS to the origin', () => {
  const domain = synthesizedPhases(DOMAIN_MODEL);
  describe.each(domain.phases.map(({ stack, plan }) => [plan.phase, phaseCase(domain, stack, plan)] as const))('with a domain, phase %s', (_phase, phase) => {
    const { plan, template } = phase;
    test('the plan decides HTTPS and says why', () => {
      expect(plan.cdn.originProtocol).toEqual({ value: 'https-only', why: expect.stringContaining('api.shop.example.com') });
      expect(plan.cdn.originDomainName.value).toBe('origin.api.shop.example.com');
    });

    test('the ALB listens on 443 only, with the regional certificate and a TLS 1.2+ policy', () => {
      const listeners = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::Listener') as Resources).map((l) => l.Properties);
      expect(listeners).toHaveLength(1);
      expect(listeners[0]).toMatchObject({
        Protocol: 'HTTPS',
        Port: 443,
        Certificates: [{ CertificateArn: 'arn:aws:acm:eu-central-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab' }],
      });
      expect(listeners[0].SslPolicy).toMatch(/TLS13-1-2|TLS-1-2/);
    });

    test('CloudFront reaches the origin https-only on 443 by a name the certificate covers, and serves the domain with TLSv1.2_2021', () => {
      template.hasResourceProperties('AWS::CloudFront::VpcOrigin', { VpcOriginEndpointConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only', HTTPSPort: 443 }) });
      const config = Object.values(template.findResources('AWS::CloudFront::Distribution') as Resources)[0].Properties.DistributionConfig;
      expect(config.Origins[0].DomainName).toBe('origin.api.shop.example.com');
      expect(config.Aliases).toEqual(['api.shop.example.com']);
      expect(config.ViewerCertificate).toEqual({
        AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab',
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      });
    });

    test('Route 53: the name aliases the distribution (A and AAAA), origin.<name> aliases the ALB, in the given zone', () => {
      const records = Object.values(template.findResources('AWS::Route53::RecordSet') as Resources).map((r) => r.Properties);
      expect(records.map((r) => `${r.Type} ${r.Name}`).sort()).toEqual(['A api.shop.example.com.', 'A origin.api.shop.example.com.', 'AAAA api.shop.example.com.']);
      for (const r of records) expect(r.HostedZoneId).toBe('Z0123456789ABCDEFGHIJ');
      const origin = records.find((r) => r.Name.startsWith('origin.'))!;
      expect(JSON.stringify(origin.AliasTarget.DNSName)).toContain(phase.loadBalancer);
    });

    test('no CFR4 acknowledgement: the viewer TLS policy is set', () => {
      const acknowledged = phase.distributionMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY).flatMap((m) => Object.keys(m.data as object));
      expect(acknowledged.join(' ')).not.toContain('CFR4');
    });
  });

  test.each(CASES.filter(([name]) => name.startsWith('default')))('without a domain (%s): HTTP on 80 inside the VPC, with the reason in the plan and CFR4 acknowledged', (_name, { plan, template }) => {
    expect(plan.cdn.originProtocol).toEqual({ value: 'http-only', why: expect.stringMatching(/no domain in the model/) });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Protocol: 'HTTP', Port: 80 });
    template.hasResourceProperties('AWS::CloudFront::VpcOrigin', { VpcOriginEndpointConfig: Match.objectLike({ OriginProtocolPolicy: 'http-only' }) });
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
  });
});
