import type { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { ScalabilityChecks, ScalabilityChecksProps } from '../../lib/rules';
import { testStack } from '../support/test-stack';

/** Unacknowledged Scalability findings under `scope`, one line each: `<severity> <rule> at <path relative to the stack>`. */
export function findings(scope: IConstruct, props?: ScalabilityChecksProps): string[] {
  const report = new ScalabilityChecks(undefined, props).validateScope(scope);
  const root = scope.node.path;
  const relative = (path = '') => (root && path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${relative(r.constructPath)}`)).sort();
}

/** The rule ids (without the `Scalability-` prefix) reported under `scope`. */
export function ruleIds(scope: IConstruct, props?: ScalabilityChecksProps): string[] {
  return [...new Set(findings(scope, props).map((f) => f.split(' ')[1].replace(/^Scalability-/, '')))].sort();
}

/** A fresh stack, pinned like every test stack (account, region, AZs). */
export function stack(): Stack {
  return testStack();
}
