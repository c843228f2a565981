import { Stack, Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Cdn, CdnProps } from '../../lib/constructs/cdn';
import { resolveMetric } from '../support/metric-helpers';
import { testStack } from '../support/test-stack';

// Managed policy ids CloudFront publishes (the same in every account).
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
const WEB_ACL_ARN = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';

/** An internal ALB in a two-AZ VPC with public subnets (CloudFront VPC origins need an internet gateway). */
function albStack(options: { internetFacing?: boolean; region?: string } = {}): { stack: Stack; alb: elbv2.ApplicationLoadBalancer } {
  const stack = testStack('TestStack', options.region ? { env: { region: options.region } } : {});
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', {
    vpc,
    internetFacing: options.internetFacing ?? false,
    vpcSubnets: { subnetType: options.internetFacing ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_ISOLATED },
  });
  const listener = alb.addListener('Http', {
    port: 80,
    open: false,
    defaultAction: elbv2.ListenerAction.fixedResponse(200, { contentType: 'text/plain', messageBody: 'ok' }),
  });
  listener.connections.allowDefaultPortFrom(ec2.Peer.ipv4(vpc.vpcCidrBlock), 'VPC origin ENIs live in the VPC');
  return { stack, alb };
}

function cacheBehavior(pattern: string, cachePolicyLogicalId: string, extra: Record<string, unknown> = {}) {
  return Match.objectLike({
    PathPattern: pattern,
    CachePolicyId: { Ref: cachePolicyLogicalId },
    ViewerProtocolPolicy: 'redirect-to-https',
    ResponseHeadersPolicyId: Match.anyValue(),
    Compress: true,
    ...extra,
  });
}

