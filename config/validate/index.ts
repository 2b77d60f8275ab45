import type { StackConfig } from "../resolve";
import { checkAwsCatalog } from "./awsCatalog";
import { checkAwsReplicaSite } from "./awsReplicaSite";
import { checkAzureCatalog } from "./azureCatalog";
import { checkVersions } from "./calendar";
import { checkCron } from "./cron";
import { checkGcpCatalog } from "./gcpCatalog";
import { checkGcpReplicaSite } from "./gcpReplicaSite";
import { checkCapacity, checkGkeControlPlane, checkHostBits, checkNoOverlap } from "./network";
import { checkNames } from "./names";
import { checkWorkspaceQuantities } from "./quantities";
import { Report } from "./report";
import { checkPolicyMinimums } from "./thresholds";

export { ValidationOptions, reportTo, stackNamePath } from "./report";

/**
 * The rules derived from upstream facts (facts/): what each cloud accepts (regions, zones, sizes, disks, database
 * tiers), the support calendar, network ranges, the backup schedule, the policy pack's minimums and Kubernetes
 * quantities. Runs on the resolved config, before anything is registered.
 */
export function checkAgainstFacts(config: StackConfig, today: Date, report: Report, stack?: string): void {
  if (stack !== undefined) checkNames(stack, config, report);
  checkCron(["backup", "schedule"], config.backup.schedule, report);
  checkWorkspaceQuantities(config.gitpod.workspace, report);
  if (config.cloud === "existing") {
    checkPolicyMinimums({ environment: config.environment, backup: config.backup }, report);
    return;
  }
  checkPolicyMinimums(config, report);
  checkVersions(config, today, report);
  const maxNodes = Object.values(config.nodePools).reduce((sum, pool) => sum + pool.maxNodes, 0);
  switch (config.cloud) {
    case "gcp": {
      checkGcpCatalog(config, report);
      const net = config.gcp.network;
      const range = (key: keyof typeof net & string) => ({ path: ["gcp", "network", key], cidr: net[key] as string });
      const ranges = [range("nodesCidr"), range("podsCidr"), range("servicesCidr"), range("masterCidr")];
      checkHostBits(ranges, report);
      checkNoOverlap(ranges, report);
      checkGkeControlPlane(range("masterCidr"), report);
      checkCapacity("gcp", range("nodesCidr"), range("podsCidr"), maxNodes, report);
      checkGcpReplicaSite(config, maxNodes, report);
      return;
    }
    case "aws": {
      checkAwsCatalog(config, report);
      checkAwsReplicaSite(config, report);
      const net = config.aws.network;
      checkHostBits([{ path: ["aws", "network", "vpcCidr"], cidr: net.vpcCidr }, { path: ["aws", "network", "serviceCidr"], cidr: net.serviceCidr }], report);
      return;
    }
    case "azure": {
      checkAzureCatalog(config, report);
      const net = config.azure.network;
      const range = (key: "vnetCidr" | "clusterSubnetCidr" | "databaseSubnetCidr" | "podCidr" | "serviceCidr") => ({ path: ["azure", "network", key], cidr: net[key] });
      checkHostBits([range("vnetCidr"), range("clusterSubnetCidr"), range("databaseSubnetCidr"), range("podCidr"), range("serviceCidr")], report);
      checkCapacity("azure", range("clusterSubnetCidr"), range("podCidr"), maxNodes, report);
      return;
    }
  }
}
