/**
 * Dated, versioned table of AWS on-demand list prices (USD) for the regions the capacity model can price.
 *
 * There is no live pricing call: every number below was read from a stored copy of a public source (or derived
 * from one), and each one carries a comment saying where. Conventions used in the comments:
 *   - `source: [Sx] ...`   the number appears in that source for that region (PRICE_SOURCES below).
 *   - `derived: ...`       computed from a sourced number and a sourced ratio; the arithmetic is shown.
 *   - `estimate: ...`      not found for that region in the stored sources; the reason for the value is given.
 * test/capacity/prices.test.ts checks that every price line has one of these, that every source it cites exists here,
 * and that every source has a date. Re-check before relying on a number for a real budget; AWS changes prices.
 */

/** Where a price came from, and the date that vouches for it. */
export interface PriceSource {
  /** What the source is and what it says. */
  readonly what: string;
  /** ISO date (YYYY-MM-DD). */
  readonly date: string;
  /**
   * 'stated': the source gives this date for its prices (retrieval, publication or "as of");
   * 'read-by': the source states no date; the stored copy was read for this table, no later than its version date.
   */
  readonly dateKind: 'stated' | 'read-by';
}

/** The table's version: the date it was assembled; sources that state no date were read by then. */
const TABLE_VERSION = '2026-12-02';
const READ_BY = { date: '2026-11-25', dateKind: 'read-by' } as const;

