/**
 * The offline plan drops the SDKs' aliases to earlier API versions of a type (scripts/plan/versionAliases.ts), and
 * only those: an alias the program declares reaches the engine as written.
 */
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as pulumi from "@pulumi/pulumi";
import { dropVersionAliases } from "../../scripts/plan/versionAliases";
import { planComponent } from "../helpers";

/** The aliases the azure-native SDK gives a ManagedCluster, as the Resource constructor receives them. */
async function sdkAliases(): Promise<pulumi.Input<string | pulumi.Alias>[]> {
  let seen: pulumi.Input<string | pulumi.Alias>[] = [];
  await planComponent(() => {
    const capture: pulumi.ResourceTransformation = (args) => {
      seen = args.opts.aliases ?? [];
      return undefined;
    };
    new containerservice.ManagedCluster("aks", { resourceGroupName: "rg" }, { transformations: [capture] });
  });
  return seen;
}

const args = (type: string, aliases?: pulumi.Input<string | pulumi.Alias>[]): pulumi.ResourceTransformationArgs =>
  ({ resource: undefined as unknown as pulumi.Resource, type, name: "aks", props: {}, opts: { aliases } });

test("every alias azure-native gives a ManagedCluster is one of its earlier API versions, and all are dropped", async () => {
  const aliases = await sdkAliases();
  expect(aliases.length).toBeGreaterThan(100);
  expect(dropVersionAliases(args("azure-native:containerservice:ManagedCluster", aliases))?.opts.aliases).toEqual([]);
});

test("aliases the program declares are kept: a rename, a parent, another kind, another package, a URN", () => {
  const declared: pulumi.Input<string | pulumi.Alias>[] = [
    { name: "old-name" },
    { parent: pulumi.rootStackResource },
    { type: "azure-native:containerservice:AgentPool" },
    { type: "azure:containerservice/kubernetesCluster:ManagedCluster" },
    { type: "azure-native:containerservice/v20240101:ManagedCluster", name: "old-name" },
    "urn:pulumi:prod::gitpod-platform::azure-native:containerservice:ManagedCluster::old",
  ];
  const result = dropVersionAliases(args("azure-native:containerservice:ManagedCluster", [...declared, { type: "azure-native:containerservice/v20240101:ManagedCluster" }]));
  expect(result?.opts.aliases).toEqual(declared);
  expect(dropVersionAliases(args("azure-native:containerservice:ManagedCluster", declared))).toBeUndefined();
  expect(dropVersionAliases(args("azure-native:containerservice:ManagedCluster"))).toBeUndefined();
});

test("the plan registers a ManagedCluster with the program's alias only", async () => {
  const sent: Record<string, number> = {};
  await planComponent(() => {
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: { getType(): string; getAliasesList(): unknown[] }, callback: unknown): void };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      sent[req.getType()] = req.getAliasesList().length;
      register(req, callback);
    };
    new containerservice.ManagedCluster("aks", { resourceGroupName: "rg" }, { aliases: [{ name: "old-name" }] });
  });
  expect(sent["azure-native:containerservice:ManagedCluster"]).toBe(1);
});
