import { suggestion } from "./closest";
import { gcp, minimumNode } from "./facts";
import { Report } from "./report";
import { checkNodeSize } from "./nodeSize";

interface GcpSized {
  gcp: { region: string; zones: string[] };
  nodePools: Record<string, { machineType: string; diskType: string }>;
  database: { machineType: string };
}

/** Region, zones, machine types, disk types and Cloud SQL tier against facts/gcp/. */
export function checkGcpCatalog(config: GcpSized, report: Report): void {
  const { region, zones } = config.gcp;
  const zonesOfRegion = gcp.regions[region];
  if (zonesOfRegion === undefined) {
    report.problem(["gcp", "region"], region, `is not a Google Cloud region (facts/gcp/regions.json)${suggestion(region, Object.keys(gcp.regions))}`);
  } else {
    const valid = zonesOfRegion.map((letter) => `${region}-${letter}`);
    zones.forEach((zone, i) => {
      if (valid.includes(zone)) return;
      const owner = zone.replace(/-[a-z]$/, "");
      const where = owner !== region && owner in gcp.regions ? `is a zone of ${owner}, not of gcp.region ${region}` : `is not a zone of gcp.region ${region}`;
      report.problem(["gcp", "zones", i], zone, `${where}: one of ${valid.join(", ")}`);
    });
  }
  for (const [role, pool] of Object.entries(config.nodePools)) checkPool(role, pool, report);
  checkCloudSqlTier(config.database.machineType, report);
}

const predefined = /^([a-z0-9]+)-([a-z]+)-(\d+)$/;
const custom = /^([a-z0-9]+)-custom-(\d+)-(\d+)$/;

function checkPool(role: string, pool: { machineType: string; diskType: string }, report: Report): void {
  const path = ["nodePools", role, "machineType"];
  const c = custom.exec(pool.machineType);
  const p = predefined.exec(pool.machineType);
  const family = gcp.families[(c ?? p)?.[1] ?? ""];
  let size: { vcpus: number; memoryGb: number } | undefined;
  if (family && c) {
    size = { vcpus: Number(c[2]), memoryGb: Number(c[3]) / 1024 };
  } else if (family && p && family.types[p[2]]?.vcpus.includes(Number(p[3]))) {
    size = { vcpus: Number(p[3]), memoryGb: Number(p[3]) * family.types[p[2]].gbPerVcpu };
  }
  if (size === undefined) {
    report.problem(path, pool.machineType, `is not a Compute Engine machine type of an x86 family (facts/gcp/machines.json)${suggestion(pool.machineType, knownMachineTypes())}`);
    return;
  }
  checkNodeSize(path, pool.machineType, size, report);
  if (!family.disks.includes(pool.diskType)) {
    const allDisks = [...new Set(Object.values(gcp.families).flatMap((f) => f.disks))];
    report.problem(
      ["nodePools", role, "diskType"],
      pool.diskType,
      `is not a boot disk type of ${pool.machineType}: one of ${family.disks.join(", ")}${allDisks.includes(pool.diskType) ? "" : suggestion(pool.diskType, family.disks)}`,
    );
  }
}

function knownMachineTypes(): string[] {
  return Object.entries(gcp.families).flatMap(([family, { types }]) =>
    Object.entries(types).flatMap(([type, { vcpus }]) => vcpus.filter((n) => n >= minimumNode.vcpus).map((n) => `${family}-${type}-${n}`)),
  );
}

function checkCloudSqlTier(tier: string, report: Report): void {
  const path = ["database", "machineType"];
  const rules = gcp.cloudSqlTiers;
  if (rules.shared.includes(tier) || new RegExp(rules.predefinedPattern).test(tier)) return;
  const m = new RegExp(rules.customPattern).exec(tier);
  if (!m) {
    report.problem(path, tier, `is not a Cloud SQL tier: db-custom-<vCPUs>-<memory MB> such as db-custom-2-7680, db-n1-standard-<n>, db-f1-micro or db-g1-small`);
    return;
  }
  const vcpus = Number(m[1]);
  const memoryMb = Number(m[2]);
  const { maxVcpus, minMemoryMb, memoryStepMb, minGbPerVcpu, maxGbPerVcpu } = rules.custom;
  const gbPerVcpu = memoryMb / 1024 / vcpus;
  if (vcpus < 1 || vcpus > maxVcpus || (vcpus > 1 && vcpus % 2 !== 0)) {
    report.problem(path, tier, `has ${vcpus} vCPUs: Cloud SQL custom tiers take 1 or an even number up to ${maxVcpus}`);
  } else if (memoryMb % memoryStepMb !== 0 || memoryMb < minMemoryMb) {
    report.problem(path, tier, `has ${memoryMb} MB: memory must be a multiple of ${memoryStepMb} MB and at least ${minMemoryMb} MB`);
  } else if (gbPerVcpu < minGbPerVcpu || gbPerVcpu > maxGbPerVcpu) {
    const closestMb = Math.round(Math.min(Math.max(gbPerVcpu, minGbPerVcpu), maxGbPerVcpu) * vcpus * 1024 / memoryStepMb) * memoryStepMb;
    report.problem(path, tier, `has ${gbPerVcpu.toFixed(2)} GB per vCPU: Cloud SQL allows ${minGbPerVcpu} to ${maxGbPerVcpu}; closest valid value: db-custom-${vcpus}-${Math.max(closestMb, minMemoryMb)}`);
  }
}
