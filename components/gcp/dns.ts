import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";
import { DnsInfo } from "../platform";
import { resourceName } from "./naming";

export interface CloudDnsArgs {
  /** Project of the zone. */
  project: string;
  /** The domain the zone is authoritative for. */
  domain: string;
  /** Sign the zone with DNSSEC. */
  dnssec: boolean;
  /** Protect the zone: deleting it breaks the delegation at the registrar. */
  protect: boolean;
  /** Name of the stack, for project-wide names. */
  stack: string;
}

/** Public Cloud DNS zone for the domain; cert-manager (DNS-01) and external-dns write into it. */
export class CloudDns extends pulumi.ComponentResource {
  readonly zone: gcp.dns.ManagedZone;
  readonly dns: DnsInfo;

  constructor(name: string, args: CloudDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:gcp:Dns", name, {}, opts);
    this.zone = new gcp.dns.ManagedZone(
      `${name}-zone`,
      {
        name: resourceName(args.stack, "zone"),
        dnsName: `${args.domain}.`,
        description: `Gitpod ${args.domain}`,
        visibility: "public",
        dnssecConfig: { state: args.dnssec ? "on" : "off", nonExistence: args.dnssec ? "nsec3" : undefined },
        // Development is rebuilt freely: records written by external-dns and cert-manager go with the zone.
        forceDestroy: !args.protect,
      },
      { parent: this, protect: args.protect },
    );
    this.dns = {
      domain: args.domain,
      zoneId: this.zone.name,
      nameServers: this.zone.nameServers,
      // cert-manager authenticates through workload identity: no serviceAccountSecretRef.
      acmeDns01Solver: this.zone.name.apply((zone): Record<string, unknown> => ({ cloudDNS: { project: args.project, hostedZoneName: zone } })),
      externalDns: {
        provider: "google",
        extraArgs: pulumi.output([`--google-project=${args.project}`, "--google-zone-visibility=public"]),
      },
    };
    this.registerOutputs({ nameServers: this.zone.nameServers });
  }
}
