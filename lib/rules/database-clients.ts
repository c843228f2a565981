import type { CfnResource } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as rds from 'aws-cdk-lib/aws-rds';
import { logicalIdOf, referencedIds, referencedResources, resolve, resourcesOfType } from './resolve';

export const DB_CLUSTER = 'AWS::RDS::DBCluster';
export const DB_INSTANCE = 'AWS::RDS::DBInstance';
export const DB_PROXY = 'AWS::RDS::DBProxy';
const DATABASES = [DB_CLUSTER, DB_INSTANCE, DB_PROXY];

/** Logical ids of the security groups of `databases` (clusters, instances, proxies). */
function securityGroupIdsOf(databases: readonly CfnResource[]): Set<string> {
  const ids = new Set<string>();
  for (const db of databases) {
    const groups = db.cfnResourceType === DB_INSTANCE ? (db as rds.CfnDBInstance).vpcSecurityGroups : (db as rds.CfnDBCluster | rds.CfnDBProxy).vpcSecurityGroupIds;
    referencedIds(resolve(db, groups), ids);
  }
  return ids;
}

/** Logical ids of the security groups that the security groups `targets` admit (ingress resources and inline rules). */
function admittedBy(node: CfnResource, targets: Set<string>): Set<string> {
  const admitted = new Set<string>();
  for (const ingress of resourcesOfType(node, 'AWS::EC2::SecurityGroupIngress')) {
    const rule = ingress as ec2.CfnSecurityGroupIngress;
    if ([...referencedIds(resolve(ingress, rule.groupId))].some((id) => targets.has(id))) referencedIds(resolve(ingress, rule.sourceSecurityGroupId), admitted);
  }
  for (const group of resourcesOfType(node, 'AWS::EC2::SecurityGroup')) {
    if (!targets.has(logicalIdOf(group))) continue;
    const inline = resolve(group, (group as ec2.CfnSecurityGroup).securityGroupIngress) ?? [];
    if (Array.isArray(inline)) inline.forEach((i: any) => referencedIds(i?.sourceSecurityGroupId, admitted));
  }
  return admitted;
}

/**
 * Whether a Lambda function or ECS service reaches one of `databases` (all of the stack's relational databases and
 * proxies by default): its environment names one (an endpoint), or a database security group admits one of its own.
 */
export function reachesDatabase(client: CfnResource, databases?: readonly CfnResource[]): boolean {
  const dbs = databases ?? DATABASES.flatMap((type) => resourcesOfType(client, type));
  if (dbs.length === 0) return false;
  let environment: unknown;
  let ownGroups: unknown;
  if (client.cfnResourceType === 'AWS::Lambda::Function') {
    const fn = client as lambda.CfnFunction;
    environment = fn.environment;
    ownGroups = resolve(client, fn.vpcConfig)?.securityGroupIds;
  } else if (client.cfnResourceType === 'AWS::ECS::Service') {
    const service = client as ecs.CfnService;
    ownGroups = resolve(client, service.networkConfiguration)?.awsvpcConfiguration?.securityGroups;
    const [taskDefinition] = referencedResources(client, service.taskDefinition);
    environment = taskDefinition === undefined ? undefined : (taskDefinition as ecs.CfnTaskDefinition).containerDefinitions;
  } else {
    return false;
  }
  const dbIds = new Set(dbs.map(logicalIdOf));
  if ([...referencedIds(resolve(client, environment))].some((id) => dbIds.has(id))) return true;
  const own = referencedIds(ownGroups ?? []);
  const admitted = admittedBy(client, securityGroupIdsOf(dbs));
  return [...own].some((id) => admitted.has(id));
}

/** The ECS services and Lambda functions of the stack that reach `database` (directly, or through a proxy of it). */
export function clientsOf(database: CfnResource, proxies: readonly CfnResource[]): CfnResource[] {
  const candidates = resourcesOfType(database, 'AWS::ECS::Service').concat(resourcesOfType(database, 'AWS::Lambda::Function'));
  return candidates.filter((c) => reachesDatabase(c, [database, ...proxies]));
}
