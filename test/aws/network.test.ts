import { cidrSubnet, Network, NetworkArgs, subnetLayout } from "../../components/aws/network";
import { Plan } from "../../scripts/plan/run";
import { onlyResource, resourceNamed, resourcesOfType } from "../helpers";
import { planComponent } from "./fixtures";

const SUBNET = "aws:ec2/subnet:Subnet";

function planNetwork(overrides: Partial<NetworkArgs> = {}): Promise<Plan> {
  return planComponent(() => {
    new Network("net", {
      region: "eu-west-1",
      clusterName: "gitpod-test",
      vpcCidr: "10.0.0.0/16",
      availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
      natGateways: "perZone",
      ...overrides,
    });
  });
}

describe("subnet layout", () => {
  it("carves /19 private, /22 public and /24 database subnets out of a /16 without overlap", () => {
    expect(subnetLayout("10.0.0.0/16")).toEqual({
      private: ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"],
      public: ["10.0.96.0/22", "10.0.100.0/22", "10.0.104.0/22"],
      database: ["10.0.108.0/24", "10.0.109.0/24", "10.0.110.0/24"],
    });
  });

  it("scales with the VPC: a /20 gives /23, /26 and /28 subnets", () => {
    expect(subnetLayout("172.16.16.0/20")).toEqual({
      private: ["172.16.16.0/23", "172.16.18.0/23", "172.16.20.0/23"],
      public: ["172.16.22.0/26", "172.16.22.64/26", "172.16.22.128/26"],
      database: ["172.16.22.192/28", "172.16.22.208/28", "172.16.22.224/28"],
    });
  });

  it("refuses subnets that do not fit", () => {
    expect(() => cidrSubnet("10.0.0.0/24", 8, 0)).toThrow(/\/28 or larger/);
    expect(() => cidrSubnet("10.0.0.0/16", 2, 4)).toThrow(/no subnet 4/);
  });
});

describe("VPC", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planNetwork();
  });

  it("spans three availability zones with a public, a private and a database subnet in each", () => {
    const subnets = resourcesOfType(plan, SUBNET);
    expect(subnets).toHaveLength(9);
    for (const tier of ["public", "private", "database"]) {
      const zones = subnets.filter((s) => (s.inputs.tags as any).tier === tier).map((s) => s.inputs.availabilityZone);
      expect(zones).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    }
    expect(onlyResource(plan, "aws:ec2/vpc:Vpc").inputs).toMatchObject({ cidrBlock: "10.0.0.0/16", enableDnsHostnames: true, enableDnsSupport: true });
    for (const subnet of subnets) expect(subnet.inputs.mapPublicIpOnLaunch).toBe(false);
  });

  it("tags the subnets for EKS load balancers: public for internet-facing, private for internal, none on the database tier", () => {
    const tags = (name: string) => resourceNamed(plan, SUBNET, name).inputs.tags as Record<string, string>;
    expect(tags("net-public-0")).toMatchObject({ "kubernetes.io/role/elb": "1", "kubernetes.io/cluster/gitpod-test": "shared" });
    expect(tags("net-private-2")).toMatchObject({ "kubernetes.io/role/internal-elb": "1", "kubernetes.io/cluster/gitpod-test": "shared" });
    expect(Object.keys(tags("net-database-1")).filter((k) => k.startsWith("kubernetes.io/"))).toEqual([]);
  });

  it("routes private subnets through one NAT gateway per zone and public subnets through the internet gateway", () => {
    expect(resourcesOfType(plan, "aws:ec2/natGateway:NatGateway")).toHaveLength(3);
    const nat = (i: number) => resourceNamed(plan, "aws:ec2/natGateway:NatGateway", `net-nat-${i}`);
    expect(nat(1).inputs.subnetId).toBe("net-public-1-id");
    for (const i of [0, 1, 2]) {
      expect(resourceNamed(plan, "aws:ec2/routeTable:RouteTable", `net-private-${i}`).inputs.routes).toEqual([
        { cidrBlock: "0.0.0.0/0", natGatewayId: `net-nat-${i}-id` },
      ]);
    }
    expect(resourceNamed(plan, "aws:ec2/routeTable:RouteTable", "net-public").inputs.routes).toEqual([{ cidrBlock: "0.0.0.0/0", gatewayId: "net-igw-id" }]);
  });

  it("gives the database subnets no route out of the VPC", () => {
    const table = resourceNamed(plan, "aws:ec2/routeTable:RouteTable", "net-database");
    expect(table.inputs.routes ?? []).toEqual([]);
    const associated = resourcesOfType(plan, "aws:ec2/routeTableAssociation:RouteTableAssociation").filter((a) => a.inputs.routeTableId === "net-database-id");
    expect(associated.map((a) => a.inputs.subnetId).sort()).toEqual(["net-database-0-id", "net-database-1-id", "net-database-2-id"]);
  });

  it("keeps S3 traffic off the NAT gateways with a gateway endpoint, and the default security group empty", () => {
    const endpoint = onlyResource(plan, "aws:ec2/vpcEndpoint:VpcEndpoint").inputs;
    expect(endpoint).toMatchObject({ serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "Gateway" });
    expect(endpoint.routeTableIds).toEqual(["net-private-0-id", "net-private-1-id", "net-private-2-id"]);
    const defaultSg = onlyResource(plan, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").inputs;
    expect(defaultSg.ingress ?? []).toEqual([]);
    expect(defaultSg.egress ?? []).toEqual([]);
  });

  it("uses a single NAT gateway when asked to, shared by every private subnet", async () => {
    const single = await planNetwork({ natGateways: "single" });
    expect(resourcesOfType(single, "aws:ec2/natGateway:NatGateway")).toHaveLength(1);
    for (const i of [0, 1, 2]) {
      expect(resourceNamed(single, "aws:ec2/routeTable:RouteTable", `net-private-${i}`).inputs.routes).toEqual([
        { cidrBlock: "0.0.0.0/0", natGatewayId: "net-nat-0-id" },
      ]);
    }
  });
});
