import { CfnOutput } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { Capacity } from '../lib/capacity';
import type { AuroraPostgres } from '../lib/constructs/aurora-postgres';
import { OUTPUTS } from '../lib/outputs';

/** The Aurora Global Database's identifier: a plain name both regions' stacks know without a cross-region reference. */
export function globalClusterIdentifier(model: Capacity): string {
  return `${model.service.name}-global`;
}

/**
 * Makes the primary cluster the primary of an Aurora Global Database. `SourceDBClusterIdentifier` on the
 * `AWS::RDS::GlobalCluster` adopts the existing cluster: the `AWS::RDS::DBCluster` itself is not touched (setting its
 * GlobalClusterIdentifier instead would be a change to the stateful resource; the GlobalCluster's SourceDBClusterIdentifier,
 * Engine and StorageEncrypted are create-only on the GlobalCluster, so they are set once here and never change).
 */
export function addGlobalDatabase(database: AuroraPostgres, model: Capacity): rds.CfnGlobalCluster {
  const global = new rds.CfnGlobalCluster(database, 'Global', {
    globalClusterIdentifier: globalClusterIdentifier(model),
    // Engine, version and encryption are inherited from the source cluster (AWS rejects them beside it).
    sourceDbClusterIdentifier: database.cluster.clusterIdentifier,
    deletionProtection: true,
  });
  new CfnOutput(database, 'GlobalClusterIdentifier', {
    key: OUTPUTS.globalCluster,
    value: global.ref,
    description: 'Aurora Global Database (aws rds failover-global-cluster --global-cluster-identifier)',
  });
  return global;
}
