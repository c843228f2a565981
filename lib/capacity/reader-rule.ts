/**
 * How many Aurora readers a phase runs: enough for the read load, enough after a writer failover, and at least one.
 *
 * A writer failover promotes a reader, so for a while (until the old writer rejoins as a reader) R readers become
 * R - 1. The rule:
 * - N = ceil(read QPS / one reader's QPS at the target CPU): readers the read load needs in normal operation;
 * - R = N + 1, so the N readers left after a failover still carry every read at <= the target CPU;
 * - except when N <= 1 and the whole read load fits in the spare capacity the promoted writer has at the target CPU
 *   next to the writes: then R = 1. While there is no reader, reads must run on the writer: Aurora's reader endpoint
 *   then points at the writer, but RDS Proxy's read-only endpoint does not (it holds requests up to the connection
 *   borrow timeout, then fails them), so the app retries reads on the writer endpoint until the old writer rejoins
 *   as a reader. This only helps with one reader: with two or more, the read-only endpoints keep sending reads to the
 *   readers left, not to the writer;
 * - R >= 1 always: a reader in another AZ is the failover target (Multi-AZ).
 */
import { replicasFor } from './formulas';
import { fmt } from './traffic';

/** The loads and the instance class the rule works with. */
export interface ReaderRuleInput {
  readonly readQps: number;
  readonly writeQps: number;
  /** vCPU of the class writer and readers share. */
  readonly vcpu: number;
  readonly readQpsPerVcpu: number;
  readonly writeQpsPerVcpu: number;
  readonly targetCpuPct: number;
}

/** The rule's result: readers for the load, the count it decides and why (with the numbers). */
export interface ReaderRuleResult {
  readonly readersForLoad: number;
  /** Before Aurora's cap of 15 readers, which the caller applies with a warning. */
  readonly readers: number;
  readonly why: string;
}

/** Share of one instance's CPU (0-1) that reads and writes use on `vcpu` vCPU. */
function cpuShare(readQps: number, writeQps: number, i: Pick<ReaderRuleInput, 'vcpu' | 'readQpsPerVcpu' | 'writeQpsPerVcpu'>): number {
  return (readQps / i.readQpsPerVcpu + writeQps / i.writeQpsPerVcpu) / i.vcpu;
}

const pct = (share: number) => `${fmt(share * 100)} %`;

/** Applies the reader rule (see the module comment). */
export function readerRule(i: ReaderRuleInput): ReaderRuleResult {
  const target = i.targetCpuPct / 100;
  const perReader = i.vcpu * i.readQpsPerVcpu * target;
  const readersForLoad = replicasFor(i.readQps, perReader);
  const load = `ceil(read QPS ${fmt(i.readQps)} / ${fmt(perReader)} per reader at ${i.targetCpuPct} % CPU) = ${readersForLoad} for the load`;
  const promotedWriter = cpuShare(i.readQps, i.writeQps, i);

  if (readersForLoad <= 1 && promotedWriter <= target) {
    return {
      readersForLoad,
      readers: 1,
      why:
        `${load}; no spare: after a failover promotes the only reader, the writer carries the writes and every read at ` +
        `${pct(promotedWriter)} CPU (<= ${i.targetCpuPct} %) until the old writer rejoins as a reader (reads fall back to the writer endpoint); 1 reader is the failover target in another AZ`,
    };
  }
  if (readersForLoad === 0) {
    return {
      readersForLoad,
      readers: 1,
      why: `${load}; 1 reader anyway: the failover target in another AZ`,
    };
  }
  const spareWhy =
    readersForLoad === 1
      ? `the writer has no room for the reads after a failover (writes + reads would be ${pct(promotedWriter)} CPU > ${i.targetCpuPct} %)`
      : `the ${readersForLoad} left after a failover (which promotes a reader) carry the reads at ${pct(i.readQps / (readersForLoad * i.vcpu * i.readQpsPerVcpu))} CPU`;
  return { readersForLoad, readers: readersForLoad + 1, why: `${load}, + 1 spare: ${spareWhy}` };
}

/**
 * CPU share (0-1) of what carries the reads right after a writer failover with `readers` readers:
 * the readers left, or, with one reader, the promoted writer with the writes and every read.
 */
export function utilizationAfterFailover(
  readers: number,
  readQps: number,
  writeQps: number,
  vcpu: number,
  readQpsPerVcpu: number,
  writeQpsPerVcpu: number,
): number {
  if (readers > 1) return readQps / ((readers - 1) * vcpu * readQpsPerVcpu);
  return cpuShare(readQps, writeQps, { vcpu, readQpsPerVcpu, writeQpsPerVcpu });
}
