import { z } from "zod";
import { flag, intBetween, kubernetesVersion } from "./primitives";

/**
 * Cloud-agnostic sections of the stack config. Sizes are optional here because their defaults depend on the
 * cloud; `resolve.ts` fills them in from `cloudDefaults.ts`.
 */

export const nodePoolSection = z
  .object({
    /** Machine type (GCP), instance type (AWS) or VM size (Azure). */
    machineType: z.string().min(1, "must not be empty").optional(),
    /** Boot disk size per node in GB. */
    diskSizeGb: intBetween(30, 4096).optional(),
    /** Disk type: pd-ssd / pd-balanced (GCP), gp3 / io2 (AWS), Managed / Ephemeral (Azure). */
    diskType: z.string().min(1, "must not be empty").optional(),
    /** Lower bound of the autoscaler, counted over the whole pool. */
    minNodes: intBetween(0, 1000).optional(),
    /** Upper bound of the autoscaler, counted over the whole pool. */
    maxNodes: intBetween(1, 1000).optional(),
  })
  .strict();

export const nodePoolsSection = z
  .object({
    /** Gitpod's services: labels workload_meta, workload_ide, workload_workspace_services, workload_services. */
    services: nodePoolSection.default({}),
    /** Regular workspaces: label workload_workspace_regular. */
    regularWorkspaces: nodePoolSection.default({}),
    /** Headless workspaces (prebuilds): label workload_workspace_headless. */
    headlessWorkspaces: nodePoolSection.default({}),
  })
  .strict();

/**
 * The Kubernetes minor a stack pins unless it sets cluster.kubernetesVersion: in standard support on GKE, EKS and AKS
 * at 2026-11-30 (facts/calendar/kubernetes.json; test/config/calendar.test.ts fails when that no longer holds).
 */
export const defaultKubernetesVersion = "1.35";

export const clusterSection = z
  .object({
    /** Kubernetes version the control plane and nodes are pinned to; upgrades are explicit config changes. */
    kubernetesVersion: kubernetesVersion.default(defaultKubernetesVersion),
    /**
     * Which support the cloud gives the pinned version: `standard`, or `extended` (paid: EKS extended support,
     * AKS Long Term Support on the Premium tier, GKE's Extended channel), chosen explicitly.
     */
    supportPlan: z.enum(["standard", "extended"]).default("standard"),
  })
  .strict();

export const databaseSection = z
  .object({
    /**
     * MySQL major version: 5.7 or 8.0, the ones Gitpod 2022.11 runs on (its driver cannot log in to 8.4). Defaults to
     * 8.0, whose paid extended support lasts longest (facts/calendar/mysql.json).
     */
    version: z.enum(["5.7", "8.0"]).optional(),
    /** Which support the cloud gives the MySQL major: `standard`, or `extended` (paid), chosen explicitly. */
    supportPlan: z.enum(["standard", "extended"]).default("standard"),
    /** Instance size: Cloud SQL tier, RDS instance class or Azure SKU name. */
    machineType: z.string().min(1, "must not be empty").optional(),
    /** Storage size in GB; grows automatically where the service allows. */
    diskSizeGb: intBetween(20, 16384).default(20),
    /** Days automated backups are kept. */
    backupRetentionDays: intBetween(1, 35).default(7),
    /** Standby in a second zone. Defaults to on in production. */
    highAvailability: z.boolean().optional(),
  })
  .strict();

export const dnsSection = z
  .object({
    /** Sign the public zone with DNSSEC (the registrar must publish the DS record). */
    dnssec: z.boolean().default(true),
  })
  .strict();

export const protectSetting = flag.optional();
