/**
 * Gitpod's node pools on each cloud (GKE node pools, EKS node groups, AKS agent pools, also inline in the cluster):
 * found wherever they are declared, and the rule that each cluster has the three labelled pools.
 */
import { gitpodNodeLabels } from "../components/platform";
import { asArray, asRecord, get, ResourceView, StackRule, Violation } from "./lib";

export const types = {
  gke: "gcp:container/cluster:Cluster",
  gkeNodePool: "gcp:container/nodePool:NodePool",
  eks: "aws:eks/cluster:Cluster",
  eksNodeGroup: "aws:eks/nodeGroup:NodeGroup",
  eksAddon: "aws:eks/addon:Addon",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  oidcProvider: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
  aks: "azure-native:containerservice:ManagedCluster",
  aksAgentPool: "azure-native:containerservice:AgentPool",
} as const;

/** A node pool wherever it is declared, with its labels and the path of the labels for messages. */
export interface NodePool {
  resource: ResourceView;
  /** Pool name as the cloud knows it (inline AKS profiles), or the resource name. */
  name: string;
  labels: Record<string, string>;
  labelsPath: string;
  /** The cluster the pool belongs to: its name or id where the pool says (unknown in a preview: its parent component). */
  cluster: string;
}

export function nodePools(resources: ResourceView[]): NodePool[] {
  const pools: NodePool[] = [];
  // Once deployed, a cluster's outputs list every pool, also those managed as resources of their own: count those once.
  const separate = new Set(
    resources
      .filter((r) => r.type === types.gkeNodePool || r.type === types.aksAgentPool)
      .map((r) => r.props.agentPoolName ?? r.props.name)
      .filter((name): name is string => typeof name === "string"),
  );
  const inline = (pool: unknown) => !separate.has(String(get(pool, ["name"])));
  for (const r of resources) {
    const p = r.props;
    if (r.type === types.gkeNodePool) {
      pools.push({ resource: r, name: r.name, labels: labelsOf(get(p, ["nodeConfig", "labels"])), labelsPath: "nodeConfig.labels", cluster: clusterOf(r, p.cluster) });
    } else if (r.type === types.gke) {
      asArray(p.nodePools).forEach((pool, i) => {
        if (inline(pool)) {
          pools.push({ resource: r, name: String(get(pool, ["name"]) ?? `nodePools[${i}]`), labels: labelsOf(get(pool, ["nodeConfig", "labels"])), labelsPath: `nodePools[${i}].nodeConfig.labels`, cluster: r.urn });
        }
      });
    } else if (r.type === types.eksNodeGroup) {
      pools.push({ resource: r, name: r.name, labels: labelsOf(p.labels), labelsPath: "labels", cluster: clusterOf(r, p.clusterName) });
    } else if (r.type === types.aksAgentPool) {
      pools.push({ resource: r, name: r.name, labels: labelsOf(p.nodeLabels), labelsPath: "nodeLabels", cluster: clusterOf(r, p.resourceName) });
    } else if (r.type === types.aks) {
      asArray(p.agentPoolProfiles).forEach((profile, i) => {
        if (inline(profile)) {
          pools.push({
            resource: r,
            name: `${r.name} agentPoolProfiles[${i}] ${String(get(profile, ["name"]) ?? "")}`.trim(),
            labels: labelsOf(get(profile, ["nodeLabels"])),
            labelsPath: `agentPoolProfiles[${i}].nodeLabels`,
            cluster: clusterOf(r, p.resourceName),
          });
        }
      });
    }
  }
  return pools;
}

/** A pool's cluster: the reference it carries when known, else its parent (what a preview knows of a new cluster's pools). */
function clusterOf(pool: ResourceView, reference: unknown): string {
  return typeof reference === "string" && reference !== "" ? reference : (pool.parent ?? pool.urn);
}

function labelsOf(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(asRecord(value)).map(([k, v]) => [k, String(v)]));
}

const gitpodLabelPrefix = "gitpod.io/workload_";

function carries(pool: NodePool, labels: Record<string, string>): boolean {
  return Object.entries(labels).every(([k, v]) => pool.labels[k] === v);
}

function labelList(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}

export const nodePoolsGitpodLabels: StackRule = {
  kind: "stack",
  name: "node-pools-gitpod-labels",
  family: "cluster",
  level: "mandatory",
  description:
    "Each cluster has exactly three node pools carrying Gitpod's node labels, one per role (services, regular workspaces, headless workspaces), each with the role's complete label set (gitpodNodeLabels in components/platform.ts).",
  check(resources) {
    const pools = nodePools(resources);
    if (pools.length === 0) return [];
    const gitpodPools = pools.filter((pool) => Object.keys(pool.labels).some((k) => k.startsWith(gitpodLabelPrefix)));
    // Per cluster: a stack failing over to its replica region (backup.failover) runs a second cluster with its own three.
    const clusters = [...new Set(gitpodPools.map((pool) => pool.cluster))];
    if (clusters.length === 0) return clusterPoolViolations(pools, []);
    return clusters.flatMap((cluster) => clusterPoolViolations(pools, gitpodPools.filter((pool) => pool.cluster === cluster)));
  },
};

/** What is wrong with one cluster's Gitpod-labelled pools (`pools`: every pool, for the message when none is labelled). */
function clusterPoolViolations(pools: NodePool[], gitpodPools: NodePool[]): Violation[] {
  const out: Violation[] = [];
  const roles = Object.entries(gitpodNodeLabels);
  for (const pool of gitpodPools) {
    const matching = roles.filter(([, labels]) => carries(pool, labels)).map(([role]) => role);
    if (matching.length === 0) {
      const gitpodLabels = Object.fromEntries(Object.entries(pool.labels).filter(([k]) => k.startsWith(gitpodLabelPrefix)));
      out.push({
        urn: pool.resource.urn,
        message: `${pool.name} (${pool.resource.type}): ${pool.labelsPath} has ${labelList(gitpodLabels)}, not the complete label set of any Gitpod pool role (${roles.map(([role, labels]) => `${role}: ${labelList(labels)}`).join("; ")})`,
      });
    } else if (matching.length > 1) {
      out.push({ urn: pool.resource.urn, message: `${pool.name} (${pool.resource.type}): ${pool.labelsPath} carries the labels of several roles (${matching.join(", ")}); each role needs a pool of its own` });
    }
  }
  for (const [role, labels] of roles) {
    const carrying = gitpodPools.filter((pool) => carries(pool, labels));
    if (carrying.length !== 1) {
      out.push({
        urn: carrying[0]?.resource.urn,
        message: `${carrying.length} node pools carry the ${role} labels (${labelList(labels)}) in their labels (${carrying.map((p) => p.name).join(", ") || `pools: ${pools.map((p) => `${p.name} ${p.labelsPath}`).join(", ")}`}); exactly one must`,
      });
    }
  }
  if (gitpodPools.length !== 3) {
    out.push({ message: `${gitpodPools.length} node pools carry gitpod.io/workload_* labels (${gitpodPools.map((p) => p.name).join(", ")}); Gitpod's reference architecture has exactly three` });
  }
  return out;
}

/** The Helm chart of Calico's operator. */
