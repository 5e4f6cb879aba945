// `npm run docs`: writes what is made from the schemas' metadata (src/notebook/meta.ts):
// - the key tables of docs/language.md: every `<!-- keys:KIND -->` ... `<!-- /keys -->` block
//   gets the kind's table, then prettier formats the page;
// - the TextMate grammar syntaxes/hedge.tmLanguage.json (src/notebook/language/grammar.ts).
// test/notebook/language-docs.test.ts and grammar.test.ts check both are current.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { keyTable, kinds } from '../src/notebook/language/docs';
import { hedgeGrammar } from '../src/notebook/language/grammar';
import type { CellKind } from '../src/notebook/parse';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'language.md');
async function main(): Promise<void> {
  const before = readFileSync(file, 'utf8');
  const known = new Set<string>(kinds());
  const missing = kinds().filter((k) => !before.includes(`<!-- keys:${k} -->`));
  const text = before.replace(
    /<!-- keys:([\w-]+) -->[\s\S]*?<!-- \/keys -->/g,
    (block, kind: string) => {
      if (!known.has(kind)) {
        console.error(`docs/language.md: <!-- keys:${kind} --> names no cell kind; left as it is`);
        return block;
      }
      return `<!-- keys:${kind} -->\n\n${keyTable(kind as CellKind)}\n\n<!-- /keys -->`;
    },
  );
  const options = (await prettier.resolveConfig(file)) ?? {};
  const formatted = await prettier.format(text, { ...options, filepath: file });
  writeFileSync(file, formatted);
  const grammarFile = join(dirname(file), '..', 'syntaxes', 'hedge.tmLanguage.json');
  const grammar = await prettier.format(JSON.stringify(hedgeGrammar()), {
    ...options,
    filepath: grammarFile,
  });
  writeFileSync(grammarFile, grammar);
  console.log('syntaxes/hedge.tmLanguage.json written');
  console.log(`docs/language.md: key tables of ${kinds().length - missing.length} kinds written`);
  if (missing.length > 0) {
    console.error(
      `no key table for: ${missing.join(', ')}; add \`<!-- keys:KIND -->\\n<!-- /keys -->\` to its ` +
        'section of docs/language.md and run npm run docs again',
    );
    process.exitCode = 1;
  }
}

void main();
