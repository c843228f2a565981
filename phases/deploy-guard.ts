import { Annotations, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Capacity } from '../lib/capacity';

/** The id of the guard stack; the CLI shows it in its error. */
export const DEPLOY_GUARD_ID = 'SelectOnePhase';

/**
 * Makes `cdk deploy --all` (and a bare `cdk synth`/`cdk diff` over every stack) stop before it touches anything.
 *
 * All phase stacks deploy as the same CloudFormation stack, so deploying all of them would walk the live
 * service through Phase 1, 2 and 3 in a row. The CLI validates every selected stack before deploying any,
 * and refuses to go on when one carries an error annotation. This stack carries one and is selected only
 * when every stack is: `cdk deploy Phase2Stack` never selects it (it is nobody's dependency).
 */
export class DeployGuardStack extends Stack {
  constructor(scope: Construct, model: Capacity) {
    super(scope, DEPLOY_GUARD_ID, {
      env: { account: model.aws.account, region: model.aws.region },
      stackName: `${model.service.name}-select-one-phase`,
      description: 'Never deployed: stops commands that select every phase at once',
    });
    // A template needs one resource to be valid; this one does nothing and is never deployed.
    new CfnWaitConditionHandle(this, 'NeverDeployed');
    Annotations.of(this).addError(
      `All phases are selected, but they are successive versions of one stack ('${model.service.name}'): ` +
        'deploying them all would walk the live service through Phase 1, 2 and 3 in a row. ' +
        'Select one phase, e.g. `cdk deploy Phase2Stack` or `cdk diff Phase2Stack`.',
    );
  }
}
