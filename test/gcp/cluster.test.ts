import * as pulumi from "@pulumi/pulumi";
import { GkeCluster, nodeServiceAccountRoles } from "../../components/gcp/cluster";
import { gkeKubeconfig } from "../../components/gcp/kubeconfig";
import { initialNodesPerZone } from "../../components/gcp/nodePools";
import { gitpodNodeLabels } from "../../components/platform";
import { Plan } from "../../scripts/plan/run";
import { onlyResource, resourcesOfType } from "../helpers";
import { gcpConfig, planComponent } from "./fixtures";

const POOL = "gcp:container/nodePool:NodePool";

function planCluster(overrides: Partial<ConstructorParameters<typeof GkeCluster>[1]> = {}): Promise<Plan> {
  const config = gcpConfig();
  return planComponent(() => {
    new GkeCluster("c", {
      project: "my-gitpod-project",
      region: "europe-west1",
      zones: [],
      kubernetesVersion: "1.35",
      releaseChannel: "REGULAR",
      networkId: "vpc-id",
      subnetId: "subnet-id",
      privateNodes: true,
      masterCidr: "172.16.0.16/28",
      masterAuthorizedNetworks: [],
      nodePools: config.nodePools,
      deletionProtection: true,
      stack: "test",
      ...overrides,
    });
  });
}

