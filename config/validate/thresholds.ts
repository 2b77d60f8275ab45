import { policyMinimums } from "../../policy/thresholds";
import { Report } from "./report";

interface Retained {
  environment: "production" | "development";
  database?: { backupRetentionDays: number };
  backup: { ttlHours: number };
}

/**
 * What the policy pack's mandatory rules require of retention, checked on the keys that set it, so `npm run plan`
 * refuses what `pulumi preview --policy-pack policy` would (policy/thresholds.ts holds the numbers for both).
 */
export function checkPolicyMinimums(config: Retained, report: Report): void {
  const production = config.environment === "production";
  const minimumDays = production ? policyMinimums.databaseBackupRetentionDays : policyMinimums.databaseBackupRetentionDaysDevelopment;
  if (config.database && config.database.backupRetentionDays < minimumDays) {
    report.problem(
      ["database", "backupRetentionDays"],
      config.database.backupRetentionDays,
      `must be at least ${minimumDays} in ${config.environment}: the policy pack's mandatory rule database-backups requires it`,
    );
  }
  if (production && config.backup.ttlHours < policyMinimums.veleroBackupTtlHours) {
    report.problem(
      ["backup", "ttlHours"],
      config.backup.ttlHours,
      `must be at least ${policyMinimums.veleroBackupTtlHours} in production: the policy pack's mandatory rule velero-backup-retention requires it`,
    );
  }
}
