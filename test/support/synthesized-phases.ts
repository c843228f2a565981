/**
 * The phases of a model, synthesized once per `npm test` run and shared by every suite that only reads templates.
 *
 * Synthesizing the default model's app (every phase, the cdk-nag packs) costs ~3 s in a fresh jest module registry,
 * and a dozen suites read the same templates. The first suite to ask for a model synthesizes it with `synthPhases`
 * and writes the cloud assembly to the run's cache directory (test/support/jest-global-setup.js makes it, and
 * removes it at the end); later suites, in either worker, read the JSON. Suites that change the app (cdk-nag's
 * negative tests, the rule pack) or need construct objects keep calling `synthPhases`.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { CapacityInput, DEFAULT_MODEL, parseCapacity, PhasePlan, planModel } from '../../lib/capacity';
import { synthPhases } from './phase-app';

export const CACHE_DIRECTORY_ENV = 'SCALING_ROADMAP_TEST_SYNTH_CACHE';

/** One synthesized stack as a test reads it: where it deploys, its template and its synthesis messages. */
export interface SynthesizedStack {
  readonly artifactId: string;
  readonly stackName: string;
  readonly region: string;
  readonly templateFile: string;
  readonly template: Record<string, any>;
  /** Annotations (errors, warnings, info) attached to constructs of this stack at synthesis. */
  readonly messages: ReadonlyArray<{ readonly level: string; readonly id: string; readonly data: string }>;
}

/** One phase: its plan (recomputed here, it is pure) and its stacks, as in `PhaseStacks`. */
export interface SynthesizedPhase {
  readonly plan: PhasePlan;
  readonly stack: SynthesizedStack;
  readonly edge?: SynthesizedStack;
  readonly secondaries: SynthesizedStack[];
}

export interface SynthesizedApp {
  /** The cloud assembly directory (validation-report.json, manifest.json, the templates). */
  readonly directory: string;
  /** The cloud assembly as the CLI reads it (manifest: environments, dependencies, metadata). */
  readonly assembly: CloudAssembly;
  readonly phases: SynthesizedPhase[];
}

interface PhaseIds {
  readonly stack: string;
  readonly edge?: string;
  readonly secondaries: string[];
}

/** The phases of `input`, from the run's cache when a suite has synthesized them already. */
export function synthesizedPhases(input: CapacityInput = DEFAULT_MODEL): SynthesizedApp {
  const cacheRoot = process.env[CACHE_DIRECTORY_ENV];
  const entry = cacheRoot && path.join(cacheRoot, crypto.createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 16));
  if (!entry || !fs.existsSync(entry)) {
    const { assembly, phases } = synthPhases(input);
    const ids: PhaseIds[] = phases.map(({ stack, edge, secondaries }) => ({ stack: stack.artifactId, edge: edge?.artifactId, secondaries: secondaries.map((s) => s.artifactId) }));
    fs.writeFileSync(path.join(assembly.directory, 'phase-ids.json'), JSON.stringify(ids));
    if (!entry) return read(assembly.directory, input);
    // The finished assembly is renamed into place (TMPDIR and the cache share the run's directory, so no copy): a
    // suite in the other worker sees a complete entry or none, and then synthesizes it too. If that worker's entry
    // landed first, this one is the same and stays where it was synthesized.
    try {
      fs.renameSync(assembly.directory, entry);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EXDEV') {
        // Another file system: copy, then rename the copy.
        const partial = `${entry}.${process.pid}`;
        fs.cpSync(assembly.directory, partial, { recursive: true });
        if (!fs.existsSync(entry)) fs.renameSync(partial, entry);
      }
      if (!fs.existsSync(entry)) throw error;
    }
  }
  return read(entry, input);
}

/**
 * What this module registry has read, by directory: the test files of one directory share a registry
 * (suite-of-files.ts), and a dozen of them read the same model. Callers treat the result as read-only.
 */
const readApps = new Map<string, SynthesizedApp>();

function read(directory: string, input: CapacityInput): SynthesizedApp {
  const cached = readApps.get(directory);
  if (cached) return cached;
  const app = readFrom(directory, input);
  readApps.set(directory, app);
  return app;
}

function readFrom(directory: string, input: CapacityInput): SynthesizedApp {
  const assembly = new CloudAssembly(directory);
  const ids = JSON.parse(fs.readFileSync(path.join(directory, 'phase-ids.json'), 'utf8')) as PhaseIds[];
  const plans = planModel(parseCapacity(input));
  const stackOf = (artifactId: string): SynthesizedStack => {
    const artifact = assembly.getStackArtifact(artifactId);
    return {
      artifactId,
      stackName: artifact.stackName,
      region: artifact.environment.region,
      templateFile: artifact.templateFullPath,
      template: artifact.template,
      messages: artifact.messages.map((m) => ({ level: m.level, id: m.id, data: String(m.entry.data) })),
    };
  };
  return {
    directory,
    assembly,
    phases: ids.map((phase, i) => ({
      plan: plans[i],
      stack: stackOf(phase.stack),
      edge: phase.edge ? stackOf(phase.edge) : undefined,
      secondaries: phase.secondaries.map(stackOf),
    })),
  };
}

/** The assertions API over a synthesized stack's template. */
export function templateOf(stack: SynthesizedStack): Template {
  return Template.fromJSON(stack.template);
}
