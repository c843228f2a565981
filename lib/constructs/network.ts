import { Annotations, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { stableName } from './stable-name';
import { propError } from './validation';

/** Properties of {@link Network}. */
export interface NetworkProps {
  /**
   * How many availability zones the VPC spans.
   * @default 3
   */
  readonly maxAzs?: number;

  /**
   * How many NAT gateways to create. One per AZ keeps egress (image pulls, AWS APIs) alive when an AZ fails.
   * @default - one per availability zone
   */
  readonly natGateways?: number;

  /**
   * The VPC's IPv4 CIDR block.
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;

  /**
   * How long VPC flow logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;
}

/** Subnet group names, shared by the constructs that place resources in them. */
export const SUBNET_GROUPS = {
  /** Load balancers facing CloudFront, and the NAT gateways. */
  public: 'Public',
  /** Application tasks: outbound through NAT, no inbound from the internet. */
  application: 'Application',
  /** Databases and caches: no route to the internet at all. */
  data: 'Data',
} as const;

/**
 * A three-tier VPC (public, application, data subnets) with VPC flow logs to CloudWatch Logs.
 *
 * The data tier is isolated: Aurora and Redis have no route to or from the internet.
 */
export class Network extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.Vpc;

  /** Where flow logs go. */
  public readonly flowLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: NetworkProps = {}) {
    super(scope, id);
    const maxAzs = props.maxAzs ?? 3;
    const natGateways = props.natGateways ?? maxAzs;
    if (!Number.isInteger(maxAzs) || maxAzs < 2 || maxAzs > 6) {
      throw propError(this, `'maxAzs' (${maxAzs}) must be an integer from 2 to 6: Aurora and Redis failover need at least two AZs`);
    }
    if (!Number.isInteger(natGateways) || natGateways < 1 || natGateways > maxAzs) {
      throw propError(this, `'natGateways' (${natGateways}) must be an integer from 1 to 'maxAzs' (${maxAzs})`);
    }

    if (Token.isUnresolved(Stack.of(this).region) && maxAzs > 2) {
      // CDK gives an environment-agnostic stack two AZs (Fn::GetAZs), whatever maxAzs says: say so rather than shrink silently.
      Annotations.of(this).addWarningV2('scaling-roadmap:network-azs',
        `'maxAzs' (${maxAzs}): an environment-agnostic stack spans only 2 AZs; give the stack env: { account, region } (and pinAvailabilityZones for offline synthesis) for ${maxAzs}`);
    }

    // Flow logs are audit evidence: keep them when the stack is deleted.
    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: props.flowLogRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.vpc = new ec2.Vpc(this, 'Resource', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr ?? '10.0.0.0/16'),
      maxAzs,
      natGateways,
      subnetConfiguration: [
        { name: SUBNET_GROUPS.public, subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        // /20 per AZ: room for ~4,000 Fargate task ENIs per AZ, far above the 100x plan.
        { name: SUBNET_GROUPS.application, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: SUBNET_GROUPS.data, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      flowLogs: {
        All: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });

    // CDK tags VPC resources `Name=<construct path from the app root>`, which includes the stack's construct id;
    // name them from the stack name and the path inside the stack instead, the same in every phase.
    Tags.of(this.vpc).add('Name', stableName(this.vpc), { priority: 200 });
    for (const subnet of [...this.vpc.publicSubnets, ...this.vpc.privateSubnets, ...this.vpc.isolatedSubnets]) {
      Tags.of(subnet).add('Name', stableName(subnet), { priority: 300 });
    }
  }
}

