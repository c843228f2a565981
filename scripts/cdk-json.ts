/**
 * cdk.json, for code that builds the App itself (scripts, tests): it must use the context `cdk synth` would,
 * or its templates differ from the CLI's.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The directory holding cdk.json, whether this runs compiled (dist/scripts) or from source (tests). */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'cdk.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cdk.json not found above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** cdk.json's "context": the feature flags and settings the CDK CLI hands the app. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(repoRoot(), 'cdk.json'), 'utf8')).context;
}

/** Set by `npm run synth`, which prints the "Model:" line itself: bin/app.ts then stays quiet, so the user sees it once. */
export const MODEL_ANNOUNCED_ENV = 'SCALING_ROADMAP_MODEL_ANNOUNCED';

/** The context key that names the model (`-c capacity=path/to/model.json`). */
export const MODEL_CONTEXT_KEY = 'capacity';

/**
 * Context keys the CDK sets itself: `aws:cdk:*` (the CLI's settings), feature flags (`@aws-cdk/*`,
 * `@aws-cdk-containers/*`), context-provider caches in cdk.context.json (`availability-zones:account=...`) and the
 * notices the CLI records there.
 */
const CDK_OWN_KEY = /^(aws:cdk:|@aws-cdk\/|@aws-cdk-containers\/|[\w-]+:account=)|^acknowledged-issue-numbers$/;

/**
 * The context keys the app does not know, each with the error to print: a misspelt `-c model=x.json` must stop the
 * command, not synthesize the default model. Known: `capacity`, the keys cdk.json sets, and the CDK's own.
 */
export function unknownContextKeys(keys: Iterable<string>, cdkJsonKeys: readonly string[] = Object.keys(cdkJsonContext())): string[] {
  const known = new Set([MODEL_CONTEXT_KEY, ...cdkJsonKeys]);
  return [...keys]
    .filter((key) => !known.has(key) && !CDK_OWN_KEY.test(key))
    .map((key) => `unknown context key '${key}': the model is named with -c ${MODEL_CONTEXT_KEY}=path/to/model.json (the app reads no other context key)`);
}
