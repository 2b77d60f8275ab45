import { GcpPlatform } from "../../components/gcp";
import { stackContext } from "../../policy/context";
import { evaluate, fromPlanned } from "../../policy/evaluate";
import { rules } from "../../policy/rules";
import { privateServicesClash } from "../../components/gcp/replicaSite";
import { clusterName } from "../../components/gcp/naming";
import { poolNames } from "../../components/gcp/nodePools";
import { gitpodNodeLabels, Platform } from "../../components/platform";
import { parseStackConfig, poolRoles } from "../../config";
import { nextFreeBlock, replicaSiteOf } from "../../config/gcpReplicaSite";
import gcpRegions from "../../facts/gcp/regions.json";
import { gcpFakes } from "../../scripts/plan/fakes/gcp";
import { Plan, PlannedResource } from "../../scripts/plan/run";
import { readStackFile } from "../../scripts/plan/stackFile";
import { committedPlan, configProblems, configValues, minimalGcpConfig, onlyResource, overriddenPlan, resourceNamed, resourcesOfType, valueOf } from "../helpers";
import { gcpConfig, planComponent } from "./fixtures";

/**
 * `backup.failover: true` on the committed production stack (Pulumi.prod.yaml: europe-west1, replica region
 * europe-west4, backup.databaseReplica): the stack runs from the replica region and touches nothing of the lost one.
 */
const committed = readStackFile("prod").values;
const committedBackup = JSON.parse(committed["gitpod-platform:backup"]) as Record<string, unknown>;
const replicaRegion = committedBackup.replicaRegion as string;
const failoverOverrides = configValues({ backup: { ...committedBackup, failover: true } });
const replicaInstanceName = "prod-backup-mysql-replica";

/** The cloud layer: everything under the GcpPlatform component (the Kubernetes layer is rebuilt on the new cluster by design). */
function cloudLayer(plan: Plan): PlannedResource[] {
  const inside = new Set(plan.resources.filter((r) => r.type === "gitpod:gcp:Platform").map((r) => r.urn));
  for (const r of plan.resources) if (inside.has(r.parent)) inside.add(r.urn);
  return plan.resources.filter((r) => inside.has(r.urn));
}
const regionOf = (r: PlannedResource) => (r.inputs.region ?? r.inputs.location) as string | undefined;

