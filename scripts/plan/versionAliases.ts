import * as pulumi from "@pulumi/pulumi";

/**
 * The provider SDKs give each resource one alias per earlier API version of its type: azure-native's ManagedCluster
 * has 113 (`azure-native:containerservice/v20170831:ManagedCluster`, ...), Kubernetes kinds a few. Pulumi's SDK
 * turns every alias into Outputs and a URN while it registers the resource, which was two thirds of an Azure plan's
 * time. The engine uses them only to match state left by an older SDK version; the offline plan has no state, the
 * mock runtime ignores them and resources.json does not record them. So the offline plan drops these aliases; any
 * other alias (a rename the program declares) is kept. A real `pulumi up` never runs this: planProgram only.
 */
export function dropVersionAliases(args: pulumi.ResourceTransformationArgs): pulumi.ResourceTransformationResult | undefined {
  const aliases = args.opts.aliases;
  if (!aliases?.length) return undefined;
  const [pkg, , kind] = args.type.split(":");
  const kept = aliases.filter((alias) => !isVersionAlias(alias, pkg, kind));
  return kept.length === aliases.length ? undefined : { props: args.props, opts: { ...args.opts, aliases: kept } };
}

/** `{ type: "<same package>:<any module/version>:<same kind>" }` and nothing else. */
function isVersionAlias(alias: pulumi.Input<string | pulumi.Alias>, pkg: string, kind: string): boolean {
  if (typeof alias !== "object" || pulumi.Output.isInstance(alias) || Object.keys(alias).length !== 1) return false;
  const type = (alias as pulumi.Alias).type;
  return typeof type === "string" && type.startsWith(`${pkg}:`) && type.endsWith(`:${kind}`);
}
