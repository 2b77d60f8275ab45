/**
 * Refreshes facts/aws/provider-enums.json from the installed @pulumi/aws SDK's enums (generated from the provider
 * schema): the regions and the EC2 instance types the provider knows. Run by hand after a provider upgrade:
 *   node -r sucrase/register/ts scripts/facts/awsFromProvider.ts
 */
import * as fs from "fs";
import * as path from "path";
import { InstanceType } from "@pulumi/aws/types/enums/ec2";
import { Region } from "@pulumi/aws/types/enums";

const version = JSON.parse(fs.readFileSync(require.resolve("@pulumi/aws/package.json"), "utf8")).version as string;
const file = path.join(__dirname, "..", "..", "facts", "aws", "provider-enums.json");
const facts = {
  about: "AWS regions and EC2 instance types as the @pulumi/aws SDK's enums list them (generated from the provider schema).",
  source: `@pulumi/aws ${version}: types/enums/index.d.ts (Region) and types/enums/ec2/index.d.ts (InstanceType)`,
  dateRead: new Date().toISOString().slice(0, 10),
  refresh: "node -r sucrase/register/ts scripts/facts/awsFromProvider.ts (after upgrading @pulumi/aws)",
  verified: true,
  regions: [...new Set(Object.values(Region))].sort(),
  instanceTypes: [...new Set(Object.values(InstanceType))].sort(),
};
fs.writeFileSync(file, `${JSON.stringify(facts, null, 1)}\n`);
console.log(`${file}: ${facts.regions.length} regions, ${facts.instanceTypes.length} instance types`);
