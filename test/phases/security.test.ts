/**
 * Issue 14's security properties, asserted on every phase of the default model and of the off-default model.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OFF_DEFAULT_MODEL } from '../support/off-default-model';
import { synthPhases } from '../support/phase-app';
import { logicalId } from '../support/template-helpers';

const MODELS = { default: synthPhases(), 'off-default': synthPhases(OFF_DEFAULT_MODEL) };
const CASES = Object.entries(MODELS).flatMap(([model, { phases }]) => phases.map(({ stack, plan }) => [`${model} phase ${plan.phase}`, stack, Template.fromStack(stack)] as const));

type Resources = Record<string, { Type: string; Properties?: any; DependsOn?: string[] }>;
const policiesOf = (stack: Stack, template: Template, roleLogicalId: string) =>
  Object.values(template.findResources('AWS::IAM::Policy') as Resources)
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleLogicalId}"`))
    .flatMap((p) => stack.resolve(p.Properties.PolicyDocument.Statement) as any[]);

describe.each(CASES)('%s', (_name, stack, template) => {
  const phase = stack as any;

  describe('the application connects as its own database role, never as the master', () => {
    test('the master user stays postgres (deployed cluster) and the app user differs from it', () => {
      template.hasResourceProperties('AWS::RDS::DBCluster', { MasterUsername: 'postgres', EnableHttpEndpoint: true });
      expect(phase.database.applicationUsername).toBe('app_user');
    });

    test("the task role's rds-db:connect names the proxy's resource id and app_user", () => {
      const statements = policiesOf(stack, template, logicalId(phase.api.taskDefinition.taskRole)).filter((s) => s.Action === 'rds-db:connect');
      expect(statements).toHaveLength(1);
      const arn = JSON.stringify(statements[0].Resource);
      expect(arn).toContain(`{"Fn::GetAtt":["${logicalId(phase.database.proxy)}","DBProxyArn"]}`);
      expect(arn).toMatch(/\/app_user"\]\]\}$/);
    });

    test('the execution role reads no database secret (only the Redis AUTH token)', () => {
      const statements = policiesOf(stack, template, logicalId(phase.api.taskDefinition.executionRole));
      const secretReads = statements.filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
      expect(secretReads.map((s) => s.Resource)).toEqual([{ Ref: logicalId(phase.cache.authToken) }]);
      expect(JSON.stringify(statements)).not.toMatch(/DatabaseSecret/);
    });

    test('the container gets user name, proxy endpoint and the IAM flag as plain configuration, no DB secret', () => {
      const [container] = Object.values(template.findResources('AWS::ECS::TaskDefinition') as Resources)[0].Properties.ContainerDefinitions;
      const env = Object.fromEntries(container.Environment.map((e: any) => [e.Name, e.Value]));
      expect(env).toMatchObject({ DB_USERNAME: 'app_user', DB_IAM_AUTH: 'true', DB_PROXY_ENDPOINT: { 'Fn::GetAtt': [logicalId(phase.database.proxy), 'Endpoint'] } });
      expect(container.Secrets.map((s: any) => s.Name)).toEqual(['REDIS_AUTH_TOKEN']);
    });

    test('the proxy logs in with IAM end to end and does not hold the master secret', () => {
      template.hasResourceProperties('AWS::RDS::DBProxy', { DefaultAuthScheme: 'IAM_AUTH', RequireTLS: true });
      expect(Object.values(template.findResources('AWS::RDS::DBProxy') as Resources)[0].Properties.Auth).toBeUndefined();
    });
  });
});
