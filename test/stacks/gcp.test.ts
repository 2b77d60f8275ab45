import { gitpodNodeLabels } from "../../components/platform";
import { ConfigError } from "../../config";
import { Plan, planStack, PlannedResource } from "../../scripts/plan/run";
import { committedPlan, configValues, onlyResource, resourceNamed, resourcesOfType } from "../helpers";

/** GCP resource types that hold data; recreating the cluster must never take them along. */
const dataTypes = [
  "gcp:sql/databaseInstance:DatabaseInstance",
  "gcp:sql/database:Database",
  "gcp:artifactregistry/repository:Repository",
  "gcp:dns/managedZone:ManagedZone",
  "gcp:storage/bucket:Bucket",
];

describe("the prod stack (GCP reference architecture)", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await committedPlan("prod");
  });

  it("has exactly one GKE cluster, with Calico and deletion protection", () => {
    const cluster = onlyResource(plan, "gcp:container/cluster:Cluster");
    expect(cluster.inputs.networkPolicy).toEqual({ enabled: true, provider: "CALICO" });
    expect(cluster.inputs.deletionProtection).toBe(true);
    expect(cluster.inputs.masterAuthorizedNetworksConfig).toEqual({ cidrBlocks: [{ displayName: "office", cidrBlock: "198.51.100.0/24" }] });
  });

  it("has exactly three node pools, one per role, carrying the Gitpod labels", () => {
    const pools = resourcesOfType(plan, "gcp:container/nodePool:NodePool");
    expect(pools).toHaveLength(3);
    const labelSets = pools.map((p) => (p.inputs.nodeConfig as { labels: Record<string, string> }).labels);
    expect(labelSets).toEqual(expect.arrayContaining(Object.values(gitpodNodeLabels)));
  });

  it("has one Cloud SQL MySQL instance with the gitpod database, a DNS zone and a registry", () => {
    expect(resourceNamed(plan, "gcp:sql/databaseInstance:DatabaseInstance", "prod-database-mysql").inputs.databaseVersion).toBe("MYSQL_8_0");
    expect(onlyResource(plan, "gcp:sql/database:Database").inputs.name).toBe("gitpod");
    expect(onlyResource(plan, "gcp:dns/managedZone:ManagedZone").inputs.dnsName).toBe("gitpod.example.com.");
    expect(onlyResource(plan, "gcp:artifactregistry/repository:Repository").inputs.format).toBe("DOCKER");
    const backups = (resourceNamed(plan, "gcp:sql/databaseInstance:DatabaseInstance", "prod-database-mysql").inputs.settings as any).backupConfiguration;
    expect(backups.backupRetentionSettings.retainedBackups).toBe(14);
  });

  it("protects every data resource", () => {
    for (const type of dataTypes) {
      for (const resource of resourcesOfType(plan, type)) expect({ urn: resource.urn, protect: resource.options.protect }).toEqual({ urn: resource.urn, protect: true });
    }
  });

  it("encrypts the cluster's Secrets with the stack's KMS key, granted to GKE before the cluster is created", () => {
    const cluster = onlyResource(plan, "gcp:container/cluster:Cluster");
    const key = onlyResource(plan, "gcp:kms/cryptoKey:CryptoKey");
    const grant = onlyResource(plan, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember");
    expect(cluster.inputs.databaseEncryption).toEqual({ state: "ENCRYPTED", keyName: "prod-kms-key-id" });
    expect(cluster.dependencies).toEqual(expect.arrayContaining([key.urn, grant.urn]));
    expect(key.options.protect).toBe(true);
  });

  it("creates Cloud SQL (primary and replica) only once private services access is peered", () => {
    const connection = onlyResource(plan, "gcp:servicenetworking/connection:Connection");
    const instances = resourcesOfType(plan, "gcp:sql/databaseInstance:DatabaseInstance");
    expect(instances.length).toBeGreaterThan(0);
    for (const instance of instances) expect({ name: instance.name, deps: instance.dependencies }).toEqual({ name: instance.name, deps: expect.arrayContaining([connection.urn]) });
  });

  it("enables the project's APIs before anything else: the provider every other GCP resource uses waits for them", () => {
    const services = resourcesOfType(plan, "gcp:projects/service:Service");
    const apisProvider = resourceNamed(plan, "pulumi:providers:gcp", "prod-gcp-apis");
    const provider = resourceNamed(plan, "pulumi:providers:gcp", "prod-gcp");
    for (const service of services) expect(service.provider).toBe(apisProvider.urn);
    expect(provider.dependencies).toEqual(expect.arrayContaining(services.map((s) => s.urn)));
  });

  it("creates every GCP resource through the stack's explicit provider", () => {
    const provider = resourceNamed(plan, "pulumi:providers:gcp", "prod-gcp");
    expect(provider.inputs).toMatchObject({ project: "example-gitpod-prod", region: "europe-west1" });
    const gcpResources = plan.resources.filter((r) => r.custom && r.type.startsWith("gcp:") && r.type !== "gcp:projects/service:Service");
    expect(gcpResources.length).toBeGreaterThan(30);
    for (const resource of gcpResources) expect(resource.provider).toBe(provider.urn);
  });

  it("exports the kubeconfig as a secret and the zone's name servers", () => {
    expect(plan.outputs.kubeconfig).toBe("[secret]");
    expect(plan.outputs.nameServers).toHaveLength(4);
  });
});

describe("the dev stack", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await committedPlan("dev");
  });

  it("is small and unprotected, so it can be rebuilt freely", () => {
    expect(plan.resources.filter((r: PlannedResource) => r.options.protect)).toEqual([]);
    expect(onlyResource(plan, "gcp:container/cluster:Cluster").inputs.deletionProtection).toBe(false);
    const instance = onlyResource(plan, "gcp:sql/databaseInstance:DatabaseInstance").inputs as any;
    expect(instance.settings.availabilityType).toBe("ZONAL");
    expect(instance.deletionProtection).toBe(false);
    const workspaces = resourcesOfType(plan, "gcp:container/nodePool:NodePool").find((p) => p.name.endsWith("regular-workspaces"))!.inputs as any;
    expect(workspaces.nodeConfig.machineType).toBe("n2d-standard-8");
    expect(workspaces.autoscaling).toMatchObject({ totalMinNodeCount: 0, totalMaxNodeCount: 3 });
  });
});

describe("a bad config", () => {
  it("stops the program before any resource but the stack itself is registered", async () => {
    const registered: string[] = [];
    const bad = configValues({ nodePools: { services: { minNodes: 7, maxNodes: 3 } } });
    await expect(planStack("prod", { configOverrides: bad, onRegister: (r) => registered.push(r.type) })).rejects.toThrow(ConfigError);
    expect(registered.filter((type) => type !== "pulumi:pulumi:Stack")).toEqual([]);
  });
});
