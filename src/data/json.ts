/** A strict JSON reader (RFC 8259) that keeps the line and column of every value, so a problem
 *  in a price file can point at the exact number or key. O(n). Nesting is bounded
 *  (LIMITS.jsonDepth): a deeper document fails with json_too_deep at the value that goes too
 *  deep, never with a stack overflow. Fails with json_syntax or json_too_deep. */
import { fail, ok, type Result } from '../engine/result';
import { clip, LIMITS } from './limits';

export interface JsonPos {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export type JsonNode =
  | ({ readonly kind: 'object'; readonly entries: readonly JsonEntry[] } & JsonPos)
  | ({ readonly kind: 'array'; readonly items: readonly JsonNode[] } & JsonPos)
  | ({ readonly kind: 'string'; readonly value: string } & JsonPos)
  | ({ readonly kind: 'number'; readonly value: number } & JsonPos)
  | ({ readonly kind: 'boolean'; readonly value: boolean } & JsonPos)
  | ({ readonly kind: 'null' } & JsonPos);

export interface JsonEntry {
  readonly key: string;
  readonly keyPos: JsonPos;
  readonly value: JsonNode;
}

class JsonSyntaxError {
  constructor(
    readonly pos: JsonPos,
    readonly expected: string,
    readonly found: string,
    readonly code: 'json_syntax' | 'json_too_deep' = 'json_syntax',
  ) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function parseJson(
  text: string,
  file: string,
  maxDepth: number = LIMITS.jsonDepth,
): Result<JsonNode> {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let i = 0;
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (): JsonPos => ({ line, column: i - lineStart + 1 });
  const describe = (): string => (i >= src.length ? 'the end of the file' : JSON.stringify(src[i]));
  const skip = (): void => {
    while (i < src.length) {
      const c = src[i];
      if (c === '\n') {
        line++;
        lineStart = i + 1;
      } else if (c !== ' ' && c !== '\t' && c !== '\r') return;
      i++;
    }
  };
  const expect = (ch: string, what: string): void => {
    skip();
    if (src[i] !== ch) throw new JsonSyntaxError(pos(), what, describe());
    i++;
  };
  const readString = (): string => {
    const start = pos();
    i++; // opening quote
    let out = '';
    while (i < src.length) {
      const c = src[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\n' || c.charCodeAt(0) < 0x20)
        throw new JsonSyntaxError(pos(), 'a closing quote', 'a line break');
      if (c === '\\') {
        const e = src[i + 1];
        const map: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (e !== undefined && e in map) {
          out += map[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          i++;
          throw new JsonSyntaxError(pos(), 'a valid escape', JSON.stringify(e ?? ''));
        }
        continue;
      }
      out += c;
      i++;
    }
    throw new JsonSyntaxError(start, 'a closing quote', 'the end of the file');
  };
  const value = (): JsonNode => {
    skip();
    const p = pos();
    const c = src[i];
    if ((c === '{' || c === '[') && depth >= maxDepth)
      throw new JsonSyntaxError(p, String(maxDepth), '', 'json_too_deep');
    if (c === '{') {
      depth++;
      i++;
      const entries: JsonEntry[] = [];
      skip();
      if (src[i] === '}') {
        i++;
        depth--;
        return { kind: 'object', entries, ...p };
      }
      for (;;) {
        skip();
        if (src[i] !== '"') throw new JsonSyntaxError(pos(), 'a quoted key', describe());
        const keyPos = pos();
        const key = readString();
        expect(':', '":"');
        entries.push({ key, keyPos, value: value() });
        skip();
        if (src[i] === ',') {
          i++;
          continue;
        }
        if (src[i] === '}') {
          i++;
          depth--;
          return { kind: 'object', entries, ...p };
        }
        throw new JsonSyntaxError(pos(), '"," or "}"', describe());
      }
    }
    if (c === '[') {
      depth++;
      i++;
      const items: JsonNode[] = [];
      skip();
      if (src[i] === ']') {
        i++;
        depth--;
        return { kind: 'array', items, ...p };
      }
      for (;;) {
        items.push(value());
        skip();
        if (src[i] === ',') {
          i++;
          continue;
        }
        if (src[i] === ']') {
          i++;
          depth--;
          return { kind: 'array', items, ...p };
        }
        throw new JsonSyntaxError(pos(), '"," or "]"', describe());
      }
    }
    if (c === '"') return { kind: 'string', value: readString(), ...p };
    for (const [word, node] of [
      ['true', { kind: 'boolean', value: true }],
      ['false', { kind: 'boolean', value: false }],
      ['null', { kind: 'null' }],
    ] as const) {
      if (src.startsWith(word, i)) {
        i += word.length;
        return { ...node, ...p } as JsonNode;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(src);
    if (m && m[0] !== '' && m[0] !== '-') {
      i += m[0].length;
      return { kind: 'number', value: Number(m[0]), ...p };
    }
    throw new JsonSyntaxError(p, 'a value', describe());
  };
  try {
    const root = value();
    skip();
    if (i < src.length) throw new JsonSyntaxError(pos(), 'the end of the file', describe());
    return ok(root);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    if (e.code === 'json_too_deep')
      return fail('json_too_deep', [file, e.pos.line], {
        file,
        line: e.pos.line,
        column: e.pos.column,
        limit: maxDepth,
      });
    return fail('json_syntax', [file, e.pos.line], {
      file,
      line: e.pos.line,
      column: e.pos.column,
      expected: e.expected,
      found: clip(e.found),
    });
  }
}

/** The plain value of a node (for small parts such as metadata). */
export function jsonValue(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object':
      return Object.fromEntries(node.entries.map((e) => [e.key, jsonValue(e.value)]));
    case 'array':
      return node.items.map(jsonValue);
    case 'null':
      return null;
    default:
      return node.value;
  }
}
