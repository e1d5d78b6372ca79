/**
 * Go (RE2) regular expressions, as written in Kubernetes schemas and CEL rules, translated to
 * JavaScript RegExp. RE2 is (almost) a subset of JS syntax; the differences handled here:
 * leading flag groups like `(?i)`, scoped flag groups `(?i:...)`, `\A`/`\z`, POSIX bracket
 * classes, `\pL`, `(?P<name>`, `\Q...\E` and escaped punctuation that the `u` flag refuses.
 */

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** Thrown when a pattern uses RE2 syntax this translator cannot express in JS. */
export class UntranslatableRegexError extends Error {}

const cache = new Map<string, RegExp | UntranslatableRegexError>();

/** Compiles a Go regex to a JS RegExp (cached); throws UntranslatableRegexError. */
export function goRegExp(pattern: string): RegExp {
  let hit = cache.get(pattern);
  if (hit === undefined) {
    try {
      hit = compile(pattern);
    } catch (e) {
      hit = new UntranslatableRegexError(`cannot translate Go regex ${JSON.stringify(pattern)} to JavaScript: ${(e as Error).message}`);
    }
    cache.set(pattern, hit);
  }
  if (hit instanceof UntranslatableRegexError) throw hit;
  return hit;
}

function compile(pattern: string): RegExp {
  let { source, flags } = leadingFlags(pattern);
  source = translateBody(source);
  // The `u` flag gives RE2-like Unicode semantics (\p{..}, code points); some RE2-legal escapes
  // are syntax errors under `u`, so fall back to the non-unicode parser for those.
  try {
    return new RegExp(source, flags + 'u');
  } catch {
    return new RegExp(source, flags);
  }
}

/** `(?i)` / `(?is)` at the start (optionally after `^`) become JS flags. */
function leadingFlags(pattern: string): { source: string; flags: string } {
  const m = /^(\^?)\(\?([imsU]+)\)/.exec(pattern);
  if (!m) return { source: pattern, flags: '' };
  let flags = '';
  for (const f of m[2]) {
    if (f === 'U') throw new Error('ungreedy flag (?U) is not supported');
    if (!flags.includes(f)) flags += f;
  }
  return { source: m[1] + pattern.slice(m[0].length), flags };
}

function translateBody(src: string): string {
  let out = '';
  let i = 0;
  let inClass = false;
  // Stack of open groups; `ci` marks case-insensitive scope from a scoped or mid-pattern flag.
  const groups: { ci: boolean }[] = [];
  let ci = false;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) throw new Error('trailing backslash');
      if (n === 'A' && !inClass) { out += '^'; i += 2; continue; }
      if (n === 'z' && !inClass) { out += '(?![\\s\\S])'; i += 2; continue; }
      if (n === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = src.slice(i + 2, end < 0 ? src.length : end);
        out += lit.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end < 0 ? src.length : end + 2;
        continue;
      }
      if ((n === 'p' || n === 'P') && src[i + 2] !== '{') {
        out += `\\${n}{${src[i + 2]}}`;
        i += 3;
        continue;
      }
      if (/[^A-Za-z0-9]/.test(n) && !/[\\^$.*+?()[\]{}|/-]/.test(n)) {
        // RE2 allows escaping any punctuation; the JS `u` flag only allows syntax characters.
        out += n === ' ' ? ' ' : `\\x${n.charCodeAt(0).toString(16).padStart(2, '0')}`;
        i += 2;
        continue;
      }
      out += c + n;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        const end = src.indexOf(':]', i + 2);
        if (end < 0) throw new Error('unterminated POSIX class');
        const name = src.slice(i + 2, end);
        const negated = name.startsWith('^');
        if (negated) throw new Error(`negated POSIX class [:${name}:] is not supported`);
        const cls = POSIX_CLASSES[name];
        if (!cls) throw new Error(`unknown POSIX class [:${name}:]`);
        out += cls;
        i = end + 2;
        continue;
      }
      if (c === ']') inClass = false;
      if (ci && /[a-zA-Z]/.test(c)) {
        const range = /^([a-zA-Z])-([a-zA-Z])/.exec(src.slice(i));
        if (range) {
          out += `${range[0]}${range[1].toLowerCase()}-${range[2].toLowerCase()}${range[1].toUpperCase()}-${range[2].toUpperCase()}`;
          i += 3;
          continue;
        }
        out += c.toLowerCase() + c.toUpperCase();
      } else {
        out += c;
      }
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      if (src[i] === '^') { out += '^'; i++; }
      if (src[i] === ']') { out += '\\]'; i++; }
      continue;
    }
    if (c === '(') {
      if (src.startsWith('(?P<', i)) { out += '(?<'; i += 4; groups.push({ ci }); continue; }
      const flagGroup = /^\(\?([imsU-]+)(:|\))/.exec(src.slice(i));
      if (flagGroup) {
        const on = flagGroup[1].split('-')[0];
        const off = flagGroup[1].split('-')[1] ?? '';
        if (/[msU]/.test(on + off)) throw new Error(`inline flags (?${flagGroup[1]}) are only supported as case-insensitivity`);
        const nextCi: boolean = on.includes('i') ? true : off.includes('i') ? false : ci;
        if (flagGroup[2] === ':') {
          groups.push({ ci });
          out += '(?:';
          ci = nextCi;
        } else {
          ci = nextCi; // applies to the rest of the enclosing group
        }
        i += flagGroup[0].length;
        continue;
      }
      groups.push({ ci });
      out += c;
      i++;
      continue;
    }
    if (c === ')') {
      const g = groups.pop();
      if (g) ci = g.ci;
      out += c;
      i++;
      continue;
    }
    if (ci && /[a-zA-Z]/.test(c)) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}
