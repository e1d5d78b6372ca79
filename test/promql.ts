import { parser } from '@prometheus-io/lezer-promql';

/** Parse errors of a PromQL expression, as the Prometheus UI's parser finds them (empty when it parses). */
export function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: node => {
      if (node.type.isError) errors.push(`parse error at ${node.from}: ...${expr.slice(Math.max(0, node.from - 20), node.from + 20)}...`);
    },
  });
  return errors;
}
