import type { CfnResource } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as rds from 'aws-cdk-lib/aws-rds';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { DB_CLUSTER, DB_INSTANCE, DB_PROXY } from './rds';
import { logicalIdOf, referencedIds, referencedResources, resolve, resolveNumber, resourcesOfType } from './resolve';
import type { ScalabilityRule } from './rule';

const DATABASES = [DB_CLUSTER, DB_INSTANCE, DB_PROXY];

/** Logical ids of the security groups of every relational database and proxy in the stack of `node`. */
function databaseSecurityGroupIds(node: CfnResource): Set<string> {
  const ids = new Set<string>();
  for (const cluster of resourcesOfType(node, DB_CLUSTER)) referencedIds(resolve(cluster, (cluster as rds.CfnDBCluster).vpcSecurityGroupIds), ids);
  for (const instance of resourcesOfType(node, DB_INSTANCE)) referencedIds(resolve(instance, (instance as rds.CfnDBInstance).vpcSecurityGroups), ids);
  for (const proxy of resourcesOfType(node, DB_PROXY)) referencedIds(resolve(proxy, (proxy as rds.CfnDBProxy).vpcSecurityGroupIds), ids);
  return ids;
}

/**
 * Whether a function reaches a relational database of its stack: its environment names a cluster, instance or proxy
 * (an endpoint), or a security group of the database admits one of the function's security groups.
 */
function reachesDatabase(fn: lambda.CfnFunction): boolean {
  if (referencedResources(fn, fn.environment).some((r) => DATABASES.includes(r.cfnResourceType))) return true;
  const own = referencedIds(resolve(fn, fn.vpcConfig)?.securityGroupIds ?? []);
  if (own.size === 0) return false;
  const dbGroups = databaseSecurityGroupIds(fn);
  const admits = (source: unknown) => [...referencedIds(resolve(fn, source))].some((id) => own.has(id));
  for (const ingress of resourcesOfType(fn, 'AWS::EC2::SecurityGroupIngress')) {
    const rule = ingress as ec2.CfnSecurityGroupIngress;
    const target = [...referencedIds(resolve(ingress, rule.groupId))];
    if (target.some((id) => dbGroups.has(id)) && admits(rule.sourceSecurityGroupId)) return true;
  }
  for (const group of resourcesOfType(fn, 'AWS::EC2::SecurityGroup')) {
    if (!dbGroups.has(logicalIdOf(group))) continue;
    const inline = resolve(group, (group as ec2.CfnSecurityGroup).securityGroupIngress) ?? [];
    if (Array.isArray(inline) && inline.some((i: any) => admits(i?.sourceSecurityGroupId))) return true;
  }
  return false;
}

export const LAMBDA_RULES: readonly ScalabilityRule[] = [
  {
    id: 'LMB1',
    level: NagMessageLevel.WARN,
    info: 'The Lambda function reaches a relational database but has no reserved concurrency.',
    explanation: 'Lambda scales to the account\'s concurrency limit (1,000 by default) in seconds, one database connection per instance: a traffic spike becomes a connection storm that exhausts max_connections and takes the database down for every other client.',
    fix: 'Set reservedConcurrentExecutions to what the database\'s connection budget allows (and connect through RDS Proxy).',
    check: (node) => {
      if (node.cfnResourceType !== 'AWS::Lambda::Function') return NagRuleCompliance.NOT_APPLICABLE;
      const fn = node as lambda.CfnFunction;
      if (!reachesDatabase(fn)) return NagRuleCompliance.NOT_APPLICABLE;
      const reserved = resolveNumber(node, fn.reservedConcurrentExecutions);
      return reserved !== undefined && reserved > 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    },
  },
];
