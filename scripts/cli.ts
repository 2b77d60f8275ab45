/**
 * The one command-line parser of the project's scripts. Each script declares its options once; this gives it
 * `--help` (usage, exit 0, nothing else done), `--name value` and `--name=value` alike, and for a wrong argument
 * the usage and one line saying what was wrong, exit 2, no stack trace. A new option is one more entry in the
 * script's list.
 */

export interface OptionSpec {
  /** Without the leading dashes, e.g. "stack". */
  name: string;
  /** Placeholder of the option's value in the usage, e.g. "NAME"; absent for a flag (no value). */
  value?: string;
  help: string;
  required?: boolean;
  /** Checks a value; returns what is wrong with it, or undefined when it is fine. */
  check?: (value: string) => string | undefined;
}

export interface CommandSpec {
  /** How a user starts it, e.g. "npm run plan --". */
  command: string;
  summary: string;
  options: OptionSpec[];
  /** Extra lines after the options (examples, the committed stacks); computed only when the usage is shown. */
  notes?: () => string[];
}

/** A wrong command line: the message says what was wrong; the caller prints it with the usage, exit 2. */
export class UsageError extends Error {}

export type ParsedArgs = Record<string, string | boolean | undefined>;

export function usage(spec: CommandSpec): string {
  const synopsis = spec.options.map((o) => {
    const text = `--${o.name}${o.value ? ` ${o.value}` : ""}`;
    return o.required ? text : `[${text}]`;
  });
  const width = Math.max(...spec.options.map((o) => `--${o.name}${o.value ? ` ${o.value}` : ""}`.length), "--help".length);
  const lines = [`usage: ${spec.command} ${synopsis.join(" ")}`, "", spec.summary, "", "options:"];
  for (const o of [...spec.options, { name: "help", help: "show this help and exit" } as OptionSpec]) {
    lines.push(`  ${`--${o.name}${o.value ? ` ${o.value}` : ""}`.padEnd(width)}  ${o.help}`);
  }
  const notes = spec.notes?.() ?? [];
  return [...lines, ...(notes.length ? ["", ...notes] : [])].join("\n");
}

/** Parses argv against the spec; returns "help" for --help; throws a UsageError for anything it does not accept. */
export function parseArgs(spec: CommandSpec, argv: string[]): ParsedArgs | "help" {
  if (argv.includes("--help") || argv.includes("-h")) return "help";
  const byName = new Map(spec.options.map((o) => [o.name, o]));
  const parsed: ParsedArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([^=]+)(?:=(.*))?$/s.exec(argv[i]);
    if (!match) throw new UsageError(`unexpected argument ${JSON.stringify(argv[i])}`);
    const [, name, inline] = match;
    const option = byName.get(name);
    if (!option) throw new UsageError(`unknown option --${name}`);
    if (parsed[name] !== undefined) throw new UsageError(`--${name} given twice`);
    if (!option.value) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      parsed[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === "" || (inline === undefined && value.startsWith("--"))) {
      throw new UsageError(`--${name} needs a value (${option.value})`);
    }
    const problem = option.check?.(value);
    if (problem) throw new UsageError(`--${name} ${value}: ${problem}`);
    parsed[name] = value;
  }
  for (const option of spec.options) {
    if (option.required && parsed[option.name] === undefined) throw new UsageError(`--${option.name} is required`);
  }
  return parsed;
}

/**
 * Runs a script's main with its parsed arguments and owns the exit code: --help prints the usage (exit 0), a
 * UsageError the usage and the problem (exit 2), any other error its message only (exit 1; GITPOD_PLAN_STACK_TRACES=1
 * adds the stack trace). main returns the exit code, 0 when it returns nothing.
 */
export function runCli(spec: CommandSpec, main: (args: ParsedArgs) => Promise<number | void> | number | void, argv = process.argv.slice(2)): void {
  let args: ParsedArgs | "help";
  try {
    args = parseArgs(spec, argv);
  } catch (err) {
    exitOnError(spec, err);
    return;
  }
  if (args === "help") {
    console.log(usage(spec));
    process.exit(0);
    return;
  }
  Promise.resolve()
    .then(() => main(args as ParsedArgs))
    .then(
      (code) => process.exit(code ?? 0),
      (err: unknown) => exitOnError(spec, err),
    );
}

function exitOnError(spec: CommandSpec, err: unknown): void {
  if (err instanceof UsageError) {
    console.error(`${usage(spec)}\n\nerror: ${err.message}`);
    process.exit(2);
    return;
  }
  const trace = process.env.GITPOD_PLAN_STACK_TRACES && err instanceof Error ? `\n${err.stack}` : "";
  console.error(`${err instanceof Error ? err.message : String(err)}${trace}`);
  process.exit(1);
}
