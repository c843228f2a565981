/**
 * A consumer of the scaling-roadmap package: another team's CDK app that wants the constructs, not the roadmap.
 * It imports only the package's entry point ('scaling-roadmap', i.e. package.json main/types: dist/lib/index),
 * never a path inside it, and builds one stack with every construct on its defaults.
 *
 * test/consumer/consumer-app.test.ts packs the library, installs the tarball into a copy of this directory and
 * synthesizes this app. By hand, from the repository root:
 *   npm run build && npm pack && mv scaling-roadmap-*.tgz scaling-roadmap.tgz
 *   cd examples/consumer-app && npm install && npm run synth     # templates in cdk.out/ (or $CDK_OUTDIR)
 */
import { App, Stack } from 'aws-cdk-lib';
import { ApiTier, AuroraPostgres, RedisCache } from 'scaling-roadmap';

const app = new App();
// ApiTier needs an explicit region (its ALB access-log bucket policy depends on it); no AWS account is contacted.
const stack = new Stack(app, 'ConsumerStack', { env: { account: '123456789012', region: 'eu-central-1' } });

const db = new AuroraPostgres(stack, 'Db'); // its own three-tier VPC, writer + readers, RDS Proxy, KMS, backups
const cache = new RedisCache(stack, 'Cache', { vpc: db.vpc }); // allkeys-lru, multi-AZ, TLS + AUTH
const api = new ApiTier(stack, 'Api', { vpc: db.vpc }); // Fargate service behind an internal ALB, autoscaled

db.allowConnectionsFrom(api);
cache.allowConnectionsFrom(api);

app.synth();
