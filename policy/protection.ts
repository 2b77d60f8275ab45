/**
 * Production data must survive any `pulumi up` or `pulumi destroy`: data resources (and the keys and resource
 * groups they live in) are protected, and nothing is set to be force-deleted with its contents.
 */
import { dataHolderTypes, dataResourceTypes } from "../components/dataResources";
import { byUrn, dependenciesOf, describe, isProduction, ofType, ResourceRule, show, StackRule, truthy, Violation } from "./lib";

export const dataResourcesProtected: StackRule = {
  kind: "stack",
  name: "data-resources-protected",
  family: "protection",
  level: "mandatory",
  description:
    "In production, every data resource (database, bucket, storage account, registry, DNS zone) is protected (Pulumi `protect`), and so is every encryption key or Azure resource group a data resource depends on.",
  check(resources, context) {
    if (!isProduction(context)) return [];
    const index = byUrn(resources);
    const out: Violation[] = [];
    const data = ofType(resources, ...dataResourceTypes);
    for (const r of data.filter((d) => !d.protect)) {
      out.push({ urn: r.urn, message: `${describe(r)}: protect is false; protect production data resources (protect: true) so no update or destroy can delete them` });
    }
    const holders = new Map(data.flatMap((d) => dependenciesOf(d, index).filter((h) => dataHolderTypes.includes(h.type)).map((h) => [h.urn, { holder: h, user: d }] as const)));
    for (const { holder, user } of holders.values()) {
      if (!holder.protect) {
        out.push({ urn: holder.urn, message: `${describe(holder)}: protect is false, but ${describe(user)} depends on it (deleting it loses the data); protect it` });
      }
    }
    return out;
  },
};

/** Settings that let a delete take a resource's contents with it, by type. */
const forceDeleteSettings: Record<string, string> = {
  "gcp:storage/bucket:Bucket": "forceDestroy",
  "gcp:dns/managedZone:ManagedZone": "forceDestroy",
  "aws:s3/bucket:Bucket": "forceDestroy",
  "aws:s3/bucketV2:BucketV2": "forceDestroy",
  "aws:route53/zone:Zone": "forceDestroy",
  "aws:ecr/repository:Repository": "forceDelete",
};

export const noForceDestroyInProduction: ResourceRule = {
  kind: "resource",
  name: "no-force-destroy-in-production",
  family: "protection",
  level: "mandatory",
  description: "In production, buckets, DNS zones and registries are not set to be deleted together with their contents (forceDestroy / forceDelete).",
  types: Object.keys(forceDeleteSettings),
  check(r, context) {
    if (!isProduction(context)) return [];
    const setting = forceDeleteSettings[r.type];
    return truthy(r.props[setting]) ? [`${describe(r)}: ${setting} is ${show(r.props[setting])}; set it to false in production`] : [];
  },
};

export const protectionRules = [dataResourcesProtected, noForceDestroyInProduction];
