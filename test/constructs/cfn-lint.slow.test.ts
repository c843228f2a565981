import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ChaosExperiments } from '../../lib/constructs/chaos-experiments';
import { SloMonitoring } from '../../lib/constructs/slo-monitoring';
import { WriteQueue } from '../../lib/constructs/write-queue';
import { chaosOverProjectConstructs } from '../support/chaos-fixtures';
import { cfnLint } from '../support/cfn-lint';
import { FULL } from '../support/slo-fixtures';
import { cdkJsonContext, testStack } from '../support/test-stack';
import { clusterIn, OFF_DEFAULT } from '../support/write-queue-fixtures';

/**
 * cfn-lint over the constructs whose resources the phase templates exercise least (FIS experiments, metric-math
 * alarms, a queue-backlog scaling policy), each in a stack of its own, and two broken variants that show the linter
 * knows those schemas. Errors, warnings and informational checks; only W3005 (CDK's own redundant DependsOn) ignored.
 */
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'construct-lint-'));
// Version reporting on, as `cdk synth` does: without AWS::CDK::Metadata cfn-lint does not treat a template as CDK output.
const app = new App({ context: cdkJsonContext(), outdir, analyticsReporting: true });
const slo = testStack('SloStack', {}, app);
new SloMonitoring(slo, 'Slo', FULL);
const queue = testStack('WriteQueueStack', {}, app);
new WriteQueue(queue, 'WriteQueue', { cluster: clusterIn(queue), ...OFF_DEFAULT });
// The chaos fixture synthesizes the app, so the other stacks go in first.
const { templateFile: chaosFile } = chaosOverProjectConstructs(app);
const assembly = app.synth();
const fileOf = (stackName: string) => assembly.getStackByName(stackName).templateFullPath;

test('ChaosExperiments over the project\'s constructs, SloMonitoring with every prop, WriteQueue off every default: no findings', () => {
  expect(cfnLint([chaosFile, fileOf(slo.stackName), fileOf(queue.stackName)])).toEqual({ status: 0, output: '' });
});

test('cfn-lint knows the FIS schema: the log group ARN under its API casing (logGroupArn) fails it', () => {
  // A small template (a literal target) keeps this fast; the same template unchanged passes, so the casing is the cause.
  const stack = testStack('Light');
  new ChaosExperiments(stack, 'Chaos', { databaseClusterIdentifier: 'orders-db' });
  const valid = Template.fromStack(stack).toJSON();
  const broken = JSON.parse(JSON.stringify(valid));
  const [fis] = Object.values<any>(broken.Resources).filter((r) => r.Type === 'AWS::FIS::ExperimentTemplate');
  const config = fis.Properties.LogConfiguration.CloudWatchLogsConfiguration;
  fis.Properties.LogConfiguration.CloudWatchLogsConfiguration = { logGroupArn: config.LogGroupArn };
  const files = { valid: path.join(outdir, 'valid.json'), broken: path.join(outdir, 'broken.json') };
  fs.writeFileSync(files.valid, JSON.stringify(valid));
  fs.writeFileSync(files.broken, JSON.stringify(broken));

  // One run for both (cfn-lint takes seconds to start): every finding is in the broken file.
  const { status, output } = cfnLint([files.valid, files.broken], { strict: false });
  expect(status).not.toBe(0);
  expect(output).toMatch(/E3002 Additional properties are not allowed \('logGroupArn' was unexpected/);
  expect(output).not.toContain(files.valid);
});

test('cfn-lint knows the scaling policy schema: a metric query with an unknown key fails the template', () => {
  const template = JSON.parse(fs.readFileSync(fileOf(queue.stackName), 'utf8'));
  const [policyId] = Object.entries(template.Resources as Record<string, { Type: string }>).find(([, r]) => r.Type === 'AWS::ApplicationAutoScaling::ScalingPolicy')!;
  const metrics = template.Resources[policyId].Properties.TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification.Metrics;
  metrics[0].MetricStat.Statistic = 'Sum';
  const broken = path.join(outdir, 'broken-policy.json');
  fs.writeFileSync(broken, JSON.stringify(template));
  const { status, output } = cfnLint([broken]);
  expect(status).not.toBe(0);
  expect(output).toMatch(/E3002.*Statistic/s);
});