/** Every source the price comments cite, by tag. */
export const PRICE_SOURCES: Readonly<Record<string, PriceSource>> = {
  S1: { what: 'github theuves/fgcalc src/utils/data.js: Fargate Linux/x86 on-demand per region ("extracted from the official AWS Fargate documentation")', ...READ_BY },
  S2: { what: 'https://www.vantage.sh/blog/fargate-pricing: Fargate us-east-1 table (Linux/x86 and Linux/ARM)', ...READ_BY },
  S3: {
    what: "github lamngockhuong/aws-price lib/data/pricing/{natgateway,kms,waf}-transformed.json: AWS's own pricing-page data (https://b0.p.awsstatic.com/pricing/2.0/meteredUnitMaps/...), last fetch per metadata.json",
    date: '2025-11-04',
    dateKind: 'stated',
  },
  S4: {
    what: 'github blackbird-cloud/terraform-aws-baserow README.md / costs.md: Infracost breakdown of an eu-central-1 stack (Price List API prices): NAT $37.96/730 h and $0.052/GB, WAF, KMS, Aurora storage/I/O/backup, Aurora db.t4g.medium $62.05/730 h, CloudWatch Logs, S3, ElastiCache (Valkey) cache.t4g.small',
    ...READ_BY,
  },
  S5: { what: 'Infracost breakdown in a public GitHub README of an eu-central-1 terragrunt stack (code index id 52105661137): ALB $19.71/730 h, $5.84 per LCU-month, EC2 detailed monitoring 14 metrics $4.20', ...READ_BY },
  S6: { what: 'Infracost breakdown in github gordonmurray/terraform_aws_deepseek README (eu-west-1: NAT $35.04/730 h, $0.048/GB): ALB $18.40/730 h, $5.84 per LCU-month', ...READ_BY },
  S7: { what: 'Infracost breakdowns in github gordonmurray/terraform_aws_eks README and sibling gordonmurray repos (eu-west-1): CloudWatch Logs $0.57/GB ingested, $0.03/GB archived; 7 detailed-monitoring metrics $2.10', ...READ_BY },
  S8: {
    what: 'github aws/agent-toolkit-for-aws skills/specialized-skills/database-skills/amazon-aurora-mysql/scripts/commitment_pricing_analyzer.py: "Static fallback on-demand prices (us-east-1, Aurora MySQL Standard; Aurora MySQL and PostgreSQL share these instance rates)" (AWS-authored)',
    ...READ_BY,
  },
  S9: { what: 'Markdown price sheets "collected via the AWS Pricing MCP server", AWS Pricing API, us-east-1 (code index ids 40471960949 Aurora PostgreSQL, 39841420587 CloudWatch), retrieved', date: '2025-10-28', dateKind: 'stated' },
  S10: { what: 'github aws/agent-toolkit-for-aws skills/specialized-skills/database-skills/rds-oss/references/proxy-advisor-workflow.md: "RDS Proxy pricing is $0.015 per vCPU per hour in us-east-1"', ...READ_BY },
  S11: { what: 'Design note quoting https://aws.amazon.com/rds/proxy/pricing/ (code index id 67150634820): "Minimum Charge: 2 vCPUs" for provisioned instances; price-list SKU USE1-RDS:ProxyUsage $0.015; retrieved', date: '2026-08-17', dateKind: 'stated' },
  S12: { what: '"AWS Pricing Service" module (code index id 70712899090): every ElastiCache node type, us-east-1, AWS Price List API (AmazonElastiCache, cacheEngine Redis); Valkey is 0.8x Redis; read', date: '2026-10-02', dateKind: 'stated' },
  S13: {
    what: 'github vantage-sh/ec2instances.info www/cache/instances.json: ElastiCache on-demand per region (used only for regional ratios, cache.r4.4xlarge: us-east-1 1.82, eu-central-1 2.19, eu-west-1 2.028, us-west-2 1.82; cache.t3.medium 0.068 / 0.076 / 0.072 / 0.068; cache.m3.2xlarge 0.728 / 0.848 / 0.785 / 0.728)',
    ...READ_BY,
  },
  S14: { what: 'Databricks CUR notebook (code index id 10660833084): public on-demand rate EUC1-NodeUsage:cache.r5.large 0.26 (us-east-1 cache.r5.large is 0.216 in [S12])', ...READ_BY },
  S15: { what: 'http://aws.amazon.com/cloudfront/pricing (AWS): Regional Data Transfer Out to Internet tiers; origin fetches from AWS origins free; always-free 1 TB and 10 M requests per month', ...READ_BY },
  S16: { what: 'https://www.factualminds.com/blog/amazon-cloudfront-pricing-regional-tiers-requests-security/: "$0.0075-$0.0100 per 10K requests" (HTTP $0.0075, HTTPS $0.0100; right for the United States, not for Europe: see [S26])', ...READ_BY },
  S17: { what: 'https://aws.amazon.com/blogs/networking-and-content-delivery/cost-effective-ways-for-securing-your-web-applications-using-aws-waf/ (AWS): "The pricing for AWS WAF is consistent across all AWS Regions."', ...READ_BY },
  S18: { what: 'https://thenegotiationexperts.com/blog/cloud-waf-licensing-cost-optimization/ and https://awsnegotiations.com/waf-pricing-strategy.html: "$5 per month web ACL fee, $1 per month per rule, and $0.60 per million requests"', ...READ_BY },
  S19: { what: 'https://raw.githubusercontent.com/api-evangelist/amazon-secrets-manager/refs/heads/main/plans/amazon-secrets-manager-plans-pricing.yml: transcribed from https://aws.amazon.com/secrets-manager/pricing/: $0.40/secret/month, $0.05 per 10,000 API calls', date: '2026-09-20', dateKind: 'stated' },
  S20: { what: 'Cost-signal module (code index id 62313402131): S3 Standard per region and "The flat published per-secret charge ... does not vary by region across the standard partition"; rates as of', date: '2026-08-02', dateKind: 'stated' },
  S21: { what: 'S3 helper (code index id 63382679027): S3 Standard first tier per region "Source: the AWS Price List API" (as of 2026-07-01); S3 egress per region from AWSDataTransfer, fetched', date: '2026-07-04', dateKind: 'stated' },
  S22: { what: 'Cost model (code index id 60506894851): data transfer out regional rates incl. "eu-central-1": 0.09', ...READ_BY },
  S23: { what: 'https://finopsforge.com/reduce-aws-data-transfer-costs: "Between AZs in same region | $0.01/GB each way"; internet egress first 10 TB $0.09/GB', ...READ_BY },
  S24: { what: 'Cost estimate in a public GitHub doc (code index id 65875413590), "AWS pricing for the eu-central-1 (Frankfurt) region": CloudWatch "$0.63 per GB of logs + $3.00 per dashboard per month + $0.10 per alarm metric"', ...READ_BY },
  S25: { what: 'https://raw.githubusercontent.com/api-evangelist/amazon-elastic-load-balancing/refs/heads/main/plans/amazon-elastic-load-balancing-plans-pricing.yml: transcribed from https://aws.amazon.com/elasticloadbalancing/pricing/: ALB "$0.0225 hourly charge", "$0.008 per LCU" (the page\'s US-East-1 example)', date: '2026-09-20', dateKind: 'stated' },
  S26: {
    what: 'Storefront CDN cost model (code index id 61919654733) quoting the AWS Price List API CloudFront offer (pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonCloudFront/current/index.json): SKU YA5QZD7XG45UGHCH EU-Requests-Tier2-HTTPS "$0.0120 / 10,000 HTTPS GET/HEAD requests"; EU-DataTransfer-Out-Bytes tiers 0.085/0.080/0.060/0.040/0.030/0.025/0.020; checked',
    date: '2026-06-30',
    dateKind: 'stated',
  },
  S27: {
    what: 'Price-book research (code index id 66842525558), AWS Price List bulk API offer files, us-east-1 list: CloudFront global offer US-Requests-Tier2-HTTPS $0.000001 per request (0.0100 per 10,000), US-DataTransfer-Out-Bytes 0.085/0.080/0.060/0.040/0.030/0.025/0.020 at 10/50/150/500/1024/5120 TB; NAT $0.045/h and $0.045/GB; S3 TimedStorage $0.023; DataTransfer-Out-Bytes first 10 TB $0.09; DataTransfer-Regional-Bytes $0.01; retrieved',
    date: '2026-09-06',
    dateKind: 'stated',
  },
  S28: {
    what: 'https://c3x.dev/resources/aws/aws_cloudwatch_metric_alarm: "Standard resolution (60-second evaluation): $0.10/alarm-month", "Composite alarms (combine multiple alarms with AND/OR): $0.50/alarm-month"; no region named',
    date: '2026-12-02',
    dateKind: 'read-by',
  },
  S29: {
    what: 'https://cloudburn.io/blog/amazon-sqs-pricing: "All prices are for US East (N. Virginia) as of March 2026": Standard "$0.40/M (first 100B), $0.30/M (next 100B), $0.24/M (200B+)", FIFO $0.50/M, 1M requests/month free; "Prices vary by region"',
    date: '2026-03-14',
    dateKind: 'stated',
  },
  S30: {
    what: 'https://www.factualminds.com/blog/amazon-sqs-pricing-64kb-rule-fifo-vs-standard/ (published 2026-06-13): "SQS pricing breakdown - us-east-1, June 2026": "$0.40 per million standard requests", each 64 KB chunk of payload is one request',
    date: '2026-06-13',
    dateKind: 'stated',
  },
};

