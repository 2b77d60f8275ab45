/**
 * The numeric minimums of the mandatory policy rules, one fact shared by the policy pack (the rules' default config)
 * and the stack config validation (config/validate/thresholds.ts), so `npm run plan` refuses what `pulumi preview
 * --policy-pack policy` would: the two cannot disagree.
 */
export const policyMinimums = {
  /** database-backups: days of automated database backups in a production stack. */
  databaseBackupRetentionDays: 7,
  /** database-backups: days of automated database backups in a development stack. */
  databaseBackupRetentionDaysDevelopment: 1,
  /** velero-backup-retention: hours a scheduled Velero backup is kept in a production stack. */
  veleroBackupTtlHours: 168,
} as const;
