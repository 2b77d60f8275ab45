import { Calendar, kubernetesCalendars, mysqlCalendars } from "./facts";
import { Report } from "./report";
import { defaultKubernetesVersion } from "../sections";

/** Days before an end of support from which a run warns. */
export const warningDays = 90;

const kubernetesService = { gcp: "gke", aws: "eks", azure: "aks" } as const;
const mysqlService = { gcp: "cloudsql", aws: "rds", azure: "azure-mysql" } as const;
const serviceLabel: Record<string, string> = { gke: "GKE", eks: "EKS", aks: "AKS", cloudsql: "Cloud SQL", rds: "RDS", "azure-mysql": "Azure Database for MySQL" };

type ManagedCloud = keyof typeof kubernetesService;
type SupportPlan = "standard" | "extended";

interface VersionedConfig {
  cloud: ManagedCloud;
  cluster: { kubernetesVersion: string; supportPlan: SupportPlan };
  database: { version: string; supportPlan: SupportPlan };
}

/**
 * Refuses a Kubernetes or MySQL version the stack's cloud no longer supports at `today` (past the end of standard
 * support without the explicit paid extended plan, past the end of extended support, or not offered at all), and
 * warns when its support ends within 90 days. Facts: facts/calendar/kubernetes.json and mysql.json.
 */
export function checkVersions(config: VersionedConfig, today: Date, report: Report): void {
  checkVersion(kubernetesCalendars[kubernetesService[config.cloud]], serviceLabel[kubernetesService[config.cloud]], {
    key: "cluster",
    versionKey: "kubernetesVersion",
    version: minorOf(config.cluster.kubernetesVersion),
    input: config.cluster.kubernetesVersion,
    plan: config.cluster.supportPlan,
    allowed: undefined,
    preferred: defaultKubernetesVersion,
  }, today, report);
  checkVersion(mysqlCalendars[mysqlService[config.cloud]], serviceLabel[mysqlService[config.cloud]], {
    key: "database",
    versionKey: "version",
    version: config.database.version,
    input: config.database.version,
    plan: config.database.supportPlan,
    // Gitpod 2022.11 runs on these only (config/sections.ts); a newer major is no way out.
    allowed: ["5.7", "8.0"],
    preferred: "8.0",
  }, today, report);
}

interface Pinned {
  key: "cluster" | "database";
  versionKey: string;
  version: string;
  input: string;
  plan: SupportPlan;
  allowed: string[] | undefined;
  /** The version to suggest when it is in standard support: the program's default. */
  preferred: string;
}

function checkVersion(calendar: Calendar, service: string, pinned: Pinned, today: Date, report: Report): void {
  const path = [pinned.key, pinned.versionKey];
  const planKey = `${pinned.key}.supportPlan`;
  const window = calendar.versions[pinned.version];
  const candidates = Object.keys(calendar.versions).filter((v) => pinned.allowed?.includes(v) ?? true);
  const standardNow = candidates.filter((v) => inStandard(calendar, v, today));
  const suggested = standardNow.includes(pinned.preferred) ? pinned.preferred : standardNow[standardNow.length - 1];
  const none = pinned.allowed
    ? `no version Gitpod 2022.11 runs on (${candidates.join(", ")}) is in standard support on ${service}`
    : `no version in facts/calendar is in standard support on ${service} (refresh the calendar)`;
  const advice = suggested ? `use ${suggested} (in standard support until ${calendar.versions[suggested].endOfStandard})` : none;
  if (window === undefined) {
    report.problem(path, pinned.input, `is not offered by ${service}: one of ${candidates.join(", ")} (facts/calendar); ${advice}`);
    return;
  }
  if (window.available !== undefined && today < day(window.available)) {
    report.problem(path, pinned.input, `is not available on ${service} before ${window.available}; ${advice}`);
    return;
  }
  if (today >= day(window.endOfExtended)) {
    report.problem(path, pinned.input, `reached the end of ${service} extended support on ${window.endOfExtended}; ${advice}`);
    return;
  }
  if (today >= day(window.endOfStandard)) {
    if (pinned.plan !== "extended") {
      report.problem(
        path,
        pinned.input,
        `ended ${service} standard support on ${window.endOfStandard}; ${advice}, or set ${planKey}: extended for ${calendar.extendedPlan} (paid) until ${window.endOfExtended}`,
      );
      return;
    }
    warnIfSoon(report, `${pinned.key}.${pinned.versionKey} ${pinned.input}: ${service} extended support`, window.endOfExtended, today);
    return;
  }
  warnIfSoon(report, `${pinned.key}.${pinned.versionKey} ${pinned.input}: ${service} standard support`, window.endOfStandard, today);
}

function warnIfSoon(report: Report, what: string, end: string, today: Date): void {
  const days = Math.ceil((day(end).getTime() - today.getTime()) / 86_400_000);
  if (days <= warningDays) report.warning(`${what} ends on ${end}, in ${days} days: plan the upgrade`);
}

function inStandard(calendar: Calendar, version: string, today: Date): boolean {
  const window = calendar.versions[version];
  return (window.available === undefined || today >= day(window.available)) && today < day(window.endOfStandard);
}

/** 1.35.4 -> 1.35 (the calendar is by minor version). */
export function minorOf(version: string): string {
  return version.split(".").slice(0, 2).join(".").replace(/[-+].*$/, "");
}

function day(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}
