/**
 * Numbers as the plan's reasons, the summary, the report and the charts print them: thousands separators, at most
 * `digits` decimals, always en-US. One Intl.NumberFormat per precision, made once: `toLocaleString` with options
 * builds a new formatter on every call, and a plan prints hundreds of numbers (it was a third of planning time).
 */
const formatters = new Map<number, Intl.NumberFormat>();

export function formatNumber(value: number, digits = 0): string {
  let formatter = formatters.get(digits);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits });
    formatters.set(digits, formatter);
  }
  return formatter.format(value);
}