describe("GKE cluster", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planCluster();
  });

  it("uses Calico network policy on the legacy datapath, not Dataplane V2", () => {
    const cluster = onlyResource(plan, "gcp:container/cluster:Cluster").inputs;
    expect(cluster.networkPolicy).toEqual({ enabled: true, provider: "CALICO" });
    expect(cluster.addonsConfig).toMatchObject({ networkPolicyConfig: { disabled: false } });
    expect(cluster.datapathProvider).toBe("LEGACY_DATAPATH");
  });

  it("enrols in a release channel (No channel is refused for new customers) and blocks minor and node upgrades until end of support", () => {
    const cluster = onlyResource(plan, "gcp:container/cluster:Cluster").inputs as Record<string, any>;
    expect(cluster.releaseChannel).toEqual({ channel: "REGULAR" });
    expect(cluster.minMasterVersion).toBe("1.35");
    expect(cluster.maintenancePolicy.maintenanceExclusions).toEqual([
      {
        exclusionName: "no-minor-or-node-upgrades",
        startTime: "2026-01-01T00:00:00Z",
        exclusionOptions: { scope: "NO_MINOR_OR_NODE_UPGRADES", endTimeBehavior: "UNTIL_END_OF_SUPPORT" },
      },
    ]);
  });

  it("names the cluster and pools within GKE's 40 characters for a long stack name", async () => {
    const long = await planCluster({ stack: "customer-staging-europe-west-blue" });
    const cluster = onlyResource(long, "gcp:container/cluster:Cluster").inputs;
    expect((cluster.name as string).length).toBeLessThanOrEqual(40);
    expect(cluster.name).toMatch(/^gitpod-[a-z0-9-]+-gke$/);
    for (const pool of resourcesOfType(long, POOL)) expect((pool.inputs.name as string).length).toBeLessThanOrEqual(40);
  });

  it("starts every pool whose minimum is above zero with nodes in each zone, and ignores later count changes", async () => {
    const byName = Object.fromEntries(resourcesOfType(plan, POOL).map((p) => [p.name, p]));
    // Production minimums of 1 over the region's zones: one node per zone, never the provider's default of 0.
    for (const name of ["c-services", "c-regular-workspaces", "c-headless-workspaces"]) {
      expect(byName[name].inputs.initialNodeCount).toBe(1);
      expect(byName[name].options.ignoreChanges).toEqual(["initialNodeCount"]);
    }
    const config = gcpConfig({ nodePools: { regularWorkspaces: { minNodes: 0 }, services: { minNodes: 5, maxNodes: 6 } } });
    const zonal = await planCluster({ nodePools: config.nodePools, zones: ["europe-west1-b", "europe-west1-c"] });
    const zonalByName = Object.fromEntries(resourcesOfType(zonal, POOL).map((p) => [p.name, p.inputs]));
    expect(zonalByName["c-services"].initialNodeCount).toBe(3);
    expect(zonalByName["c-regular-workspaces"].initialNodeCount).toBeUndefined();
    expect(initialNodesPerZone(1, 3)).toBe(1);
    expect(initialNodesPerZone(7, 3)).toBe(3);
    expect(initialNodesPerZone(0, 3)).toBeUndefined();
  });

  it("takes the node version from config, not from the auto-patched control plane", async () => {
    for (const pool of resourcesOfType(plan, POOL)) expect(pool.inputs.version).toBeUndefined();
    const pinned = await planCluster({ nodeVersion: "1.35.8-gke.1036000" });
    for (const pool of resourcesOfType(pinned, POOL)) expect(pool.inputs.version).toBe("1.35.8-gke.1036000");
  });

  it("gives the throw-away default pool the node account, not the Compute Engine default one", () => {
    const cluster = onlyResource(plan, "gcp:container/cluster:Cluster");
    expect((cluster.inputs.nodeConfig as any).serviceAccount).toBe("gp-test-nodes@offline-project.iam.gserviceaccount.com");
    expect(cluster.options.ignoreChanges).toEqual(["nodeConfig"]);
  });

  it("opens the IAM-authorised DNS endpoint, which CI runners without a fixed egress range can reach", () => {
    const cluster = onlyResource(plan, "gcp:container/cluster:Cluster").inputs;
    expect(cluster.controlPlaneEndpointsConfig).toEqual({ dnsEndpointConfig: { allowExternalTraffic: true } });
  });

  it("removes the default pool and enables workload identity", () => {
    const cluster = onlyResource(plan, "gcp:container/cluster:Cluster").inputs;
    expect(cluster.removeDefaultNodePool).toBe(true);
    expect(cluster.workloadIdentityConfig).toEqual({ workloadPool: "my-gitpod-project.svc.id.goog" });
    expect(cluster.deletionProtection).toBe(true);
    expect(cluster.privateClusterConfig).toMatchObject({ enablePrivateNodes: true, masterIpv4CidrBlock: "172.16.0.16/28" });
    expect(cluster.masterAuth).toMatchObject({ clientCertificateConfig: { issueClientCertificate: false } });
    expect(cluster.ipAllocationPolicy).toEqual({ clusterSecondaryRangeName: "pods", servicesSecondaryRangeName: "services" });
  });

  it("encrypts Secrets with the given Cloud KMS key, and only when one is given", async () => {
    expect(onlyResource(plan, "gcp:container/cluster:Cluster").inputs.databaseEncryption).toBeUndefined();
    const encrypted = await planCluster({ secretsKey: "projects/p/locations/europe-west1/keyRings/r/cryptoKeys/gke-secrets" });
    expect(onlyResource(encrypted, "gcp:container/cluster:Cluster").inputs.databaseEncryption).toEqual({
      state: "ENCRYPTED",
      keyName: "projects/p/locations/europe-west1/keyRings/r/cryptoKeys/gke-secrets",
    });
  });

  it("has exactly three pools with the Gitpod labels, Ubuntu/containerd, pd-ssd, 110 pods, repair and upgrade on (channels require it)", () => {
    const pools = resourcesOfType(plan, POOL);
    expect(pools.map((p) => p.name).sort()).toEqual(["c-headless-workspaces", "c-regular-workspaces", "c-services"]);
    const byName = Object.fromEntries(pools.map((p) => [p.name, p.inputs as Record<string, any>]));
    expect(byName["c-services"].nodeConfig.labels).toEqual(gitpodNodeLabels.services);
    expect(byName["c-regular-workspaces"].nodeConfig.labels).toEqual({ "gitpod.io/workload_workspace_regular": "true" });
    expect(byName["c-headless-workspaces"].nodeConfig.labels).toEqual({ "gitpod.io/workload_workspace_headless": "true" });
    for (const pool of Object.values(byName)) {
      expect(pool.nodeConfig).toMatchObject({ imageType: "UBUNTU_CONTAINERD", diskType: "pd-ssd", workloadMetadataConfig: { mode: "GKE_METADATA" } });
      expect(pool.maxPodsPerNode).toBe(110);
      expect(pool.management).toEqual({ autoRepair: true, autoUpgrade: true });
    }
  });

  it("sizes the pools by role as the reference architecture does", () => {
    const byName = Object.fromEntries(resourcesOfType(plan, POOL).map((p) => [p.name, p.inputs as Record<string, any>]));
    expect(byName["c-services"].nodeConfig).toMatchObject({ machineType: "n2d-standard-4", diskSizeGb: 100 });
    expect(byName["c-services"].autoscaling).toMatchObject({ totalMinNodeCount: 1, totalMaxNodeCount: 4 });
    for (const name of ["c-regular-workspaces", "c-headless-workspaces"]) {
      expect(byName[name].nodeConfig).toMatchObject({ machineType: "n2d-standard-16", diskSizeGb: 512 });
      expect(byName[name].autoscaling).toMatchObject({ totalMaxNodeCount: 50 });
    }
  });

  it("gives the nodes a service account with only the node roles", () => {
    const roles = resourcesOfType(plan, "gcp:projects/iAMMember:IAMMember").map((m) => m.inputs.role);
    expect(roles.sort()).toEqual([...nodeServiceAccountRoles].sort());
    for (const pool of resourcesOfType(plan, POOL)) {
      expect((pool.inputs.nodeConfig as any).serviceAccount).toBe("gp-test-nodes@offline-project.iam.gserviceaccount.com");
    }
  });

  it("follows config: sizes, zones, authorized networks, public nodes and no deletion protection", async () => {
    const config = gcpConfig({ nodePools: { services: { machineType: "n2d-standard-8", maxNodes: 6 } } });
    const custom = await planCluster({
      nodePools: config.nodePools,
      zones: ["europe-west1-b"],
      privateNodes: false,
      masterAuthorizedNetworks: [{ name: "office", cidr: "198.51.100.0/24" }],
      deletionProtection: false,
    });
    const cluster = onlyResource(custom, "gcp:container/cluster:Cluster").inputs;
    expect(cluster.deletionProtection).toBe(false);
    expect(cluster.privateClusterConfig).toBeUndefined();
    expect(cluster.nodeLocations).toEqual(["europe-west1-b"]);
    expect(cluster.masterAuthorizedNetworksConfig).toEqual({ cidrBlocks: [{ displayName: "office", cidrBlock: "198.51.100.0/24" }] });
    const services = resourcesOfType(custom, POOL).find((p) => p.name === "c-services")!.inputs as any;
    expect(services.nodeConfig.machineType).toBe("n2d-standard-8");
    expect(services.autoscaling.totalMaxNodeCount).toBe(6);
  });
});

