/**
 * Reference-architecture defaults that differ by cloud. Everything here can be overridden in the stack config;
 * the values follow Gitpod's single-cluster reference architecture (services pool of 4 vCPU / 16 GB machines,
 * workspace pools of 16 vCPU / 64 GB machines with 512 GB SSD).
 */
export const clouds = ["gcp", "aws", "azure"] as const;
export type Cloud = (typeof clouds)[number];

export const poolRoles = ["services", "regularWorkspaces", "headlessWorkspaces"] as const;
export type PoolRole = (typeof poolRoles)[number];

export interface PoolDefaults {
  machineType: string;
  diskSizeGb: number;
  diskType: string;
  minNodes: number;
  maxNodes: number;
}

const workspacePool = (machineType: string, diskType: string): PoolDefaults => ({
  machineType,
  diskSizeGb: 512,
  diskType,
  minNodes: 1,
  maxNodes: 50,
});

export const nodePoolDefaults: Record<Cloud, Record<PoolRole, PoolDefaults>> = {
  gcp: {
    services: { machineType: "n2d-standard-4", diskSizeGb: 100, diskType: "pd-ssd", minNodes: 1, maxNodes: 4 },
    regularWorkspaces: workspacePool("n2d-standard-16", "pd-ssd"),
    headlessWorkspaces: workspacePool("n2d-standard-16", "pd-ssd"),
  },
  aws: {
    services: { machineType: "m6i.xlarge", diskSizeGb: 100, diskType: "gp3", minNodes: 1, maxNodes: 4 },
    regularWorkspaces: workspacePool("m6i.4xlarge", "gp3"),
    headlessWorkspaces: workspacePool("m6i.4xlarge", "gp3"),
  },
  azure: {
    services: { machineType: "Standard_D4s_v5", diskSizeGb: 100, diskType: "Managed", minNodes: 1, maxNodes: 4 },
    regularWorkspaces: workspacePool("Standard_D16s_v5", "Managed"),
    headlessWorkspaces: workspacePool("Standard_D16s_v5", "Managed"),
  },
};

/** Managed MySQL sizing by cloud: roughly 2 vCPU / 8 GB, the reference architecture's database size. */
export const databaseDefaults: Record<Cloud, { machineType: string; version: "5.7" | "8.0" }> = {
  gcp: { machineType: "db-custom-2-7680", version: "8.0" },
  aws: { machineType: "db.m6i.large", version: "8.0" },
  azure: { machineType: "Standard_D2ds_v4", version: "8.0" },
};
