// The public API: constructs other CDK apps use on their own, and the capacity model that sizes them.
export * from './constructs/api-tier';
export * from './constructs/aurora-postgres';
export * from './constructs/cdn';
export * from './constructs/network';
export * from './constructs/redis-cache';
export * from './constructs/web-acl';
export * from './capacity';
export * from './loadtest';
