/**
 * GCP naming rules, as pure functions: several stacks may share one project, so every project-wide name carries
 * the stack name, trimmed to what GCP accepts.
 */

/** A service account id: 6-30 characters, lowercase letters, digits and hyphens, starting with a letter. */
export function serviceAccountId(stack: string, purpose: string): string {
  const prefix = `gp-${slug(stack)}`.slice(0, 29 - purpose.length).replace(/-+$/, "");
  return `${prefix}-${purpose}`.padEnd(6, "0");
}

/** A custom IAM role id: letters, digits, underscores and dots, 3-64 characters. */
export function customRoleId(stack: string, purpose: string): string {
  return `gitpod_${slug(stack).replace(/-/g, "_")}_${purpose}`.slice(0, 64);
}

/** A resource name in the style GCP uses for zones, repositories and instances: lowercase, hyphens, max 63. */
export function resourceName(stack: string, purpose: string, maxLength = 63): string {
  const prefix = `gitpod-${slug(stack)}`.slice(0, maxLength - purpose.length - 1).replace(/-+$/, "");
  return `${prefix}-${purpose}`;
}

/** The GKE cluster's name: at most 40 characters (provider validation, resource_container_cluster.go). */
export function clusterName(stack: string): string {
  return resourceName(stack, "gke", 40);
}

function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

/**
 * The backup bucket's name: bucket names are global, so it starts with the (globally unique) project id; lowercase,
 * at most 63 characters. Pure.
 */
export function backupBucketName(project: string, stack: string): string {
  const slug = stack.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return `${project}-${slug}-velero`.slice(0, 63).replace(/-+$/, "");
}
