#!/usr/bin/env node
/**
 * The CDK app: the three phase stacks, sized from the capacity model.
 *
 * Model: the embedded default (the seeds' order-management monolith), or your own file with
 * `cdk synth Phase2Stack -c capacity=path/to/model.json`.
 */
import { App } from 'aws-cdk-lib';
import { CapacityError, loadModel, planModel } from '../lib/capacity';
import { addPhaseStacks } from '../phases/app';

const app = new App();
try {
  const model = loadModel(app.node.tryGetContext('capacity'));
  addPhaseStacks(app, model, planModel(model));
  app.synth();
} catch (error) {
  if (!(error instanceof CapacityError)) throw error;
  // Bad input is the user's to fix: say what is wrong, without a stack trace.
  console.error(error.message);
  process.exit(1);
}
