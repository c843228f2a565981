import { Annotations, CfnResource, Duration, Names, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { propError } from './validation';

/** Properties of {@link Cdn}. */
export interface CdnProps {
  /**
   * The internal Application Load Balancer CloudFront sends requests to, through a CloudFront VPC origin.
   *
   * Its security group must allow the listener port from inside the VPC (the VPC origin's network
   * interfaces live in the ALB's subnets), and the VPC must have an internet gateway.
   */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;

  /**
   * The ALB listener port CloudFront connects to. A VPC origin accepts 80, 443 or 1024-65535.
   * @default 80
   */
  readonly originPort?: number;

  /**
   * How CloudFront talks to the ALB inside the VPC. Use `HTTPS_ONLY` when the listener has a certificate
   * (and set `originDomainName` to a name on that certificate).
   * @default cloudfront.OriginProtocolPolicy.HTTP_ONLY
   */
  readonly originProtocol?: cloudfront.OriginProtocolPolicy;

  /**
   * The host name CloudFront uses for the origin (TLS server name with `HTTPS_ONLY`).
   * @default - the load balancer's DNS name
   */
  readonly originDomainName?: string;

  /**
   * Paths of content-addressed static assets, cached for `staticTtl` without cookies, headers or query strings in the key.
   * `[]` when the service serves no static assets.
   * @default ['/static/*', '/assets/*']
   */
  readonly staticPathPatterns?: string[];

  /**
   * Default and maximum edge TTL of static assets (whole seconds, at least 1). Safe to make long because the file names change with the content.
   * @default Duration.days(365)
   */
  readonly staticTtl?: Duration;

  /**
   * Paths of public, user-independent API GETs that may be cached at the edge for a short time.
   * The origin sees no cookies and no Authorization header on these paths, so it cannot personalise a shared response.
   * @default ['/api/public/*']
   */
  readonly cacheableApiPathPatterns?: string[];

  /**
   * Edge TTL of a cacheable API response whose origin sent no `Cache-Control`/`Expires` (whole seconds, 0 or more).
   * @default Duration.seconds(60)
   */
  readonly apiDefaultTtl?: Duration;

  /**
   * Upper bound on the edge TTL of a cacheable API response, whatever the origin asks for (whole seconds, at least 1).
   * @default Duration.seconds(300)
   */
  readonly apiMaxTtl?: Duration;

  /**
   * How long the edge may serve a stale API response while it refreshes it in the background (whole seconds).
   * CloudFront takes this from the origin's `Cache-Control: stale-while-revalidate=N`, not from any distribution
   * setting: the value only goes into {@link Cdn.apiCacheControlHeader}, which the application must send. 0 leaves the directive out.
   * @default Duration.seconds(30)
   */
  readonly staleWhileRevalidate?: Duration;

  /**
   * Alternate domain names (CNAMEs) of the distribution. Requires `certificate`.
   * @default - only the generated *.cloudfront.net name
   */
  readonly domainNames?: string[];

  /**
   * An ACM certificate in us-east-1 covering `domainNames`. Requires `domainNames`.
   * With it, viewers must use TLS 1.2 or later (TLSv1.2_2021).
   * @default - the CloudFront default certificate
   */
  readonly certificate?: acm.ICertificate;

  /**
   * Which edge locations serve the distribution (cost versus latency outside North America and Europe).
   * @default cloudfront.PriceClass.PRICE_CLASS_100
   */
  readonly priceClass?: cloudfront.PriceClass;

  /**
   * ARN of a WAFv2 web ACL with scope CLOUDFRONT (created in us-east-1), e.g. `WebAcl.webAclArn`.
   * @default - no web ACL
   */
  readonly webAclArn?: string;

  /**
   * Countries the distribution serves or refuses (CloudFront geographic restriction).
   * @default - no restriction: the service is for viewers in every country
   */
  readonly geoRestriction?: cloudfront.GeoRestriction;

  /**
   * Where CloudFront standard access logs go. The bucket must allow ACLs (ObjectOwnership BUCKET_OWNER_PREFERRED or OBJECT_WRITER).
   * @default - a new bucket: S3-managed encryption, public access blocked, SSL only, objects expire after 365 days, retained on stack deletion
   */
  readonly logBucket?: s3.IBucket;

  /**
   * Whether the distribution publishes CloudFront's additional CloudWatch metrics (a monitoring subscription):
   * CacheHitRate, OriginLatency and the per-code error rates (401, 403, 404, 502, 503, 504), which
   * {@link Cdn.metricCacheHitRate} needs. They are billed as custom CloudWatch metrics, 8 per distribution
   * (about USD 2.40 a month at the first-tier USD 0.30 per metric-month); the default metrics stay free.
   * @default true
   */
  readonly publishAdditionalMetrics?: boolean;
}

/** Defaults of {@link CdnProps}, in one place. */
export const CDN_DEFAULTS = {
  originPort: 80,
  originProtocol: cloudfront.OriginProtocolPolicy.HTTP_ONLY,
  staticPathPatterns: ['/static/*', '/assets/*'],
  staticTtl: Duration.days(365),
  // Neutral: a construct for any business must not assume a shop's catalog.
  cacheableApiPathPatterns: ['/api/public/*'],
  apiDefaultTtl: Duration.seconds(60),
  apiMaxTtl: Duration.seconds(300),
  staleWhileRevalidate: Duration.seconds(30),
  priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
  logExpirationDays: 365,
  publishAdditionalMetrics: true,
} as const;

/**
 * A CloudFront distribution in front of an internal Application Load Balancer, reached through a CloudFront VPC origin,
 * so the ALB has no public address and cannot be reached around CloudFront (and its web ACL).
 *
 * Three kinds of behaviour:
 * - `staticPathPatterns`: long-lived edge caching of content-addressed assets;
 * - `cacheableApiPathPatterns`: short edge caching of public GETs, keyed on the full query string; the origin extends
 *   freshness with `Cache-Control: ... stale-while-revalidate=N` (see {@link Cdn.apiCacheControlHeader});
 * - everything else (`/*`): the API with caching disabled and all viewer headers, cookies and query strings forwarded,
 *   so writes and user-specific GETs are never cached.
 *
 * Viewers must use HTTPS (HTTP is redirected), every response carries security headers (HSTS etc.),
 * and standard access logs go to S3.
 */
export class Cdn extends Construct {
  /** The distribution. */
  public readonly distribution: cloudfront.Distribution;

  /** The CloudFront VPC origin (`AWS::CloudFront::VpcOrigin`) pointing at the ALB. */
  public readonly vpcOrigin: cloudfront.VpcOrigin;

  /** The distribution's origin (the VPC origin), for adding further behaviours. */
  public readonly origin: cloudfront.IOrigin;

  /** Where the access logs go. */
  public readonly logBucket: s3.IBucket;

  /** Cache policy of `staticPathPatterns`. */
  public readonly staticCachePolicy: cloudfront.CachePolicy;

  /** Cache policy of `cacheableApiPathPatterns`. */
  public readonly apiCachePolicy: cloudfront.CachePolicy;

  /** Security headers added to every response. */
  public readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;

  /**
   * The `Cache-Control` value the application should send on cacheable API responses, e.g.
   * `public, max-age=0, s-maxage=60, stale-while-revalidate=30`: browsers always revalidate (max-age=0),
   * the edge keeps it `apiDefaultTtl` and may then serve it stale for `staleWhileRevalidate` while it refetches.
   * Hand it to the container as an environment variable.
   */
  public readonly apiCacheControlHeader: string;

  /** The distribution's domain name, e.g. `d111111abcdef8.cloudfront.net`. */
  public readonly distributionDomainName: string;

  constructor(scope: Construct, id: string, props: CdnProps) {
    super(scope, id);
    const originPort = props.originPort ?? CDN_DEFAULTS.originPort;
    const originProtocol = props.originProtocol ?? CDN_DEFAULTS.originProtocol;
    const staticPathPatterns = props.staticPathPatterns ?? [...CDN_DEFAULTS.staticPathPatterns];
    const cacheableApiPathPatterns = props.cacheableApiPathPatterns ?? [...CDN_DEFAULTS.cacheableApiPathPatterns];
    const staticTtlSec = wholeSeconds(this, 'staticTtl', props.staticTtl ?? CDN_DEFAULTS.staticTtl, 1);
    const apiDefaultTtlSec = wholeSeconds(this, 'apiDefaultTtl', props.apiDefaultTtl ?? CDN_DEFAULTS.apiDefaultTtl, 0);
    const apiMaxTtlSec = wholeSeconds(this, 'apiMaxTtl', props.apiMaxTtl ?? CDN_DEFAULTS.apiMaxTtl, 1);
    const staleWhileRevalidateSec = wholeSeconds(this, 'staleWhileRevalidate', props.staleWhileRevalidate ?? CDN_DEFAULTS.staleWhileRevalidate, 0);

    validateOrigin(this, originPort, originProtocol);
    // A cache policy with MaxTTL 0 means "caching disabled", and CloudFront then rejects compression and
    // query strings in the key: so the maximum TTLs must be at least 1 s. A default TTL of 0 is fine (origin-driven caching).
    if (apiDefaultTtlSec > apiMaxTtlSec) {
      throw propError(this, `'apiDefaultTtl' (${apiDefaultTtlSec} s) must be <= 'apiMaxTtl' (${apiMaxTtlSec} s)`);
    }
    validatePathPatterns(this, 'staticPathPatterns', staticPathPatterns, true);
    validatePathPatterns(this, 'cacheableApiPathPatterns', cacheableApiPathPatterns);
    const shared = staticPathPatterns.filter((p) => cacheableApiPathPatterns.includes(p));
    if (shared.length > 0) {
      throw propError(this, `'staticPathPatterns' and 'cacheableApiPathPatterns' both contain ${JSON.stringify(shared)}: each path pattern can have only one behaviour`);
    }
    const hasDomainNames = (props.domainNames?.length ?? 0) > 0;
    if (hasDomainNames !== (props.certificate !== undefined)) {
      throw propError(this, `'domainNames' (${JSON.stringify(props.domainNames ?? [])}) and 'certificate' (${props.certificate ? 'set' : 'not set'}) must be given together: CloudFront serves alternate domain names only with a matching certificate`);
    }
    warnIfInternetFacing(this, props.loadBalancer);

    this.apiCacheControlHeader = [
      'public',
      'max-age=0',
      `s-maxage=${apiDefaultTtlSec}`,
      ...(staleWhileRevalidateSec > 0 ? [`stale-while-revalidate=${staleWhileRevalidateSec}`] : []),
    ].join(', ');

    this.logBucket = props.logBucket ?? this.createLogBucket();

    // The VPC origin is created explicitly (rather than inside VpcOrigin.withApplicationLoadBalancer) so it has a
    // stable construct id of our own and can be a public field. Its name derives from the construct path, never from props.
    this.vpcOrigin = new cloudfront.VpcOrigin(this, 'VpcOrigin', {
      endpoint: cloudfront.VpcOriginEndpoint.applicationLoadBalancer(props.loadBalancer),
      protocolPolicy: originProtocol,
      ...(originProtocol === cloudfront.OriginProtocolPolicy.HTTPS_ONLY ? { httpsPort: originPort } : { httpPort: originPort }),
    });
    this.origin = origins.VpcOrigin.withVpcOrigin(this.vpcOrigin, {
      // A fixed id: the default derives from the construct path from the app root.
      originId: 'Api',
      domainName: props.originDomainName ?? props.loadBalancer.loadBalancerDnsName,
    });

    // CloudFront policy names are unique per account (not per region or stack): derive them from the stack name,
    // the construct path and the region, never from TTLs, so a phase that changes a TTL updates the policy in place.
    const policyName = (suffix: string) => `${Names.uniqueResourceName(this, { maxLength: 96, separator: '-' })}-${suffix}-${Stack.of(this).region}`;

    this.staticCachePolicy = new cloudfront.CachePolicy(this, 'StaticCachePolicy', {
      cachePolicyName: policyName('Static'),
      comment: 'Content-addressed static assets: long TTL, nothing but the path in the key',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(staticTtlSec),
      maxTtl: Duration.seconds(staticTtlSec),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    this.apiCachePolicy = new cloudfront.CachePolicy(this, 'ApiCachePolicy', {
      cachePolicyName: policyName('Api'),
      comment: 'Public API GETs: short TTL, full query string in the key; origin may send stale-while-revalidate',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(apiDefaultTtlSec),
      maxTtl: Duration.seconds(apiMaxTtlSec),
      // No cookies or Authorization in the key, and so none forwarded: the origin cannot vary a shared response per user.
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      // Normalises Accept-Encoding to gzip/br, so clients' header variants share one cache entry per encoding.
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    this.responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: policyName('SecurityHeaders'),
      comment: 'Security headers on every response',
      securityHeadersBehavior: {
        // Two years, the HSTS preload minimum; preload itself is left to the domain owner (hard to undo).
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        // "X-XSS-Protection: 0": the browser filter is gone or harmful; OWASP recommends disabling it explicitly.
        xssProtection: { protection: false, override: true },
      },
    });

    const common = {
      origin: this.origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      responseHeadersPolicy: this.responseHeadersPolicy,
      compress: true,
    };
    const staticBehavior: cloudfront.BehaviorOptions = {
      ...common,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
      cachePolicy: this.staticCachePolicy,
    };
    const apiBehavior: cloudfront.BehaviorOptions = {
      ...common,
      // Writes under these paths still reach the origin (uncached); only GET/HEAD are cached. OPTIONS is not cached:
      // preflight answers vary with Origin and Access-Control-Request-* headers, which are not in the key.
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
      cachePolicy: this.apiCachePolicy,
    };
    const additionalBehaviors: Record<string, cloudfront.BehaviorOptions> = {};
    // CloudFront matches behaviours in order: static assets first, then cacheable API paths, then the default.
    for (const pattern of staticPathPatterns) additionalBehaviors[pattern] = staticBehavior;
    for (const pattern of cacheableApiPathPatterns) additionalBehaviors[pattern] = apiBehavior;

    this.distribution = new cloudfront.Distribution(this, 'Resource', {
      comment: 'API and static assets from an internal ALB through a VPC origin',
      defaultBehavior: {
        ...common,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      additionalBehaviors,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass ?? CDN_DEFAULTS.priceClass,
      domainNames: props.domainNames,
      certificate: props.certificate,
      // Only meaningful with a custom certificate: the default *.cloudfront.net certificate's policy is fixed.
      minimumProtocolVersion: props.certificate ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      webAclId: props.webAclArn,
      geoRestriction: props.geoRestriction,
      enableLogging: true,
      logBucket: this.logBucket,
      // The edge cache hit rate is how the plan's origin offload is checked; it exists only with this subscription.
      publishAdditionalMetrics: props.publishAdditionalMetrics ?? CDN_DEFAULTS.publishAdditionalMetrics,
    });
    this.distributionDomainName = this.distribution.distributionDomainName;

    const cfnDistribution = this.distribution.node.defaultChild as CfnResource;
    if (!props.certificate) {
      Validations.of(cfnDistribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason: 'No custom domain given: the default *.cloudfront.net certificate does not allow choosing the viewer TLS policy. ' +
          'With domainNames and an ACM certificate the construct sets TLSv1.2_2021; viewers are redirected to HTTPS either way',
      });
    }
    if (!props.geoRestriction) {
      Validations.of(cfnDistribution).acknowledge({
        id: 'AwsSolutions-CFR1',
        reason: 'No geoRestriction given: the service is for viewers in every country. Geographic restriction is a business ' +
          'decision, not a substitute for the web ACL; pass geoRestriction to restrict it',
      });
    }
  }

  /**
   * Share of viewer requests answered with a 5xx, in percent (CloudFront's 5xxErrorRate, Average). CloudFront
   * publishes its metrics in us-east-1 only, with Region=Global: a dashboard in any region can show this, but an
   * alarm on it must be created in a us-east-1 stack.
   */
  public metric5xxErrorRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.distribution.metric5xxErrorRate({ statistic: 'Average', ...props, ...cloudFrontMetricLocation(this.distribution) });
  }

  /**
   * Share of cacheable requests served from the edge cache, in percent (CacheHitRate, Average; us-east-1,
   * Region=Global). An additional metric: throws when `publishAdditionalMetrics` is false.
   */
  public metricCacheHitRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.distribution.metricCacheHitRate({ statistic: 'Average', ...props, ...cloudFrontMetricLocation(this.distribution) });
  }

  /** The default log bucket: S3-managed encryption, ACLs for CloudFront log delivery, no public access, SSL only, objects kept a year, retained. */
  private createLogBucket(): s3.Bucket {
    const bucket = new s3.Bucket(this, 'Logs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      // CloudFront standard logging writes with an ACL grant to its log-delivery account: ACLs must stay enabled.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(CDN_DEFAULTS.logExpirationDays) }],
      // Access logs are audit evidence: keep them when the stack is deleted.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(bucket.node.defaultChild as CfnResource).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket is itself an access-log destination (CloudFront standard logs): server access logs of it would need another log bucket, ' +
        'which would need one in turn. It is SSL-only, never public and retained; reads and deletes of its objects are audited by CloudTrail S3 data events on the account trail, not by this stack',
    });
    return bucket;
  }
}

