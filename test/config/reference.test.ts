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
      const row = committed.split("\n").find((line) => line.startsWith(`| \`${key}\` |`));
      expect({ key, documented: row !== undefined }).toEqual({ key, documented: true });
      expect({ key, description: row!.split("|").slice(-2, -1)[0].trim().length > 0 }).toEqual({ key, description: true });
    }
  });
});
