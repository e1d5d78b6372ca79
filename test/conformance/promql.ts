/**
 * PromQL as Prometheus's own parser accepts it: the syntax (through @prometheus-io/lezer-promql, the grammar of
 * the Prometheus UI), then the type checks that `parser.ParseExpr` runs after parsing, transcribed from
 * prometheus/prometheus v3.14.0 promql/parser/parse.go `checkAST()` (L721-L931), `addOffset()` (L1000-L1037),
 * `newAggregateExpr()` (L459-L499), generated_parser.y (matrix_selector L647-L676, function_call L455-L540) and
 * the function table promql/parser/functions.go (argument and return types, variadic counts, experimental flags).
 * `git diff v3.13.1 v3.14.0 -- promql/parser/parse.go` is empty: prometheus-operator v0.93.0 (which vendors 3.13.1)
 * runs the same checks in its PrometheusRule webhook.
 *
 * Also: `seriesSelectors(expr)`, every vector selector of an expression with its metric name and label matchers, for
 * the checks that follow a series from the exporter that exports it to the rule that reads it.
 */
import { goRegExp } from './go-regex';

// The package's types are ESM-only; its CommonJS build is what jest loads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql');

/** PromQL value types, spelled as Prometheus's `DocumentedType()` prints them (promql/parser/value.go). */
export type ValueType = 'scalar' | 'instant vector' | 'range vector' | 'string' | 'none';

