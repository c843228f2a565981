/**
 * The report's content as format-neutral blocks: the Markdown and HTML renderers draw the same blocks,
 * so both formats say the same thing.
 */
import { formatNumber } from '../capacity/summary';

/** A piece of a section. */
export type Block =
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'table'; readonly header: readonly string[]; readonly rows: ReadonlyArray<readonly string[]>; readonly align?: ReadonlyArray<'left' | 'right'> }
  | { readonly kind: 'code'; readonly language: string; readonly text: string }
  | { readonly kind: 'chart'; readonly chart: 'traffic' | 'cost'; readonly caption: string };

/** One of the report's numbered sections. */
export interface Section {
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly Block[];
}

export const paragraph = (text: string): Block => ({ kind: 'paragraph', text });
export const list = (items: readonly string[]): Block => ({ kind: 'list', items });
export const code = (language: string, text: string): Block => ({ kind: 'code', language, text });
export const table = (header: readonly string[], rows: ReadonlyArray<readonly string[]>, align?: ReadonlyArray<'left' | 'right'>): Block => ({
  kind: 'table',
  header,
  rows,
  align,
});

/** Thousands separators, at most `digits` decimals. */
export const num = formatNumber;

/** A money amount in the budget's currency. */
export function money(value: number, currency: string): string {
  return `${num(value)} ${currency}`;
}
