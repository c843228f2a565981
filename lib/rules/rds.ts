import type { CfnResource } from 'aws-cdk-lib';
import type * as rds from 'aws-cdk-lib/aws-rds';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { clientsOf, DB_CLUSTER, DB_INSTANCE } from './database-clients';
import { referencedResources, references, resolve, resolveBoolean, resolveString, resourcesOfType } from './resolve';
import type { ScalabilityRule } from './rule';

const DB_PROXY_TARGET_GROUP = 'AWS::RDS::DBProxyTargetGroup';
/** Engines RDS Proxy can sit in front of. */
const PROXY_ENGINES = /^(aurora-postgresql|aurora-mysql|aurora|postgres|mysql|mariadb|sqlserver)/;

/** An Aurora cluster (provisioned or Serverless v2; Serverless v1 scales itself and has no instances). */
function auroraCluster(node: CfnResource): rds.CfnDBCluster | undefined {
  if (node.cfnResourceType !== DB_CLUSTER) return undefined;
  const cluster = node as rds.CfnDBCluster;
  const engine = resolveString(node, cluster.engine) ?? '';
  if (!engine.startsWith('aurora') || resolve(node, cluster.engineMode) === 'serverless') return undefined;
  return cluster;
}

/** The DB instances of a cluster: those whose DBClusterIdentifier references it, or names it literally. */
export function instancesOf(cluster: rds.CfnDBCluster): rds.CfnDBInstance[] {
  const name = resolveString(cluster, cluster.dbClusterIdentifier);
  return resourcesOfType(cluster, DB_INSTANCE).map((r) => r as rds.CfnDBInstance).filter((instance) =>
    references(instance, instance.dbClusterIdentifier, cluster) ||
    (name !== undefined && resolveString(instance, instance.dbClusterIdentifier) === name));
}

/** The cluster a DB instance belongs to (same stack), if any. */
function clusterOf(instance: rds.CfnDBInstance): rds.CfnDBCluster | undefined {
  return resourcesOfType(instance, DB_CLUSTER).map((r) => r as rds.CfnDBCluster).find((c) => instancesOf(c).includes(instance));
}

/** Readers of an Aurora cluster: every instance but the writer. */
export function readerCount(cluster: rds.CfnDBCluster): number {
  return Math.max(0, instancesOf(cluster).length - 1);
}

export const RDS_RULES: readonly ScalabilityRule[] = [
  {
    id: 'RDS1',
    level: NagMessageLevel.WARN,
    info: 'The Aurora cluster has no reader instance.',
    explanation: 'Every read competes with the writes on the one writer, reads cannot be scaled out, and a failover must create a new instance (minutes) instead of promoting a reader (about 30 s).',
    fix: 'Add at least one reader in another Availability Zone (DatabaseCluster readers: [ClusterInstance.provisioned(...)]) and send reads to the reader endpoint.',
    check: (node) => {
      const cluster = auroraCluster(node);
      if (cluster === undefined) return NagRuleCompliance.NOT_APPLICABLE;
      return readerCount(cluster) < 1 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    },
  },
  {
    id: 'RDS2',
    level: NagMessageLevel.WARN,
    info: 'The database has no RDS Proxy in front of it while ECS services or Lambda functions of the stack (clients whose count changes with load) connect to it.',
    explanation: 'Each new task or function instance opens its own connection pool: at peak the connection count, not CPU, hits max_connections, and connection storms after a failover or deployment overwhelm the writer.',
    fix: 'Put an RDS Proxy in front (cluster.addProxy(...) / new DatabaseProxy) and point clients at its endpoint; size MaxConnectionsPercent from the connection budget.',
    check: (node) => {
      let engine: string | undefined;
      if (node.cfnResourceType === DB_CLUSTER) engine = resolveString(node, (node as rds.CfnDBCluster).engine);
      else if (node.cfnResourceType === DB_INSTANCE && (node as rds.CfnDBInstance).dbClusterIdentifier === undefined) {
        engine = resolveString(node, (node as rds.CfnDBInstance).engine);
      } else return NagRuleCompliance.NOT_APPLICABLE;
      if (engine === undefined || !PROXY_ENGINES.test(engine)) return NagRuleCompliance.NOT_APPLICABLE;
      const proxies = resourcesOfType(node, DB_PROXY_TARGET_GROUP).filter((group) => {
        const g = group as rds.CfnDBProxyTargetGroup;
        return references(group, g.dbClusterIdentifiers, node) || references(group, g.dbInstanceIdentifiers, node);
      }).flatMap((group) => referencedResources(group, (group as rds.CfnDBProxyTargetGroup).dbProxyName));
      if (proxies.length > 0) return NagRuleCompliance.COMPLIANT;
      return clientsOf(node, proxies).length > 0 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
    },
  },
  {
    id: 'RDS3',
    level: NagMessageLevel.ERROR,
    info: 'The database uses a burstable instance class (db.t*).',
    explanation: 'Burstable classes run at a baseline fraction of their vCPU once CPU credits are spent: under sustained production load the database slows down abruptly, and memory for the buffer cache is small.',
    fix: 'Use a memory-optimised (db.r7g/db.r8g) or general-purpose (db.m7g) class for production; keep db.t* for development stacks.',
    check: (node) => {
      let instanceClass: unknown;
      if (node.cfnResourceType === DB_INSTANCE) instanceClass = (node as rds.CfnDBInstance).dbInstanceClass;
      else if (node.cfnResourceType === DB_CLUSTER) instanceClass = (node as rds.CfnDBCluster).dbClusterInstanceClass;
      else return NagRuleCompliance.NOT_APPLICABLE;
      if (instanceClass === undefined) return NagRuleCompliance.NOT_APPLICABLE;
      const resolved = resolveString(node, instanceClass);
      if (resolved === undefined) throw new Error('the instance class is not a literal string');
      return /^db\.t\d/.test(resolved) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    },
  },
  {
    id: 'RDS4',
    level: NagMessageLevel.WARN,
    info: 'The database instance has no Performance Insights (on the instance or its cluster).',
    explanation: 'Database load by wait event and by query is what shows which queries to fix or which reads to move before scaling up; without it the only answer to a slow database is a bigger instance.',
    fix: 'Enable Performance Insights: enablePerformanceInsights: true (instance or cluster), retention 7 days (free tier) or more.',
    check: (node) => {
      if (node.cfnResourceType !== DB_INSTANCE) return NagRuleCompliance.NOT_APPLICABLE;
      const instance = node as rds.CfnDBInstance;
      if (resolveBoolean(node, instance.enablePerformanceInsights) === true) return NagRuleCompliance.COMPLIANT;
      const cluster = clusterOf(instance);
      if (cluster && resolveBoolean(cluster, cluster.performanceInsightsEnabled) === true) return NagRuleCompliance.COMPLIANT;
      return NagRuleCompliance.NON_COMPLIANT;
    },
  },
];
