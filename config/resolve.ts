import { z } from "zod";
import { checkBackup } from "./backup";
import { defaultLockDays } from "./backupLock";
import { databaseDefaults, nodePoolDefaults, PoolDefaults, poolRoles, PoolRole } from "./cloudDefaults";
import { RawStackConfig } from "./schema";
import { checkAwsConfig } from "./aws";
import { checkGcp } from "./gcp";
import { resolveExisting } from "./existing";
import { checkRestore } from "./velero";
import { checkAgainstFacts, reportTo, ValidationOptions } from "./validate";

export type PoolConfig = PoolDefaults;

export interface DatabaseConfig {
  version: "5.7" | "8.0";
  /** `database.supportPlan`: standard, or the cloud's paid extended support, chosen explicitly. */
  supportPlan: "standard" | "extended";
  machineType: string;
  diskSizeGb: number;
  backupRetentionDays: number;
  highAvailability: boolean;
}

type Resolve<R> = R extends unknown
  ? Omit<R, "protect" | "nodePools" | "database" | "backup"> & {
      /** Data resources are protected (pulumi `protect`) and cloud deletion protection is on. */
      protect: boolean;
      nodePools: Record<PoolRole, PoolConfig>;
      database: DatabaseConfig;
      /** On a cloud stack, `lockDays` is resolved (config/backupLock.ts defaultLockDays); an existing cluster's bucket is the operator's. */
      backup: R extends { cloud: "existing" } ? RawStackConfig["backup"] : RawStackConfig["backup"] & { lockDays: number };
    }
  : never;

/** The validated stack config with every cloud-dependent default filled in. */
export type StackConfig = Resolve<RawStackConfig>;

/**
 * Fills in the defaults that depend on the cloud, checks the rules that span several keys, then the rules derived
 * from upstream facts (config/validate) at the run's date.
 */
export function resolveAndCheck(raw: RawStackConfig, ctx: z.RefinementCtx, options: ValidationOptions = {}): StackConfig {
  const report = reportTo(ctx, options);
  const config = resolveDefaults(raw, ctx, report.warning);
  checkAgainstFacts(config, options.today ?? new Date(), report, options.stack);
  return config;
}

/** Fills in the defaults that depend on the cloud and checks the rules that span several keys. */
function resolveDefaults(raw: RawStackConfig, ctx: z.RefinementCtx, warning: (message: string) => void): StackConfig {
  checkRestore(raw, ctx);
  if (raw.cloud === "existing") return resolveExisting(raw, ctx) as StackConfig;
  const production = raw.environment === "production";
  checkBackup(raw, ctx, warning);
  const nodePools = {} as Record<PoolRole, PoolConfig>;
  for (const role of poolRoles) {
    const pool: PoolConfig = { ...nodePoolDefaults[raw.cloud][role], ...withoutUndefined(raw.nodePools[role]) };
    if (pool.minNodes > pool.maxNodes) {
      ctx.addIssue({
        code: "custom",
        path: ["nodePools", role, "minNodes"],
        input: pool.minNodes,
        message: `must not exceed nodePools.${role}.maxNodes (${pool.maxNodes})`,
      });
    }
    nodePools[role] = pool;
  }
  const cloudDatabase = databaseDefaults[raw.cloud];
  const database: DatabaseConfig = {
    version: raw.database.version ?? cloudDatabase.version,
    supportPlan: raw.database.supportPlan,
    machineType: raw.database.machineType ?? cloudDatabase.machineType,
    diskSizeGb: raw.database.diskSizeGb,
    backupRetentionDays: raw.database.backupRetentionDays,
    highAvailability: raw.database.highAvailability ?? production,
  };
  if (raw.cloud === "aws") checkAwsConfig({ ...raw, nodePools, database }, ctx);
  if (raw.cloud === "gcp") checkGcp(raw, ctx);
  const backup = { ...raw.backup, lockDays: raw.backup.lockDays ?? defaultLockDays(raw) };
  return { ...raw, backup, protect: raw.protect ?? production, nodePools, database } as StackConfig;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