describe("GCP region failover (backup.failover on the prod stack)", () => {
  let normal: Plan;
  let failover: Plan;
  beforeAll(async () => {
    normal = await committedPlan("prod");
    failover = await overriddenPlan("prod", failoverOverrides);
  }, 60_000);

  it("builds a cluster with the three labelled pools in the replica region, under another name", () => {
    const clusters = resourcesOfType(failover, "gcp:container/cluster:Cluster");
    const replica = resourceNamed(failover, "gcp:container/cluster:Cluster", "prod-replica-cluster-gke");
    expect(clusters).toHaveLength(2);
    const primary = resourceNamed(normal, "gcp:container/cluster:Cluster", "prod-cluster-gke");
    expect(replica.inputs.location).toBe(replicaRegion);
    expect(replica.inputs.masterAuthorizedNetworksConfig).toEqual(primary.inputs.masterAuthorizedNetworksConfig);
    expect(replica.inputs.name).not.toBe(clusterName("prod"));
    expect((replica.inputs.privateClusterConfig as { masterIpv4CidrBlock: string }).masterIpv4CidrBlock).toBe("172.16.0.32/28");
    const primaryPools = resourcesOfType(normal, "gcp:container/nodePool:NodePool");
    const pools = resourcesOfType(failover, "gcp:container/nodePool:NodePool").filter((p) => p.name.startsWith("prod-replica-"));
    expect(pools).toHaveLength(poolRoles.length);
    for (const role of poolRoles) {
      const pool = pools.find((p) => p.inputs.name === poolNames[role]);
      expect((pool!.inputs.nodeConfig as any).labels).toEqual(gitpodNodeLabels[role]);
      expect(pool!.inputs.location).toBe(replicaRegion);
      const primary = primaryPools.find((p) => p.inputs.name === pool!.inputs.name)!;
      expect((pool!.inputs.nodeConfig as any).machineType).toBe((primary.inputs.nodeConfig as any).machineType);
      expect(pool!.inputs.autoscaling).toEqual(primary.inputs.autoscaling);
    }
  });

  it("puts the site in a subnet of the same VPC, apart from the primary's ranges, with its own router and NAT", () => {
    const primary = resourceNamed(normal, "gcp:compute/subnetwork:Subnetwork", "prod-network-nodes").inputs;
    const subnet = resourceNamed(failover, "gcp:compute/subnetwork:Subnetwork", "prod-replica-network-nodes").inputs;
    expect(subnet).toMatchObject({ region: replicaRegion, network: primary.network, ipCidrRange: "10.0.16.0/20", privateIpGoogleAccess: true });
    expect(subnet.secondaryIpRanges).toEqual([
      { rangeName: "pods", ipCidrRange: "10.24.0.0/14" },
      { rangeName: "services", ipCidrRange: "10.20.16.0/20" },
    ]);
    expect(resourceNamed(failover, "gcp:compute/routerNat:RouterNat", "prod-replica-network-nat").inputs.region).toBe(replicaRegion);
    expect(resourceNamed(failover, "gcp:compute/router:Router", "prod-replica-network-router").inputs.region).toBe(replicaRegion);
  });

  it("promotes the cross-region replica in place: instance type CLOUD_SQL_INSTANCE, no master, no other change", () => {
    const before = resourceNamed(normal, "gcp:sql/databaseInstance:DatabaseInstance", replicaInstanceName);
    const after = resourceNamed(failover, "gcp:sql/databaseInstance:DatabaseInstance", replicaInstanceName);
    expect(before.inputs.masterInstanceName).toBe("gitpod-prod-mysql");
    expect(after.inputs.instanceType).toBe("CLOUD_SQL_INSTANCE");
    expect(after.inputs.masterInstanceName).toBeUndefined();
    // The provider patches settings before it promotes; a replica takes no backups or HA: none in this update.
    expect(after.inputs.settings).toEqual(before.inputs.settings);
    expect(after.urn).toBe(before.urn);
    expect(after.options.protect).toBe(true);
  });

  it("is additive: every cloud resource of the normal plan is there unchanged, except the promoted replica", () => {
    const changedOnPurpose: Record<string, string[]> = { [replicaInstanceName]: ["instanceType", "masterInstanceName"] };
    const byUrn = new Map(failover.resources.map((r) => [r.urn, r]));
    for (const resource of cloudLayer(normal)) {
      const after = byUrn.get(resource.urn);
      expect(after).toBeDefined();
      const { inputs, ...rest } = after!;
      const { inputs: was, ...wasRest } = resource;
      expect({ ...rest, dependencies: [] }).toEqual({ ...wasRest, dependencies: [] });
      const changed = [...new Set([...Object.keys(inputs), ...Object.keys(was)])].filter((k) => JSON.stringify(inputs[k]) !== JSON.stringify(was[k]));
      expect({ [resource.name]: changed.sort() }).toEqual({ [resource.name]: changedOnPurpose[resource.name] ?? [] });
    }
    const known = new Set(normal.resources.map((r) => r.urn));
    const added = cloudLayer(failover).filter((r) => !known.has(r.urn));
    expect(added.length).toBeGreaterThan(15);
    // Nothing new in the lost region: every regional resource added is in the replica region.
    for (const r of added) if (regionOf(r) !== undefined) expect({ [r.name]: regionOf(r) }).toEqual({ [r.name]: replicaRegion });
  });

  it("creates the Kubernetes layer's provider on the replica cluster", () => {
    const provider = onlyResource(failover, "pulumi:providers:kubernetes").inputs;
    const replicaCluster = resourceNamed(failover, "gcp:container/cluster:Cluster", "prod-replica-cluster-gke").inputs.name;
    expect(provider.clusterIdentifier).toBe(replicaCluster);
    expect(onlyResource(normal, "pulumi:providers:kubernetes").inputs.clusterIdentifier).toBe(clusterName("prod"));
  });

  it("passes the policy pack (three labelled pools per cluster; the replica exempt from backups only in the update that promotes it)", () => {
    const context = stackContext("prod", { ...committed, ...failoverOverrides });
    const resources = failover.resources.map(fromPlanned);
    expect(evaluate(rules, resources, context).map((f) => `${f.level} ${f.rule}: ${f.message}`)).toEqual([]);
    // Without backup.failover in the stack's config, an instance without master and without backups is no exception.
    expect(evaluate(rules, resources, { ...context, failover: false }).map((f) => f.rule)).toContain("database-backups");
  });

  it("resolves the promoted instance's DNS name in a private zone of the VPC", () => {
    const zone = resourceNamed(failover, "gcp:dns/managedZone:ManagedZone", "prod-replica-database-dns-zone").inputs;
    const vpc = resourceNamed(normal, "gcp:compute/subnetwork:Subnetwork", "prod-network-nodes").inputs.network;
    expect(zone).toMatchObject({ dnsName: `0123456789ab.${replicaRegion}.sql.goog.`, visibility: "private", privateVisibilityConfig: { networks: [{ networkUrl: vpc }] } });
  });
});

