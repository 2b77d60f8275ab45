import { ConfigError, parseStackConfig, ValidationOptions } from "../../config";
import { configValues } from "../helpers";

/** The day the fact-based rules are tested at, so the calendar cases do not age. */
export const today = new Date("2026-11-30T00:00:00Z");

/** The problems a config is refused with at `today` (or the given options); [] when it is accepted. */
export function problemsOf(config: Record<string, unknown>, options: ValidationOptions = {}): string[] {
  try {
    parseStackConfig(configValues(config), { today, ...options });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

