import { AzureDnsZone } from "../../components/azure/dns";
import { Plan } from "../../scripts/plan/run";
import { onlyResource, resourcesOfType } from "../helpers";
import { inputs, planComponent } from "./fixtures";

function planDns(dnssec: boolean, protect: boolean): Promise<Plan> {
  return planComponent(() => {
    const dns = new AzureDnsZone("z", { resourceGroupName: "gitpod-test", domain: "gitpod.example.com", dnssec, protect, lock: protect, tags: {} });
    return { nameServers: dns.nameServers };
  });
}

describe("Azure DNS zone", () => {
  it("is a public, protected zone for the domain, DNSSEC-signed, with its name servers as output", async () => {
    const plan = await planDns(true, true);
    const zone = onlyResource(plan, "azure-native:dns:Zone");
    expect(inputs(zone)).toMatchObject({ zoneName: "gitpod.example.com", zoneType: "Public", location: "global" });
    expect(zone.options.protect).toBe(true);
    expect(inputs(onlyResource(plan, "azure-native:dns:DnssecConfig")).zoneName).toBe("gitpod.example.com");
    expect(plan.outputs.nameServers).toHaveLength(4);
  });

  it("skips DNSSEC and protection when the stack says so", async () => {
    const plan = await planDns(false, false);
    expect(resourcesOfType(plan, "azure-native:dns:DnssecConfig")).toHaveLength(0);
    expect(onlyResource(plan, "azure-native:dns:Zone").options.protect).toBe(false);
  });

  it("locks the zone's SOA record set, so the zone cannot be deleted while external-dns still deletes its records", async () => {
    const plan = await planDns(true, true);
    const lock = inputs(onlyResource(plan, "azure-native:authorization:ManagementLockByScope"));
    expect(lock).toMatchObject({ scope: "z-zone-id/SOA/@", level: "CanNotDelete" });
  });
});