/**
 * Where CloudFront's metrics live: us-east-1, dimensions DistributionId and Region=Global. aws-cdk-lib's
 * Distribution.metric*() set only DistributionId and no region, which matches no published series.
 */
function cloudFrontMetricLocation(distribution: cloudfront.IDistribution): Pick<cloudwatch.MetricOptions, 'region' | 'dimensionsMap'> {
  return { region: 'us-east-1', dimensionsMap: { DistributionId: distribution.distributionId, Region: 'Global' } };
}

/** `ttl` in seconds, which must be whole and at least `min` (a token passes unchecked). */
function wholeSeconds(scope: IConstruct, prop: string, ttl: Duration, min: number): number {
  if (!(ttl instanceof Duration)) throw propError(scope, `'${prop}' (${String(ttl)}) must be a Duration, e.g. Duration.seconds(60)`);
  if (ttl.isUnresolved()) return ttl.toSeconds();
  const value = ttl.toSeconds({ integral: false });
  if (!Number.isInteger(value) || value < min) {
    const why = min === 1 ? ' (0 would disable caching, and CloudFront then rejects compression and keyed query strings)' : '';
    throw propError(scope, `'${prop}' (${ttl.toString()}) must be a whole number of seconds >= ${min}${why}`);
  }
  return value;
}

