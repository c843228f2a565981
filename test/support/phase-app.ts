import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { CapacityInput, DEFAULT_MODEL, parseCapacity, planModel } from '../../lib/capacity';
import { addPhaseStacks, PhaseStacks } from '../../phases/app';
import { cdkJsonContext } from './test-stack';

/** The phases of a model, synthesized the way `cdk synth` does it (cdk.json context, version reporting on). */
export interface SynthesizedPhases {
  readonly app: App;
  readonly assembly: CloudAssembly;
  readonly phases: PhaseStacks[];
}

/** Builds and synthesizes every phase stack of `input` into a fresh temporary directory. */
export function synthPhases(input: CapacityInput = DEFAULT_MODEL): SynthesizedPhases {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'phases-'));
  const app = new App({ context: cdkJsonContext(), outdir, analyticsReporting: true });
  const model = parseCapacity(input);
  const phases = addPhaseStacks(app, model, planModel(model));
  return { app, assembly: app.synth(), phases };
}

/** A template as a reviewer reads it, without CDK's version-reporting resource (it changes with every release). */
export function reviewableTemplate(template: Record<string, any>): Record<string, any> {
  const { CDKMetadata: _metadata, ...resources } = template.Resources ?? {};
  const { CDKMetadataAvailable: _available, ...conditions } = template.Conditions ?? {};
  const copy: Record<string, any> = { ...template, Resources: resources };
  if (Object.keys(conditions).length) copy.Conditions = conditions;
  else delete copy.Conditions;
  return copy;
}
