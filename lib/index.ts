// The public API: constructs other CDK apps use on their own, and the capacity model that sizes them.
export * from './constructs/api-tier';
export * from './constructs/aurora-postgres';
export * from './constructs/cdn';
export * from './constructs/network';
export * from './constructs/redis-cache';
export * from './constructs/web-acl';
export * from './capacity';
// Kubernetes (cdk8s): the same phases as manifests, and the constructs they are built from.
export * from './k8s/api-workload';
export * from './k8s/pgbouncer';
export * from './k8s/pgbouncer-ini';
export * from './k8s/phase-chart';
