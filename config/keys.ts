import { z } from "zod";
import { rawStackSchema } from "./schema";

type Def = Record<string, unknown> & { type: string };

/**
 * Every key path the stack config schema accepts, over all clouds (e.g. `nodePools.services.maxNodes`,
 * `gcp.network.masterAuthorizedNetworks[].cidr`). The config reference in docs/ is checked against this list.
 */
export function configKeyPaths(schema: z.core.$ZodType = rawStackSchema): string[] {
  const paths = new Set<string>();
  const walk = (node: z.core.$ZodType, prefix: string) => {
    const def = node._zod.def as unknown as Def;
    switch (def.type) {
      case "union":
        for (const option of def.options as z.core.$ZodType[]) walk(option, prefix);
        return;
      case "optional":
      case "default":
      case "prefault":
      case "nullable":
        return walk(def.innerType as z.core.$ZodType, prefix);
      case "pipe":
        return walk(def.in as z.core.$ZodType, prefix);
      case "array":
        return walk(def.element as z.core.$ZodType, `${prefix}[]`);
      case "object":
        for (const [key, child] of Object.entries(def.shape as Record<string, z.core.$ZodType>)) {
          const path = prefix ? `${prefix}.${key}` : key;
          paths.add(path);
          walk(child, path);
        }
        return;
    }
  };
  walk(schema, "");
  return [...paths].sort();
}
