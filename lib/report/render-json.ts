/**
 * The report as JSON: the machine-readable plan for other tools (dashboards, load-test generators, FinOps).
 */
import type { RoadmapReport } from './report';

/** Identifies the document's shape; bump it when a field changes meaning. */
export const REPORT_JSON_FORMAT = 'scaling-roadmap/report@1';

/** The report as pretty-printed JSON: every plan value with its reason, the timeline, bottlenecks and costs. */
export function renderJson(report: RoadmapReport): string {
  return `${JSON.stringify({ format: REPORT_JSON_FORMAT, ...report }, null, 2)}\n`;
}
