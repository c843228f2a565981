/**
 * CloudFormation's own limits on one template, checked when the app synthesizes, so a template that cannot deploy
 * fails `cdk synth` with the reason instead of `cdk deploy` halfway through a pipeline. Add it to any CDK app:
 * `Validations.of(app).addPlugins(new TemplateLimits())` (the phases app registers it with the other packs).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { formatNumber } from '../capacity/format-number';

/**
 * The limits, from CloudFormation's quotas page: a template the CLI uploads to S3 (every CDK template over 50 KB) may
 * be 1 MB, which cfn-lint (E1002) and this check count as 1,000,000 bytes of the file as synthesized; at most 200
 * parameters and 200 outputs. (The third, 500 resources, CDK itself checks when it synthesizes a stack.)
 */
export const CLOUDFORMATION_LIMITS = { templateBytes: 1_000_000, parameters: 200, outputs: 200 } as const;

type CfnTemplate = { Resources?: Record<string, { Type: string }>; Parameters?: object; Outputs?: object };

export class TemplateLimits implements IPolicyValidationPlugin {
  public readonly name = 'CloudFormationLimits';
  public readonly version = '1.0.0';
  public readonly ruleIds = ['LIMIT1', 'LIMIT3', 'LIMIT4'];

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const violations = context.templatePaths.flatMap((templatePath) => templateViolations(templatePath));
    return { success: violations.length === 0, violations };
  }
}

/** The limits one template breaks, each naming the stack, its number, the limit and what takes the most room. */
export function templateViolations(templatePath: string): PolicyViolation[] {
  const text = fs.readFileSync(templatePath, 'utf8');
  const template = JSON.parse(text) as CfnTemplate;
  const resources = Object.entries(template.Resources ?? {});
  const file = path.basename(templatePath);
  // Each resource's size once: the types that take the most room tell the report where to cut, and the biggest
  // resource is where the violation points.
  const sizes = resources.map(([id, resource]) => ({ id, type: resource.Type, bytes: JSON.stringify(resource, undefined, 1).length }));
  const byType = new Map<string, { count: number; bytes: number }>();
  for (const { type, bytes } of sizes) {
    const entry = byType.get(type) ?? { count: 0, bytes: 0 };
    byType.set(type, { count: entry.count + 1, bytes: entry.bytes + bytes });
  }
  const largest = [...byType].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 3)
    .map(([type, { count, bytes }]) => `${count} x ${type} (${formatNumber(bytes / 1000)} KB)`).join(', ');
  const biggestId = sizes.reduce((best, r) => (r.bytes > best.bytes ? r : best), { id: '', bytes: -1 }).id;
  const at = (locations: string[]) => [{ resourceLogicalId: biggestId, templatePath, locations }];

  const violations: PolicyViolation[] = [];
  const bytes = Buffer.byteLength(text, 'utf8');
  const check = (ruleName: string, what: string, actual: number, limit: number, location: string) => {
    if (actual <= limit) return;
    violations.push({
      ruleName,
      severity: 'error',
      description: `${file}: ${formatNumber(actual)} ${what}, over CloudFormation's limit of ${formatNumber(limit)}: the stack cannot deploy. ` +
        `Largest: ${largest}. Move part of it into another stack, or show large groups of alarms as alarm-status lines rather than graphs.`,
      violatingResources: at([location]),
    });
  };
  check('LIMIT1', 'bytes', bytes, CLOUDFORMATION_LIMITS.templateBytes, 'Resources');
  check('LIMIT3', 'parameters', Object.keys(template.Parameters ?? {}).length, CLOUDFORMATION_LIMITS.parameters, 'Parameters');
  check('LIMIT4', 'outputs', Object.keys(template.Outputs ?? {}).length, CLOUDFORMATION_LIMITS.outputs, 'Outputs');
  return violations;
}
