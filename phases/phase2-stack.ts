import type { Construct } from 'constructs';
import { PhaseStack, PhaseStackProps } from './phase-stack';

/** Phase 2 of the roadmap: 10x today's peak. */
export class Phase2Stack extends PhaseStack {
  constructor(scope: Construct, props: PhaseStackProps) {
    super(scope, 'Phase2Stack', 2, props);
  }
}
