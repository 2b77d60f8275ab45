import { cidrsOverlap, parseCidr } from "../azure";
import { Report } from "./report";

/** A named range of the stack's network: its config key path and value. */
interface Range {
  path: string[];
  cidr: string;
}

/** Pods per node the clusters run with (GKE maxPodsPerNode 110, AKS maxPods default 110): both give each node a /24. */
const podRangePerNode = 256;

/** Addresses the cloud keeps in every subnet (GCP: 4, Azure: 5). */
const reservedPerSubnet = { gcp: 4, azure: 5 } as const;

/** A range whose address is not the first of its block (10.0.0.1/16) is refused by the clouds' APIs. */
export function checkHostBits(ranges: Range[], report: Report): void {
  for (const { path, cidr } of ranges) {
    const [address] = cidr.split("/");
    const { base, prefix } = parseCidr(cidr);
    const start = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join(".");
    if (start !== address) report.problem(path, cidr, `has host bits set: the block starts at ${start}/${prefix}; write ${start}/${prefix}`);
  }
}

/** No two of the ranges may share an address. */
export function checkNoOverlap(ranges: Range[], report: Report): void {
  ranges.forEach((a, i) =>
    ranges.slice(i + 1).forEach((b) => {
      if (cidrsOverlap(a.cidr, b.cidr)) report.problem(b.path, b.cidr, `must not overlap ${a.path.join(".")} (${a.cidr})`);
    }),
  );
}

function size(cidr: string): number {
  return 2 ** (32 - parseCidr(cidr).prefix);
}

/** The pod range must give every node of every pool at its maximum a /24, and the node subnet an address. */
export function checkCapacity(cloud: "gcp" | "azure", nodes: Range, pods: Range, maxNodes: number, report: Report): void {
  const podNodes = Math.floor(size(pods.cidr) / podRangePerNode);
  if (podNodes < maxNodes) {
    report.problem(pods.path, pods.cidr, `fits ${podNodes} nodes (a /24 of pods each) but the node pools' maxNodes add up to ${maxNodes}; use a /${32 - Math.ceil(Math.log2(maxNodes * podRangePerNode))} or larger`);
  }
  const nodeAddresses = size(nodes.cidr) - reservedPerSubnet[cloud];
  if (nodeAddresses < maxNodes) {
    report.problem(nodes.path, nodes.cidr, `has ${nodeAddresses} usable addresses but the node pools' maxNodes add up to ${maxNodes}; use a /${32 - Math.ceil(Math.log2(maxNodes + reservedPerSubnet[cloud]))} or larger`);
  }
}

/** GKE's private control plane takes exactly a /28 (masterIpv4CidrBlock). */
export function checkGkeControlPlane(master: Range, report: Report): void {
  if (parseCidr(master.cidr).prefix !== 28) report.problem(master.path, master.cidr, "must be a /28: GKE's private control plane range (masterIpv4CidrBlock) is always 16 addresses");
}
