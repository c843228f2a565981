/**
 * Type-checks k6 scripts (plain JavaScript) against @types/k6 with the TypeScript compiler API: no k6 binary needed.
 */
import * as path from 'node:path';
import * as ts from 'typescript';

const K6_TYPES = path.join(__dirname, '..', '..', 'node_modules', '@types', 'k6');

/** The diagnostics TypeScript reports for `files`, one line each ('phase1.js:12: ...'); empty when the scripts check. */
export function typeCheckK6(files: readonly string[]): string[] {
  const options: ts.CompilerOptions = {
    allowJs: true,
    checkJs: true,
    noEmit: true,
    strict: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.ES2020,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2020.d.ts'],
    types: ['k6'],
    typeRoots: [path.dirname(K6_TYPES)],
    // The scripts live in a temp dir with no node_modules: resolve k6's modules to its type package.
    paths: { k6: [path.join(K6_TYPES, 'index.d.ts')], 'k6/*': [path.join(K6_TYPES, '*')] },
    skipLibCheck: true,
  };
  const program = ts.createProgram([...files], options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return text;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${path.basename(d.file.fileName)}:${line + 1}: ${text}`;
  });
}