describe("the Platform after a failover", () => {
  const config = () => {
    const parsed = parseStackConfig({ ...committed, ...failoverOverrides });
    if (parsed.cloud !== "gcp") throw new Error("expected the gcp prod stack");
    return parsed;
  };
  let platform: Platform | undefined;
  const plan = () => planComponent(() => void (platform = new GcpPlatform("prod", { config: config() }).platform));

  it("hands over the replica cluster, the promoted database, the replica region's registry and the same multi-region storage", async () => {
    await plan();
    const p = platform!;
    expect(await valueOf(p.clusterName)).toBe("gitpod-prod-gke-europe-west4");
    if (p.database.kind !== "external") throw new Error("expected an external database");
    expect(await valueOf(p.database.host)).toBe(`0123456789ab.${replicaRegion}.sql.goog`);
    expect(await valueOf(p.database.username)).toBe("gitpod");
    if (p.registry.kind !== "external") throw new Error("expected an external registry");
    expect(await valueOf(p.registry.url)).toMatch(new RegExp(`^${replicaRegion}-docker\\.pkg\\.dev/`));
    expect(await valueOf(p.imageMirror!.repository)).toMatch(new RegExp(`^${replicaRegion}-docker\\.pkg\\.dev/.*/mirror$`));
    expect(p.objectStorage.kind === "gcs" && p.objectStorage.region).toBe("eu");
    expect(p.nodePools.map((pool) => pool.labels)).toEqual(poolRoles.map((role) => gitpodNodeLabels[role]));
  });

  it("gives the promoted instance the primary's backups and HA once Cloud SQL reports it promoted", async () => {
    const fake = gcpFakes.calls["gcp:sql/getDatabaseInstance:getDatabaseInstance"];
    gcpFakes.calls["gcp:sql/getDatabaseInstance:getDatabaseInstance"] = (inputs) => ({ ...fake(inputs), instanceType: "CLOUD_SQL_INSTANCE" });
    try {
      const promoted = await plan();
      const settings = resourceNamed(promoted, "gcp:sql/databaseInstance:DatabaseInstance", replicaInstanceName).inputs.settings as any;
      expect(settings.availabilityType).toBe("REGIONAL");
      expect(settings.backupConfiguration).toMatchObject({ enabled: true, binaryLogEnabled: true, location: "eu" });
      expect(settings.retainBackupsOnDelete).toBe(true);
      const databaseRules = rules.filter((rule) => rule.name === "database-backups" || rule.name === "database-high-availability");
      expect(evaluate(databaseRules, promoted.resources.map(fromPlanned), stackContext("prod", { ...committed, ...failoverOverrides }))).toEqual([]);
    } finally {
      gcpFakes.calls["gcp:sql/getDatabaseInstance:getDatabaseInstance"] = fake;
    }
  });

  it("stops before the subnet when a site range overlaps the private services range Google allocated", () => {
    const site = replicaSiteOf(config())!;
    expect(privateServicesClash(site, "10.100.0.0/20")).toBeUndefined();
    expect(privateServicesClash({ ...site, network: { ...site.network, podsCidr: "10.96.0.0/12" } }, "10.100.0.0/20")).toBe(
      "gcp.replicaSite.network.podsCidr 10.96.0.0/12 overlaps the VPC's private services access range 10.100.0.0/20 (Cloud SQL's private IPs); set gcp.replicaSite.network.podsCidr to a free range",
    );
  });
});

