import { Plan, PlannedResource } from "./run";

/** Node pool types: drawn as their own boxes beside their cluster. */
const poolTypes = new Set(["gcp:container/nodePool:NodePool", "aws:eks/nodeGroup:NodeGroup", "azure-native:containerservice:AgentPool"]);

/**
 * A mermaid flowchart of the plan: each layer (the cloud platform, the Kubernetes layer) a box holding its
 * components (network, cluster and its node pools, database, storage, registry, DNS, ...; cert-manager,
 * external-dns, Velero, Gitpod), an arrow from what a component needs to the component. Dependencies are the
 * ones the engine receives (inputs and dependsOn) and the explicit providers (the Kubernetes layer's provider
 * is built from the cluster's kubeconfig).
 */
export function renderMermaid(plan: Plan): string {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const stack = plan.resources.find((r) => r.type === "pulumi:pulumi:Stack");
  const layers = plan.resources.filter((r) => !r.custom && r.parent === stack?.urn);
  const layerUrns = new Set(layers.map((l) => l.urn));
  const isNode = (r: PlannedResource) => (!r.custom && layerUrns.has(r.parent)) || poolTypes.has(r.type);
  const nodes = plan.resources.filter(isNode);
  const ids = new Map(nodes.map((r, i) => [r.urn, `n${i}`]));

  // The diagram node a resource belongs to: itself, else its nearest ancestor that is one; none for what sits
  // directly in the stack or a layer (providers), whose own dependencies stand in for it.
  const owner = (r: PlannedResource | undefined): string | undefined => {
    for (let at = r; at; at = byUrn.get(at.parent)) if (ids.has(at.urn)) return at.urn;
    return undefined;
  };
  const resolving = new Set<string>();
  const ownersOf = (urn: string): string[] => {
    const r = byUrn.get(urn);
    const own = owner(r);
    if (own || !r || resolving.has(urn)) return own ? [own] : [];
    resolving.add(urn);
    const found = [...r.dependencies, r.provider].filter(Boolean).flatMap(ownersOf);
    resolving.delete(urn);
    return found;
  };

  const edges = new Set<string>();
  for (const r of plan.resources) {
    const to = owner(r);
    if (!to) continue;
    for (const from of [...r.dependencies, r.provider].filter(Boolean).flatMap(ownersOf)) {
      if (from !== to && !isAncestor(byUrn, from, to)) edges.add(`${ids.get(from)} --> ${ids.get(to)}`);
    }
    if (poolTypes.has(r.type)) {
      const cluster = owner(byUrn.get(r.parent));
      if (cluster) edges.add(`${ids.get(cluster)} --> ${ids.get(r.urn)}`);
    }
  }

  const lines = ["```mermaid", "flowchart TD"];
  layers.forEach((layer, i) => {
    lines.push(`  subgraph l${i}["${label(layer)}"]`);
    for (const r of nodes.filter((n) => layerOf(byUrn, n) === layer.urn)) lines.push(`    ${ids.get(r.urn)}["${label(r)}"]`);
    lines.push("  end");
  });
  lines.push(...reduce([...edges]).map((e) => `  ${e}`), "```");
  return lines.join("\n");
}

/** diagram.md of a plan directory: the title, the counts and the diagram. */
export function renderDiagramMarkdown(plan: Plan): string {
  return `# ${plan.project} / ${plan.stack}: components and their dependencies\n\nAn arrow points from what a component needs to the component.\n\n${renderMermaid(plan)}\n`;
}

function label(r: PlannedResource): string {
  const kind = r.type.split(":").pop() ?? r.type;
  return `${kind}<br/>${r.name}`.replace(/"/g, "'");
}

function layerOf(byUrn: Map<string, PlannedResource>, r: PlannedResource): string | undefined {
  let at: PlannedResource | undefined = r;
  while (at && byUrn.get(at.parent)?.type !== "pulumi:pulumi:Stack") at = byUrn.get(at.parent);
  return at?.urn;
}

function isAncestor(byUrn: Map<string, PlannedResource>, ancestor: string, urn: string): boolean {
  for (let at = byUrn.get(urn); at; at = byUrn.get(at.parent)) if (at.parent === ancestor) return true;
  return false;
}

/** Drops an edge a --> c when a path a --> b --> ... --> c exists: what remains reads as the build order. */
function reduce(edges: string[]): string[] {
  const pairs = edges.map((e) => e.split(" --> ") as [string, string]);
  const reaches = (from: string, to: string, skip: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const at = stack.pop() as string;
      for (const [a, b] of pairs) {
        if (a !== at || `${a} --> ${b}` === skip || seen.has(b)) continue;
        if (b === to) return true;
        seen.add(b);
        stack.push(b);
      }
    }
    return false;
  };
  return edges.filter((e) => !reaches(...(e.split(" --> ") as [string, string]), e)).sort();
}
