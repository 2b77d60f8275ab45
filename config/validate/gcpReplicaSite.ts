import { cidrsOverlap } from "../cidr";
import { replicaSiteOf, siteRangeKeys } from "../gcpReplicaSite";
import { gcp } from "./facts";
import { checkCapacity, checkGkeControlPlane, checkHostBits } from "./network";
import { Report } from "./report";

type GcpSiteConfig = Parameters<typeof replicaSiteOf>[0];

/**
 * The replica site (gcp.replicaSite, defaults included) against the replica region and the primary's network: zones of
 * backup.replicaRegion, ranges apart from every primary range and from each other (they share the VPC); ranges set in
 * config also aligned, a /28 control plane, room for the pools. Checked whenever there is a replica region, so a bad site is found before the
 * region is lost. An unknown replica region is reported on backup.replicaRegion (config/backup.ts).
 */
export function checkGcpReplicaSite(config: GcpSiteConfig, maxNodes: number, report: Report): void {
  const site = replicaSiteOf(config);
  const zonesOfRegion = site && gcp.regions[site.region];
  if (site === undefined || zonesOfRegion === undefined) return;
  const valid = zonesOfRegion.map((letter) => `${site.region}-${letter}`);
  site.zones.forEach((zone, i) => {
    if (!valid.includes(zone)) report.problem(["gcp", "replicaSite", "zones", i], zone, `is not a zone of backup.replicaRegion ${site.region}: one of ${valid.join(", ")}`);
  });
  const range = (key: (typeof siteRangeKeys)[number]) => ({ path: ["gcp", "replicaSite", "network", key], cidr: site.network[key] });
  const ranges = siteRangeKeys.map(range);
  // A default has the shape of the primary's range, which is checked on its own key: shape checks only for values set.
  const explicit = config.gcp.replicaSite?.network ?? {};
  const setByConfig: Report = {
    problem: (path, input, message) => {
      if (explicit[path[path.length - 1] as (typeof siteRangeKeys)[number]] !== undefined) report.problem(path, input, message);
    },
    warning: report.warning,
  };
  checkHostBits(ranges, setByConfig);
  ranges.forEach((replica, i) => {
    const others = [
      ...siteRangeKeys.map((key) => ({ path: ["gcp", "network", key], cidr: config.gcp.network[key] })),
      ...ranges.slice(0, i),
    ];
    const clash = others.find((other) => cidrsOverlap(other.cidr, replica.cidr));
    if (clash) {
      report.problem(replica.path, replica.cidr, `must not overlap ${clash.path.join(".")} (${clash.cidr}): the replica site shares the stack's VPC`);
    }
  });
  checkGkeControlPlane(range("masterCidr"), setByConfig);
  checkCapacity("gcp", range("nodesCidr"), range("podsCidr"), maxNodes, setByConfig);
}