function validateOrigin(scope: IConstruct, port: number, protocol: cloudfront.OriginProtocolPolicy): void {
  if (!Token.isUnresolved(port) && !(port === 80 || port === 443 || (Number.isInteger(port) && port >= 1024 && port <= 65535))) {
    throw propError(scope, `'originPort' (${port}) must be 80, 443 or an integer from 1024 to 65535 (the ports a CloudFront VPC origin accepts)`);
  }
  if (protocol === cloudfront.OriginProtocolPolicy.MATCH_VIEWER) {
    throw propError(scope, `'originProtocol' (${protocol}) must be HTTP_ONLY or HTTPS_ONLY: viewers always use HTTPS, so MATCH_VIEWER would silently mean HTTPS`);
  }
}

function validatePathPatterns(scope: IConstruct, prop: string, patterns: string[], mayBeEmpty = false): void {
  if (patterns.length === 0 && !mayBeEmpty) {
    throw propError(scope, `'${prop}' ([]) must contain at least one path pattern: omit it to use the defaults`);
  }
  const seen = new Set<string>();
  for (const pattern of patterns) {
    if (pattern.trim() === '' || pattern === '*' || pattern === '/*') {
      throw propError(scope, `'${prop}' contains ${JSON.stringify(pattern)}: a pattern must be non-empty and not '*' or '/*', which is the default (uncached) behaviour`);
    }
    if (seen.has(pattern)) {
      throw propError(scope, `'${prop}' contains ${JSON.stringify(pattern)} twice`);
    }
    seen.add(pattern);
  }
}

/** VPC origins are meant for private ALBs; an internet-facing one can still be reached around CloudFront and its web ACL. */
function warnIfInternetFacing(scope: Construct, alb: elbv2.IApplicationLoadBalancer): void {
  const cfn = alb.node.defaultChild;
  if (cfn instanceof elbv2.CfnLoadBalancer && cfn.scheme === 'internet-facing') {
    Annotations.of(scope).addWarningV2(
      'scaling-roadmap:cdn:internetFacingOrigin',
      `'loadBalancer' (${alb.node.path}) is internet-facing: clients can bypass CloudFront and the web ACL. Use an internal ALB in private subnets.`,
    );
  }
}
