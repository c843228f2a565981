// The scalability rule pack: add it to any CDK app with Validations.of(app).addPlugins(new ScalabilityChecks()).
export * from './scalability-checks';
export * from './plan-minimums';
export type { RuleContext, ScalabilityRule } from './rule';
