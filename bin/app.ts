#!/usr/bin/env node
/**
 * The CDK app: the three phase stacks, sized from the capacity model.
 *
 * Model: the embedded default (the seeds' order-management monolith), or your own file with
 * `cdk synth Phase2Stack -c capacity=path/to/model.json`.
 */
import { App } from 'aws-cdk-lib';
import { CapacityError, FeasibilityError, describeModelSource, loadModel, planModel } from '../lib/capacity';
import { addPhaseStacks } from '../phases/app';
import { MODEL_ANNOUNCED_ENV, MODEL_CONTEXT_KEY, unknownContextKeys } from '../scripts/cdk-json';

// Without this, the CDK CLI prints a 'dist/phases/phase-stack.js:173:48' line (where our code called Annotations)
// in front of every warning and error: noise for a user, who needs the message and the stack. `cdk --debug` keeps them.
if (!process.env.CDK_DEBUG) process.env.CDK_DISABLE_STACK_TRACE ??= 'true';
const app = new App();
// Bad input is the user's to fix: say what is wrong in one line per problem, without a stack trace.
const unknown = unknownContextKeys(Object.keys(app.node.getAllContext()));
if (unknown.length) {
  console.error(unknown.join('\n'));
  process.exit(1);
}
try {
  const modelPath: string | undefined = app.node.tryGetContext(MODEL_CONTEXT_KEY);
  const model = loadModel(modelPath);
  // npm run synth has printed this line already (it checks the model before the CDK CLI starts).
  if (!process.env[MODEL_ANNOUNCED_ENV]) console.error(describeModelSource(modelPath));
  addPhaseStacks(app, model, planModel(model));
  app.synth();
} catch (error) {
  // A model the architecture cannot carry fails like a bad one: one message naming the phase, component, load and limit.
  if (!(error instanceof CapacityError) && !(error instanceof FeasibilityError)) throw error;
  console.error(error.message);
  process.exit(1);
}
