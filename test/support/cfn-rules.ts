/**
 * What CloudFormation does with a template's `Parameters` and `Rules` before it touches a resource, offline:
 * resolve each `AWS::SSM::Parameter::Value<String>` parameter from a given parameter store (a missing one refuses the
 * whole operation, as CloudFormation does), then evaluate every rule's assertions.
 */

/** The outcome of validating a template against a parameter store. */
export type RuleVerdict = { readonly accepted: true } | { readonly accepted: false; readonly reasons: string[] };

type Expr = unknown;

/** Validates `template` as CloudFormation would at CreateChangeSet, with `store` as the region's SSM parameters. */
export function validateRules(template: Record<string, any>, store: Readonly<Record<string, string>>): RuleVerdict {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [key, param] of Object.entries<any>(template.Parameters ?? {})) {
    if (param.Type === 'AWS::SSM::Parameter::Value<String>') {
      if (param.Default in store) values[key] = store[param.Default];
      else missing.push(param.Default);
    } else if (param.Type === 'String') {
      values[key] = param.Default;
      if (param.AllowedValues && !param.AllowedValues.includes(param.Default)) {
        return { accepted: false, reasons: [`Parameter '${key}' must be one of AllowedValues`] };
      }
    } else {
      throw new Error(`validateRules: parameter type ${param.Type} (${key}) is not modelled`);
    }
  }
  if (missing.length) return { accepted: false, reasons: [`Unable to fetch parameters [${missing.join(',')}] from parameter store`] };
  const reasons: string[] = [];
  for (const rule of Object.values<any>(template.Rules ?? {})) {
    if (rule.RuleCondition !== undefined && !truthy(evaluate(rule.RuleCondition, values))) continue;
    for (const assertion of rule.Assertions ?? []) {
      if (!truthy(evaluate(assertion.Assert, values))) reasons.push(assertion.AssertDescription);
    }
  }
  return reasons.length ? { accepted: false, reasons } : { accepted: true };
}

function truthy(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new Error(`validateRules: a condition evaluated to ${JSON.stringify(value)}, not a boolean`);
  return value;
}

function evaluate(expr: Expr, values: Record<string, string>): unknown {
  if (typeof expr === 'string') return expr;
  if (Array.isArray(expr)) return expr.map((e) => evaluate(e, values));
  const [fn, args] = Object.entries(expr as Record<string, any>)[0];
  switch (fn) {
    case 'Ref':
      if (!(args in values)) throw new Error(`validateRules: Ref to unknown parameter ${args}`);
      return values[args];
    case 'Fn::Equals': {
      const [a, b] = evaluate(args, values) as string[];
      return a === b;
    }
    case 'Fn::Contains': {
      const [list, item] = evaluate(args, values) as [string[], string];
      return list.includes(item);
    }
    case 'Fn::Not':
      return !truthy(evaluate(args[0], values));
    case 'Fn::And':
      return (args as Expr[]).every((a) => truthy(evaluate(a, values)));
    case 'Fn::Or':
      return (args as Expr[]).some((a) => truthy(evaluate(a, values)));
    default:
      throw new Error(`validateRules: ${fn} is not modelled`);
  }
}
