// The package's types are ESM-only; its CommonJS build is what jest loads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql');

/** Parse errors of a PromQL expression, as the Prometheus UI's parser finds them (empty when it parses). */
export function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node: { type: { isError: boolean }; from: number }) => {
      if (node.type.isError) errors.push(`parse error at ${node.from}: ...${expr.slice(Math.max(0, node.from - 20), node.from + 20)}...`);
    },
  });
  return errors;
}
