import type { App } from 'aws-cdk-lib';
import { PhaseStack, PhaseStackProps } from './phase-stack';

/** Phase 3 of the roadmap: 100x today's peak; its own capabilities (sharding, queues, multi-region) come in a later change. */
export class Phase3Stack extends PhaseStack {
  constructor(scope: App, props: PhaseStackProps) {
    super(scope, 'Phase3Stack', 3, props);
  }
}
