import type { Construct } from 'constructs';
import { PhaseStack, PhaseStackProps } from './phase-stack';

/** Phase 1 of the roadmap: 2x today's peak. */
export class Phase1Stack extends PhaseStack {
  constructor(scope: Construct, props: PhaseStackProps) {
    super(scope, 'Phase1Stack', 1, props);
  }
}
