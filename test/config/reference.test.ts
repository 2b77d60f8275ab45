import * as fs from "fs";
import { configKeyPaths } from "../../config/keys";
import { referencePath, renderReference } from "../../scripts/configReference";

describe("docs/configuration.md", () => {
  const committed = fs.readFileSync(referencePath, "utf8");

  it("is what `npm run docs:config` generates from the schema (run it after changing config/)", () => {
    expect(committed).toBe(renderReference());
  });

  it("documents every key the schema accepts, each with a description", () => {
    for (const key of configKeyPaths()) {
      // A key of a section's variant carries the variant: `existing.database.host (kind: external)`.
      const row = committed.split("\n").find((line) => line.startsWith(`| \`${key}\` |`) || line.startsWith(`| \`${key} (`));
      expect({ key, documented: row !== undefined }).toEqual({ key, documented: true });
      expect({ key, description: row!.split("|").slice(-2, -1)[0].trim().length > 0 }).toEqual({ key, description: true });
    }
  });

  it("renders each key once, and each variant of a section with its own required keys and descriptions", () => {
    const keys = committed.split("\n").filter((l) => l.startsWith("| `")).map((l) => l.split("|")[1].trim());
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    const row = (key: string) => committed.split("\n").find((l) => l.startsWith(`| \`${key}\` |`))!.split("|").map((c) => c.trim());
    expect(row("existing.database.host (kind: external)")[3]).toBe("**required**");
    expect(committed).not.toContain("`existing.database.host (kind: inCluster)`");
    expect(row("existing.dns01.apiToken (solver: cloudflare)")[3]).toBe("**required**");
    expect(row("existing.dns01.hostedZoneId (solver: route53)")[3]).toBe("");
    expect(row("existing.database.kind")[5]).toMatch(/^`external`: .+ `inCluster`: .+/);
  });
});