/** One label matcher of a vector selector. */
export interface LabelMatcher {
  readonly name: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** A vector selector: the metric name when it has one (`foo{...}` or `{__name__="foo"}`), and its other matchers. */
export interface SeriesSelector {
  /** The metric name; undefined when the selector matches names by regex or not at all. */
  readonly metricName?: string;
  /** Every matcher, the metric name's included (as `__name__`). */
  readonly matchers: LabelMatcher[];
  /** The selector as written. */
  readonly text: string;
}

/** The result of parsing and checking one expression. */
export interface PromqlAnalysis {
  /** Parse and type errors, as Prometheus words them (empty when the expression is valid). */
  readonly errors: string[];
  /** The type of the whole expression ('none' when it does not parse). */
  readonly type: ValueType;
  /** Every vector selector (inside range selectors and subqueries too). */
  readonly selectors: SeriesSelector[];
  /** Whether the whole expression is a single vector selector (what a series query, `match[]`, must be). */
  readonly isSeriesSelector: boolean;
}

// --- Function table: prometheus v3.14.0 promql/parser/functions.go (Functions map). -----------------------------

interface FunctionDef {
  readonly args: ValueType[];
  /** 0: exactly args.length; n > 0: up to n more of the last type; -1: any number more. */
  readonly variadic: number;
  readonly returns: ValueType;
  /** Behind --enable-feature=promql-experimental-functions, which neither promtool's default nor the operator sets. */
  readonly experimental?: boolean;
}

const V: ValueType = 'instant vector';
const M: ValueType = 'range vector';
const S: ValueType = 'scalar';
const STR: ValueType = 'string';

const fn = (args: ValueType[], returns: ValueType, variadic = 0, experimental = false): FunctionDef => ({ args, returns, variadic, experimental });

const FUNCTIONS: Record<string, FunctionDef> = {
  abs: fn([V], V),
  absent: fn([V], V),
  absent_over_time: fn([M], V),
  acos: fn([V], V),
  acosh: fn([V], V),
  asin: fn([V], V),
  asinh: fn([V], V),
  atan: fn([V], V),
  atanh: fn([V], V),
  avg_over_time: fn([M], V),
  ceil: fn([V], V),
  changes: fn([M], V),
  clamp: fn([V, S, S], V),
  clamp_max: fn([V, S], V),
  clamp_min: fn([V, S], V),
  cos: fn([V], V),
  cosh: fn([V], V),
  count_over_time: fn([M], V),
  days_in_month: fn([V], V, 1),
  day_of_month: fn([V], V, 1),
  day_of_week: fn([V], V, 1),
  day_of_year: fn([V], V, 1),
  deg: fn([V], V),
  end: fn([], S, 0, true),
  delta: fn([M], V),
  deriv: fn([M], V),
  exp: fn([V], V),
  first_over_time: fn([M], V),
  floor: fn([V], V),
  histogram_avg: fn([V], V),
  histogram_count: fn([V], V),
  histogram_sum: fn([V], V),
  histogram_stddev: fn([V], V),
  histogram_stdvar: fn([V], V),
  histogram_fraction: fn([S, S, V], V),
  histogram_quantile: fn([S, V], V),
  histogram_quantiles: fn([V, STR, S, S], V, 9, true),
  double_exponential_smoothing: fn([M, S, S], V, 0, true),
  hour: fn([V], V, 1),
  idelta: fn([M], V),
  increase: fn([M], V),
  info: fn([V, V], V, 1, true),
  irate: fn([M], V),
  label_replace: fn([V, STR, STR, STR, STR], V),
  label_join: fn([V, STR, STR, STR], V, -1),
  max_of: fn([S, S], S, 0, true),
  last_over_time: fn([M], V),
  min_of: fn([S, S], S, 0, true),
  ln: fn([V], V),
  log10: fn([V], V),
  log2: fn([V], V),
  mad_over_time: fn([M], V, 0, true),
  max_over_time: fn([M], V),
  min_over_time: fn([M], V),
  ts_of_first_over_time: fn([M], V, 0, true),
  ts_of_max_over_time: fn([M], V, 0, true),
  ts_of_min_over_time: fn([M], V, 0, true),
  ts_of_last_over_time: fn([M], V, 0, true),
  minute: fn([V], V, 1),
  month: fn([V], V, 1),
  pi: fn([], S),
  predict_linear: fn([M, S], V),
  present_over_time: fn([M], V),
  quantile_over_time: fn([S, M], V),
  rad: fn([V], V),
  range: fn([], S, 0, true),
  rate: fn([M], V),
  resets: fn([M], V),
  round: fn([V, S], V, 1),
  scalar: fn([V], S),
  sgn: fn([V], V),
  sin: fn([V], V),
  sinh: fn([V], V),
  sort: fn([V], V),
  sort_desc: fn([V], V),
  sort_by_label: fn([V, STR], V, -1, true),
  sort_by_label_desc: fn([V, STR], V, -1, true),
  sqrt: fn([V], V),
  start: fn([], S, 0, true),
  start_timestamp: fn([V], V, 0, true),
  step: fn([], S, 0, true),
  stddev_over_time: fn([M], V),
  stdvar_over_time: fn([M], V),
  sum_over_time: fn([M], V),
  tan: fn([V], V),
  tanh: fn([V], V),
  time: fn([], S),
  timestamp: fn([V], V),
  vector: fn([S], V),
  year: fn([V], V, 1),
};

/** Aggregators with a parameter (lex.go `IsAggregatorWithParam`), and the parameter's type (checkAST L752-L757). */
const AGGREGATOR_PARAM: Record<string, ValueType> = { topk: S, bottomk: S, quantile: S, limitk: S, limit_ratio: S, count_values: STR };
/** Experimental aggregators (lex.go `IsExperimentalAggregator`). */
const EXPERIMENTAL_AGGREGATORS = new Set(['limitk', 'limit_ratio']);
const COMPARISON = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS = new Set(['and', 'or', 'unless']);

// --- AST --------------------------------------------------------------------------------------------------------

type Ast =
  | { kind: 'number'; from: number; to: number }
  | { kind: 'string'; from: number; to: number }
  | { kind: 'vector'; from: number; to: number; name?: string; matchers: LabelMatcher[]; offset: boolean; at: boolean; text: string }
  | { kind: 'matrix'; from: number; to: number; inner: Ast; offset: boolean; at: boolean }
  | { kind: 'subquery'; from: number; to: number; inner: Ast; offset: boolean; at: boolean }
  | { kind: 'call'; from: number; to: number; name: string; args: Ast[] }
  | { kind: 'aggregate'; from: number; to: number; op: string; args: Ast[] }
  | { kind: 'binary'; from: number; to: number; op: string; lhs: Ast; rhs: Ast; bool: boolean; matching?: Matching }
  | { kind: 'unary'; from: number; to: number; inner: Ast }
  | { kind: 'paren'; from: number; to: number; inner: Ast }
  | { kind: 'invalid'; from: number; to: number };

interface Matching {
  readonly on: boolean;
  readonly labels: string[];
  readonly card: 'one-to-one' | 'many-to-one' | 'one-to-many';
  readonly include: string[];
}

interface SyntaxNode {
  type: { name: string; isError: boolean };
  from: number;
  to: number;
  firstChild: SyntaxNode | null;
  nextSibling: SyntaxNode | null;
}

function children(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** Go's strutil.Unquote for the three PromQL string forms. */
function unquote(raw: string): string {
  if (raw.startsWith('`')) return raw.slice(1, -1);
  if (raw.startsWith("'")) raw = `"${raw.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"`;
  try {
    return JSON.parse(raw.replace(/\\([abfv])/g, (_m, c) => `\\u000${{ a: '7', b: '8', f: 'c', v: 'b' }[c as 'a']}`));
  } catch {
    return raw.slice(1, -1);
  }
}

const EXPR_NODES = new Set([
  'AggregateExpr', 'BinaryExpr', 'FunctionCall', 'MatrixSelector', 'NumberDurationLiteral', 'OffsetExpr', 'ParenExpr',
  'StringLiteral', 'SubqueryExpr', 'UnaryExpr', 'VectorSelector', 'StepInvariantExpr', 'AnchoredExpr', 'SmoothedExpr',
]);

class Builder {
  public readonly errors: string[] = [];
  constructor(private readonly src: string) {}

  public text(n: { from: number; to: number }): string {
    return this.src.slice(n.from, n.to);
  }

  public build(n: SyntaxNode): Ast {
    const span = { from: n.from, to: n.to };
    const kids = children(n);
    const exprs = kids.filter(k => EXPR_NODES.has(k.type.name));
    switch (n.type.name) {
      case 'NumberDurationLiteral':
        return { kind: 'number', ...span };
      case 'StringLiteral':
        return { kind: 'string', ...span };
      case 'VectorSelector':
        return this.vector(n, kids);
      case 'ParenExpr':
        return { kind: 'paren', ...span, inner: this.build(exprs[0]) };
      case 'UnaryExpr':
        return { kind: 'unary', ...span, inner: this.build(exprs[0]) };
      case 'MatrixSelector':
        return this.postfix(this.build(exprs[0]), inner => this.matrix(inner, span));
      case 'SubqueryExpr':
        return this.postfix(this.build(exprs[0]), inner => ({ kind: 'subquery', ...span, inner, offset: false, at: false }));
      case 'OffsetExpr':
        return this.postfix(this.build(exprs[0]), inner => this.modifier(inner, 'offset'));
      case 'StepInvariantExpr':
        return this.postfix(this.build(exprs[0]), inner => this.modifier(inner, '@'));
      case 'AnchoredExpr':
      case 'SmoothedExpr':
        // parse.go setAnchored()/setSmoothed() L1078-L1130: experimental, off unless EnableExtendedRangeSelectors.
        this.errors.push(`${n.type.name === 'AnchoredExpr' ? 'anchored' : 'smoothed'} modifier is experimental and not enabled`);
        return { kind: 'invalid', ...span };
      case 'FunctionCall': {
        const name = this.text(kids.find(k => k.type.name === 'FunctionIdentifier')!);
        const body = kids.find(k => k.type.name === 'FunctionCallBody');
        return { kind: 'call', ...span, name, args: body ? children(body).filter(k => EXPR_NODES.has(k.type.name)).map(k => this.build(k)) : [] };
      }
      case 'AggregateExpr': {
        const op = this.text(kids.find(k => k.type.name === 'AggregateOp')!);
        const body = kids.find(k => k.type.name === 'FunctionCallBody');
        return { kind: 'aggregate', ...span, op, args: body ? children(body).filter(k => EXPR_NODES.has(k.type.name)).map(k => this.build(k)) : [] };
      }
      case 'BinaryExpr':
        return this.binary(n, kids, exprs);
      default:
        return { kind: 'invalid', ...span };
    }
  }

  private vector(n: SyntaxNode, kids: SyntaxNode[]): Ast {
    const id = kids.find(k => k.type.name === 'Identifier');
    const matchers: LabelMatcher[] = [];
    const list = kids.find(k => k.type.name === 'LabelMatchers');
    for (const m of list ? children(list) : []) {
      const parts = children(m);
      const op = parts.find(p => p.type.name === 'MatchOp');
      const value = parts.filter(p => p.type.name === 'StringLiteral').pop();
      const labelNode = parts.find(p => p.type.name === 'LabelName' || p.type.name === 'QuotedLabelName');
      if (m.type.name === 'QuotedLabelMatcher' && !op) {
        // `{"metric.name"}`: a quoted metric name alone (UTF-8 names, Prometheus 3).
        matchers.push({ name: '__name__', op: '=', value: unquote(this.text(labelNode!)) });
        continue;
      }
      if (!op || !value || !labelNode) continue;
      const name = labelNode.type.name === 'QuotedLabelName' ? unquote(this.text(labelNode)) : this.text(labelNode);
      const matcher = { name, op: this.text(op) as LabelMatcher['op'], value: unquote(this.text(value)) };
      if (matcher.op === '=~' || matcher.op === '!~') {
        // labels.NewMatcher compiles the regex (newLabelMatcher L970-L975).
        const err = re2Error(matcher.value);
        if (err) this.errors.push(`error parsing regexp: ${err}: \`${matcher.value}\``);
      }
      matchers.push(matcher);
    }
    const name = id ? this.text(id) : undefined;
    if (name !== undefined) matchers.push({ name: '__name__', op: '=', value: name });
    return { kind: 'vector', from: n.from, to: n.to, name, matchers, offset: false, at: false, text: this.text(n) };
  }

  /**
   * Prometheus gives the postfix operators (`[range]`, `[range:step]`, `offset`, `@`) a higher precedence than any
   * binary or unary operator (generated_parser.y `%nonassoc OFFSET`, `%right LEFT_BRACKET`): `a / b offset 5m` is
   * `a / (b offset 5m)`. The UI grammar applies them to the whole expression on their left; rotate them down.
   */
  private postfix(inner: Ast, apply: (operand: Ast) => Ast): Ast {
    if (inner.kind === 'binary') return { ...inner, rhs: this.postfix(inner.rhs, apply) };
    if (inner.kind === 'unary') return { ...inner, inner: this.postfix(inner.inner, apply) };
    return apply(inner);
  }

  private matrix(inner: Ast, span: { from: number; to: number }): Ast {
    // generated_parser.y matrix_selector L647-L662.
    if (inner.kind !== 'vector') this.errors.push('ranges only allowed for vector selectors');
    else if (inner.offset) this.errors.push('no offset modifiers allowed before range');
    else if (inner.at) this.errors.push('no @ modifiers allowed before range');
    return { kind: 'matrix', from: inner.from, to: span.to, inner, offset: false, at: false };
  }

  /** parse.go addOffset() L1000-L1037 and setAtModifierPreprocessor/setTimestamp L1170-L1200. */
  private modifier(inner: Ast, which: 'offset' | '@'): Ast {
    const key = which === 'offset' ? 'offset' : 'at';
    if (inner.kind === 'matrix' && inner.inner.kind !== 'vector') {
      this.errors.push('ranges only allowed for vector selectors');
      return inner;
    }
    if (inner.kind !== 'vector' && inner.kind !== 'matrix' && inner.kind !== 'subquery') {
      this.errors.push(which === 'offset'
        ? 'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery'
        : '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery');
      return inner;
    }
    if (inner[key]) {
      this.errors.push(which === 'offset' ? 'offset may not be set multiple times' : '@ <timestamp> may not be set multiple times');
      return inner;
    }
    return { ...inner, [key]: true };
  }

  private binary(n: SyntaxNode, kids: SyntaxNode[], exprs: SyntaxNode[]): Ast {
    const opNode = kids.find(k => !EXPR_NODES.has(k.type.name) && k.type.name !== 'BoolModifier' && k.type.name !== 'MatchingModifierClause'
      && k.type.name !== 'FillModifier' && !k.type.isError);
    const op = opNode ? this.text(opNode).toLowerCase() : '?';
    const bool = kids.some(k => k.type.name === 'BoolModifier');
    const clause = kids.find(k => k.type.name === 'MatchingModifierClause');
    if (kids.some(k => k.type.name === 'FillModifier')) this.errors.push('binop fill modifiers are experimental and not enabled');
    let matching: Matching | undefined;
    if (clause) {
      const parts = children(clause);
      const groups = parts.filter(p => p.type.name === 'GroupingLabels');
      const labelsOf = (g: SyntaxNode | undefined) => g ? children(g).map(l => l.type.name === 'QuotedLabelName' ? unquote(this.text(l)) : this.text(l)) : [];
      const card = parts.some(p => p.type.name === 'GroupLeft') ? 'many-to-one' : parts.some(p => p.type.name === 'GroupRight') ? 'one-to-many' : 'one-to-one';
      matching = { on: parts.some(p => p.type.name === 'On'), labels: labelsOf(groups[0]), card, include: labelsOf(groups[1]) };
    }
    return { kind: 'binary', from: n.from, to: n.to, op, lhs: this.build(exprs[0]), rhs: this.build(exprs[1]), bool, matching };
  }
}

/** The type of an expression (ast.go `Type()` methods, L240-L267). */
function typeOf(e: Ast): ValueType {
  switch (e.kind) {
    case 'number': return S;
    case 'string': return STR;
    case 'vector': return V;
    case 'matrix': return M;
    case 'subquery': return M;
    case 'call': return FUNCTIONS[e.name]?.returns ?? 'none';
    case 'aggregate': return V;
    case 'binary': return typeOf(e.lhs) === S && typeOf(e.rhs) === S ? S : V;
    case 'unary': return typeOf(e.inner);
    case 'paren': return typeOf(e.inner);
    default: return 'none';
  }
}

/** parse.go checkAST() L721-L931 (with the function lookups of generated_parser.y L455-L540). */
function check(e: Ast, errors: string[], text: (n: Ast) => string): ValueType {
  const typ = typeOf(e);
  const expect = (node: Ast | undefined, want: ValueType, context: string) => {
    if (!node) return;
    const t = check(node, errors, text);
    if (t !== want) errors.push(`expected type ${want} in ${context}, got ${t}`);
  };
  switch (e.kind) {
    case 'aggregate': {
      const withParam = e.op in AGGREGATOR_PARAM;
      if (withParam && EXPERIMENTAL_AGGREGATORS.has(e.op)) {
        errors.push(`${e.op}() is experimental and must be enabled with --enable-feature=promql-experimental-functions`);
        break;
      }
      if (e.args.length === 0) {
        errors.push('no arguments for aggregate expression provided');
        break;
      }
      const desired = withParam ? 2 : 1;
      if (e.args.length !== desired) {
        errors.push(`wrong number of arguments for aggregate expression provided, expected ${desired}, got ${e.args.length}`);
        break;
      }
      expect(e.args[desired - 1], V, 'aggregation expression');
      if (withParam) expect(e.args[0], AGGREGATOR_PARAM[e.op], 'aggregation parameter');
      break;
    }
    case 'binary': {
      const lt = check(e.lhs, errors, text);
      const rt = check(e.rhs, errors, text);
      const comparison = COMPARISON.has(e.op);
      const setOp = SET_OPS.has(e.op);
      if (e.bool && !comparison) errors.push('bool modifier can only be used on comparison operators');
      if (comparison && !e.bool && lt === S && rt === S) errors.push('comparisons between scalars must use BOOL modifier');
      const m = e.matching;
      if (m?.on) {
        for (const l of m.labels) if (m.include.includes(l)) errors.push(`label "${l}" must not occur in ON and GROUP clause at once`);
      }
      if (lt !== S && lt !== V) errors.push(`binary expression must contain only scalar and instant vector types (left side of "${e.op}" is ${lt})`);
      if (rt !== S && rt !== V) errors.push(`binary expression must contain only scalar and instant vector types (right side of "${e.op}" is ${rt})`);
      if ((lt !== V || rt !== V) && m) {
        if (m.labels.length > 0) errors.push('vector matching only allowed between instant vectors');
      } else if (setOp && m && m.card !== 'one-to-one') {
        errors.push(`no grouping allowed for "${e.op}" operation`);
      }
      if ((lt === S || rt === S) && setOp) errors.push(`set operator "${e.op}" not allowed in binary scalar expression`);
      break;
    }
    case 'call': {
      const def = FUNCTIONS[e.name];
      if (!def) {
        errors.push(`unknown function with name "${e.name}"`);
        break;
      }
      if (def.experimental) {
        errors.push(`function "${e.name}" is not enabled`);
        break;
      }
      const nargs = def.args.length;
      if (def.variadic === 0) {
        if (nargs !== e.args.length) errors.push(`expected ${nargs} argument(s) in call to "${e.name}", got ${e.args.length}`);
      } else {
        const na = nargs - 1;
        if (na > e.args.length) {errors.push(`expected at least ${na} argument(s) in call to "${e.name}", got ${e.args.length}`);} else if (def.variadic > 0 && na + def.variadic < e.args.length) {
          errors.push(`expected at most ${na + def.variadic} argument(s) in call to "${e.name}", got ${e.args.length}`);
        }
      }
      e.args.forEach((arg, i) => {
        if (i >= nargs) {
          if (def.variadic === 0) return;
          i = nargs - 1;
        }
        const t = check(arg, errors, text);
        if (t !== def.args[i]) errors.push(`expected type ${def.args[i]} in call to function "${e.name}", got ${t}`);
      });
      break;
    }
    case 'paren':
      check(e.inner, errors, text);
      break;
    case 'unary': {
      const t = check(e.inner, errors, text);
      if (t !== S && t !== V) errors.push(`unary expression only allowed on expressions of type scalar or instant vector, got "${t}"`);
      break;
    }
    case 'subquery': {
      const t = check(e.inner, errors, text);
      if (t !== V) errors.push(`subquery is only allowed on instant vector, got ${t} instead`);
      break;
    }
    case 'matrix':
      check(e.inner, errors, text);
      break;
    case 'vector': {
      if (e.name !== undefined) {
        const other = e.matchers.slice(0, -1).find(m => m.name === '__name__');
        if (other) errors.push(`metric name must not be set twice: "${e.name}" or "${other.value}"`);
        break;
      }
      // A selector must contain at least one matcher that does not match the empty string.
      if (!e.matchers.some(m => !matcherMatches(m, ''))) errors.push(`vector selector must contain at least one non-empty matcher: ${text(e)}`);
      break;
    }
    default:
      break;
  }
  return typ;
}

/** labels.Matcher.Matches: regexes are fully anchored (model/labels/regexp.go). */
export function matcherMatches(m: LabelMatcher, value: string): boolean {
  switch (m.op) {
    case '=': return value === m.value;
    case '!=': return value !== m.value;
    default: {
      let re: RegExp;
      try {
        re = goRegExp(`^(?:${m.value})$`);
      } catch {
        return false;
      }
      return re.test(value) === (m.op === '=~');
    }
  }
}

/**
 * Why Go's regexp (RE2) refuses a pattern, or undefined when it compiles. RE2 rejects what JavaScript accepts:
 * look-around, back-references, possessive and nested repetition; the rest is checked by compiling the translation.
 */
export function re2Error(pattern: string): string | undefined {
  const unsupported: Array<[RegExp, string]> = [
    [/\(\?<?[=!]/, 'invalid or unsupported Perl syntax: `(?=` / `(?!` / `(?<=` / `(?<!` (look-around)'],
    [/(^|[^\\])(\\\\)*\\[1-9]/, 'invalid escape sequence: back-reference'],
    [/(^|[^\\])(\\\\)*\\k</, 'invalid escape sequence: `\\k`'],
    [/(^|[^\\[])[*+?}][*+]/, 'invalid nested repetition operator'],
    [/\(\?>/, 'invalid or unsupported Perl syntax: `(?>` (atomic group)'],
  ];
  for (const [re, message] of unsupported) if (re.test(pattern)) return message;
  try {
    goRegExp(pattern);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Parses and type-checks one PromQL expression as Prometheus's `parser.ParseExpr` does. */
export function analyzePromql(expr: string): PromqlAnalysis {
  if (expr.trim() === '') return { errors: ['no expression found in input'], type: 'none', selectors: [], isSeriesSelector: false };
  const errors: string[] = [];
  const tree = parser.parse(expr);
  tree.iterate({
    enter: (node: { type: { isError: boolean }; from: number }) => {
      if (node.type.isError) errors.push(`parse error at char ${node.from + 1}: unexpected input near "${expr.slice(Math.max(0, node.from - 20), node.from + 20)}"`);
    },
  });
  const top = (tree.topNode as SyntaxNode).firstChild;
  if (errors.length > 0 || !top) return { errors: errors.length ? errors : ['no expression found in input'], type: 'none', selectors: [], isSeriesSelector: false };
  const b = new Builder(expr);
  const ast = b.build(top);
  const typeErrors: string[] = [];
  const type = check(ast, typeErrors, n => b.text(n));
  const selectors: SeriesSelector[] = [];
  collectSelectors(ast, selectors);
  return { errors: [...b.errors, ...typeErrors], type, selectors, isSeriesSelector: ast.kind === 'vector' && !ast.offset && !ast.at };
}

function collectSelectors(e: Ast, out: SeriesSelector[]): void {
  switch (e.kind) {
    case 'vector': {
      const name = e.name ?? e.matchers.find(m => m.name === '__name__' && m.op === '=')?.value;
      out.push({ metricName: name, matchers: e.matchers, text: e.text });
      return;
    }
    case 'matrix': case 'subquery': case 'unary': case 'paren':
      collectSelectors(e.inner, out);
      return;
    case 'call': case 'aggregate':
      e.args.forEach(a => collectSelectors(a, out));
      return;
    case 'binary':
      collectSelectors(e.lhs, out);
      collectSelectors(e.rhs, out);
      return;
    default:
      return;
  }
}

/** Parse and type errors of a PromQL expression, as Prometheus's parser finds them (empty when it is valid). */
export function promqlErrors(expr: string): string[] {
  return analyzePromql(expr).errors;
}

/** Every vector selector of an expression: its metric name (when it has one) and its label matchers. */
export function seriesSelectors(expr: string): SeriesSelector[] {
  return analyzePromql(expr).selectors;
}

/** The type of a valid expression ('none' when it does not parse). */
export function promqlType(expr: string): ValueType {
  return analyzePromql(expr).type;
}

// --- Names and durations ------------------------------------------------------------------------------------------

/** Legacy metric names (model/metric.go `IsValidLegacyMetricName`): `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
export const LEGACY_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Legacy label names (model/labels.go `LabelNameRE`): `[a-zA-Z_][a-zA-Z0-9_]*`. */
export const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Prometheus durations (prometheus/common model/time.go `ParseDuration`): `0`, or units `y w d h m s ms` each at
 * most once, in that order, integer amounts only.
 */
export function isPrometheusDuration(s: string): boolean {
  return s === '0' || (s !== '' && /^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$/.test(s));
}

/** A Prometheus duration in milliseconds (undefined when it does not parse). */
export function prometheusDurationMillis(s: string): number | undefined {
  if (!isPrometheusDuration(s)) return undefined;
  if (s === '0') return 0;
  const unit: Record<string, number> = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  for (const m of s.matchAll(/([0-9]+)(ms|y|w|d|h|m|s)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}
