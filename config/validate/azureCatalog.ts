import { suggestion } from "./closest";
import { azure } from "./facts";
import { checkNodeSize } from "./nodeSize";
import { Report } from "./report";

interface AzureSized {
  azure: { location: string; cluster: { zones: string[]; systemPool: string; systemPoolMachineType: string } };
  nodePools: Record<string, { machineType: string; diskType: string }>;
  database: { machineType: string };
}

/** Location, zones, VM sizes, OS disk types and the MySQL SKU against facts/azure/. */
export function checkAzureCatalog(config: AzureSized, report: Report): void {
  const { location, cluster } = config.azure;
  const known = azure.locations[location];
  if (known === undefined) {
    report.problem(["azure", "location"], location, `is not an Azure location (facts/azure/locations.json)${suggestion(location, Object.keys(azure.locations))}`);
  } else if (!known.zones && cluster.zones.length > 0) {
    report.problem(["azure", "cluster", "zones"], cluster.zones, `must be [] in azure.location ${location}: it has no availability zones`);
  }
  for (const [role, pool] of Object.entries(config.nodePools)) {
    const size = vmSize(pool.machineType);
    if (size === undefined) {
      report.problem(["nodePools", role, "machineType"], pool.machineType, `is not a VM size of a family the pools may use (facts/azure/sizes.json)${suggestion(pool.machineType, knownSizes())}`);
    } else {
      checkNodeSize(["nodePools", role, "machineType"], pool.machineType, size, report);
    }
    if (!azure.osDiskTypes.includes(pool.diskType)) {
      report.problem(["nodePools", role, "diskType"], pool.diskType, `must be an AKS OS disk type: ${azure.osDiskTypes.join(", ")}${suggestion(pool.diskType, azure.osDiskTypes)}`);
    }
  }
  if (cluster.systemPool === "dedicated" && vmSize(cluster.systemPoolMachineType) === undefined) {
    report.problem(["azure", "cluster", "systemPoolMachineType"], cluster.systemPoolMachineType, `is not a VM size of a known family (facts/azure/sizes.json)${suggestion(cluster.systemPoolMachineType, knownSizes())}`);
  }
  const skus = Object.values(azure.mysqlSkus).flat();
  if (!skus.includes(config.database.machineType)) {
    report.problem(["database", "machineType"], config.database.machineType, `is not an Azure Database for MySQL Flexible Server SKU (facts/azure/sizes.json)${suggestion(config.database.machineType, skus)}`);
  }
}

/** vCPUs and memory of a size such as Standard_D16s_v5, or undefined when its family or vCPU count is unknown. */
function vmSize(name: string): { vcpus: number; memoryGb: number } | undefined {
  const m = /^Standard_([A-Z])(\d+)([a-z]*)_(v\d)$/.exec(name);
  if (!m) return undefined;
  const family = azure.vmFamilies[`${m[1]}{n}${m[3]}_${m[4]}`];
  const vcpus = Number(m[2]);
  if (family === undefined || !family.vcpus.includes(vcpus)) return undefined;
  return { vcpus, memoryGb: vcpus * family.gbPerVcpu };
}

function knownSizes(): string[] {
  return Object.entries(azure.vmFamilies).flatMap(([pattern, { vcpus }]) => vcpus.map((n) => `Standard_${pattern.replace("{n}", String(n))}`));
}
