import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, CfnOutput, CfnResource, CfnWaitConditionHandle, Stack, Validations } from 'aws-cdk-lib';
import { CLOUDFORMATION_LIMITS, TemplateLimits, templateViolations } from '../../lib/rules';

/** An app with only the TemplateLimits plugin, and one stack `build` fills. */
function appWith(build: (stack: Stack) => void): App {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'limits-')) });
  Validations.of(app).addPlugins(new TemplateLimits());
  build(new Stack(app, 'Big'));
  return app;
}

/** Synthesizes `app`, expecting it to fail, and returns `<rule> at <construct path>` from its validation report. */
function limitFailures(app: App): string[] {
  expect(() => app.synth()).toThrow(/CloudFormationLimits/);
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
  return report.pluginReports
    .filter((r: { pluginName: string }) => r.pluginName === 'CloudFormationLimits')
    .flatMap((r: { violations: any[] }) => r.violations.flatMap((v) => (v.violatingConstructs ?? v.violatingResources).map((x: any) => `${v.ruleName} at ${x.constructPath}`)));
}

const handles = (stack: Stack, n: number) => Array.from({ length: n }, (_, i) => new CfnWaitConditionHandle(stack, `Handle${i}`));

describe('TemplateLimits (CloudFormation: 1 MB, 200 parameters, 200 outputs)', () => {
  test('a template at the limits synthesizes', () => {
    const app = appWith((stack) => {
      const [handle] = handles(stack, 1);
      for (let i = 0; i < CLOUDFORMATION_LIMITS.outputs; i++) new CfnOutput(stack, `Out${i}`, { value: handle.ref });
      new CfnResource(stack, 'Large', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'x'.repeat(CLOUDFORMATION_LIMITS.templateBytes - 30_000) } });
    });
    expect(() => app.synth()).not.toThrow();
  });

  test('a template over 1,000,000 bytes fails synthesis (LIMIT1), naming the biggest resource', () => {
    const app = appWith((stack) => {
      new CfnResource(stack, 'Huge', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'x'.repeat(CLOUDFORMATION_LIMITS.templateBytes) } });
      handles(stack, 2);
    });
    expect(limitFailures(app)).toEqual(['LIMIT1 at Big/Huge']);
  });

  test('201 outputs fail synthesis (LIMIT4)', () => {
    const app = appWith((stack) => {
      const [handle] = handles(stack, 1);
      for (let i = 0; i <= CLOUDFORMATION_LIMITS.outputs; i++) new CfnOutput(stack, `Out${i}`, { value: handle.ref });
    });
    expect(limitFailures(app)).toEqual(['LIMIT4 at Big/Handle0']);
  });

  test('the description gives the number, the limit and what takes the room', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'limits-')), 'Phase3Stack.template.json');
    const alarm = { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmDescription: 'x'.repeat(2000) } };
    fs.writeFileSync(file, JSON.stringify({ Resources: Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`Alarm${i}`, alarm])) }));
    const [violation, ...more] = templateViolations(file);
    expect(more).toEqual([]);
    expect(violation.ruleName).toBe('LIMIT1');
    expect(violation.description).toMatch(/^Phase3Stack\.template\.json: 1,0\d\d,\d{3} bytes, over CloudFormation's limit of 1,000,000: the stack cannot deploy\. Largest: 501 x AWS::CloudWatch::Alarm \(1,0\d\d KB\)\. Move part/);
  });
});
