/**
 * Sizing at the edge: CloudFront TTLs and WAF per-IP rate limits.
 */
import { CdnPlan, sized, WafPlan } from './plan-types';
import type { Capacity } from './schema';
import { fmt, readShareOf } from './traffic';

/** AWS managed rule groups for an API in front of PostgreSQL (no extra subscription fee). */
export const MANAGED_RULE_GROUPS: readonly string[] = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
];

/** WAF's smallest allowed rate-based limit. */
export const WAF_MIN_LIMIT = 10;

/** CloudFront caching: static assets for long, cacheable API GETs for the staleness the model allows. */
export function planCdn(model: Capacity): CdnPlan {
  const { cdn } = model;
  const staleness = cdn.apiStalenessSec;
  // Serving stale while one request revalidates means no user waits for the origin on expiry;
  // allowing it for as long again as the freshness window keeps worst-case staleness at 2 x staleness.
  const swr = staleness;
  return {
    staticTtlSec: sized(cdn.staticTtlSec, 'static assets are content-addressed: a new build has new names'),
    apiDefaultTtlSec: sized(staleness, `cdn.apiStalenessSec: cacheable GETs may be ${staleness} s old (seeds: 60 s ISR)`),
    apiMaxTtlSec: sized(staleness * 5, 'the origin may ask for up to 5x the default freshness, never more'),
    staleWhileRevalidateSec: sized(swr, 'serve stale for one more freshness window while CloudFront revalidates in the background'),
    apiCacheControl: sized(
      `public, max-age=0, s-maxage=${staleness}, stale-while-revalidate=${swr}`,
      'the header the API sends on cacheable GETs (CloudFront honours s-maxage and stale-while-revalidate; browsers revalidate)',
    ),
    staticPathPatterns: sized(cdn.staticPathPatterns, 'cdn.staticPathPatterns'),
    cacheableApiPathPatterns: sized(cdn.cacheableApiPathPatterns, 'cdn.cacheableApiPathPatterns'),
    ...planOriginTls(model),
  };
}

/**
 * Per-IP rate limits. They bound what one client may do, so they follow client behaviour, not total traffic:
 * the same in every phase unless the model's clients change.
 */
export function planWaf(model: Capacity): WafPlan {
  const { clients, current } = model;
  const window = clients.rateWindowSec;
  const allowedRps = clients.peakRpsPerClient * clients.burstFactor;
  const writeShare = 1 - readShareOf(current.readsPerWrite);
  const all = Math.max(WAF_MIN_LIMIT, Math.ceil(allowedRps * window));
  const writes = Math.max(WAF_MIN_LIMIT, Math.ceil(allowedRps * writeShare * window));
  const logins = Math.max(WAF_MIN_LIMIT, Math.ceil((clients.loginAttemptsPerMinute * window) / 60));
  return {
    windowSec: sized(window, 'clients.rateWindowSec'),
    perIpAllLimit: sized(
      all,
      `busiest legitimate client ${fmt(clients.peakRpsPerClient)} RPS x burst ${clients.burstFactor} x ${window} s window`,
    ),
    perIpWriteLimit: sized(writes, `the same client's writes: x write share ${fmt(writeShare * 100)} %`),
    perIpLoginLimit: sized(logins, `${clients.loginAttemptsPerMinute} login attempts per minute x ${window / 60} min: slows credential stuffing`),
    loginPathPrefix: sized(clients.loginPathPrefix, 'clients.loginPathPrefix'),
    managedRuleGroups: sized(MANAGED_RULE_GROUPS, 'IP reputation, OWASP common rules, known bad inputs and SQL injection (the API fronts PostgreSQL)'),
  };
}

/**
 * TLS between CloudFront and the ALB. With a domain the model brings the certificates (no lookups), so the origin is
 * HTTPS end to end; without one no certificate can name the ALB, and the hop stays HTTP inside the VPC.
 */
function planOriginTls(model: Capacity): Pick<CdnPlan, 'originProtocol' | 'originDomainName'> {
  const { domain } = model;
  if (!domain) {
    return {
      originProtocol: sized(
        'http-only',
        'no domain in the model: no certificate can name the ALB, so CloudFront reaches it over HTTP on 80 through the VPC origin (private subnets, ' +
          'never the internet); viewers still get HTTPS. Give domain (zone and certificates) for HTTPS end to end',
      ),
      originDomainName: sized(undefined, 'no domain: CloudFront addresses the ALB by its own DNS name'),
    };
  }
  const origin = `origin.${domain.name}`;
  return {
    originProtocol: sized('https-only', `domain ${domain.name}: HTTPS end to end, the ALB listens on 443 with the regional certificate (TLS 1.2+)`),
    originDomainName: sized(origin, `a name under ${domain.name} the regional certificate covers, aliased to the ALB in zone ${domain.hostedZoneName}`),
  };
}
