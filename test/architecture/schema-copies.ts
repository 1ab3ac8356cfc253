/**
 * Finds copies of the project format's tables in renderer sources: a literal list of a table's
 * names (`['ddim', 'dpmpp-2m']`), a literal record from its names to numbers (`{ low: 15,
 * medium: 30 }`, `{ mp4: 51, webm: 63 }`) or the largest seed spelled out. Such a copy type-checks
 * and drifts silently when the schema changes; the renderer takes these from the contract, and
 * keeps only labels (records from names to strings).
 */
import ts from 'typescript';

export type SchemaTables = Readonly<Record<string, readonly string[]>>;

export interface SchemaCopy {
  readonly line: number;
  readonly table: string;
  readonly text: string;
}

export function findSchemaCopies(code: string, tables: SchemaTables, numbers: readonly number[]): SchemaCopy[] {
  const source = ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true);
  const out: SchemaCopy[] = [];
  const add = (node: ts.Node, table: string) =>
    out.push({ line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, table, text: node.getText(source).slice(0, 80) });
  const tableOf = (names: readonly string[]) =>
    names.length >= 2 ? Object.entries(tables).find(([, values]) => names.every((n) => values.includes(n)))?.[0] : undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isArrayLiteralExpression(node) && node.elements.every(ts.isStringLiteralLike)) {
      const table = tableOf(node.elements.map((e) => (e as ts.StringLiteralLike).text));
      if (table) add(node, table);
    } else if (ts.isObjectLiteralExpression(node)) {
      const props = node.properties.filter(ts.isPropertyAssignment);
      const numeric = props.length === node.properties.length && props.every((p) => ts.isNumericLiteral(p.initializer));
      const names = props.map((p) => (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name) ? p.name.text : ''));
      const table = numeric ? tableOf(names) : undefined;
      if (table) add(node, table);
    } else if (ts.isNumericLiteral(node) && numbers.includes(Number(node.text))) {
      add(node, node.text);
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.MinusToken && /^2\s*\*\*\s*32$/.test(node.left.getText(source))) {
      add(node, 'MAX_SEED');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The code of a source file: a Vue file's `<script>` blocks, a script as it is. */
export function scriptOf(text: string, isVue: boolean): string {
  return isVue ? [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n') : text;
}
