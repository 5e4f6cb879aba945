/* The TextMate grammar of hedge cells (syntaxes/hedge.tmLanguage.json): written from the schemas
 * by `npm run docs`, and tokenizing cells as the editor does (vscode-textmate with the oniguruma
 * regex engine VS Code uses). YAML's own grammar is VS Code's and is not in this repository: here
 * it is an empty stand-in, so these tests see exactly the tokens the hedge grammar adds. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as tm from 'vscode-textmate';
import * as onig from 'vscode-oniguruma';
import { GRAMMAR_SCOPES as S, hedgeGrammar } from '../../src/notebook/language/grammar';

const ROOT = join(import.meta.dirname, '..', '..');
let grammar: tm.IGrammar;

before(async () => {
  const wasm = readFileSync(
    createRequire(import.meta.url).resolve('vscode-oniguruma/release/onig.wasm'),
  );
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new tm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (s: string[]) => new onig.OnigScanner(s),
      createOnigString: (s: string) => new onig.OnigString(s),
    }),
    loadGrammar: async (scope) => {
      if (scope === 'source.hedge')
        return tm.parseRawGrammar(
          readFileSync(join(ROOT, 'syntaxes', 'hedge.tmLanguage.json'), 'utf8'),
          'hedge.tmLanguage.json',
        );
      if (scope === 'source.yaml')
        return tm.parseRawGrammar(
          JSON.stringify({ scopeName: 'source.yaml', patterns: [] }),
          'yaml.json',
        );
      return null;
    },
  });
  const g = await registry.loadGrammar('source.hedge');
  assert.ok(g, 'the grammar loads');
  grammar = g;
});

/** [text, innermost hedge scope] of every token with a hedge scope, line by line. */
function tokens(text: string): [string, string][] {
  const out: [string, string][] = [];
  let state = tm.INITIAL;
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) {
      const scope = [...t.scopes]
        .reverse()
        .find((s) => s.endsWith('.hedge') && s !== 'source.hedge');
      if (scope) out.push([line.slice(t.startIndex, t.endIndex), scope]);
    }
    state = r.ruleStack;
  }
  return out;
}

describe('the hedge grammar', () => {
  it('is the one npm run docs writes from the schemas', () => {
    const file = JSON.parse(readFileSync(join(ROOT, 'syntaxes', 'hedge.tmLanguage.json'), 'utf8'));
    assert.deepEqual(
      file,
      hedgeGrammar(),
      'syntaxes/hedge.tmLanguage.json is out of date: run npm run docs',
    );
  });

  it('embeds YAML and is what package.json contributes for the hedge language', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.contributes.grammars, [
      { language: 'hedge', scopeName: 'source.hedge', path: './syntaxes/hedge.tmLanguage.json' },
    ]);
    assert.deepEqual(hedgeGrammar().patterns, [{ include: 'source.yaml' }]);
  });

  it('edits hedge cells with spaces (YAML forbids tabs) and without word-based suggestions', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const editor = pkg.contributes.configurationDefaults['[hedge]'];
    assert.equal(editor['editor.insertSpaces'], true);
    assert.equal(editor['editor.wordBasedSuggestions'], 'off');
    const config = JSON.parse(readFileSync(join(ROOT, 'language-configuration.json'), 'utf8'));
    assert.equal(config.comments.lineComment, '#');
  });

  it('marks the kind, the declared name, keys, names and enum words', () => {
    assert.deepEqual(tokens('portfolio: core\nhedge: core\nwith: BTCUSDT-PERP\nreturns: log'), [
      ['portfolio', S.kind],
      [':', S.colon],
      ['core', S.name],
      ['hedge', S.kind],
      [':', S.colon],
      ['core', S.name],
      ['with', S.key],
      [':', S.colon],
      ['BTCUSDT-PERP', S.name],
      ['returns', S.key],
      [':', S.colon],
      ['log', S.word],
    ]);
  });

  it('leaves a misspelt key plain', () => {
    assert.deepEqual(tokens('hodlings: 3'), []);
  });

  it('marks assets, amounts, percentages, dates and windows', () => {
    const t = tokens(
      'holdings: { ETH: 40, UNI: 10k usd, AAVE: $2,500, SOL: 25%, 1INCH: 1.5m USD }\nexpiry: 2026-12-25\nwindow: 180d',
    );
    const scoped = (scope: string) => t.filter(([, s]) => s === scope).map(([x]) => x);
    assert.deepEqual(scoped(S.asset), ['ETH', 'UNI', 'AAVE', 'SOL', '1INCH']);
    assert.deepEqual(scoped(S.amount), ['10k usd', '$2,500', '1.5m USD']);
    assert.deepEqual(scoped(S.percent), ['25%']);
    assert.deepEqual(scoped(S.date), ['2026-12-25']);
    assert.deepEqual(scoped(S.window), ['180d']);
  });

  it('does not take a name, a path or a number for an asset', () => {
    const t = tokens('prices: data/DAILY.csv\nwith: BTCUSDT-PERP\nlot_step: 10');
    assert.deepEqual(
      t.filter(([, s]) => s === S.asset),
      [],
    );
  });
});
