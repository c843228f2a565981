import type { App } from 'aws-cdk-lib';

/**
 * Synthesizes `app`, expecting CDK to fail it on validation, and returns what the report names: `<rule> at <path>`,
 * for the findings of `plugin` (any plugin when omitted). The report shows each finding as its description, the
 * construct path, then "Acknowledge with '<plugin>::<rule>'".
 */
export function validationFailures(app: App, plugin?: string): string[] {
  let message: string | undefined;
  try {
    app.synth();
  } catch (error) {
    message = (error as Error).message;
  }
  if (message === undefined) throw new Error('synthesis succeeded, but a validation failure was expected');
  const pluginPattern = plugin ? plugin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : "[^':]+";
  const finding = new RegExp(`^\\s+(\\S+) \\S+\\n\\s+Acknowledge with '${pluginPattern}::([^']+)'`, 'gm');
  return [...message.matchAll(finding)].map(([, at, rule]) => `${rule} at ${at}`).sort();
}
