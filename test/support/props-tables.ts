/**
 * The props tables of the README, checked against the TypeScript sources (the compiler API, no build needed).
 *
 * Every construct class exported by lib/index.ts (from lib/constructs/ and lib/k8s/) takes `props: <Name>Props`; the
 * README has a table for it between `<!-- props:<Name>:start -->` and `<!-- props:<Name>:end -->` whose rows
 * (Name | Type | Default | Description) name each field of that interface, and nothing else.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/** One field of a props interface, as the README table shows it. */
export interface PropField {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
  /** The `@default` tag's text ('-' for "required"). */
  readonly default: string;
  /** The first sentence of the JSDoc summary. */
  readonly description: string;
}

/** An exported construct and the fields of its props interface. */
export interface ConstructProps {
  readonly construct: string;
  readonly propsInterface: string;
  readonly file: string;
  readonly fields: PropField[];
}

/** The source files lib/index.ts re-exports from lib/constructs/ and lib/k8s/. */
function exportedFiles(): string[] {
  const index = fs.readFileSync(path.join(ROOT, 'lib', 'index.ts'), 'utf8');
  return [...index.matchAll(/export \* from '\.\/((?:constructs|k8s)\/[\w-]+)'/g)].map((m) => path.join(ROOT, 'lib', `${m[1]}.ts`));
}

function jsDocOf(node: ts.Node): { summary: string; defaultTag?: string } {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
  const doc = docs[docs.length - 1];
  if (!doc) return { summary: '' };
  const summary = typeof doc.comment === 'string' ? doc.comment : ts.getTextOfJSDocComment(doc.comment) ?? '';
  const tag = doc.tags?.find((t) => t.tagName.text === 'default');
  const defaultTag = tag ? (typeof tag.comment === 'string' ? tag.comment : ts.getTextOfJSDocComment(tag.comment) ?? '') : undefined;
  return { summary: summary.replace(/\s+/g, ' ').trim(), defaultTag: defaultTag?.replace(/\s+/g, ' ').trim() };
}

/** The first sentence (up to the first '. ' or ': ' that ends a clause), without {@link} markup. */
function firstSentence(text: string): string {
  const plain = text.replace(/\{@link\s+([^}\s]+)[^}]*\}/g, '`$1`');
  // A sentence ends at '. ' that is not part of 'e.g.' or 'i.e.'.
  const end = plain.search(/(?<!\be\.g|\bi\.e)\.(\s|$)/);
  return (end >= 0 ? plain.slice(0, end + 1) : plain).trim();
}

/** Every exported construct class with a `props` parameter typed by an interface declared in its file. */
export function exportedConstructProps(): ConstructProps[] {
  const result: ConstructProps[] = [];
  for (const file of exportedFiles()) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const interfaces = new Map<string, ts.InterfaceDeclaration>();
    source.statements.filter(ts.isInterfaceDeclaration).forEach((i) => interfaces.set(i.name.text, i));
    for (const cls of source.statements.filter(ts.isClassDeclaration)) {
      const exported = cls.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      const ctor = cls.members.find(ts.isConstructorDeclaration);
      const propsParam = ctor?.parameters.find((p) => p.name.getText(source) === 'props');
      const typeName = propsParam?.type && ts.isTypeReferenceNode(propsParam.type) ? propsParam.type.typeName.getText(source) : undefined;
      const declaration = typeName ? interfaces.get(typeName) : undefined;
      if (!exported || !cls.name || !declaration) continue;
      const fields = declaration.members.filter(ts.isPropertySignature).map((member): PropField => {
        const doc = jsDocOf(member);
        return {
          name: member.name.getText(source),
          type: member.type?.getText(source).replace(/\s+/g, ' ') ?? 'unknown',
          optional: member.questionToken !== undefined,
          default: doc.defaultTag ?? '-',
          description: firstSentence(doc.summary),
        };
      });
      result.push({ construct: cls.name.text, propsInterface: declaration.name.text, file: path.relative(ROOT, file), fields });
    }
  }
  return result;
}

/** The block between `<!-- props:<construct>:start -->` and its end marker, or undefined. */
export function propsTableOf(readme: string, construct: string): string | undefined {
  const start = `<!-- props:${construct}:start -->`;
  const end = `<!-- props:${construct}:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  return from >= 0 && to > from ? readme.slice(from + start.length, to) : undefined;
}

/** The prop names a table's rows document: every backticked name in the first cell (`a` / `b` rows name two). */
export function namesInTable(table: string): string[] {
  return table.split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*(Name|-+)\s*\|/.test(line))
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1]));
}

/** What is wrong with one construct's README table: missing fields, rows for no field, or no table at all. */
export function propsTableProblems(readme: string, props: ConstructProps): string[] {
  const table = propsTableOf(readme, props.construct);
  if (table === undefined) return [`${props.construct}: no props table (<!-- props:${props.construct}:start --> ... end) in the README`];
  const documented = new Set(namesInTable(table));
  const fields = new Set(props.fields.map((f) => f.name));
  return [
    ...[...fields].filter((f) => !documented.has(f)).map((f) => `${props.construct}: '${f}' of ${props.propsInterface} has no row in its README table`),
    ...[...documented].filter((d) => !fields.has(d)).map((d) => `${props.construct}: the README table has a row '${d}', which ${props.propsInterface} does not have`),
  ];
}

/** A props table in the README's format, from the interface (used once to write the tables; edit them by hand after). */
export function renderPropsTable(props: ConstructProps): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = props.fields.map((f) =>
    `| \`${f.name}\` | \`${cell(f.type)}\` | ${f.optional ? cell(f.default.replace(/^- /, '')) : 'required'} | ${cell(f.description)} |`);
  return ['| Name | Type | Default | Description |', '|---|---|---|---|', ...rows].join('\n');
}
