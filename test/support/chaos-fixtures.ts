import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ApiTier } from '../../lib/constructs/api-tier';
import { AuroraPostgres } from '../../lib/constructs/aurora-postgres';
import { ChaosExperiments } from '../../lib/constructs/chaos-experiments';
import { Network } from '../../lib/constructs/network';
import { RedisCache } from '../../lib/constructs/redis-cache';
import { testStack } from './test-stack';

/** ChaosExperiments over the project's own constructs (ApiTier, AuroraPostgres, RedisCache), synthesized into `app`'s outdir. */
export function chaosOverProjectConstructs(app: App): { stack: Stack; api: ApiTier; chaos: ChaosExperiments; templateFile: string } {
  const stack = testStack('ChaosStack', {}, app);
  const api = new ApiTier(stack, 'Api', { vpc: new Network(stack, 'Network').vpc });
  const db = new AuroraPostgres(stack, 'Db', { vpc: api.vpc });
  const cache = new RedisCache(stack, 'Cache', { vpc: api.vpc });
  const alarm = new cloudwatch.Alarm(stack, 'SloAlarm', {
    metric: api.service.metricCpuUtilization(), threshold: 90, evaluationPeriods: 1,
  });
  const chaos = new ChaosExperiments(stack, 'Chaos', {
    apiService: api.service,
    apiStopTaskPercent: 25,
    databaseCluster: db.cluster,
    cacheReplicationGroup: cache.replicationGroup,
    stopConditionAlarms: [alarm],
  });
  const templateFile = path.join(app.synth().directory, 'ChaosStack.template.json');
  return { stack, api, chaos, templateFile };
}