/** On-demand list prices for one region, in USD. Units are in each property name. */
export interface RegionPrices {
  /** AWS Fargate, Linux, per vCPU-hour and per GB-hour of task memory. */
  fargate: { x86: { vcpuHour: number; gbHour: number }; arm: { vcpuHour: number; gbHour: number } };
  /** Application Load Balancer: per hour, and per LCU-hour. */
  alb: { hour: number; lcuHour: number };
  /** NAT gateway: per hour, and per GB processed (on top of any data transfer charge). */
  natGateway: { hour: number; gbProcessed: number };
  /**
   * Aurora PostgreSQL, Aurora Standard storage configuration: instance-hours keyed by class ('db.r7g.large'),
   * storage per GB-month, I/O per million requests, backup storage per GB-month beyond the free amount (free up to
   * 100 % of the cluster's storage).
   */
  aurora: { instanceHour: Record<string, number>; storageGbMonth: number; ioPerMillion: number; backupGbMonth: number };
  /** RDS Proxy for provisioned instances: per vCPU-hour of the proxied instances, billed for at least `minimumVcpu`. */
  rdsProxy: { vcpuHour: number; minimumVcpu: number };
  /** ElastiCache for Redis OSS, on-demand node-hours keyed by node type ('cache.r7g.large'); backup per GB-month. */
  elasticache: { nodeHour: Record<string, number>; backupGbMonth: number };
  /**
   * CloudFront, for viewers in the region's own price band (United States or Europe): data transfer out to the internet
   * in cumulative tiers (`upToTb` is the tier's upper bound in TB per month, `null` = no bound) and HTTPS requests per
   * 10,000 (0.0100 in the US, 0.0120 in Europe). Origin fetches from AWS origins (ALB, S3) are free.
   */
  cloudfront: { dataOutGbTiers: Array<{ upToTb: number | null; perGb: number }>; httpsRequestsPer10k: number };
  /** AWS WAF: per web ACL per month, per rule (a rule group counts as one rule) per month, per million requests. */
  waf: { webAclMonth: number; ruleMonth: number; requestsPerMillion: number };
  /** Data transfer: between AZs per GB, charged in each direction; to the internet per GB (first 10 TB/month tier). */
  dataTransfer: { interAzGb: number; internetOutGb: number };
  /**
   * CloudWatch: custom/detailed metric per month (first 10,000 tier), standard-resolution alarm per month,
   * dashboard per month, Logs ingestion per GB (Standard class), Logs storage per GB-month.
   */
  cloudwatch: { metricMonth: number; alarmMonth: number; compositeAlarmMonth: number; dashboardMonth: number; logsIngestGb: number; logsStorageGbMonth: number };
  /** Secrets Manager: per secret per month, per 10,000 API calls. */
  secretsManager: { secretMonth: number; apiPer10k: number };
  /** KMS: per customer-managed key per month, per 10,000 requests (symmetric). */
  kms: { keyMonth: number; requestsPer10k: number };
  /** S3 Standard storage per GB-month, first 50 TB tier (log buckets). */
  s3: { standardGbMonth: number };
  /**
   * SQS Standard queue per million requests, first tier (up to 100 billion requests a month). Every API call is a
   * request (SendMessage, ReceiveMessage, DeleteMessage, empty receives); each 64 KB chunk of a payload counts as one.
   */
  sqs: { standardRequestsPerMillion: number };
}

/** A versioned set of region price lists. */
export interface PriceTable {
  /** Version of this table (the date it was assembled), e.g. '2026-11-25'. */
  version: string;
  /** Every price is in US dollars. */
  currency: 'USD';
  /** Date of the newest source read; older sources carry their own dates in the comments and notes. */
  retrieved: string;
  /** Caveats that apply to the whole table. */
  notes: string[];
  /** Price lists keyed by AWS region code. */
  regions: Record<string, RegionPrices>;
}

/**
 * CloudFront data transfer out, "United States, Mexico, and Canada" and "Europe, Israel, and Türkiye" columns (identical).
 * source: [S15] First 10TB $0.085, Next 40TB $0.080, Next 100TB $0.060, Next 350TB $0.040, Next 524TB $0.030,
 * Next 4PB $0.025, Over 5PB $0.020; the Price List API has the same tiers for US [S27] and EU [S26].
 * Bounds are cumulative TB: 10, 50, 150, 500, 1024 (1 PB), 5120 (5 PB).
 */
const CLOUDFRONT_DATA_OUT_US_EUROPE: RegionPrices['cloudfront']['dataOutGbTiers'] = [
  { upToTb: 10, perGb: 0.085 }, // source: [S15] [S26] [S27] first 10 TB
  { upToTb: 50, perGb: 0.08 }, // source: [S15] [S26] [S27] next 40 TB
  { upToTb: 150, perGb: 0.06 }, // source: [S15] [S26] [S27] next 100 TB
  { upToTb: 500, perGb: 0.04 }, // source: [S15] [S26] [S27] next 350 TB
  { upToTb: 1024, perGb: 0.03 }, // source: [S15] [S26] [S27] next 524 TB
  { upToTb: 5120, perGb: 0.025 }, // source: [S15] [S26] [S27] next 4 PB
  { upToTb: null, perGb: 0.02 }, // source: [S15] [S26] [S27] over 5 PB
];

/**
 * CloudFront for viewers in the United States (the us-* regions' users). CloudFront bills by where the viewer is,
 * not by the origin's region; a region's price list assumes its users are near it.
 */
const CLOUDFRONT_US: RegionPrices['cloudfront'] = {
  dataOutGbTiers: CLOUDFRONT_DATA_OUT_US_EUROPE,
  httpsRequestsPer10k: 0.01, // source: [S27] US-Requests-Tier2-HTTPS $0.000001 per request; [S16] HTTPS $0.0100 per 10,000
};

/** CloudFront for viewers in Europe (the eu-* regions' users): HTTPS requests cost 20 % more than in the US. */
const CLOUDFRONT_EUROPE: RegionPrices['cloudfront'] = {
  dataOutGbTiers: CLOUDFRONT_DATA_OUT_US_EUROPE,
  httpsRequestsPer10k: 0.012, // source: [S26] EU-Requests-Tier2-HTTPS "$0.0120 / 10,000 HTTPS GET/HEAD requests" (Price List API)
};

