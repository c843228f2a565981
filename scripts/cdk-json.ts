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
