/**
 * Is the edge worth it? CloudFront bills every request and every byte; it earns that when it answers requests the
 * origin would otherwise serve. The planner prices each phase both ways (with CloudFront and with the ALB serving the
 * internet) and this module decides, with the numbers.
 *
 * Rule: keep CloudFront when it pays for itself (the bill with it is not higher), or when it caches something worth
 * an edge: at least `policy.edgeMinOffloadShare` of requests, or static assets (`cdn.staticPathPatterns`, whose bytes
 * the model does not count). Then it also absorbs that share of a flash sale before the region, filters at the edge
 * and answers far users from a nearby location. Otherwise the web ACL runs REGIONAL on the ALB: the same rules, and
 * AWS Shield Standard protects an ALB as it does CloudFront; what is lost is edge TLS termination for far users,
 * which the model does not measure.
 */
import { CostPlan, EdgeMode, EdgePlan, sized } from './plan-types';
import type { Capacity } from './schema';
import { fmt } from './traffic';

const CLOUDFRONT_LINES = ['CloudFront requests', 'CloudFront data out'];

/** Decides CloudFront or REGIONAL for one phase from its bill both ways and CloudFront's offload share. */
export function decideEdge(model: Capacity, offloadShare: number, withCloudFront: CostPlan, direct: CostPlan): EdgePlan {
  const cloudFrontUsd = withCloudFront.lines.filter((l) => CLOUDFRONT_LINES.includes(l.item)).reduce((sum, l) => sum + l.usd, 0);
  const billShare = cloudFrontUsd / withCloudFront.totalUsd;
  const extra = withCloudFront.totalUsd - direct.totalUsd;
  const min = model.policy.edgeMinOffloadShare;
  const statics = model.cdn.staticPathPatterns;
  const pays = extra <= 0;
  const caches = offloadShare >= min && offloadShare > 0;
  const mode: EdgeMode = pays || caches || statics.length > 0 ? 'CLOUDFRONT' : 'REGIONAL';
  const cost = `CloudFront bills ${fmt(cloudFrontUsd)} USD/month (${fmt(billShare * 100)} % of the bill); with it the phase costs ${fmt(Math.abs(extra))} USD/month ${extra > 0 ? 'more' : 'less'} than without`;
  const reasons = [
    pays ? 'it pays for itself' : '',
    caches ? `it answers ${fmt(offloadShare * 100)} % of requests (>= policy.edgeMinOffloadShare ${fmt(min * 100)} %), so that share of every flash sale never reaches the region` : '',
    statics.length > 0 ? `it serves the static assets (${statics.join(', ')}) from edge caches` : '',
  ].filter(Boolean);
  const why =
    mode === 'CLOUDFRONT'
      ? `CloudFront: ${reasons.join('; ')}; it also filters at the edge (WAF, Shield Standard) and answers far users nearby. ${cost}`
      : `REGIONAL web ACL on the ALB, no CloudFront: it would answer ${fmt(offloadShare * 100)} % of requests (< policy.edgeMinOffloadShare ${fmt(min * 100)} %), ` +
        `no static assets, and does not pay for itself: ${cost}. The same web ACL runs on the ALB and Shield Standard covers the ALB; lost: edge TLS termination for far users`;
  return {
    mode: sized(mode, why),
    offloadShare: sized(offloadShare, 'reads x cacheable GET share x CDN hit ratio'),
    cloudFrontUsd: sized(cloudFrontUsd, `${CLOUDFRONT_LINES.join(' + ')} lines of the bill with CloudFront`),
    cloudFrontBillShare: sized(billShare, `${fmt(cloudFrontUsd)} / ${fmt(withCloudFront.totalUsd)} USD`),
    extraCostUsd: sized(
      extra,
      `bill with CloudFront ${fmt(withCloudFront.totalUsd)} - without ${fmt(direct.totalUsd)} USD (the origin sized for all requests, ALB egress at the internet rate)`,
    ),
  };
}