describe('Cdn', () => {
  describe('metrics', () => {
    // GIVEN a Cdn in eu-central-1 WHEN its metric methods are called THEN they point at us-east-1, where CloudFront publishes
    let stack: Stack;
    let cdn: Cdn;
    let distribution: unknown;
    beforeAll(() => {
      const given = albStack();
      stack = given.stack;
      cdn = new Cdn(stack, 'Cdn', { loadBalancer: given.alb, webAclArn: WEB_ACL_ARN });
      distribution = { Ref: stack.getLogicalId(cdn.distribution.node.defaultChild as cloudfront.CfnDistribution) };
    });

    test.each([['5xxErrorRate'], ['CacheHitRate']])('%s: AWS/CloudFront by DistributionId and Region=Global, in us-east-1, Average', (metricName) => {
      const metric = metricName === 'CacheHitRate' ? cdn.metricCacheHitRate() : cdn.metric5xxErrorRate();
      expect(resolveMetric(stack, metric)).toEqual({
        namespace: 'AWS/CloudFront', metricName, dimensions: { DistributionId: distribution, Region: 'Global' }, statistic: 'Average', periodSec: 300, region: 'us-east-1',
      });
    });

    test('the additional metrics subscription is on by default (CacheHitRate exists only with it)', () => {
      Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::MonitoringSubscription', {
        DistributionId: distribution,
        MonitoringSubscription: { RealtimeMetricsSubscriptionConfig: { RealtimeMetricsSubscriptionStatus: 'Enabled' } },
      });
    });

    test('publishAdditionalMetrics false: no subscription, and asking for the cache hit rate fails instead of graphing nothing', () => {
      const given = albStack();
      const plain = new Cdn(given.stack, 'Cdn', { loadBalancer: given.alb, webAclArn: WEB_ACL_ARN, publishAdditionalMetrics: false });
      Template.fromStack(given.stack).resourceCountIs('AWS::CloudFront::MonitoringSubscription', 0);
      expect(() => plain.metricCacheHitRate()).toThrow(/publishAdditionalMetrics/);
      expect(resolveMetric(given.stack, plain.metric5xxErrorRate())).toMatchObject({ metricName: '5xxErrorRate' });
    });
  });

  describe('defaults', () => {
    let stack: Stack;
    let cdn: Cdn;
    let template: Template;
    let staticPolicy: string;
    let apiPolicy: string;
    beforeAll(() => {
      // GIVEN an internal ALB
      const given = albStack();
      stack = given.stack;
      // WHEN
      cdn = new Cdn(stack, 'Cdn', { loadBalancer: given.alb });
      template = Template.fromStack(stack);
      staticPolicy = stack.getLogicalId(cdn.staticCachePolicy.node.defaultChild as cloudfront.CfnCachePolicy);
      apiPolicy = stack.getLogicalId(cdn.apiCachePolicy.node.defaultChild as cloudfront.CfnCachePolicy);
    });

    test('the origin is a CloudFront VPC origin to the ALB over HTTP on port 80', () => {
      template.resourceCountIs('AWS::CloudFront::VpcOrigin', 1);
      template.hasResourceProperties('AWS::CloudFront::VpcOrigin', {
        VpcOriginEndpointConfig: Match.objectLike({
          Arn: { Ref: Match.stringLikeRegexp('^Alb') },
          HTTPPort: 80,
          OriginProtocolPolicy: 'http-only',
        }),
      });
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Origins: [Match.objectLike({
            DomainName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Alb'), 'DNSName'] },
            VpcOriginConfig: { VpcOriginId: { 'Fn::GetAtt': [Match.stringLikeRegexp('VpcOrigin'), 'Id'] } },
          })],
        }),
      });
    });

    test('default behaviour: the API, uncached, all methods, all viewer headers but Host, HTTPS only', () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultCacheBehavior: Match.objectLike({
            CachePolicyId: CACHING_DISABLED,
            OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
            AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
            ViewerProtocolPolicy: 'redirect-to-https',
            ResponseHeadersPolicyId: Match.anyValue(),
          }),
          HttpVersion: 'http2and3',
          PriceClass: 'PriceClass_100',
          WebACLId: Match.absent(),
          ViewerCertificate: Match.absent(),
        }),
      });
    });

    test('static and cacheable API paths, in that order, with their cache policies', () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          CacheBehaviors: [
            cacheBehavior('/static/*', staticPolicy, { AllowedMethods: ['GET', 'HEAD'], OriginRequestPolicyId: Match.absent() }),
            cacheBehavior('/assets/*', staticPolicy),
            // Writes pass through uncached; only GET/HEAD are cached. No origin request policy: no cookies reach the origin.
            cacheBehavior('/api/public/*', apiPolicy, {
              AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
              CachedMethods: ['GET', 'HEAD'],
              OriginRequestPolicyId: Match.absent(),
            }),
          ],
        }),
      });
    });

    test('static cache policy: one year, compressed, nothing but the path in the key', () => {
      template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
        CachePolicyConfig: Match.objectLike({
          Name: Match.stringLikeRegexp('-Static-eu-central-1$'),
          MinTTL: 0,
          DefaultTTL: 31536000,
          MaxTTL: 31536000,
          ParametersInCacheKeyAndForwardedToOrigin: {
            CookiesConfig: { CookieBehavior: 'none' },
            HeadersConfig: { HeaderBehavior: 'none' },
            QueryStringsConfig: { QueryStringBehavior: 'none' },
            EnableAcceptEncodingGzip: true,
            EnableAcceptEncodingBrotli: true,
          },
        }),
      });
    });

    test('API cache policy: 60 s default, 300 s max, query strings in the key', () => {
      template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
        CachePolicyConfig: Match.objectLike({
          Name: Match.stringLikeRegexp('-Api-eu-central-1$'),
          MinTTL: 0,
          DefaultTTL: 60,
          MaxTTL: 300,
          ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
            CookiesConfig: { CookieBehavior: 'none' },
            QueryStringsConfig: { QueryStringBehavior: 'all' },
            EnableAcceptEncodingGzip: true,
            EnableAcceptEncodingBrotli: true,
          }),
        }),
      });
      expect(cdn.apiCacheControlHeader).toBe('public, max-age=0, s-maxage=60, stale-while-revalidate=30');
    });

    test('security headers on every response', () => {
      template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: Match.objectLike({
            StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
            ContentTypeOptions: { Override: true },
            FrameOptions: { FrameOption: 'DENY', Override: true },
          }),
        }),
      });
    });

    test('access logs to a retained, encrypted, SSL-only bucket with ACLs for CloudFront', () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Logging: { Bucket: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdnLogs'), 'RegionalDomainName'] } },
        }),
      });
      template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
          PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true, RestrictPublicBuckets: true }),
          LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365, Status: 'Enabled' })] },
        }),
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        }),
      });
      expect(cdn.logBucket).toBeDefined();
    });

    test('no warning annotations', () => {
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    });
  });

  test('all props: ports, protocol, paths, TTLs, domain, certificate, price class, web ACL, geo restriction', () => {
    // GIVEN
    const { stack, alb } = albStack({ region: 'us-east-1' });
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc');
    // WHEN
    const cdn = new Cdn(stack, 'Cdn', {
      loadBalancer: alb,
      originPort: 8443,
      originProtocol: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originDomainName: 'origin.example.com',
      staticPathPatterns: ['/_next/static/*'],
      staticTtl: Duration.days(1),
      cacheableApiPathPatterns: ['/api/products/*', '/api/search*'],
      apiDefaultTtl: Duration.seconds(5),
      apiMaxTtl: Duration.seconds(30),
      staleWhileRevalidate: Duration.seconds(0),
      domainNames: ['shop.example.com'],
      certificate,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      webAclArn: WEB_ACL_ARN,
      geoRestriction: cloudfront.GeoRestriction.allowlist('DE', 'AT'),
    });
    const template = Template.fromStack(stack);

    // THEN
    template.hasResourceProperties('AWS::CloudFront::VpcOrigin', {
      VpcOriginEndpointConfig: Match.objectLike({ HTTPSPort: 8443, OriginProtocolPolicy: 'https-only' }),
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['shop.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
        PriceClass: 'PriceClass_All',
        WebACLId: WEB_ACL_ARN,
        Restrictions: { GeoRestriction: { Locations: ['DE', 'AT'], RestrictionType: 'whitelist' } },
        Origins: [Match.objectLike({ DomainName: 'origin.example.com' })],
        CacheBehaviors: [
          Match.objectLike({ PathPattern: '/_next/static/*', AllowedMethods: ['GET', 'HEAD'] }),
          Match.objectLike({ PathPattern: '/api/products/*', ViewerProtocolPolicy: 'redirect-to-https' }),
          Match.objectLike({ PathPattern: '/api/search*', ViewerProtocolPolicy: 'redirect-to-https' }),
        ],
        DefaultCacheBehavior: Match.objectLike({ CachePolicyId: CACHING_DISABLED }),
        Logging: Match.objectLike({ Bucket: Match.anyValue() }),
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({ Name: Match.stringLikeRegexp('-Static-us-east-1$'), DefaultTTL: 86400, MaxTTL: 86400 }),
    });
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({ Name: Match.stringLikeRegexp('-Api-us-east-1$'), DefaultTTL: 5, MaxTTL: 30, MinTTL: 0 }),
    });
    expect(cdn.apiCacheControlHeader).toBe('public, max-age=0, s-maxage=5');
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  test('a given log bucket is used instead of a new one', () => {
    const { stack, alb } = albStack();
    const logBucket = new s3.Bucket(stack, 'MyLogs', { objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED });
    const cdn = new Cdn(stack, 'Cdn', { loadBalancer: alb, logBucket });
    Template.fromStack(stack).resourceCountIs('AWS::S3::Bucket', 1);
    expect(cdn.logBucket).toBe(logBucket);
  });

  test('names do not depend on TTLs, so a phase that changes them updates in place', () => {
    const names = (props: Partial<CdnProps>) => {
      const { stack, alb } = albStack();
      new Cdn(stack, 'Cdn', { loadBalancer: alb, ...props });
      const template = Template.fromStack(stack);
      const policies = Object.values(template.findResources('AWS::CloudFront::CachePolicy')).map((r) => r.Properties.CachePolicyConfig.Name);
      const origins = Object.values(template.findResources('AWS::CloudFront::VpcOrigin')).map((r) => r.Properties.VpcOriginEndpointConfig.Name);
      return { policies, origins, logicalIds: Object.keys(template.toJSON().Resources).sort() };
    };
    expect(names({ apiDefaultTtl: Duration.seconds(10), apiMaxTtl: Duration.seconds(20), staticTtl: Duration.minutes(10) })).toEqual(names({}));
  });

  test('an internet-facing ALB gets a warning: it can be reached around CloudFront', () => {
    const { stack, alb } = albStack({ internetFacing: true });
    new Cdn(stack, 'Cdn', { loadBalancer: alb });
    Annotations.fromStack(stack).hasWarning('/TestStack/Cdn', Match.stringLikeRegexp("'loadBalancer' .* is internet-facing"));
  });

  test.each<[Partial<CdnProps>, RegExp]>([
    [{ apiDefaultTtl: Duration.minutes(10), apiMaxTtl: Duration.minutes(5) }, /^TestStack\/Cdn: 'apiDefaultTtl' \(600 s\) must be <= 'apiMaxTtl' \(300 s\)/],
    [{ apiDefaultTtl: Duration.millis(500) }, /^TestStack\/Cdn: 'apiDefaultTtl' \(Duration.millis\(500\)\) must be a whole number of seconds >= 0/],
    [{ apiMaxTtl: Duration.seconds(0), apiDefaultTtl: Duration.seconds(0) }, /'apiMaxTtl' \(Duration.seconds\(0\)\) must be a whole number of seconds >= 1/],
    [{ staticTtl: Duration.millis(1500) }, /'staticTtl' \(Duration.millis\(1500\)\) must be a whole number of seconds >= 1/],
    [{ staleWhileRevalidate: 30 as unknown as Duration }, /'staleWhileRevalidate' \(30\) must be a Duration/],
    [{ cacheableApiPathPatterns: [] }, /^TestStack\/Cdn: 'cacheableApiPathPatterns' \(\[\]\) must contain at least one path pattern/],
    [{ staticPathPatterns: ['/*'] }, /'staticPathPatterns' contains "\/\*"/],
    [{ cacheableApiPathPatterns: ['*'] }, /'cacheableApiPathPatterns' contains "\*"/],
    [{ cacheableApiPathPatterns: [''] }, /'cacheableApiPathPatterns' contains ""/],
    [{ staticPathPatterns: ['/a/*', '/a/*'] }, /'staticPathPatterns' contains "\/a\/\*" twice/],
    [{ staticPathPatterns: ['/x/*'], cacheableApiPathPatterns: ['/x/*'] }, /both contain \["\/x\/\*"\]/],
    [{ originPort: 22 }, /'originPort' \(22\) must be 80, 443 or an integer from 1024 to 65535/],
    [{ originProtocol: cloudfront.OriginProtocolPolicy.MATCH_VIEWER }, /'originProtocol' \(match-viewer\) must be HTTP_ONLY or HTTPS_ONLY/],
    [{ domainNames: ['shop.example.com'] }, /'domainNames' \(\["shop.example.com"\]\) and 'certificate' \(not set\) must be given together/],
  ])('rejects %j', (props, message) => {
    const { stack, alb } = albStack();
    expect(() => new Cdn(stack, 'Cdn', { loadBalancer: alb, ...props })).toThrow(message);
  });
});

test('Cdn with staticPathPatterns [] (a service without static assets) has only the cacheable API behaviours', () => {
  const { stack, alb } = albStack();
  new Cdn(stack, 'Cdn', { loadBalancer: alb, staticPathPatterns: [], cacheableApiPathPatterns: ['/api/catalog/*'] });
  const [distribution] = Object.values(Template.fromStack(stack).findResources('AWS::CloudFront::Distribution')) as any[];
  expect(distribution.Properties.DistributionConfig.CacheBehaviors.map((b: any) => b.PathPattern)).toEqual(['/api/catalog/*']);
});