/** Aurora PostgreSQL us-east-1 instance-hours. source: [S8] (Aurora MySQL and PostgreSQL share instance rates). */
const AURORA_US_EAST_1: Record<string, number> = {
  'db.r7g.large': 0.276, // source: [S8]
  'db.r7g.xlarge': 0.553, // source: [S8]
  'db.r7g.2xlarge': 1.106, // source: [S8]
  'db.r7g.4xlarge': 2.211, // source: [S8]
  'db.r7g.8xlarge': 4.422, // source: [S8]
  'db.r7g.12xlarge': 6.633, // source: [S8]
  'db.r7g.16xlarge': 8.844, // source: [S8]
  'db.r6g.large': 0.26, // source: [S8]
  'db.r6g.xlarge': 0.519, // source: [S8]
  'db.r6g.2xlarge': 1.038, // source: [S8]
  'db.r6g.4xlarge': 2.076, // source: [S8]
  'db.r6g.8xlarge': 4.152, // source: [S8]
  'db.r6g.12xlarge': 6.228, // source: [S8]
  'db.r6g.16xlarge': 8.304, // source: [S8]
};

/** ElastiCache for Redis OSS us-east-1 node-hours. source: [S12] (AWS Price List API, read 2026-10-02). */
const ELASTICACHE_US_EAST_1: Record<string, number> = {
  'cache.r7g.large': 0.219, // source: [S12]
  'cache.r7g.xlarge': 0.437, // source: [S12]
  'cache.r7g.2xlarge': 0.873, // source: [S12]
  'cache.r7g.4xlarge': 1.745, // source: [S12]
  'cache.r7g.8xlarge': 3.491, // source: [S12]
  'cache.r7g.12xlarge': 5.235, // source: [S12]
  'cache.r7g.16xlarge': 6.981, // source: [S12]
  'cache.t4g.medium': 0.065, // source: [S12]
  'cache.m7g.large': 0.158, // source: [S12]
  'cache.m7g.xlarge': 0.315, // source: [S12]
};