describe("GKE kubeconfig", () => {
  it("points at the DNS endpoint (IAM-authorised, publicly trusted certificate) and falls back to the IP endpoint with the cluster CA", () => {
    const dns = JSON.parse(gkeKubeconfig("ctx", { dnsEndpoint: "gke-1.europe-west1.gke.goog", ipEndpoint: "203.0.113.10", caCertificate: "Q0E=" }));
    expect(dns.clusters[0].cluster).toEqual({ server: "https://gke-1.europe-west1.gke.goog" });
    const ip = JSON.parse(gkeKubeconfig("ctx", { ipEndpoint: "203.0.113.10", caCertificate: "Q0E=" }));
    expect(ip.clusters[0].cluster).toEqual({ server: "https://203.0.113.10", "certificate-authority-data": "Q0E=" });
  });

  it("authenticates with gke-gcloud-auth-plugin and carries no token", () => {
    const kubeconfig = JSON.parse(gkeKubeconfig("ctx", { ipEndpoint: "203.0.113.10", caCertificate: "Q0E=" }));
    expect(kubeconfig.users[0].user.exec).toMatchObject({ command: "gke-gcloud-auth-plugin", apiVersion: "client.authentication.k8s.io/v1beta1" });
    expect(JSON.stringify(kubeconfig)).not.toMatch(/token|password/);
  });

  it("is a Pulumi secret", async () => {
    let kubeconfig: pulumi.Output<string> | undefined;
    const config = gcpConfig();
    await planComponent(() => {
      kubeconfig = new GkeCluster("k", {
        project: "p-project",
        region: "europe-west1",
        zones: [],
        kubernetesVersion: "1.35",
        releaseChannel: "REGULAR",
        networkId: "vpc",
        subnetId: "subnet",
        privateNodes: true,
        masterCidr: "172.16.0.16/28",
        masterAuthorizedNetworks: [],
        nodePools: config.nodePools,
        deletionProtection: false,
        stack: "test",
      }).kubeconfig;
    });
    expect(await pulumi.isSecret(kubeconfig!)).toBe(true);
  });
});
