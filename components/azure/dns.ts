import * as dns from "@pulumi/azure-native/dns";
import * as pulumi from "@pulumi/pulumi";
import { lockAgainstDelete } from "./locks";

export interface AzureDnsZoneArgs {
  /** Resource group of the zone. */
  resourceGroupName: pulumi.Input<string>;
  /** The stack's domain; the zone is created for it. */
  domain: string;
  /** Sign the zone with DNSSEC (the registrar must then publish the DS record). */
  dnssec: boolean;
  /** Protect the zone (Pulumi protect): recreating it changes the name servers the registrar points to. */
  protect: boolean;
  /**
   * A CanNotDelete lock on the zone's SOA record set: the zone cannot be deleted without it, while external-dns and
   * cert-manager keep deleting their own records (a lock on the zone would apply to every record set in it).
   */
  lock: boolean;
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
    if (args.lock) lockAgainstDelete(`${name}-lock`, pulumi.interpolate`${this.zone.id}/SOA/@`, "DNS zone", { parent: this });
    this.nameServers = this.zone.nameServers;
    this.registerOutputs({ zoneId: this.zone.id, nameServers: this.nameServers });
  }
}
