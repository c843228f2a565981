import { DEFAULT_MODEL, parseCapacity } from '../../lib/capacity';
import { OFF_DEFAULT_MODEL } from '../support/off-default-model';
import { problemsOf } from '../support/capacity-problems';

const CERT = (region: string) => `arn:aws:acm:${region}:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab`;
const DOMAIN = {
  name: 'api.shop.example.com',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  hostedZoneName: 'shop.example.com',
  edgeCertificateArn: CERT('us-east-1'),
  // The embedded model runs in eu-central-1 and, from phase 3, eu-west-1: a load balancer certificate for each.
  regionalCertificateArns: { 'eu-central-1': CERT('eu-central-1'), 'eu-west-1': CERT('eu-west-1') },
};


describe('workload: the user\'s words, neutral by default', () => {
  test('a model that names nothing gets neutral words, not the seeds\' order shop', () => {
    const { workload: _ignored, ...rest } = structuredClone(DEFAULT_MODEL) as any;
    const parsed = parseCapacity(rest);
    expect(parsed.workload).toEqual({
      primaryTable: 'records',
      partitionKey: 'tenant_id',
      criticalWrite: 'the primary write',
      sharedReads: 'shared reference data',
      asyncWriteShare: 0,
      asyncWrites: 'deferred follow-up writes',
      asyncMessageMs: 200,
      asyncLatencySec: 60,
    });
  });

  test('the embedded model keeps the seeds\' words', () => {
    expect(parseCapacity(DEFAULT_MODEL).workload).toMatchObject({ primaryTable: 'orders', partitionKey: 'customer_id', criticalWrite: 'checkout' });
  });

  test('a table name that is not an SQL identifier is refused, naming the field', () => {
    expect(problemsOf({ ...DEFAULT_MODEL, workload: { primaryTable: 'Orders; drop' } })).toEqual([
      expect.stringContaining('workload.primaryTable: must be a lowercase SQL identifier'),
    ]);
  });

  test('the off-default fixture parses', () => {
    expect(() => parseCapacity(OFF_DEFAULT_MODEL)).not.toThrow();
  });
});

describe('domain: optional, every identifier an input', () => {
  test('absent by default', () => {
    expect(parseCapacity(DEFAULT_MODEL).domain).toBeUndefined();
  });

  test('a complete domain parses', () => {
    expect(parseCapacity({ ...DEFAULT_MODEL, domain: DOMAIN }).domain).toEqual(DOMAIN);
  });

  test.each<[string, object, string]>([
    ['a CloudFront certificate outside us-east-1', { edgeCertificateArn: CERT('eu-west-1') }, 'domain.edgeCertificateArn: must be in us-east-1'],
    ['a zone that does not hold the name', { hostedZoneName: 'other.example.org' }, 'domain.hostedZoneName: must be a suffix of name (api.shop.example.com)'],
    ['a regional certificate from another region', { regionalCertificateArns: { 'eu-central-1': CERT('eu-west-1'), 'eu-west-1': CERT('eu-west-1') } }, 'domain.regionalCertificateArns.eu-central-1: must be a certificate in eu-central-1, got one in eu-west-1'],
    ['no certificate for a secondary region', { regionalCertificateArns: { 'eu-central-1': CERT('eu-central-1') } }, 'domain.regionalCertificateArns: must include the secondary region eu-west-1'],
    ['no certificate for the primary region', { regionalCertificateArns: { 'eu-west-1': CERT('eu-west-1') } }, 'domain.regionalCertificateArns: must include the primary region eu-central-1'],
    ['a malformed zone id', { hostedZoneId: 'abc' }, 'domain.hostedZoneId: must be a Route 53 hosted zone id'],
  ])('%s is refused', (_name, change, expected) => {
    expect(problemsOf({ ...DEFAULT_MODEL, domain: { ...DOMAIN, ...change } })).toEqual([expect.stringContaining(expected)]);
  });
});

describe('aws.secondaryRegions: extra priced regions, none by default', () => {
  test('a model that lists none gets none, from phase 3', () => {
    const parsed = parseCapacity({ ...DEFAULT_MODEL, aws: { region: 'eu-central-1' } });
    expect(parsed.aws.secondaryRegions).toEqual([]);
    expect(parsed.aws.secondaryRegionsFromPhase).toBe(3);
  });

  test('the embedded model runs a second region, eu-west-1', () => {
    expect(parseCapacity(DEFAULT_MODEL).aws.secondaryRegions).toEqual(['eu-west-1']);
  });

  test.each<[string, object, string]>([
    ['the primary region', { secondaryRegions: ['eu-central-1'] }, 'aws.secondaryRegions: must not include the primary region eu-central-1'],
    ['a region without prices', { secondaryRegions: ['ap-south-1'] }, 'aws.secondaryRegions.0: must be one of the regions with a price table'],
    ['a region twice', { secondaryRegions: ['eu-west-1', 'eu-west-1'] }, 'aws.secondaryRegions: must not list a region twice'],
    ['phase 4', { secondaryRegions: ['eu-west-1'], secondaryRegionsFromPhase: 4 }, 'aws.secondaryRegionsFromPhase: must be a whole number >= 1 and <= 3'],
  ])('%s is refused, naming the field', (_name, change, expected) => {
    expect(problemsOf({ ...DEFAULT_MODEL, aws: { region: 'eu-central-1', ...change } })).toEqual([expect.stringContaining(expected)]);
  });
});

test('current.cacheCutover: dual-write by default, only the two stages', () => {
  expect(parseCapacity(DEFAULT_MODEL).current.cacheCutover).toBe('dual-write');
  expect(problemsOf({ ...DEFAULT_MODEL, current: { ...DEFAULT_MODEL.current, cacheCutover: 'flip' } })).toEqual([
    expect.stringContaining("current.cacheCutover: must be one of 'dual-write', 'cluster'"),
  ]);
});
