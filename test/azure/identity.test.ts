import { AzureWorkloadIdentities, workloadIdentityAudience } from "../../components/azure/identity";
import { builtInRoles } from "../../components/azure/roles";
import { inClusterTools } from "../../components/platform";
import { Plan } from "../../scripts/plan/run";
import { onlyResource, resourceNamed, resourcesOfType } from "../helpers";
import { inputs, planComponent, subscriptionId } from "./fixtures";

const role = (guid: string) => `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

describe("workload identities", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planComponent(() => {
      const ids = new AzureWorkloadIdentities("w", {
        resourceGroupName: "gitpod-test",
        resourceGroupId: "rg-id",
        location: "westeurope",
        subscriptionId,
        stack: "test",
        namePrefix: "gitpod-test",
        oidcIssuerUrl: "https://westeurope.oic.prod-aks.azure.com/tenant/issuer/",
        dnsZoneId: "zone-id",
        tags: {},
      });
      return { bindings: ids.bindings };
    });
  });

  it("makes one user-assigned identity per tool", () => {
    const names = resourcesOfType(plan, "azure-native:managedidentity:UserAssignedIdentity").map((r) => inputs(r).resourceName);
    expect(names.sort()).toEqual(["gitpod-test-cert-manager", "gitpod-test-external-dns", "gitpod-test-velero"]);
  });

  it("lets each identity trust only its own service account on the cluster's issuer", () => {
    const credentials = resourcesOfType(plan, "azure-native:managedidentity:FederatedIdentityCredential");
    expect(credentials).toHaveLength(3);
    const bySubject = Object.fromEntries(credentials.map((c) => [inputs(c).subject, c]));
    for (const [short, tool] of [
      ["cert-manager", inClusterTools.certManager],
      ["external-dns", inClusterTools.externalDns],
      ["velero", inClusterTools.velero],
    ] as const) {
      const credential = bySubject[`system:serviceaccount:${tool.namespace}:${tool.serviceAccount}`];
      expect(inputs(credential)).toMatchObject({
        issuer: "https://westeurope.oic.prod-aks.azure.com/tenant/issuer/",
        audiences: [workloadIdentityAudience],
        resourceName: `gitpod-test-${short}`,
      });
    }
  });

  it("gives cert-manager DNS Zone Contributor on the zone only", () => {
    const assignments = resourcesOfType(plan, "azure-native:authorization:RoleAssignment").filter((r) => r.name.startsWith("w-cert-manager-"));
    expect(assignments.map((a) => [inputs(a).roleDefinitionId, inputs(a).scope])).toEqual([[role(builtInRoles.dnsZoneContributor), "zone-id"]]);
    const identity = resourceNamed(plan, "azure-native:managedidentity:UserAssignedIdentity", "w-cert-manager");
    expect(assignments[0].dependencies).toContain(identity.urn);
    expect(inputs(assignments[0]).principalType).toBe("ServicePrincipal");
  });

  it("gives external-dns DNS Zone Contributor on the zone and only dnszones/read on the group, Velero nothing here", () => {
    const forTool = (prefix: string) =>
      resourcesOfType(plan, "azure-native:authorization:RoleAssignment")
        .filter((r) => r.name.startsWith(prefix))
        .map((a) => [inputs(a).roleDefinitionId, inputs(a).scope])
        .sort();
    expect(forTool("w-external-dns-")).toEqual(
      [
        [role(builtInRoles.dnsZoneContributor), "zone-id"],
        ["w-dns-zone-lister-id", "rg-id"],
      ].sort(),
    );
    expect(forTool("w-velero-")).toEqual([]);
    // Reader on the group would show external-dns every resource's settings; the custom role lists zones only.
    const lister = inputs(onlyResource(plan, "azure-native:authorization:RoleDefinition"));
    expect(lister.permissions).toEqual([{ actions: ["Microsoft.Network/dnszones/read"], notActions: [], dataActions: [], notDataActions: [] }]);
    expect(lister.assignableScopes).toEqual(["rg-id"]);
  });

  it("binds each tool's service account by client id and labels its pods for the webhook", () => {
    const bindings = plan.outputs.bindings as Record<string, { serviceAccountAnnotations: Record<string, string>; podLabels: Record<string, string> }>;
    expect(Object.keys(bindings).sort()).toEqual(Object.keys(inClusterTools).sort());
    const clientIds = new Set<string>();
    for (const binding of Object.values(bindings)) {
      expect(binding.podLabels).toEqual({ "azure.workload.identity/use": "true" });
      expect(binding.serviceAccountAnnotations["azure.workload.identity/client-id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(binding.serviceAccountAnnotations["azure.workload.identity/tenant-id"]).toMatch(/^[0-9a-f-]{36}$/);
      clientIds.add(binding.serviceAccountAnnotations["azure.workload.identity/client-id"]);
    }
    expect(clientIds.size).toBe(3);
  });
});
