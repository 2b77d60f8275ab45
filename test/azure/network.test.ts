import { AzureNetwork, mysqlSubnetDelegation } from "../../components/azure/network";
import { Plan } from "../../scripts/plan/run";
import { onlyResource, resourceNamed, resourcesOfType } from "../helpers";
import { inputs, planComponent } from "./fixtures";

function planNetwork(protect: boolean, natGatewayIpCount?: number): Promise<Plan> {
  return planComponent(() => {
    new AzureNetwork("n", {
      resourceGroupName: "gitpod-test",
      vnetName: "gitpod-test-vnet",
      location: "westeurope",
      vnetCidr: "10.10.0.0/16",
      clusterSubnetCidr: "10.10.0.0/20",
      databaseSubnetCidr: "10.10.16.0/28",
      natGatewayIpCount,
      protect,
      tags: { app: "gitpod" },
    });
  });
}

describe("Azure network", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planNetwork(true);
  });

  it("creates the resource group, protected in production because deleting it deletes everything in it", () => {
    const group = onlyResource(plan, "azure-native:resources:ResourceGroup");
    expect(inputs(group)).toMatchObject({ resourceGroupName: "gitpod-test", location: "westeurope", tags: { app: "gitpod" } });
    expect(group.options.protect).toBe(true);
  });

  it("creates the VNet without inline subnets, so updates never drop the separately managed ones", () => {
    const vnet = onlyResource(plan, "azure-native:network:VirtualNetwork");
    expect(inputs(vnet).addressSpace).toEqual({ addressPrefixes: ["10.10.0.0/16"] });
    expect(inputs(vnet).subnets).toBeUndefined();
    expect(vnet.options.ignoreChanges).toContain("subnets");
  });

  it("has a cluster subnet and a subnet delegated to MySQL Flexible Server", () => {
    const cluster = resourceNamed(plan, "azure-native:network:Subnet", "n-cluster");
    expect(inputs(cluster)).toMatchObject({ subnetName: "cluster", addressPrefix: "10.10.0.0/20" });
    expect(inputs(cluster).delegations).toBeUndefined();
    const database = resourceNamed(plan, "azure-native:network:Subnet", "n-database");
    expect(inputs(database)).toMatchObject({ subnetName: "mysql", addressPrefix: "10.10.16.0/28" });
    expect(inputs(database).delegations).toEqual([{ name: "mysql-flexible-server", serviceName: mysqlSubnetDelegation }]);
    expect(mysqlSubnetDelegation).toBe("Microsoft.DBforMySQL/flexibleServers");
    expect(database.dependencies).toContain(cluster.urn);
  });

  it("leaves the resource group unprotected outside production", async () => {
    const dev = await planNetwork(false);
    expect(onlyResource(dev, "azure-native:resources:ResourceGroup").options.protect).toBe(false);
  });

  it("has no NAT gateway with load balancer egress", () => {
    expect(resourcesOfType(plan, "azure-native:network:NatGateway")).toHaveLength(0);
    expect(inputs(resourceNamed(plan, "azure-native:network:Subnet", "n-cluster")).natGateway).toBeUndefined();
  });

  it("creates a NAT gateway with static Standard IPs and puts it on the cluster subnet before AKS uses it", async () => {
    const nat = await planNetwork(true, 3);
    const ips = resourcesOfType(nat, "azure-native:network:PublicIPAddress");
    expect(ips).toHaveLength(3);
    for (const ip of ips) expect(inputs(ip)).toMatchObject({ sku: { name: "Standard" }, publicIPAllocationMethod: "Static" });
    const gateway = onlyResource(nat, "azure-native:network:NatGateway");
    expect(inputs(gateway)).toMatchObject({ sku: { name: "Standard" }, publicIpAddresses: ips.map((ip) => ({ id: `${ip.name}-id` })) });
    const subnet = resourceNamed(nat, "azure-native:network:Subnet", "n-cluster");
    expect(inputs(subnet).natGateway).toEqual({ id: `${gateway.name}-id` });
    expect(subnet.dependencies).toContain(gateway.urn);
  });
});
