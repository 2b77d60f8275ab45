import * as dns from "@pulumi/azure-native/dns";
import * as pulumi from "@pulumi/pulumi";

export interface AzureDnsZoneArgs {
  /** Resource group of the zone. */
  resourceGroupName: pulumi.Input<string>;
  /** The stack's domain; the zone is created for it. */
  domain: string;
  /** Sign the zone with DNSSEC (the registrar must then publish the DS record). */
  dnssec: boolean;
  /** Protect the zone (Pulumi protect): recreating it changes the name servers the registrar points to. */
  protect: boolean;
  /** Tags for the zone. */
  tags: Record<string, string>;
}

/** The public Azure DNS zone of the stack's domain, optionally DNSSEC-signed; delegate the domain to its name servers. */
export class AzureDnsZone extends pulumi.ComponentResource {
  readonly zone: dns.Zone;
  readonly nameServers: pulumi.Output<string[]>;

  constructor(name: string, args: AzureDnsZoneArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:azure:Dns", name, {}, opts);
    this.zone = new dns.Zone(
      `${name}-zone`,
      { resourceGroupName: args.resourceGroupName, zoneName: args.domain, zoneType: "Public", location: "global", tags: args.tags },
      { parent: this, protect: args.protect },
    );
    if (args.dnssec) {
      new dns.DnssecConfig(`${name}-dnssec`, { resourceGroupName: args.resourceGroupName, zoneName: this.zone.name }, { parent: this });
    }
    this.nameServers = this.zone.nameServers;
    this.registerOutputs({ zoneId: this.zone.id, nameServers: this.nameServers });
  }
}
