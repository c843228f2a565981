import { CfnResource, DefaultTokenResolver, IPostProcessor, IResolvable, IResolveContext, Reference, Stack, StringConcat, Tokenization } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Token resolution and resource relations for the scalability rules.
 *
 * cdk-nag's own rules look at one resource at a time. Scaling mistakes are often relations (a service and its scalable
 * target, a behaviour and its cache policy, a function and the database it reaches), so these helpers resolve a
 * property to CloudFormation and follow its `Ref`/`Fn::GetAtt` to the L1 resources of the same stack.
 */

/** `value` resolved in the stack of `node` (Lazy values produced, tokens rendered as CloudFormation intrinsics). */
export function resolve(node: CfnResource, value: unknown): any {
  return Stack.of(node).resolve(value);
}

/** A number when `value` resolves to one (or to a numeric string), otherwise undefined (absent or an intrinsic). */
export function resolveNumber(node: CfnResource, value: unknown): number | undefined {
  const resolved = resolve(node, value);
  if (typeof resolved === 'number') return resolved;
  if (typeof resolved === 'string' && resolved.trim() !== '' && Number.isFinite(Number(resolved))) return Number(resolved);
  return undefined;
}

/** true/false when `value` resolves to a boolean (or 'true'/'false'), otherwise undefined. */
export function resolveBoolean(node: CfnResource, value: unknown): boolean | undefined {
  const resolved = resolve(node, value);
  if (typeof resolved === 'boolean') return resolved;
  if (resolved === 'true' || resolved === 'false') return resolved === 'true';
  return undefined;
}

/** A string when `value` resolves to a plain string, otherwise undefined. */
export function resolveString(node: CfnResource, value: unknown): string | undefined {
  const resolved = resolve(node, value);
  return typeof resolved === 'string' ? resolved : undefined;
}

/** Logical ids named by every `Ref` and `Fn::GetAtt` inside an already resolved value. */
export function referencedIds(resolved: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(resolved)) {
    for (const item of resolved) referencedIds(item, into);
  } else if (resolved !== null && typeof resolved === 'object') {
    for (const [key, inner] of Object.entries(resolved)) {
      if (key === 'Ref' && typeof inner === 'string') into.add(inner);
      else if (key === 'Fn::GetAtt' && Array.isArray(inner) && typeof inner[0] === 'string') into.add(inner[0]);
      else if (key === 'Fn::GetAtt' && typeof inner === 'string') into.add(inner.split('.')[0]);
      else referencedIds(inner, into);
    }
  }
  return into;
}

/** The logical id of `resource` in its stack. */
export function logicalIdOf(resource: CfnResource): string {
  return Stack.of(resource).resolve(resource.logicalId);
}

/** Every L1 resource of the stack holding `node` (not of nested or other stacks). */
export function stackResources(node: IConstruct): CfnResource[] {
  const stack = Stack.of(node);
  return stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === stack);
}

/** The L1 resources of `type` in the stack of `node`. */
export function resourcesOfType(node: IConstruct, type: string): CfnResource[] {
  return stackResources(node).filter((r) => r.cfnResourceType === type);
}

/** The resources of the stack of `node` that `value` references (`Ref`/`Fn::GetAtt` after resolution). */
export function referencedResources(node: CfnResource, value: unknown): CfnResource[] {
  const ids = referencedIds(resolve(node, value));
  if (ids.size === 0) return [];
  return stackResources(node).filter((r) => ids.has(logicalIdOf(r)));
}

/** Whether `value`, resolved in the stack of `node`, references `target` (a resource of the same stack). */
export function references(node: CfnResource, value: unknown, target: CfnResource): boolean {
  return referencedIds(resolve(node, value)).has(logicalIdOf(target));
}

/** A token resolver that records the target of every reference it meets instead of rendering it. */
class ReferenceCollector extends DefaultTokenResolver {
  public readonly targets: CfnResource[] = [];

  constructor() {
    super(new StringConcat());
  }

  public resolveToken(token: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): any {
    if (token instanceof Reference) {
      if (CfnResource.isCfnResource(token.target)) this.targets.push(token.target);
      return '';
    }
    return super.resolveToken(token, context, postProcessor);
  }
}

/**
 * The resources the tokens in `value` reference, in any stack of the app. Resolution in the consumer's stack turns a
 * cross-stack reference into `Fn::ImportValue`/`Fn::GetStackOutput`, which no longer names its resource (a web ACL
 * in a us-east-1 stack, say), so this resolves with a resolver that keeps the reference's target instead.
 */
export function tokenTargets(node: CfnResource, value: unknown): CfnResource[] {
  const collector = new ReferenceCollector();
  Tokenization.resolve(value, { scope: node, resolver: collector });
  return collector.targets;
}
