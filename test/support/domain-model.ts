/** The default model with a domain (zone and certificates as inputs): the HTTPS-end-to-end fixture. */
import { CapacityInput, DEFAULT_MODEL } from '../../lib/capacity';

const CERT = (region: string) => `arn:aws:acm:${region}:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab`;

export const DOMAIN_MODEL: CapacityInput = {
  ...DEFAULT_MODEL,
  domain: {
    name: 'api.shop.example.com',
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    hostedZoneName: 'shop.example.com',
    edgeCertificateArn: CERT('us-east-1'),
    // The primary region and every secondary one: each load balancer serves the origin name with its region's certificate.
    regionalCertificateArns: Object.fromEntries([DEFAULT_MODEL.aws.region, ...(DEFAULT_MODEL.aws.secondaryRegions ?? [])].map((r) => [r, CERT(r)])),
  },
};
