/**
 * The deploy guard lives in each template's Rules, so no `cdk deploy` selection can bypass it. These tests run what
 * CloudFormation does with those rules (test/support/cfn-rules.ts) against every live state, and what the CLI does
 * with a selection (deploy the selected stacks one after another, dependencies first), for every model target.
 */
import { App, Stack } from 'aws-cdk-lib';
import { DEFAULT_MODEL, PhaseNumber, parseCapacity } from '../../lib/capacity';
import { edgeStackName } from '../../phases/edge-stack';
import { allowedLivePhases, DEPLOY_GUARD_IDS, DeployGuard, livePhaseParameterName, targetPhase, targetReason } from '../../phases/deploy-guard';
import { RuleVerdict, validateRules } from '../support/cfn-rules';
import { OFF_DEFAULT_MODEL } from '../support/off-default-model';
import { synthesizedPhases } from '../support/synthesized-phases';

const PHASES: PhaseNumber[] = [1, 2, 3];
const BOOTSTRAP = { '/cdk-bootstrap/hnb659fds/version': '30' };
type Live = PhaseNumber | 'absent';

const { phases } = synthesizedPhases(DEFAULT_MODEL);
const model = parseCapacity(DEFAULT_MODEL);
const regionalName = model.service.name;
const edgeName = edgeStackName(model);
const real = phases.map(({ plan, stack, edge }) => ({
  phase: plan.phase,
  regional: stack.template,
  edge: edge!.template,
}));

/** The parameter store of a region where the stack `stackName` runs `live`. */
function storeWith(stackName: string, live: Live): Record<string, string> {
  return live === 'absent' ? { ...BOOTSTRAP } : { ...BOOTSTRAP, [livePhaseParameterName(stackName)]: String(live) };
}

/** The guard of phase `phase` under a model whose deployedPhase is `deployed`, alone in a template (fast to build). */
function guardTemplate(phase: PhaseNumber, deployed: 0 | 1 | 2 | 3, stackName = regionalName): Record<string, any> {
  const guarded = parseCapacity({ ...DEFAULT_MODEL, current: { ...DEFAULT_MODEL.current, deployedPhase: deployed } });
  const app = new App();
  const stack = new Stack(app, `Phase${phase}Stack`, { stackName });
  new DeployGuard(stack, 'DeployGuard', { phase, targetPhase: targetPhase(guarded), targetReason: targetReason(guarded) });
  return app.synth().getStackByName(stackName).template;
}

function verdict(template: Record<string, any>, stackName: string, live: Live): RuleVerdict {
  return validateRules(template, storeWith(stackName, live));
}

describe('the rules in the synthesized templates (default model: deployedPhase 0, so Phase 1 is the one to deploy)', () => {
  test.each(real)('Phase $phase: the regional and the edge stack each record their phase in their own SSM parameter', ({ phase, regional, edge }) => {
    for (const [template, name] of [[regional, regionalName], [edge, edgeName]] as const) {
      expect(template.Resources[DEPLOY_GUARD_IDS.record]).toMatchObject({
        Type: 'AWS::SSM::Parameter',
        Properties: { Name: `/scaling-roadmap/${name}/live-phase`, Type: 'String', Value: String(phase), AllowedPattern: '^[123]$' },
      });
    }
  });

  test('phase 1 reads no live phase (its first deployment has none); phases 2 and 3 read it from the parameter they write', () => {
    expect(real[0].regional.Parameters[DEPLOY_GUARD_IDS.livePhase]).toBeUndefined();
    expect(real[0].regional.Rules[DEPLOY_GUARD_IDS.liveRule]).toBeUndefined();
    for (const { regional, edge } of real.slice(1)) {
      expect(regional.Parameters[DEPLOY_GUARD_IDS.livePhase]).toMatchObject({ Type: 'AWS::SSM::Parameter::Value<String>', Default: livePhaseParameterName(regionalName) });
      expect(edge.Parameters[DEPLOY_GUARD_IDS.livePhase]).toMatchObject({ Type: 'AWS::SSM::Parameter::Value<String>', Default: livePhaseParameterName(edgeName) });
    }
  });

  test('allowed predecessors: the phase before, the phase itself and the phase after (never two steps)', () => {
    expect(PHASES.map(allowedLivePhases)).toEqual([[1, 2], [1, 2, 3], [2, 3]]);
    for (const { phase, regional } of real.slice(1)) {
      expect(regional.Rules[DEPLOY_GUARD_IDS.liveRule].Assertions[0].Assert).toEqual({
        'Fn::Contains': [allowedLivePhases(phase).map(String), { Ref: DEPLOY_GUARD_IDS.livePhase }],
      });
    }
  });

  // Hand-written: what CloudFormation answers for each phase on each live state, with this model.
  test.each<[PhaseNumber, Live, boolean, RegExp | undefined]>([
    // Every row has all four cells: jest takes a missing last cell's parameter for a done callback.
    [1, 'absent', true, undefined],
    [1, 1, true, undefined],
    [2, 'absent', false, /Unable to fetch parameters \[\/scaling-roadmap\/order-management(-edge)?\/live-phase\]/],
    [2, 1, false, /the model deploys Phase 1, not Phase 2/],
    [3, 2, false, /the model deploys Phase 1, not Phase 3/],
  ])('Phase %s over live %s: accepted %s', (phase, live, accepted, reason) => {
    for (const [template, name] of [[real[phase - 1].regional, regionalName], [real[phase - 1].edge, edgeName]] as const) {
      const result = verdict(template, name, live);
      expect(result.accepted).toBe(accepted);
      if (!result.accepted) expect(result.reasons.join('\n')).toMatch(reason!);
    }
  });

  test('the off-default model gets the same guard (it names its own stacks)', () => {
    const off = synthesizedPhases(OFF_DEFAULT_MODEL);
    const offModel = parseCapacity(OFF_DEFAULT_MODEL);
    const template = off.phases[1].stack.template;
    expect(template.Parameters[DEPLOY_GUARD_IDS.livePhase].Default).toBe(livePhaseParameterName(offModel.service.name));
    expect(template.Resources[DEPLOY_GUARD_IDS.record].Properties.Value).toBe('2');
  });

  test('the guard-only templates the simulation below uses carry exactly the real templates\' rules and parameters', () => {
    for (const { phase, regional } of real) {
      const alone = guardTemplate(phase, 0);
      expect(alone.Rules).toEqual(regional.Rules);
      expect(alone.Parameters).toEqual(regional.Parameters);
    }
  });
});

