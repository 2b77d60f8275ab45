/**
 * The GCP replica site's settings (`gcp.replicaSite`) with their defaults derived from the primary's: zones from
 * facts/gcp/regions.json, ranges as the next free block of each primary range's size in the same VPC. Pure; the
 * components build from it and config/validate/gcpReplicaSite.ts checks what it returns.
 */
import { cidrsOverlap, parseCidr } from "./cidr";
import * as facts from "./validate/facts";

/** The ranges a GKE site takes in the VPC, in the order the defaults are chosen. */
export const siteRangeKeys = ["nodesCidr", "podsCidr", "servicesCidr", "masterCidr"] as const;
export type SiteRangeKey = (typeof siteRangeKeys)[number];

export interface GcpReplicaSite {
  /** backup.replicaRegion. */
  region: string;
  /** Zones of the pools; empty means every zone of the region. */
  zones: string[];
  network: Record<SiteRangeKey, string>;
}

interface GcpSiteConfig {
  gcp: {
    zones: string[];
    network: Record<SiteRangeKey, string>;
    replicaSite?: { zones?: string[]; network: Partial<Record<SiteRangeKey, string>> };
  };
  backup: { replicaRegion?: string };
}

/** The replica site of a stack with a replica region, defaults filled in; undefined without one. */
export function replicaSiteOf(config: GcpSiteConfig): GcpReplicaSite | undefined {
  const region = config.backup.replicaRegion;
  if (region === undefined) return undefined;
  const site = config.gcp.replicaSite;
  const explicit = site?.network ?? {};
  const taken = [...siteRangeKeys.map((key) => config.gcp.network[key]), ...Object.values(explicit).filter((c): c is string => c !== undefined)];
  const network = {} as Record<SiteRangeKey, string>;
  for (const key of siteRangeKeys) {
    network[key] = explicit[key] ?? nextFreeBlock(config.gcp.network[key], taken);
    taken.push(network[key]);
  }
  return { region, zones: site?.zones ?? defaultZones(region, config.gcp.zones.length), network };
}

/** As many zones of the region as the primary uses (none: GKE picks every zone), from facts/gcp/regions.json. */
function defaultZones(region: string, count: number): string[] {
  if (count === 0) return [];
  return (facts.gcp.regions[region] ?? []).slice(0, count).map((letter) => `${region}-${letter}`);
}

/** The private block (RFC 1918, or RFC 6598 shared space) a range lies in; the range's /8 when none. */
const privateBlocks = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];

/**
 * The first block of `cidr`'s size after it, within the same private block, that overlaps none of `taken`; the range
 * itself when none is free (the overlap check then names the key to set). Pure.
 */
export function nextFreeBlock(cidr: string, taken: string[]): string {
  const { base, prefix } = parseCidr(cidr);
  const size = 2 ** (32 - prefix);
  const within = privateBlocks.find((block) => cidrsOverlap(block, cidr) && parseCidr(block).prefix <= prefix) ?? `${address(base - (base % 2 ** 24))}/8`;
  const limit = parseCidr(within).base + 2 ** (32 - parseCidr(within).prefix);
  for (let start = base + size; start + size <= limit; start += size) {
    const candidate = `${address(start)}/${prefix}`;
    if (!taken.some((range) => cidrsOverlap(range, candidate))) return candidate;
  }
  return cidr;
}

function address(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}