/** The current price table. Region blocks are self-contained; shared constants above are global or us-east-1 rates. */
export const PRICE_TABLE: PriceTable = {
  version: TABLE_VERSION,
  currency: 'USD',
  retrieved: '2026-10-02',
  notes: [
    'On-demand list prices in USD, before tax, credits, Savings Plans, reserved capacity or free tiers.',
    'Sources were read from stored copies dated 2025-10-28 to 2026-10-02 (PRICE_SOURCES in prices.ts gives each one its date); no live price was fetched.',
    'Aurora prices are for the Aurora Standard configuration (I/O billed per request); I/O-Optimized has higher instance and storage rates and no I/O charge.',
    'Aurora backup storage is free up to 100 % of the cluster storage; backupGbMonth applies only beyond that.',
    'ElastiCache node prices are for Redis OSS; Valkey nodes are 20 % cheaper (0.8x) where offered.',
    'RDS Proxy on provisioned instances bills the vCPUs of the proxied instances, with a minimum of 2 vCPUs (Aurora Serverless v2 is billed per ACU instead).',
    'CloudFront bills by where viewers are, not by the origin region: us-* regions are priced for viewers in the United States (HTTPS 0.0100 per 10,000 requests), eu-* regions for viewers in Europe (0.0120); data-out tiers are the same in both. Origin fetches from AWS origins are free. An always-free tier (1 TB out, 10 M requests per month) and flat-rate plans (since 2025-11-18) exist and are not applied here.',
    'AWS WAF is priced the same in every region; AWS-managed baseline rule groups (Core rule set, Known bad inputs, IP reputation, SQL database, ...) carry no subscription fee and count as one rule each; Bot Control, Fraud Control and Marketplace groups add fees not modelled here.',
    'Inter-AZ transfer is charged in each direction (0.01 out of one AZ and 0.01 into the other).',
    'SQS is billed per request (Standard queues, first tier up to 100 billion a month); the always-free 1 M requests a month is not applied.',
    'Container Insights has no separate price here: it is billed as CloudWatch custom metrics and Logs ingestion/storage (the Price List also has an ECS Container Insights observation rate, 0.07 USD per metric-month in us-east-1, for enhanced observability).',
    'Values marked "derived" or "estimate" in prices.ts were not found for that region in the stored sources; check them before relying on them.',
  ],
  regions: {
    // ---------------------------------------------------------------------------------------------------------------
    // eu-central-1, Europe (Frankfurt): the default region.
    // ---------------------------------------------------------------------------------------------------------------
    'eu-central-1': {
      fargate: {
        x86: {
          vcpuHour: 0.04656, // source: [S1] eu-central-1 normal cpu 0.04656
          gbHour: 0.00511, // source: [S1] eu-central-1 normal ram 0.00511 (also Infracost eu-central-1: 1 GB x 730 h = $3.73)
        },
        arm: {
          vcpuHour: 0.03725, // derived: 0.04656 x 0.8 (ARM/x86 = 0.03238/0.04048 = 0.80 in us-east-1 [S2]) = 0.037248
          gbHour: 0.00409, // derived: 0.00511 x 0.8 (0.00356/0.004445 = 0.80 in us-east-1 [S2]) = 0.004088
        },
      },
      alb: {
        hour: 0.027, // source: [S5] Application load balancer 730 h $19.71 -> 0.027
        lcuHour: 0.008, // source: [S5] $5.84 per LCU-month / 730 h = 0.008
      },
      natGateway: {
        hour: 0.052, // source: [S3] eu-central-1 NAT Gateway 0.0520000000 USD per hour; [S4] 730 h $37.96
        gbProcessed: 0.052, // source: [S3] eu-central-1 Data Processing 0.0520000000 USD per GB; [S4] $0.052 per GB
      },
      aurora: {
        instanceHour: {
          // derived: us-east-1 [S8] x 1.1644, the Frankfurt/N. Virginia ratio of Aurora db.t4g.medium
          // (0.085 = $62.05/730 h in [S4], vs 0.073 in [S8]). Same-service ratio, other family: check before use.
          'db.r7g.large': 0.321, // derived: 0.276 [S8] x 1.1644 ([S4] / [S8]) = 0.3214
          'db.r7g.xlarge': 0.644, // derived: 0.553 [S8] x 1.1644 ([S4] / [S8]) = 0.6439
          'db.r7g.2xlarge': 1.288, // derived: 1.106 [S8] x 1.1644 ([S4] / [S8]) = 1.2878
          'db.r7g.4xlarge': 2.574, // derived: 2.211 [S8] x 1.1644 ([S4] / [S8]) = 2.5745
          'db.r7g.8xlarge': 5.149, // derived: 4.422 [S8] x 1.1644 ([S4] / [S8]) = 5.1489
          'db.r7g.12xlarge': 7.723, // derived: 6.633 [S8] x 1.1644 ([S4] / [S8]) = 7.7234
          'db.r7g.16xlarge': 10.298, // derived: 8.844 [S8] x 1.1644 ([S4] / [S8]) = 10.2978
          'db.r6g.large': 0.303, // derived: 0.260 [S8] x 1.1644 ([S4] / [S8]) = 0.3027
          'db.r6g.xlarge': 0.604, // derived: 0.519 [S8] x 1.1644 ([S4] / [S8]) = 0.6043
          'db.r6g.2xlarge': 1.209, // derived: 1.038 [S8] x 1.1644 ([S4] / [S8]) = 1.2086
          'db.r6g.4xlarge': 2.417, // derived: 2.076 [S8] x 1.1644 ([S4] / [S8]) = 2.4173
          'db.r6g.8xlarge': 4.835, // derived: 4.152 [S8] x 1.1644 ([S4] / [S8]) = 4.8346
          'db.r6g.12xlarge': 7.252, // derived: 6.228 [S8] x 1.1644 ([S4] / [S8]) = 7.2519
          'db.r6g.16xlarge': 9.669, // derived: 8.304 [S8] x 1.1644 ([S4] / [S8]) = 9.6692
        },
        storageGbMonth: 0.12, // source: [S4] aws_rds_cluster Storage $0.12 per GB
        ioPerMillion: 0.22, // source: [S4] I/O requests $0.22 per 1M requests
        backupGbMonth: 0.023, // source: [S4] Backup storage $0.023 per GB
      },
      rdsProxy: {
        vcpuHour: 0.0175, // estimate: us-east-1 0.015 [S10] x 1.1644 (Aurora Frankfurt ratio, see aurora) = 0.01747; no Frankfurt rate found
        minimumVcpu: 2, // source: [S11] "Minimum Charge: 2 vCPUs" (provisioned instances)
      },
      elasticache: {
        nodeHour: {
          // derived: us-east-1 [S12] x 1.2037, the Frankfurt ratio of memory-optimized nodes
          // (cache.r5.large 0.26 [S14] / 0.216 [S12] = 1.2037; cache.r4.4xlarge 2.19/1.82 = 1.2033 [S13]).
          'cache.r7g.large': 0.264, // derived: 0.219 [S12] x 1.2037 ([S14] / [S12]) = 0.2636
          'cache.r7g.xlarge': 0.526, // derived: 0.437 [S12] x 1.2037 ([S14] / [S12]) = 0.5260
          'cache.r7g.2xlarge': 1.051, // derived: 0.873 [S12] x 1.2037 ([S14] / [S12]) = 1.0508
          'cache.r7g.4xlarge': 2.1, // derived: 1.745 [S12] x 1.2037 ([S14] / [S12]) = 2.1005
          'cache.r7g.8xlarge': 4.202, // derived: 3.491 [S12] x 1.2037 ([S14] / [S12]) = 4.2021
          'cache.r7g.12xlarge': 6.301, // derived: 5.235 [S12] x 1.2037 ([S14] / [S12]) = 6.3014
          'cache.r7g.16xlarge': 8.403, // derived: 6.981 [S12] x 1.2037 ([S14] / [S12]) = 8.4030
          'cache.t4g.medium': 0.073, // derived: 0.065 x 1.125 (Frankfurt Valkey cache.t4g.small 0.0288 = $42.05/1,460 h [S4], i.e. Redis 0.036, vs 0.032 [S12]) = 0.0731
          'cache.m7g.large': 0.184, // derived: 0.158 x 1.1648 (general-purpose ratio, cache.m3.2xlarge 0.848/0.728 [S13], old generation) = 0.1840
          'cache.m7g.xlarge': 0.367, // derived: 0.315 [S12] x 1.1648 ([S13]) = 0.3669
        },
        backupGbMonth: 0.085, // estimate: the ElastiCache pricing page's backup rate (0.085 per GB-month, stated for all regions as recalled); not in the stored sources
      },
      cloudfront: CLOUDFRONT_EUROPE, // source: [S15] [S26] (priced by where viewers are: Europe)
      waf: {
        webAclMonth: 5, // source: [S4] Web ACL usage 1 month $5.00; [S17] same in all regions
        ruleMonth: 1, // source: [S18] $1 per rule per month; [S3] waf data "Rule" 1.00 USD; [S17]
        requestsPerMillion: 0.6, // source: [S4] Requests $0.60 per 1M requests; [S17]
      },
      dataTransfer: {
        interAzGb: 0.01, // source: [S23] $0.01/GB each way between AZs
        internetOutGb: 0.09, // source: [S22] "eu-central-1": 0.09 (first 10 TB tier)
      },
      cloudwatch: {
        metricMonth: 0.3, // source: [S5] EC2 detailed monitoring 14 metrics $4.20 -> 0.30 per metric-month
        alarmMonth: 0.1, // source: [S24] "$0.10 per alarm metric" (eu-central-1)
        compositeAlarmMonth: 0.5, // source: [S28] "Composite alarms ... $0.50/alarm-month" (no region named: assumed uniform, like the $0.10 standard alarm)
        dashboardMonth: 3, // source: [S24] "$3.00 per dashboard per month" (eu-central-1)
        logsIngestGb: 0.63, // source: [S4] Data ingested $0.63 per GB; [S24]
        logsStorageGbMonth: 0.0324, // source: [S4] Archival Storage $0.0324 per GB
      },
      secretsManager: {
        secretMonth: 0.4, // source: [S19] $0.40/secret/month; [S20] does not vary by region (standard partition)
        apiPer10k: 0.05, // source: [S19] $0.05 per 10,000 API calls (assumed region-independent like the secret charge)
      },
      kms: {
        keyMonth: 1, // source: [S3] eu-central-1 "Encryption" 1.00 USD; [S4] Customer master key $1.00
        requestsPer10k: 0.03, // source: [S3] eu-central-1 0.000003 USD per request; [S4] $0.03 per 10k requests
      },
      s3: {
        standardGbMonth: 0.0245, // source: [S21] "eu-central-1": 0.0245 (Price List API, 2026-07-01); [S4] $0.0245 per GB
      },
      sqs: {
        standardRequestsPerMillion: 0.4, // estimate: as us-east-1 [S29] [S30]: the sources price us-east-1 only; the Standard rate is 0.40 in Frankfurt as recalled from the SQS pricing page
      },
    },

    // ---------------------------------------------------------------------------------------------------------------
    // us-east-1, US East (N. Virginia): the reference region most sources quote.
    // ---------------------------------------------------------------------------------------------------------------
    'us-east-1': {
      fargate: {
        x86: {
          vcpuHour: 0.04048, // source: [S1] us-east-1 normal cpu 0.04048; [S2] Linux/x86 $0.04048
          gbHour: 0.004445, // source: [S1] us-east-1 normal ram 0.004445; [S2]
        },
        arm: {
          vcpuHour: 0.03238, // source: [S2] Linux/ARM $0.03238
          gbHour: 0.00356, // source: [S2] Linux/ARM $0.00356
        },
      },
      alb: {
        hour: 0.0225, // source: [S25] "$0.0225 hourly charge"; Infracost us-east-1 outputs 730 h $16.43
        lcuHour: 0.008, // source: [S25] "$0.008 per LCU"
      },
      natGateway: {
        hour: 0.045, // source: [S3] us-east-1 NAT Gateway 0.0450000000 USD per hour; [S27] $0.045 per NAT Gateway Hour
        gbProcessed: 0.045, // source: [S3] us-east-1 Data Processing 0.0450000000 USD per GB; [S27] $0.045 per GB
      },
      aurora: {
        instanceHour: { ...AURORA_US_EAST_1 }, // source: [S8]
        storageGbMonth: 0.1, // source: [S9] Standard Storage $0.10 per GB-month (Aurora PostgreSQL)
        ioPerMillion: 0.2, // source: [S9] $0.20 per 1 million I/O requests
        backupGbMonth: 0.021, // source: [S9] Backup storage beyond free allocation $0.021 per GB-month
      },
      rdsProxy: {
        vcpuHour: 0.015, // source: [S10] $0.015 per vCPU per hour in us-east-1; [S11] SKU USE1-RDS:ProxyUsage $0.015
        minimumVcpu: 2, // source: [S11] "Minimum Charge: 2 vCPUs"
      },
      elasticache: {
        nodeHour: { ...ELASTICACHE_US_EAST_1 }, // source: [S12]
        backupGbMonth: 0.085, // estimate: ElastiCache pricing page backup rate as recalled (0.085 per GB-month); not in the stored sources
      },
      cloudfront: CLOUDFRONT_US, // source: [S15] [S27] (priced by where viewers are: United States)
      waf: {
        webAclMonth: 5, // source: [S18]; [S17] same in all regions
        ruleMonth: 1, // source: [S18]; [S17] same in all regions
        requestsPerMillion: 0.6, // source: [S18]; [S17]
      },
      dataTransfer: {
        interAzGb: 0.01, // source: [S23]; [S27] DataTransfer-Regional-Bytes $0.01
        internetOutGb: 0.09, // source: [S21] "us-east-1": 0.09 (AWSDataTransfer, 2026-07-04); [S22]; [S27] first 10 TB $0.09
      },
      cloudwatch: {
        metricMonth: 0.3, // source: [S9] first 10,000 metrics $0.30 per metric-month
        alarmMonth: 0.1, // source: [S9] standard resolution $0.10 per alarm-month
        compositeAlarmMonth: 0.5, // source: [S28] "Composite alarms ... $0.50/alarm-month" (no region named: assumed uniform, like the $0.10 standard alarm)
        dashboardMonth: 3, // estimate: $3.00 per dashboard-month as in eu-central-1 [S24]; [S9] lists dashboards as not found in the API
        logsIngestGb: 0.5, // source: [S9] custom logs $0.50 per GB ingested
        logsStorageGbMonth: 0.03, // source: [S9] $0.03 per GB-month
      },
      secretsManager: {
        secretMonth: 0.4, // source: [S19]; [S20]
        apiPer10k: 0.05, // source: [S19]
      },
      kms: {
        keyMonth: 1, // source: [S3] us-east-1 "Encryption" 1.00 USD
        requestsPer10k: 0.03, // source: [S3] us-east-1 0.000003 USD per request
      },
      s3: {
        standardGbMonth: 0.023, // source: [S21] "us-east-1": 0.023; [S20]; [S27] TimedStorage-ByteHrs 0.023
      },
      sqs: {
        standardRequestsPerMillion: 0.4, // source: [S29] Standard $0.40/M (first 100B), us-east-1 as of March 2026; [S30] us-east-1, June 2026
      },
    },

    // ---------------------------------------------------------------------------------------------------------------
    // us-west-2, US West (Oregon).
    // ---------------------------------------------------------------------------------------------------------------
    'us-west-2': {
      fargate: {
        x86: {
          vcpuHour: 0.04048, // source: [S1] us-west-2 normal cpu 0.04048
          gbHour: 0.004445, // source: [S1] us-west-2 normal ram 0.004445
        },
        arm: {
          vcpuHour: 0.03238, // derived: 0.04048 x 0.8 = 0.032384 (x86 equals us-east-1 [S1], where ARM is 0.03238 [S2])
          gbHour: 0.00356, // derived: 0.004445 x 0.8 = 0.003556 (as us-east-1 [S2])
        },
      },
      alb: {
        hour: 0.0225, // estimate: us-east-1 rate [S25]; Oregon matches N. Virginia for NAT [S3], Fargate [S1], S3 [S21]; not confirmed for ELB
        lcuHour: 0.008, // estimate: as above
      },
      natGateway: {
        hour: 0.045, // source: [S3] us-west-2 NAT Gateway 0.0450000000 USD per hour
        gbProcessed: 0.045, // source: [S3] us-west-2 Data Processing 0.0450000000 USD per GB
      },
      aurora: {
        instanceHour: { ...AURORA_US_EAST_1 }, // estimate: us-east-1 rates [S8]; Oregon matches N. Virginia for the services sourced here; not confirmed for Aurora
        storageGbMonth: 0.1, // estimate: us-east-1 rate [S9]
        ioPerMillion: 0.2, // estimate: us-east-1 rate [S9]
        backupGbMonth: 0.021, // estimate: us-east-1 rate [S9]
      },
      rdsProxy: {
        vcpuHour: 0.015, // estimate: us-east-1 rate [S10]
        minimumVcpu: 2, // source: [S11]
      },
      elasticache: {
        nodeHour: { ...ELASTICACHE_US_EAST_1 }, // derived: equal to us-east-1 [S12], as cache.r4.4xlarge (1.82) and cache.t3.medium (0.068) are equal in both [S13]
        backupGbMonth: 0.085, // estimate: as us-east-1
      },
      cloudfront: CLOUDFRONT_US, // source: [S15] [S27] (priced by where viewers are: United States)
      waf: {
        webAclMonth: 5, // source: [S18]; [S17]
        ruleMonth: 1, // source: [S3] us-west-2 waf data "Rule" 1.00 USD
        requestsPerMillion: 0.6, // source: [S3] us-west-2 0.0000006 USD per request; [S18]
      },
      dataTransfer: {
        interAzGb: 0.01, // source: [S23]
        internetOutGb: 0.09, // source: [S21] "us-west-2": 0.09; [S22]
      },
      cloudwatch: {
        metricMonth: 0.3, // estimate: us-east-1 rate [S9]; no Oregon CloudWatch rate in the stored sources
        alarmMonth: 0.1, // estimate: us-east-1 rate [S9]
        compositeAlarmMonth: 0.5, // source: [S28] "Composite alarms ... $0.50/alarm-month" (no region named: assumed uniform, like the $0.10 standard alarm)
        dashboardMonth: 3, // estimate: as us-east-1
        logsIngestGb: 0.5, // estimate: us-east-1 rate [S9]
        logsStorageGbMonth: 0.03, // estimate: us-east-1 rate [S9]
      },
      secretsManager: {
        secretMonth: 0.4, // source: [S19]; [S20]
        apiPer10k: 0.05, // source: [S19]
      },
      kms: {
        keyMonth: 1, // source: [S3] us-west-2 "Encryption" 1.00 USD
        requestsPer10k: 0.03, // source: [S3] us-west-2 0.000003 USD per request
      },
      s3: {
        standardGbMonth: 0.023, // source: [S21] "us-west-2": 0.023; [S20]
      },
      sqs: {
        standardRequestsPerMillion: 0.4, // estimate: as us-east-1 [S29] [S30]: the sources price us-east-1 only; the Standard rate is 0.40 in Oregon as recalled from the SQS pricing page
      },
    },

    // ---------------------------------------------------------------------------------------------------------------
    // eu-west-1, Europe (Ireland).
    // ---------------------------------------------------------------------------------------------------------------
    'eu-west-1': {
      fargate: {
        x86: {
          vcpuHour: 0.04048, // source: [S1] eu-west-1 normal cpu 0.04048
          gbHour: 0.004445, // source: [S1] eu-west-1 normal ram 0.004445
        },
        arm: {
          vcpuHour: 0.03238, // derived: 0.04048 x 0.8 = 0.032384 (x86 equals us-east-1 [S1], where ARM is 0.03238 [S2])
          gbHour: 0.00356, // derived: 0.004445 [S1] x 0.8 (ARM/x86 in us-east-1 [S2]) = 0.003556
        },
      },
      alb: {
        hour: 0.0252, // source: [S6] Application load balancer 730 h $18.40 -> 0.0252
        lcuHour: 0.008, // source: [S6] $5.84 per LCU-month / 730 h = 0.008
      },
      natGateway: {
        hour: 0.048, // source: [S3] eu-west-1 NAT Gateway 0.0480000000 USD per hour; [S6] 730 h $35.04
        gbProcessed: 0.048, // source: [S3] eu-west-1 Data Processing 0.0480000000 USD per GB; [S6] $0.048 per GB
      },
      aurora: {
        instanceHour: {
          // estimate: us-east-1 [S8] x 1.10. No Ireland Aurora instance rate was found; 1.10 is the Ireland uplift
          // assumed from Aurora storage (0.11 vs 0.10, itself an estimate) and ElastiCache memory nodes (1.114 [S13]).
          'db.r7g.large': 0.304, // estimate: 0.276 x 1.10 = 0.3036
          'db.r7g.xlarge': 0.608, // estimate: 0.553 x 1.10 = 0.6083
          'db.r7g.2xlarge': 1.217, // estimate: 1.106 x 1.10 = 1.2166
          'db.r7g.4xlarge': 2.432, // estimate: 2.211 x 1.10 = 2.4321
          'db.r7g.8xlarge': 4.864, // estimate: 4.422 x 1.10 = 4.8642
          'db.r7g.12xlarge': 7.296, // estimate: 6.633 x 1.10 = 7.2963
          'db.r7g.16xlarge': 9.728, // estimate: 8.844 x 1.10 = 9.7284
          'db.r6g.large': 0.286, // estimate: 0.260 x 1.10 = 0.2860
          'db.r6g.xlarge': 0.571, // estimate: 0.519 x 1.10 = 0.5709
          'db.r6g.2xlarge': 1.142, // estimate: 1.038 x 1.10 = 1.1418
          'db.r6g.4xlarge': 2.284, // estimate: 2.076 x 1.10 = 2.2836
          'db.r6g.8xlarge': 4.567, // estimate: 4.152 x 1.10 = 4.5672
          'db.r6g.12xlarge': 6.851, // estimate: 6.228 x 1.10 = 6.8508
          'db.r6g.16xlarge': 9.134, // estimate: 8.304 x 1.10 = 9.1344
        },
        storageGbMonth: 0.11, // estimate: Ireland Aurora storage as recalled from the AWS pricing page; not in the stored sources
        ioPerMillion: 0.22, // estimate: as Frankfurt [S4]; not in the stored sources for Ireland
        backupGbMonth: 0.021, // estimate: as us-east-1 [S9]; not in the stored sources for Ireland
      },
      rdsProxy: {
        vcpuHour: 0.0165, // estimate: us-east-1 0.015 [S10] x 1.10 (Aurora Ireland estimate above); no Ireland rate found
        minimumVcpu: 2, // source: [S11]
      },
      elasticache: {
        nodeHour: {
          // derived: us-east-1 [S12] x 1.1143, the Ireland ratio of memory-optimized nodes (cache.r4.4xlarge 2.028/1.82 [S13]).
          'cache.r7g.large': 0.244, // derived: 0.219 [S12] x 1.1143 ([S13]) = 0.2440
          'cache.r7g.xlarge': 0.487, // derived: 0.437 [S12] x 1.1143 ([S13]) = 0.4869
          'cache.r7g.2xlarge': 0.973, // derived: 0.873 [S12] x 1.1143 ([S13]) = 0.9728
          'cache.r7g.4xlarge': 1.944, // derived: 1.745 [S12] x 1.1143 ([S13]) = 1.9445
          'cache.r7g.8xlarge': 3.89, // derived: 3.491 [S12] x 1.1143 ([S13]) = 3.8900
          'cache.r7g.12xlarge': 5.833, // derived: 5.235 [S12] x 1.1143 ([S13]) = 5.8334
          'cache.r7g.16xlarge': 7.779, // derived: 6.981 [S12] x 1.1143 ([S13]) = 7.7789
          'cache.t4g.medium': 0.069, // derived: 0.065 x 1.0588 (burstable ratio, cache.t3.medium 0.072/0.068 [S13]) = 0.0688
          'cache.m7g.large': 0.17, // derived: 0.158 x 1.0783 (general-purpose ratio, cache.m3.2xlarge 0.785/0.728 [S13], old generation) = 0.1704
          'cache.m7g.xlarge': 0.34, // derived: 0.315 [S12] x 1.0783 ([S13]) = 0.3397
        },
        backupGbMonth: 0.085, // estimate: as us-east-1
      },
      cloudfront: CLOUDFRONT_EUROPE, // source: [S15] [S26] (priced by where viewers are: Europe)
      waf: {
        webAclMonth: 5, // source: [S18]; [S17] same in all regions
        ruleMonth: 1, // source: [S18]; [S17]
        requestsPerMillion: 0.6, // source: [S18]; [S17]
      },
      dataTransfer: {
        interAzGb: 0.01, // source: [S23]
        internetOutGb: 0.09, // source: [S21] "eu-west-1": 0.09; [S22]
      },
      cloudwatch: {
        metricMonth: 0.3, // source: [S7] EC2 detailed monitoring 7 metrics $2.10 -> 0.30 per metric-month
        alarmMonth: 0.1, // estimate: as us-east-1 [S9] and eu-central-1 [S24]; no Ireland alarm rate found
        compositeAlarmMonth: 0.5, // source: [S28] "Composite alarms ... $0.50/alarm-month" (no region named: assumed uniform, like the $0.10 standard alarm)
        dashboardMonth: 3, // estimate: as eu-central-1 [S24]
        logsIngestGb: 0.57, // source: [S7] Data ingested $0.57 per GB
        logsStorageGbMonth: 0.03, // source: [S7] Archival Storage $0.03 per GB
      },
      secretsManager: {
        secretMonth: 0.4, // source: [S19]; [S20]
        apiPer10k: 0.05, // source: [S19]
      },
      kms: {
        keyMonth: 1, // source: [S3] eu-west-1 "Encryption" 1.00 USD
        requestsPer10k: 0.03, // source: [S3] eu-west-1 0.000003 USD per request
      },
      s3: {
        standardGbMonth: 0.023, // source: [S21] "eu-west-1": 0.023; [S20]
      },
      sqs: {
        standardRequestsPerMillion: 0.4, // estimate: as us-east-1 [S29] [S30]: the sources price us-east-1 only; the Standard rate is 0.40 in Ireland as recalled from the SQS pricing page
      },
    },
  },
};

/** The region the capacity model prices by default: eu-central-1 (Frankfurt). */
export const DEFAULT_PRICED_REGION = 'eu-central-1';

/** The regions {@link PRICE_TABLE} has prices for, default region first. */
export const PRICED_REGIONS = Object.keys(PRICE_TABLE.regions) as readonly string[];

/** Returns the prices of a region, or throws an Error naming the region and the priced regions. */
export function pricesFor(region: string): RegionPrices {
  if (!Object.prototype.hasOwnProperty.call(PRICE_TABLE.regions, region)) {
    throw new Error(
      `no AWS prices for region '${region}' in price table ${PRICE_TABLE.version}; priced regions: ${PRICED_REGIONS.join(', ')}`,
    );
  }
  return PRICE_TABLE.regions[region];
}
