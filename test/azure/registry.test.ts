import * as pulumi from "@pulumi/pulumi";
import { AcrRegistry, AcrRegistryArgs, gitpodScopeActions, mirrorScopeActions, tokenPasswordWarning } from "../../components/azure/registry";
import { builtInRoles } from "../../components/azure/roles";
import { Plan } from "../../scripts/plan/run";
import { onlyResource, resourcesOfType } from "../helpers";
import { inputs, planComponent, subscriptionId } from "./fixtures";

function planRegistry(overrides: Partial<AcrRegistryArgs> = {}): Promise<Plan> {
  return planComponent(() => {
    const acr = new AcrRegistry("r", {
      resourceGroupName: "gitpod-test",
      location: "westeurope",
      registryName: "gitpodtestabc123",
      sku: "Premium",
      tokenPassword: pulumi.secret("token-password-from-config"),
      tokenPasswordExpiry: "2027-06-30",
      today: "2026-11-30",
      subscriptionId,
      kubeletObjectId: "kubelet-object-id",
      lock: true,
      protect: true,
      tags: { app: "gitpod" },
      ...overrides,
    });
    const registry = acr.containerRegistry;
    if (registry.kind !== "external") throw new Error("expected an external registry");
    return { url: registry.url, server: registry.server, username: registry.username, password: registry.password };
  });
}

describe("Azure Container Registry", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planRegistry();
  });

  it("has the admin user and anonymous pull off, zone redundancy on Premium, and protection", () => {
    const registry = onlyResource(plan, "azure-native:containerregistry:Registry");
    expect(inputs(registry)).toMatchObject({
      registryName: "gitpodtestabc123",
      sku: { name: "Premium" },
      adminUserEnabled: false,
      anonymousPullEnabled: false,
      zoneRedundancy: "Enabled",
    });
    expect(registry.options.protect).toBe(true);
  });

  it("gives Gitpod a token whose scope map allows push and pull on Gitpod's repositories only", () => {
    const scopeMap = onlyResource(plan, "azure-native:containerregistry:ScopeMap");
    expect(inputs(scopeMap).actions).toEqual([
      "repositories/gitpod/base-images/content/read",
      "repositories/gitpod/base-images/content/write",
      "repositories/gitpod/base-images/metadata/read",
      "repositories/gitpod/workspace-images/content/read",
      "repositories/gitpod/workspace-images/content/write",
      "repositories/gitpod/workspace-images/metadata/read",
      ...mirrorScopeActions(),
    ]);
    expect(mirrorScopeActions()).toContain("repositories/gitpod/mirror/bitnami/rabbitmq/content/read");
    expect(gitpodScopeActions().some((action) => /delete|metadata\/write|\*/.test(action))).toBe(false);
    const token = onlyResource(plan, "azure-native:containerregistry:Token");
    expect(inputs(token)).toMatchObject({ tokenName: "gitpod", status: "enabled", scopeMapId: `${scopeMap.name}-id` });
    expect(token.options.ignoreChanges).toContain("credentials");
  });

  it("hands Gitpod the repository prefix, the token as user and the password as a secret", () => {
    expect(plan.outputs).toMatchObject({ url: "gitpodtestabc123.azurecr.io/gitpod", server: "gitpodtestabc123.azurecr.io", username: "gitpod" });
    expect(plan.outputs.password).toBe("[secret]");
    expect(JSON.stringify(plan)).not.toContain("token-password-from-config");
  });

  it("uses Standard without zone redundancy outside production", async () => {
    const dev = await planRegistry({ sku: "Standard", protect: false, tokenPassword: undefined });
    const registry = onlyResource(dev, "azure-native:containerregistry:Registry");
    expect(inputs(registry)).toMatchObject({ sku: { name: "Standard" }, zoneRedundancy: "Disabled", adminUserEnabled: false });
    expect(registry.options.protect).toBe(false);
    expect(dev.outputs.password).toBe("[secret]");
  });

  it("grants the AKS kubelet identity AcrPull on the registry, for images mirrored into it", () => {
    const pull = inputs(onlyResource(plan, "azure-native:authorization:RoleAssignment"));
    expect(pull).toMatchObject({
      principalId: "kubelet-object-id",
      principalType: "ServicePrincipal",
      roleDefinitionId: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.acrPull}`,
      scope: "r-acr-id",
    });
    expect(builtInRoles.acrPull).toBe("7f951dda-4ed3-4680-a7ca-43fe172d538d");
  });

  it("locks the registry against deletion outside Pulumi", () => {
    expect(inputs(onlyResource(plan, "azure-native:authorization:ManagementLockByScope"))).toMatchObject({ scope: "r-acr-id", level: "CanNotDelete" });
    expect(resourcesOfType(plan, "azure-native:authorization:ManagementLockByScope")).toHaveLength(1);
  });

  it("tracks the token password: missing, expiry unknown, within 30 days, lapsed; quiet otherwise", () => {
    expect(tokenPasswordWarning("acr", false, undefined, "2026-11-30")).toMatch(/cannot push workspace images until the ACR token has a password/);
    expect(tokenPasswordWarning("acr", true, undefined, "2026-11-30")).toMatch(/set azure.registry.tokenPasswordExpiry/);
    expect(tokenPasswordWarning("acr", true, "2026-12-20", "2026-11-30")).toMatch(/expires on 2026-12-20 \(in 20 days\)/);
    expect(tokenPasswordWarning("acr", true, "2026-11-29", "2026-11-30")).toMatch(/expired on 2026-11-29: Gitpod's image builds fail.*--password2/);
    expect(tokenPasswordWarning("acr", true, "2027-06-30", "2026-11-30")).toBeUndefined();
  });
});
