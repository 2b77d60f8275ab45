/**
 * The upstream facts the validation derives from (facts/, each file with its source, date read and refresh), typed.
 * JSON imports: they are bundled with the program, no path is read at run time.
 */
import kubernetesCalendar from "../../facts/calendar/kubernetes.json";
import mysqlCalendar from "../../facts/calendar/mysql.json";
import gcpRegions from "../../facts/gcp/regions.json";
import gcpMachines from "../../facts/gcp/machines.json";
import gcsDualRegions from "../../facts/gcp/dual-regions.json";
import awsProviderEnums from "../../facts/aws/provider-enums.json";
import awsZonesAndClasses from "../../facts/aws/zones-and-classes.json";
import azureLocations from "../../facts/azure/locations.json";
import azureSizes from "../../facts/azure/sizes.json";

export interface SupportWindow {
  available?: string;
  endOfStandard: string;
  endOfExtended: string;
  verified: boolean;
  note?: string;
}

export interface Calendar {
  sources: string[];
  extendedPlan: string;
  versions: Record<string, SupportWindow>;
}

export const kubernetesCalendars = kubernetesCalendar.clouds as Record<"gke" | "eks" | "aks", Calendar>;
export const mysqlCalendars = mysqlCalendar.clouds as Record<"cloudsql" | "rds" | "azure-mysql", Calendar>;

interface GcpFamily {
  disks: string[];
  types: Record<string, { gbPerVcpu: number; vcpus: number[] }>;
}

export const gcp = {
  regions: gcpRegions.regions as Record<string, string[]>,
  families: gcpMachines.families as Record<string, GcpFamily>,
  cloudSqlTiers: gcpMachines.cloudSqlTiers,
  dualRegionGroups: gcsDualRegions.groups,
};

export const aws = {
  regions: awsProviderEnums.regions,
  instanceTypes: new Set(awsProviderEnums.instanceTypes),
  zones: awsZonesAndClasses.zones as Record<string, string[]>,
  defaultZoneLetters: awsZonesAndClasses.defaultZoneLetters,
  sizeVcpus: awsZonesAndClasses.sizeVcpus as Record<string, number>,
  gbPerVcpuByFamilyLetter: awsZonesAndClasses.gbPerVcpuByFamilyLetter as Record<string, number>,
  rdsMysqlFamilies: awsZonesAndClasses.rdsMysqlFamilies,
  rdsSizes: awsZonesAndClasses.rdsSizes,
};

export const azure = {
  locations: azureLocations.locations as Record<string, { zones: boolean; pair?: string }>,
  vmFamilies: azureSizes.vmFamilies as Record<string, { gbPerVcpu: number; vcpus: number[] }>,
  osDiskTypes: azureSizes.osDiskTypes,
  mysqlSkus: azureSizes.mysqlSkus as Record<string, string[]>,
};

/** Gitpod's minimum node size (reference architecture: 4 vCPU, 16 GB). */
export const minimumNode = { vcpus: 4, memoryGb: 16 };
