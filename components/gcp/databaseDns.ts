import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";
import { resourceName } from "./naming";

/**
 * The instance's DNS name (`<uid>.<region>.sql.goog`), with the trailing dot a Cloud DNS name needs, or a deploy-time
 * stop when Cloud SQL reports none: Gitpod's Go clients check the server certificate against the host they dial
 * (go-sql-driver/mysql sets tls.Config.ServerName to it), and only the DNS name is in the certificate. Pure.
 */
export function instanceDnsName(dnsName: string | undefined, instance: string): string {
  if (!dnsName) {
    throw new Error(
      `Cloud SQL instance ${instance} reports no DNS name; Gitpod must dial the name in its server certificate. ` +
        "Check that settings.ipConfiguration.serverCaMode is GOOGLE_MANAGED_CAS_CA (gcloud sql instances describe).",
    );
  }
  return dnsName.endsWith(".") ? dnsName : `${dnsName}.`;
}

export interface DatabaseDnsArgs {
  /** The VPC the cluster runs in: the only network that resolves the name. */
  networkId: pulumi.Input<string>;
  /** The instance's name, DNS name and private IP. */
  instance: gcp.sql.DatabaseInstance;
  /** Name of the stack, for project-wide names. */
  stack: string;
  /** Protect the zone as the stack's other zones (production); unprotected zones are force-destroyed. */
  protect: boolean;
  /** The zone's name in the project; default `gitpod-<stack>-sql-private`. */
  zoneName?: string;
}

/**
 * A private Cloud DNS zone for the instance's DNS name, seen only from the stack's VPC, pointing at its private IP.
 * Cloud SQL publishes no record for a private-services-access instance's name (its DNS automation is for Private
 * Service Connect), so the program does.
 */
export class DatabaseDns extends pulumi.ComponentResource {
  /** The host Gitpod dials, without the trailing dot. */
  readonly host: pulumi.Output<string>;

  constructor(name: string, args: DatabaseDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:gcp:DatabaseDns", name, {}, opts);
    const fqdn = pulumi.all([args.instance.dnsName, args.instance.name]).apply(([dnsName, instance]) => instanceDnsName(dnsName, instance));
    const zone = new gcp.dns.ManagedZone(
      `${name}-zone`,
      {
        name: args.zoneName ?? resourceName(args.stack, "sql-private"),
        dnsName: fqdn,
        description: "Cloud SQL instance name for Gitpod (private)",
        visibility: "private",
        privateVisibilityConfig: { networks: [{ networkUrl: args.networkId }] },
        forceDestroy: !args.protect,
      },
      { parent: this, protect: args.protect },
    );
    const record = new gcp.dns.RecordSet(
      `${name}-a`,
      { managedZone: zone.name, name: fqdn, type: "A", ttl: 300, rrdatas: [args.instance.privateIpAddress] },
      { parent: this },
    );
    this.host = pulumi.all([fqdn, record.id]).apply(([dnsName]) => dnsName.replace(/\.$/, ""));
    this.registerOutputs({ host: this.host });
  }
}
