/**
 * The construct tree a synthesis writes (tree.json in the cloud assembly), for tests that read a cached synthesis
 * (synthesized-phases.ts) instead of construct objects: each construct's id, path and class and, for a
 * CloudFormation resource, its type and logical id as synthesized.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface TreeNode {
  readonly id: string;
  readonly path: string;
  readonly constructInfo?: { readonly fqn: string };
  readonly attributes?: Record<string, any>;
  readonly children?: Record<string, TreeNode>;
}

export const LOGICAL_ID = 'aws:cdk:cloudformation:logicalId';
export const RESOURCE_TYPE = 'aws:cdk:cloudformation:type';

const trees = new Map<string, TreeNode>();

/** The app's root node (its children are the top-level stacks, by construct id = artifact id). */
export function constructTree(directory: string): TreeNode {
  if (!trees.has(directory)) trees.set(directory, JSON.parse(fs.readFileSync(path.join(directory, 'tree.json'), 'utf8')).tree);
  return trees.get(directory)!;
}

/** A node and every node under it. */
export function descendants(node: TreeNode): TreeNode[] {
  return [node, ...Object.values(node.children ?? {}).flatMap(descendants)];
}

/** The ids of a node's children; throws on a node without children, so a cut-down tree cannot pass a check by accident. */
export function childIds(node: TreeNode): string[] {
  if (!node.children) throw new Error(`${node.path || '(app)'} has no children in tree.json`);
  return Object.keys(node.children);
}

/** The logical id of the one resource of `type` under `node`. */
export function onlyResource(node: TreeNode, type: string): string {
  const found = descendants(node).filter((n) => n.attributes?.[RESOURCE_TYPE] === type);
  if (found.length !== 1) throw new Error(`expected one ${type} under ${node.path}, found ${found.length}`);
  return found[0].attributes![LOGICAL_ID];
}

/** The node at `constructPath` under `root`, or its default child (`Resource` or `Default`) when it is an L2. */
export function elementAt(root: TreeNode, constructPath: string): TreeNode {
  const node = constructPath.split('/').reduce((n, id) => {
    const child = n.children?.[id];
    if (!child) throw new Error(`no construct ${id} under ${n.path}`);
    return child;
  }, root);
  if (node.attributes?.[LOGICAL_ID]) return node;
  const child = node.children?.Resource ?? node.children?.Default;
  if (!child) throw new Error(`${node.path} has no CloudFormation resource`);
  return child;
}

/** The logical id of the resource at `constructPath` under `root` (as `logicalId(construct)` gives it on the objects). */
export function logicalIdAt(root: TreeNode, constructPath: string): string {
  return elementAt(root, constructPath).attributes![LOGICAL_ID];
}

/** A phase stack's shards (`PhaseStack.shards`) in the order it made them: its children that hold an Aurora cluster. */
export function shardNodes(stackNode: TreeNode): TreeNode[] {
  return Object.values(stackNode.children ?? {}).filter((c) => descendants(c).some((n) => n.attributes?.[RESOURCE_TYPE] === 'AWS::RDS::DBCluster'));
}
