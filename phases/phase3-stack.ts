import type { Construct } from 'constructs';
import { PhaseStack, PhaseStackProps } from './phase-stack';

/** Phase 3 of the roadmap: 100x today's peak; its own capabilities (sharding, queues, multi-region) come in a later change. */
export class Phase3Stack extends PhaseStack {
  constructor(scope: Construct, props: PhaseStackProps) {
    super(scope, 'Phase3Stack', 3, props);
  }
}
