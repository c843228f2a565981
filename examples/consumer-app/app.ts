/**
 * A consumer of the scaling-roadmap package: another team's CDK app that wants the constructs, not the roadmap.
 * It imports only the package's entry point ('scaling-roadmap', i.e. package.json main/types: dist/lib/index),
 * never a path inside it, builds one stack with the constructs (on their defaults but one) and runs the package's
 * ScalabilityChecks rule pack over it.
 *
 * test/consumer/consumer-app.test.ts packs the library, installs the tarball into a copy of this directory and
 * synthesizes this app. By hand, from the repository root:
 *   npm run build && npm pack && mv scaling-roadmap-*.tgz scaling-roadmap.tgz
 *   cd examples/consumer-app && npm install && npm run synth     # templates in cdk.out/ (or $CDK_OUTDIR)
 */
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ApiTier, AuroraPostgres, Network, pinAvailabilityZones, RedisCache, ScalabilityChecks } from 'scaling-roadmap';

const app = new App();
// The scalability rule pack: any finding (say, a queue without a dead-letter queue) fails synthesis.
Validations.of(app).addPlugins(new ScalabilityChecks());
// ApiTier needs an explicit region (its ALB access-log bucket policy depends on it); no AWS account is contacted:
// the pinned AZs spare `cdk synth` the AZ lookup, which would need credentials.
const stack = new Stack(app, 'ConsumerStack', { env: { account: '123456789012', region: 'eu-central-1' } });
pinAvailabilityZones(stack, ['eu-central-1a', 'eu-central-1b', 'eu-central-1c']);

// One VPC for every tier: each construct requires it rather than making its own.
const { vpc } = new Network(stack, 'Network');
const db = new AuroraPostgres(stack, 'Db', { vpc }); // writer + reader, RDS Proxy, KMS, backups
const cache = new RedisCache(stack, 'Cache', { vpc }); // allkeys-lru, multi-AZ, TLS + AUTH
// Fargate service behind an internal ALB, autoscaled. Tasks drain for 65 s, longer than the ALB's 60 s idle timeout
// (the longest a request can run there), so a scale-in never cuts a request off (ScalabilityChecks rule ECS6).
const api = new ApiTier(stack, 'Api', { vpc, deregistrationDelay: Duration.seconds(65) });

db.allowConnectionsFrom(api);
cache.allowConnectionsFrom(api);

// The consumer test sets this context value to prove the pack is live in the packed library: synthesis must then fail.
if (app.node.tryGetContext('addQueueWithoutDlq') === true) new sqs.Queue(stack, 'Jobs');

app.synth();
