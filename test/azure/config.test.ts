import { cidrContains, cidrsOverlap, nthAddress } from "../../config/azure";
import { ConfigError } from "../../config";
import { azureConfig, subscriptionId } from "./fixtures";

function problemsOf(azure: Record<string, unknown>, overrides: Record<string, unknown> = {}): string {
  try {
    azureConfig(overrides, azure);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error("expected the config to be rejected");
}

describe("azure config section", () => {
  it("fills production-grade network and cluster defaults", () => {
    const { azure } = azureConfig();
    expect(azure.network).toEqual({
      vnetCidr: "10.10.0.0/16",
      clusterSubnetCidr: "10.10.0.0/20",
      databaseSubnetCidr: "10.10.16.0/28",
      podCidr: "10.244.0.0/16",
      serviceCidr: "172.16.0.0/16",
      outboundType: "loadBalancer",
      outboundIpCount: 2,
    });
    expect(azure.cluster).toMatchObject({
      systemPool: "services",
      zones: ["1", "2", "3"],
      maxPodsPerNode: 110,
      upgradeChannel: "patch",
      nodeOsUpgradeChannel: "NodeImage",
      entraId: { enabled: true, azureRbac: true, adminGroupObjectIds: [], clusterAdmins: [] },
      osSku: "Ubuntu2204",
      maintenanceWindow: { dayOfWeek: "Sunday", startTime: "02:00", durationHours: 4, utcOffset: "+00:00" },
      kubeloginMode: "azurecli",
      apiServerAuthorizedIpRanges: [],
    });
    expect(azure.subscriptionId).toBe(subscriptionId);
  });

  it.each([
    [{ subscriptionId: "not-a-guid" }, "gitpod-platform:azure.subscriptionId = \"not-a-guid\": must be a GUID"],
    [{ network: { clusterSubnetCidr: "10.20.0.0/20" } }, "gitpod-platform:azure.network.clusterSubnetCidr = \"10.20.0.0/20\": must lie inside network.vnetCidr"],
    [{ network: { databaseSubnetCidr: "10.10.8.0/28" } }, "gitpod-platform:azure.network.databaseSubnetCidr = \"10.10.8.0/28\": must not overlap network.clusterSubnetCidr"],
    [{ network: { databaseSubnetCidr: "10.10.16.0/30" } }, "databaseSubnetCidr = \"10.10.16.0/30\": must be /29 or larger"],
    [{ network: { podCidr: "10.10.128.0/17" } }, "gitpod-platform:azure.network.podCidr = \"10.10.128.0/17\": must not overlap network.vnetCidr"],
    [{ network: { serviceCidr: "10.244.0.0/20" } }, "gitpod-platform:azure.network.serviceCidr = \"10.244.0.0/20\": must not overlap network.podCidr"],
    [{ network: { dnsServiceIp: "10.0.0.10" } }, "gitpod-platform:azure.network.dnsServiceIp = \"10.0.0.10\": must lie inside network.serviceCidr"],
    [{ cluster: { entraId: { enabled: false }, disableLocalAccounts: true } }, "gitpod-platform:azure.cluster.disableLocalAccounts = true: needs cluster.entraId.enabled"],
    [{ cluster: { entraId: { azureRbac: false } } }, "gitpod-platform:azure.cluster.entraId.azureRbac = false: needs at least one group in cluster.entraId.adminGroupObjectIds"],
    [{ cluster: { entraId: { adminGroupObjectIds: ["admins"] } } }, "gitpod-platform:azure.cluster.entraId.adminGroupObjectIds.0 = \"admins\": must be a GUID"],
    [{ cluster: { zones: ["4"] } }, "gitpod-platform:azure.cluster.zones.0 = \"4\": must be an availability zone"],
    [{ cluster: { maxPodsPerNode: 500 } }, "gitpod-platform:azure.cluster.maxPodsPerNode = 500: must be from 30 to 250"],
    [{ cluster: { apiServerAuthorizedIpRanges: ["office"] } }, "gitpod-platform:azure.cluster.apiServerAuthorizedIpRanges.0 = \"office\": must be an IPv4 CIDR"],
    [
      { cluster: { entraId: { azureRbac: false, adminGroupObjectIds: ["11111111-2222-4333-8444-555555555555"], clusterAdmins: [{ objectId: "99999999-8888-4777-8666-555555555555", type: "User" }] } } },
      "gitpod-platform:azure.cluster.entraId.clusterAdmins",
    ],
    // A principal without its type would be sent as "User" and refused by Azure for a service principal.
    [{ cluster: { entraId: { clusterAdmins: [{ objectId: "99999999-8888-4777-8666-555555555555" }] } } }, "gitpod-platform:azure.cluster.entraId.clusterAdmins.0.type"],
    // AKS refuses its managed NAT gateway with a custom VNet subnet ("Outbound type is managedNATGateway but agent pool ... is using custom VNet").
    [{ network: { outboundType: "managedNATGateway" } }, "must be loadBalancer or userAssignedNATGateway"],
    [{ cluster: { maintenanceWindow: { startTime: "2am" } } }, "gitpod-platform:azure.cluster.maintenanceWindow.startTime = \"2am\": must be a time such as 02:00"],
    [{ cluster: { maintenanceWindow: { durationHours: 2 } } }, "gitpod-platform:azure.cluster.maintenanceWindow.durationHours = 2: must be from 4 to 24"],
    [{ cluster: { maintenanceWindow: { dayOfWeek: "Sun" } } }, "gitpod-platform:azure.cluster.maintenanceWindow.dayOfWeek"],
    [{ database: { zone: "2", standbyZone: "2" } }, "gitpod-platform:azure.database.standbyZone = \"2\": must differ from database.zone"],
    [{ storage: { accountName: "Has-Dashes" } }, "gitpod-platform:azure.storage.accountName = \"Has-Dashes\": must be 3-24 lowercase letters and digits"],
    [{ storage: { replication: "XRS" } }, "gitpod-platform:azure.storage.replication"],
    [{ registry: { sku: "Enterprise" } }, "gitpod-platform:azure.registry.sku"],
    [{ clusterr: {} }, "gitpod-platform:azure.clusterr: unknown key; allowed keys here: location, subscriptionId"],
  ])("rejects %j naming the key", (azure, message) => {
    expect(problemsOf(azure)).toContain(message);
  });

  it("requires a subscription", () => {
    expect(problemsOf({ subscriptionId: undefined })).toContain("gitpod-platform:azure.subscriptionId is required");
  });
});

describe("CIDR maths", () => {
  it("knows containment, overlap and addresses", () => {
    expect(cidrContains("10.10.0.0/16", "10.10.16.0/28")).toBe(true);
    expect(cidrContains("10.10.0.0/16", "10.11.0.0/28")).toBe(false);
    expect(cidrContains("10.10.0.0/16", "10.0.0.0/8")).toBe(false);
    expect(cidrsOverlap("10.0.0.0/8", "10.244.0.0/16")).toBe(true);
    expect(cidrsOverlap("10.10.0.0/20", "10.10.16.0/28")).toBe(false);
    expect(nthAddress("172.16.0.0/16", 10)).toBe("172.16.0.10");
    expect(nthAddress("10.0.255.0/23", 10)).toBe("10.0.254.10");
  });
});
