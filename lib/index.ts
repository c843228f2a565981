// The public API: constructs other CDK apps use on their own, the capacity model that sizes them, and the
// Scalability rule pack any CDK app can run.
export * from './constructs/api-tier';
export * from './constructs/aurora-postgres';
export * from './constructs/availability-zones';
export * from './constructs/cdn';
export * from './constructs/chaos-experiments';
export * from './constructs/network';
export * from './constructs/redis-cache';
export * from './constructs/slo-monitoring';
export * from './constructs/web-acl';
export * from './constructs/write-queue';
export * from './capacity';
export * from './rules';
// Kubernetes (cdk8s): the same phases as manifests, and the constructs they are built from.
export * from './k8s/api-workload';
export * from './k8s/pgbouncer';
export * from './k8s/pgbouncer-ini';
export * from './k8s/phase-chart';
export * from './loadtest';
