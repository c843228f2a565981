/**
 * The wiring catches new findings: every pack the phases app registers (cdk-nag's AwsSolutions and NIST 800-53 R5,
 * and our Scalability pack) fails synthesis on a finding nobody acknowledged, wherever it appears.
 *
 * One app of every phase with six careless changes, synthesized once (a synthesis of the whole app costs seconds):
 * each test shows its change reported (and no existing acknowledgement hiding it), and the last shows no finding on
 * anything unchanged.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DEFAULT_MODEL, parseCapacity, planModel } from '../../lib/capacity';
import { addPhaseStacks } from '../../phases/app';
import { cdkJsonContext } from '../support/test-stack';
import { validationFailures } from '../support/validation-failures';

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'new-findings-'));
const app = new App({ context: cdkJsonContext(), outdir });
const model = parseCapacity(DEFAULT_MODEL);
const [phase1, phase2] = addPhaseStacks(app, model, planModel(model));

// 1. A bucket without access logs or SSL-only policy, in a stack of its own.
new s3.Bucket(new Stack(app, 'Extra'), 'Careless');
// 2. A wildcard permission on a role that already acknowledges reviewed wildcards.
phase1.stack.api.taskDefinition.addToTaskRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
// 3. A log group without a KMS key in a stack whose other log groups acknowledge NIST's finding by path.
new logs.LogGroup(phase1.stack, 'CarelessLogs', { retention: logs.RetentionDays.ONE_YEAR });
// 4. An environment variable nobody reviewed, on a task definition that acknowledges ECS2 for its reviewed ones.
phase1.stack.api.container.addEnvironment('PAYMENT_API_KEY', 'not-a-secret-place');
// 5. A task ceiling below phase 1's plan.
const target = phase1.stack.node.findAll().find((c): c is appscaling.CfnScalableTarget => c instanceof appscaling.CfnScalableTarget)!;
target.maxCapacity = phase1.plan.api.maxTasks.value - 1;
// 6. A queue without a dead-letter queue in phase 2.
new sqs.Queue(phase2.stack, 'Jobs');

const failures = validationFailures(app);

test('a bucket without access logs or SSL-only policy, in any stack of the app, fails synthesis (S1, S10)', () => {
  expect(failures.filter((f) => f.startsWith('AwsSolutions-') && f.endsWith(' at Extra/Careless/Resource'))).toEqual(['AwsSolutions-S1 at Extra/Careless/Resource', 'AwsSolutions-S10 at Extra/Careless/Resource']);
});

test('a new wildcard permission is reported, not hidden by an existing acknowledgement (IAM5)', () => {
  expect(failures).toContain('AwsSolutions-IAM5[Resource::*] at Phase1Stack/Api/TaskDefinition/TaskRole/DefaultPolicy/Resource');
});

test('NIST: a new log group without a KMS key, anywhere in the app, fails synthesis (acknowledgements name paths, not rules)', () => {
  expect(failures).toContain('NIST.800.53.R5-CloudWatchLogGroupEncrypted at Phase1Stack/CarelessLogs/Resource');
});

test('an environment variable nobody reviewed brings AwsSolutions-ECS2 back', () => {
  expect(failures).toContain('AwsSolutions-ECS2 at Phase1Stack/Api/TaskDefinition/Resource');
});

test("Scalability: a task ceiling below the phase's plan fails synthesis (PLAN1), checked against that phase's own plan", () => {
  expect(failures).toContain(`Scalability-PLAN1 at ${target.node.path}`);
});

test('Scalability: a queue without a dead-letter queue added to a phase fails synthesis (SQS1)', () => {
  expect(failures).toContain('Scalability-SQS1 at Phase2Stack/Jobs/Resource');
});

test('nothing else is reported: every finding is on a changed resource, so no finding of the unchanged app fails it', () => {
  // (The bucket and the queue also break NIST's and AwsSolutions' own S3 and SQS rules; those count as theirs.)
  expect([...new Set(failures.map((f) => f.split(' at ')[1]))].sort()).toEqual([
    'Extra/Careless/Resource',
    'Phase1Stack/Api/TaskDefinition/Resource',
    'Phase1Stack/Api/TaskDefinition/TaskRole/DefaultPolicy/Resource',
    'Phase1Stack/CarelessLogs/Resource',
    target.node.path,
    'Phase2Stack/Jobs/Resource',
  ].sort());
});
