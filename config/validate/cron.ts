import { Report } from "./report";

/**
 * A five-field cron expression as Velero's schedule parser (robfig/cron v3, standard parser) reads it, checked field
 * by field: minute 0-59, hour 0-23, day of month 1-31, month 1-12 or JAN-DEC, day of week 0-6 or SUN-SAT; each field
 * a list of `*`, `?` (day fields), values, ranges a-b, with an optional /step. Velero also takes @every and
 * @daily-style descriptors.
 */
const fields = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31, question: true },
  { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { name: "day of week", min: 0, max: 6, question: true, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
];

const descriptors = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly|every\s+(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/;

export function checkCron(path: string[], expression: string, report: Report): void {
  const text = expression.trim();
  if (text.startsWith("@")) {
    if (!descriptors.test(text)) report.problem(path, expression, "is not a cron descriptor Velero knows: @yearly, @monthly, @weekly, @daily, @hourly or @every <duration> such as @every 6h");
    return;
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5) {
    report.problem(path, expression, `has ${parts.length} fields; a Velero schedule is five: minute hour day-of-month month day-of-week, such as "0 */6 * * *"`);
    return;
  }
  parts.forEach((part, i) => {
    const error = fieldError(part, fields[i]);
    if (error) report.problem(path, expression, `${fields[i].name} field "${part}": ${error}`);
  });
}

function fieldError(field: string, spec: (typeof fields)[number]): string | undefined {
  const allowed = `${spec.min}-${spec.max}${spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : ""}`;
  for (const item of field.split(",")) {
    const [range, step, extra] = item.split("/");
    if (extra !== undefined || (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0))) return `step must be a whole number above 0 (a/b)`;
    if (range === "*" || (range === "?" && spec.question)) continue;
    const bounds = range.split("-");
    if (bounds.length > 2) return `"${range}" is not a value or a range a-b`;
    const values = bounds.map((b) => value(b, spec));
    if (values.some((v) => v === undefined)) return `"${range}" is outside ${allowed}`;
    if (values.length === 2 && values[0]! > values[1]!) return `range "${range}" runs backwards`;
  }
  return undefined;
}

function value(text: string, spec: (typeof fields)[number]): number | undefined {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + spec.min;
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= spec.min && n <= spec.max ? n : undefined;
}
