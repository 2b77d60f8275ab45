import * as aws from "../../providers/sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import { cidrPrefix, parseCidr } from "../../config/cidr";
import { AwsStackConfig } from "./common";

/** `aws.network.natGateways`, or its default: one per zone in production (a zone outage keeps egress), else one. */
export function natGatewaysOf(config: AwsStackConfig): "perZone" | "single" {
  return config.aws.network.natGateways ?? (config.environment === "production" ? "perZone" : "single");
}

/** Subnet CIDRs of the three tiers, one per availability zone, in zone order. */
export interface SubnetLayout {
  /** Nodes and pods (large: with prefix delegation every node takes /28 blocks). */
  private: string[];
  /** Internet-facing load balancers and the NAT gateways. */
  public: string[];
  /** RDS; no route to the internet. */
  database: string[];
}

/** The i-th block of `newBits` more bits inside `cidr` (Terraform's cidrsubnet). */
export function cidrSubnet(cidr: string, newBits: number, index: number): string {
  const bits = cidrPrefix(cidr) + newBits;
  if (bits > 28) throw new Error(`cannot carve a /${bits} out of ${cidr}: subnets must be /28 or larger`);
  const { base: start, prefix } = parseCidr(cidr);
  const subnetSize = 2 ** (32 - prefix) / 2 ** newBits;
  if (index < 0 || index >= 2 ** newBits) throw new Error(`${cidr} has no subnet ${index} of /${bits}`);
  const value = start + index * subnetSize;
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256);
  return `${octets.join(".")}/${bits}`;
}

/**
 * Carves the VPC into three tiers for `zones` zones: the first three eighths are the private subnets (a /19 each in a
 * /16), the fourth eighth holds the public subnets (/22) and the database subnets (/24). The upper half stays free
 * for growth (a second pod range, more zones).
 */
export function subnetLayout(vpcCidr: string, zones = 3): SubnetLayout {
  if (zones < 1 || zones > 3) throw new Error(`the layout has room for 1 to 3 zones, not ${zones}`);
  const indexes = [...Array(zones).keys()];
  return {
    private: indexes.map((i) => cidrSubnet(vpcCidr, 3, i)),
    public: indexes.map((i) => cidrSubnet(vpcCidr, 6, 24 + i)),
    database: indexes.map((i) => cidrSubnet(vpcCidr, 8, 108 + i)),
  };
}

/** Tags EKS and the AWS Load Balancer Controller use to find subnets for load balancers. */
export function subnetTags(clusterName: string, tier: "public" | "private"): Record<string, string> {
  return {
    [`kubernetes.io/cluster/${clusterName}`]: "shared",
    [tier === "public" ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"]: "1",
  };
}

export interface NetworkArgs {
  /** The stack's region, for the S3 endpoint's service name. */
  region: string;
  /** EKS cluster name, for the subnet discovery tags. */
  clusterName: string;
  /** The VPC's CIDR block. */
  vpcCidr: string;
  /** The three availability zones, in order. */
  availabilityZones: pulumi.Input<string>[];
  /** One NAT gateway per zone, or a single one for the whole VPC. */
  natGateways: "perZone" | "single";
}

/**
 * A VPC across three availability zones: public subnets for load balancers and NAT, private subnets for nodes and
 * pods (egress through NAT), isolated database subnets without internet route, and an S3 gateway endpoint so that
 * registry and object-storage traffic does not pay for NAT.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly databaseSubnetIds: pulumi.Output<string>[];
  readonly layout: SubnetLayout;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:Network", name, {}, opts);
    const zones = args.availabilityZones;
    const layout = subnetLayout(args.vpcCidr, zones.length);
    this.layout = layout;

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: args.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name } },
      { parent: this },
    );
    // The default security group allows all traffic between its members: leave it without rules.
    new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags: { Name: `${name}-default` } }, { parent: this });

    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: name } }, { parent: this });

    const subnet = (tier: "public" | "private" | "database", index: number, cidr: string) =>
      new aws.ec2.Subnet(
        `${name}-${tier}-${index}`,
        {
          vpcId: vpc.id,
          cidrBlock: cidr,
          availabilityZone: zones[index],
          mapPublicIpOnLaunch: false,
          tags: {
            Name: `${name}-${tier}-${index}`,
            tier,
            ...(tier === "database" ? {} : subnetTags(args.clusterName, tier)),
          },
        },
        { parent: this },
      );
    const publicSubnets = layout.public.map((cidr, i) => subnet("public", i, cidr));
    const privateSubnets = layout.private.map((cidr, i) => subnet("private", i, cidr));
    const databaseSubnets = layout.database.map((cidr, i) => subnet("database", i, cidr));

    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public`,
      { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags: { Name: `${name}-public` } },
      { parent: this },
    );
    publicSubnets.forEach(
      (s, i) =>
        new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: s.id, routeTableId: publicRoutes.id }, { parent: this }),
    );

    const natCount = args.natGateways === "perZone" ? zones.length : 1;
    const nats = [...Array(natCount).keys()].map((i) => {
      const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: { Name: `${name}-nat-${i}` } }, { parent: this });
      return new aws.ec2.NatGateway(
        `${name}-nat-${i}`,
        { allocationId: eip.id, subnetId: publicSubnets[i].id, connectivityType: "public", tags: { Name: `${name}-nat-${i}` } },
        { parent: this, dependsOn: [igw] },
      );
    });
    const privateRouteTables = privateSubnets.map((s, i) => {
      const table = new aws.ec2.RouteTable(
        `${name}-private-${i}`,
        {
          vpcId: vpc.id,
          routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nats[Math.min(i, natCount - 1)].id }],
          tags: { Name: `${name}-private-${i}` },
        },
        { parent: this },
      );
      new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: s.id, routeTableId: table.id }, { parent: this });
      return table;
    });

    // Database subnets: only the VPC's local route.
    const databaseRoutes = new aws.ec2.RouteTable(
      `${name}-database`,
      { vpcId: vpc.id, tags: { Name: `${name}-database` } },
      { parent: this },
    );
    databaseSubnets.forEach(
      (s, i) =>
        new aws.ec2.RouteTableAssociation(`${name}-database-${i}`, { subnetId: s.id, routeTableId: databaseRoutes.id }, { parent: this }),
    );

    new aws.ec2.VpcEndpoint(
      `${name}-s3`,
      {
        vpcId: vpc.id,
        serviceName: `com.amazonaws.${args.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: privateRouteTables.map((t) => t.id),
        tags: { Name: `${name}-s3` },
      },
      { parent: this },
    );

    this.vpcId = vpc.id;
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.databaseSubnetIds = databaseSubnets.map((s) => s.id);
    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
      databaseSubnetIds: this.databaseSubnetIds,
    });
  }
}
