import { suggestion } from "./closest";
import { aws } from "./facts";
import { checkNodeSize } from "./nodeSize";
import { Report } from "./report";

interface AwsSized {
  aws: { region: string; availabilityZones?: string[] };
  nodePools: Record<string, { machineType: string }>;
  database: { machineType: string };
}

/** Region, availability zones, instance types and RDS class against facts/aws/. */
export function checkAwsCatalog(config: AwsSized, report: Report): void {
  const { region, availabilityZones } = config.aws;
  if (!aws.regions.includes(region)) {
    report.problem(["aws", "region"], region, `is not an AWS region (facts/aws/provider-enums.json)${suggestion(region, aws.regions)}`);
  } else {
    const valid = (aws.zones[region] ?? aws.defaultZoneLetters).map((letter) => `${region}${letter}`);
    (availabilityZones ?? []).forEach((zone, i) => {
      if (valid.includes(zone)) return;
      const owner = zone.slice(0, -1);
      const where = owner !== region && aws.regions.includes(owner) ? `is a zone of ${owner}, not of aws.region ${region}` : `is not a zone of aws.region ${region}`;
      report.problem(["aws", "availabilityZones", i], zone, `${where}: one of ${valid.join(", ")}`);
    });
  }
  for (const [role, pool] of Object.entries(config.nodePools)) checkInstanceType(role, pool.machineType, report);
  checkRdsClass(config.database.machineType, report);
}

function checkInstanceType(role: string, type: string, report: Report): void {
  const path = ["nodePools", role, "machineType"];
  // A value of another cloud's shape (n2d-standard-4) is already refused by checkAwsSizes (config/aws.ts).
  if (!type.includes(".")) return;
  if (!aws.instanceTypes.has(type)) {
    report.problem(path, type, `is not an EC2 instance type (facts/aws/provider-enums.json)${suggestion(type, aws.instanceTypes)}`);
    return;
  }
  const [family, size] = type.split(".");
  if (/^[a-z]+\d+g/.test(family) || family === "a1") {
    report.problem(path, type, "is an Arm (Graviton) instance type: Gitpod 2022.11's images are built for x86-64 only; use an Intel or AMD family such as m6i or m7a");
    return;
  }
  const multiple = /^(\d+)xlarge$/.exec(size);
  const vcpus = aws.sizeVcpus[size] ?? (multiple ? 4 * Number(multiple[1]) : undefined);
  if (vcpus === undefined) return; // metal and the small sizes of odd families: the provider list is the check
  const gbPerVcpu = aws.gbPerVcpuByFamilyLetter[family[0]];
  checkNodeSize(path, type, { vcpus, memoryGb: gbPerVcpu === undefined ? undefined : vcpus * gbPerVcpu }, report);
}

function checkRdsClass(instanceClass: string, report: Report): void {
  const m = /^db\.([a-z0-9-]+)\.([a-z0-9-]+)$/.exec(instanceClass);
  if (!m) return; // the shape is checkAwsSizes's (config/aws.ts)
  if (aws.rdsMysqlFamilies.includes(m[1]) && aws.rdsSizes.includes(m[2])) return;
  const known = aws.rdsMysqlFamilies.flatMap((family) => aws.rdsSizes.map((size) => `db.${family}.${size}`));
  report.problem(["database", "machineType"], instanceClass, `is not an RDS for MySQL instance class (facts/aws/zones-and-classes.json)${suggestion(instanceClass, known)}`);
}
