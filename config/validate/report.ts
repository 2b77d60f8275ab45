import { z } from "zod";

/** Where a validation rule reports: a problem stops the program (a zod issue on the key), a warning is only shown. */
export interface Report {
  problem(path: (string | number)[], input: unknown, message: string): void;
  warning(message: string): void;
}

/** Options of a config validation run; the date is injectable so tests of the calendar do not age. */
export interface ValidationOptions {
  /** The day the run happens (UTC); defaults to now. */
  today?: Date;
  /** The stack's name, from which cloud names are built; unset skips the name checks. */
  stack?: string;
  /** Receives each warning (e.g. support ending within 90 days); defaults to none. */
  onWarning?: (message: string) => void;
}

export function reportTo(ctx: z.RefinementCtx, options: ValidationOptions): Report {
  return {
    problem: (path, input, message) => ctx.addIssue({ code: "custom", path, input, message }),
    warning: (message) => options.onWarning?.(message),
  };
}

/** The path a problem with the stack's name (not a config key) is reported on. */
export const stackNamePath = "(stack name)";
