import { GcpNetwork } from "../../components/gcp/network";
import { onlyResource, resourcesOfType } from "../helpers";
import { planComponent } from "./fixtures";

const args = { region: "europe-west1", nodesCidr: "10.0.0.0/20", podsCidr: "10.16.0.0/14", servicesCidr: "10.20.0.0/20" };

describe("GCP network", () => {
  it("has a subnet with secondary ranges for pods and services and private Google access", async () => {
    const plan = await planComponent(() => void new GcpNetwork("n", { ...args, privateNodes: true }));
    const subnet = onlyResource(plan, "gcp:compute/subnetwork:Subnetwork").inputs;
    expect(subnet).toMatchObject({ region: "europe-west1", ipCidrRange: "10.0.0.0/20", privateIpGoogleAccess: true });
    expect(subnet.secondaryIpRanges).toEqual([
      { rangeName: "pods", ipCidrRange: "10.16.0.0/14" },
      { rangeName: "services", ipCidrRange: "10.20.0.0/20" },
    ]);
    expect(onlyResource(plan, "gcp:compute/network:Network").inputs.autoCreateSubnetworks).toBe(false);
  });

  it("routes private nodes' egress through Cloud NAT, and has no NAT for public nodes", async () => {
    const privatePlan = await planComponent(() => void new GcpNetwork("n", { ...args, privateNodes: true }));
    expect(onlyResource(privatePlan, "gcp:compute/routerNat:RouterNat").inputs).toMatchObject({
      sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
    });
    const publicPlan = await planComponent(() => void new GcpNetwork("n", { ...args, privateNodes: false }));
    expect(resourcesOfType(publicPlan, "gcp:compute/routerNat:RouterNat")).toHaveLength(0);
  });

  it("reserves a private services range and peers it for Cloud SQL's private IP", async () => {
    const plan = await planComponent(() => void new GcpNetwork("n", { ...args, privateNodes: true }));
    expect(onlyResource(plan, "gcp:compute/globalAddress:GlobalAddress").inputs).toMatchObject({ purpose: "VPC_PEERING", addressType: "INTERNAL" });
    const peering = onlyResource(plan, "gcp:servicenetworking/connection:Connection").inputs;
    expect(peering.service).toBe("servicenetworking.googleapis.com");
    // Deleting it fails while Cloud SQL still uses it (terraform-provider-google#16275): abandoned, so destroy works.
    expect(peering.deletionPolicy).toBe("ABANDON");
  });
});
