import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_MODEL } from '../../lib/capacity';
import { cfnLint } from '../support/cfn-lint';
import { DOMAIN_MODEL } from '../support/domain-model';
import { OFF_DEFAULT_MODEL } from '../support/off-default-model';
import { synthPhases } from '../support/phase-app';
import { NOTHING_TO_CACHE } from '../support/regional-model';

/**
 * AWS's CloudFormation linter over every synthesized template, errors, warnings and informational checks, for four
 * models: the embedded one (CloudFront in every phase), one that goes REGIONAL (a web ACL on an internet-facing ALB,
 * no edge stack), the off-default one (every planned value away from the construct defaults; 38 cache shards in
 * phase 3), and one with a domain (certificates, Route 53 aliases and latency records in both regions).
 */
const templatesOf = (directory: string) =>
  fs.readdirSync(directory).filter((file) => file.endsWith('.template.json')).map((file) => path.join(directory, file));

describe('cfn-lint', () => {
  const directories = {
    embedded: synthPhases(DEFAULT_MODEL).assembly.directory,
    regional: synthPhases(NOTHING_TO_CACHE).assembly.directory,
    offDefault: synthPhases(OFF_DEFAULT_MODEL).assembly.directory,
    domain: synthPhases(DOMAIN_MODEL).assembly.directory,
  };

  test('every phase and edge template is synthesized, and the regional model has no edge stack', () => {
    const names = (dir: string) => templatesOf(dir).map((t) => path.basename(t)).sort();
    expect(names(directories.embedded)).toEqual([
      'Phase1Edge.template.json', 'Phase1Stack.template.json',
      'Phase2Edge.template.json', 'Phase2Stack.template.json',
      'Phase3Edge.template.json', 'Phase3SecondaryEuWest1.template.json', 'Phase3Stack.template.json',
    ]);
    expect(names(directories.regional)).toEqual(['Phase1Stack.template.json', 'Phase2Stack.template.json', 'Phase3SecondaryEuWest1.template.json', 'Phase3Stack.template.json']);
  });

  test('no errors, warnings or informational findings in any template of the four models (one run: cfn-lint takes seconds to start)', () => {
    const { status, output } = cfnLint(Object.values(directories).flatMap(templatesOf));
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  test('the linter is live: a broken template fails it', () => {
    const broken = path.join(directories.embedded, 'broken.json');
    fs.writeFileSync(broken, JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { NoSuchProperty: 1 } } } }));
    const { status, output } = cfnLint([broken], { strict: false });
    expect(status).not.toBe(0);
    expect(output).toMatch(/E3002/);
  });
});