describe("gcp.replicaSite", () => {
  const site = (gcp: Record<string, unknown> = {}) => ({ ...minimalGcpConfig, gcp: { ...(minimalGcpConfig.gcp as object), ...gcp }, backup: { replicaRegion: "europe-west4", databaseReplica: true } });

  it("defaults each range to the next free block of the primary's size, and zones from the facts", () => {
    const config = gcpConfig({ gcp: { project: "my-gitpod-project", region: "europe-west1", zones: ["europe-west1-b", "europe-west1-c"] } });
    const resolved = replicaSiteOf(config)!;
    expect(resolved.network).toEqual({ nodesCidr: "10.0.16.0/20", podsCidr: "10.24.0.0/14", servicesCidr: "10.20.16.0/20", masterCidr: "172.16.0.32/28" });
    expect(resolved.zones).toHaveLength(2);
    for (const zone of resolved.zones) expect(gcpRegions.regions["europe-west4"]!.map((l) => `europe-west4-${l}`)).toContain(zone);
    expect(replicaSiteOf(gcpConfig())?.zones).toEqual([]);
    expect(nextFreeBlock("10.16.0.0/14", ["10.16.0.0/14", "10.20.0.0/20"])).toBe("10.24.0.0/14");
    expect(nextFreeBlock("10.255.0.0/16", ["10.255.0.0/16"])).toBe("10.255.0.0/16");
  });

  it("rejects zones of another region, ranges the primary uses, a control plane that is not a /28", () => {
    const problems = configProblems({
      ...site({ replicaSite: { zones: ["europe-west1-b"], network: { nodesCidr: "10.0.16.1/20", podsCidr: "10.16.0.0/14", masterCidr: "172.16.0.32/27" } } }),
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/gcp\.replicaSite\.zones\.0 = "?europe-west1-b"?: is not a zone of backup\.replicaRegion europe-west4: one of europe-west4-/),
        expect.stringMatching(/gcp\.replicaSite\.network\.podsCidr = "?10\.16\.0\.0\/14"?: must not overlap gcp\.network\.podsCidr \(10\.16\.0\.0\/14\)/),
        expect.stringMatching(/gcp\.replicaSite\.network\.masterCidr = "?172\.16\.0\.32\/27"?: must be a \/28/),
        expect.stringMatching(/gcp\.replicaSite\.network\.nodesCidr = "?10\.0\.16\.1\/20"?: has host bits set/),
      ]),
    );
  });

  it("needs a replica region, and failover needs the database replica it promotes", () => {
    expect(configProblems({ ...minimalGcpConfig, environment: "development", backup: {}, gcp: { ...(minimalGcpConfig.gcp as object), replicaSite: {} } })).toEqual(
      expect.arrayContaining([expect.stringMatching(/gcp\.replicaSite = .*needs backup\.replicaRegion/)]),
    );
    expect(configProblems({ ...minimalGcpConfig, backup: { replicaRegion: "europe-west4", failover: true } })).toEqual(
      expect.arrayContaining([expect.stringMatching(/backup\.failover = true: needs backup\.databaseReplica: true on gcp/)]),
    );
  });
});
