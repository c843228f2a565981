// The scalability rule pack: add it to any CDK app with Validations.of(app).addPlugins(new ScalabilityChecks()).
export * from './scalability-checks';
export * from './plan-minimums';
// CloudFormation's own template limits (size, resources, parameters, outputs): Validations.of(app).addPlugins(new TemplateLimits()).
export * from './template-limits';
export type { RuleContext, ScalabilityRule } from './rule';