describe('a model target per deployedPhase', () => {
  test.each<[0 | 1 | 2 | 3, PhaseNumber, Live, boolean, RegExp | undefined]>([
    [2, 2, 1, true, undefined], // the promotion
    [2, 2, 2, true, undefined], // a re-deploy
    [2, 2, 3, true, undefined], // a deliberate one-step rollback: the model moved back to 2
    [2, 1, 1, false, /current.deployedPhase is 2: the model deploys Phase 2, not Phase 1/],
    [3, 3, 1, false, /Phase 3 may replace only Phase 2, 3/], // skipping phase 2
    [3, 3, 'absent', false, /Unable to fetch parameters/], // phase 3 as the first deployment
    [1, 2, 1, false, /the model deploys Phase 1, not Phase 2/],
  ])('deployedPhase %s: Phase %s over live %s accepted %s', (deployed, phase, live, accepted, reason) => {
    const result = verdict(guardTemplate(phase, deployed), regionalName, live);
    expect(result.accepted).toBe(accepted);
    if (!result.accepted) expect(result.reasons.join('\n')).toMatch(reason!);
  });

  test('the checker can fail: a template with a false assertion is refused, an unmodelled function throws', () => {
    const rule = (assert: unknown) => ({ Rules: { R: { Assertions: [{ Assert: assert, AssertDescription: 'no' }] } } });
    expect(validateRules(rule({ 'Fn::Equals': ['1', '2'] }), {})).toEqual({ accepted: false, reasons: ['no'] });
    expect(validateRules(rule({ 'Fn::Equals': ['1', '1'] }), {})).toEqual({ accepted: true });
    expect(() => validateRules(rule({ 'Fn::EachMemberIn': [[], []] }), {})).toThrow(/not modelled/);
  });
});

/**
 * `cdk deploy <selection>` deploys the selected phases one stack at a time (each phase's edge first, its dependency),
 * and stops at the first stack CloudFormation refuses. Whatever the selection and its order, whatever the live phase:
 * at most one phase reaches the live stacks, it is the model's target, and it replaces only a neighbour.
 */
describe('every selection, in every order, against every live state', () => {
  const subsets = [1, 2, 3, 4, 5, 6, 7].map((bits) => PHASES.filter((p) => bits & (1 << (p - 1))));
  const orders = (xs: PhaseNumber[]): PhaseNumber[][] =>
    xs.length <= 1 ? [xs] : xs.flatMap((x) => orders(xs.filter((y) => y !== x)).map((rest) => [x, ...rest]));
  const templates = new Map<string, Record<string, any>>();
  const guardOf = (phase: PhaseNumber, deployed: 0 | 1 | 2 | 3, name: string) => {
    const key = `${phase}/${deployed}/${name}`;
    if (!templates.has(key)) templates.set(key, guardTemplate(phase, deployed, name));
    return templates.get(key)!;
  };

  test.each([0, 1, 2, 3] as const)('deployedPhase %s', (deployed) => {
    const target = Math.max(1, deployed);
    let commands = 0;
    for (const start of ['absent', 1, 2, 3] as Live[]) {
      for (const selection of subsets) {
        for (const order of orders(selection)) {
          const live: Record<string, Live> = { [regionalName]: start, [edgeName]: start };
          const deployedPhases = new Set<PhaseNumber>();
          run: for (const phase of order) {
            for (const name of [edgeName, regionalName]) {
              const before = live[name];
              if (!verdict(guardOf(phase, deployed, name), name, before).accepted) break run;
              expect(phase).toBe(target);
              if (phase !== 1) expect(allowedLivePhases(phase)).toContain(before);
              live[name] = phase;
              deployedPhases.add(phase);
            }
          }
          expect(deployedPhases.size).toBeLessThanOrEqual(1);
          commands++;
        }
      }
    }
    expect(commands).toBe(4 * 15);
  });
});
