/**
 * Go `text/template` as its parser accepts a template (Go 1.24 text/template/parse: lex.go, parse.go), enough to
 * find what Prometheus's alert templates and prometheus-adapter's query templates reject at load: unclosed actions,
 * unbalanced `if`/`range`/`with`/`define`/`block` and `end`, `else` outside a block, undefined functions and
 * undefined variables. `renderFields` executes the simplest templates (text and `.Field` actions), which is what
 * prometheus-adapter's metricsQuery needs.
 */

/** Go's text/template builtins (text/template/funcs.go builtins()). */
export const GO_TEMPLATE_BUILTINS = [
  'and', 'call', 'html', 'index', 'slice', 'js', 'len', 'not', 'or', 'print', 'printf', 'println', 'urlquery',
  'eq', 'ge', 'gt', 'le', 'lt', 'ne',
];

export interface TemplateOptions {
  /** Left and right delimiters. @default ['{{', '}}'] */
  readonly delims?: [string, string];
  /** Functions the template may call besides the builtins. */
  readonly funcs?: string[];
  /** Variables defined before the template text (e.g. Prometheus's `$labels`). */
  readonly vars?: string[];
}

interface Action {
  readonly text: string;
  readonly offset: number;
}

/** Splits a template into its actions; an error when one is not closed. */
function actionsOf(src: string, [left, right]: [string, string]): { actions: Action[]; error?: string } {
  const actions: Action[] = [];
  let i = 0;
  while (true) {
    const start = src.indexOf(left, i);
    if (start < 0) return { actions };
    let j = start + left.length;
    // A comment runs to `*/` followed by the right delimiter.
    const body = src.slice(j).replace(/^- /, '');
    if (body.startsWith('/*')) {
      const end = src.indexOf('*/', j);
      if (end < 0) return { actions, error: 'unclosed comment' };
      const close = src.indexOf(right, end);
      if (close < 0) return { actions, error: 'comment ends before closing delimiter' };
      i = close + right.length;
      continue;
    }
    let quote: string | undefined;
    for (; j < src.length; j++) {
      const c = src[j];
      if (quote) {
        if (c === '\\' && quote !== '`') j++;
        else if (c === quote) quote = undefined;
        else if (c === '\n' && quote !== '`') return { actions, error: 'unterminated quoted string' };
        continue;
      }
      if (c === '"' || c === '`' || c === "'") quote = c;
      else if (src.startsWith(right, j)) break;
    }
    if (j >= src.length) return { actions, error: 'unclosed action' };
    let text = src.slice(start + left.length, j);
    if (text.startsWith('- ')) text = text.slice(2);
    if (text.endsWith(' -')) text = text.slice(0, -2);
    actions.push({ text: text.trim(), offset: start });
    i = j + right.length;
  }
}

/** The words of an action, strings kept whole. */
function tokens(action: string): string[] {
  const out: string[] = [];
  const re = /"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*'|:=|[()|=,]|[^\s()|=,"`']+/g;
  for (const m of action.matchAll(re)) out.push(m[0]);
  return out;
}

/** What text/template's parser rejects in a template, as its messages word it (empty when it parses). */
export function goTemplateErrors(src: string, options: TemplateOptions = {}): string[] {
  const delims = options.delims ?? ['{{', '}}'];
  const { actions, error } = actionsOf(src, delims);
  const errors: string[] = [];
  if (error) errors.push(error);
  const funcs = new Set([...GO_TEMPLATE_BUILTINS, ...(options.funcs ?? [])]);
  // Scopes of variables: the template's own, then one per open block.
  const scopes: Set<string>[] = [new Set(['$', ...(options.vars ?? [])])];
  const blocks: string[] = [];
  const defined = (v: string) => scopes.some(s => s.has(v));
  for (const a of actions) {
    const words = tokens(a.text);
    if (words.length === 0) {
      errors.push('missing value for command');
      continue;
    }
    const [keyword] = words;
    let pipeline = words;
    switch (keyword) {
      case 'end':
        if (blocks.length === 0) {errors.push('unexpected {{end}}');} else {
          blocks.pop();
          scopes.pop();
        }
        continue;
      case 'else':
        if (blocks.length === 0 || !['if', 'range', 'with'].includes(blocks[blocks.length - 1])) errors.push('unexpected {{else}}');
        pipeline = words[1] === 'if' || words[1] === 'with' ? words.slice(2) : [];
        break;
      case 'if': case 'range': case 'with': case 'define': case 'block':
        blocks.push(keyword);
        scopes.push(new Set());
        pipeline = keyword === 'define' ? [] : words.slice(1);
        if (keyword === 'block') pipeline = words.slice(2);
        if (keyword !== 'define' && keyword !== 'block' && pipeline.length === 0) errors.push(`missing value for ${keyword}`);
        break;
      case 'template':
        pipeline = words.slice(2);
        break;
      case 'break': case 'continue':
        if (!blocks.includes('range')) errors.push(`{{${keyword}}} outside {{range}}`);
        continue;
      default:
        break;
    }
    // Declarations: `$x :=` (and `$k, $v :=` in range) define variables in the current scope.
    const assign = pipeline.indexOf(':=');
    if (assign > 0) {
      for (const w of pipeline.slice(0, assign)) if (w.startsWith('$')) scopes[scopes.length - 1].add(w);
      pipeline = pipeline.slice(assign + 1);
    }
    for (const w of pipeline) {
      if (w.startsWith('$')) {
        const name = w.split('.')[0];
        if (!defined(name)) errors.push(`undefined variable "${name}"`);
      } else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(w) && !['true', 'false', 'nil'].includes(w)) {
        if (!funcs.has(w)) errors.push(`function "${w}" not defined`);
      }
    }
  }
  if (blocks.length > 0) errors.push(`unexpected EOF: {{${blocks[blocks.length - 1]}}} is never closed with {{end}}`);
  return errors;
}

/**
 * Executes a template made of text and `.Field` actions over `data`. Undefined when the template uses anything
 * else (functions, pipelines, blocks): such a template cannot be rendered here.
 */
export function renderFields(src: string, data: Record<string, string>, delims: [string, string]): { output?: string; error?: string } {
  const { actions, error } = actionsOf(src, delims);
  if (error) return { error };
  let out = '';
  let i = 0;
  for (const a of actions) {
    out += src.slice(i, a.offset);
    const m = /^\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(a.text);
    if (!m) return {};
    if (!(m[1] in data)) return { error: `can't evaluate field ${m[1]}` };
    out += data[m[1]];
    const close = src.indexOf(delims[1], a.offset + delims[0].length);
    i = close + delims[1].length;
  }
  return { output: out + src.slice(i) };
}
