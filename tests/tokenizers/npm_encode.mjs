// Encodes test cases with the official tokenizers npm package (Rust core) for the differential
// test: node npm_encode.mjs NPM_DIR tokenizer.json cases.json out.json
// cases: [{a, b (or null), max_length (0: the file's own settings), strategy}]
import { createRequire } from 'module';
import { readFileSync, writeFileSync } from 'fs';
import path from 'path';

const [npmDir, tokenizerPath, casesPath, outPath] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(npmDir), 'index.js'));
const { Tokenizer } = require('tokenizers');

const pristine = Tokenizer.fromFile(tokenizerPath);
pristine.disablePadding();
const configurable = Tokenizer.fromFile(tokenizerPath);
configurable.disablePadding();
const strategies = { longest_first: 'LongestFirst', only_first: 'OnlyFirst', only_second: 'OnlySecond' };

const cases = JSON.parse(readFileSync(casesPath, 'utf8'));
const out = [];
for (const c of cases) {
  let tok = pristine;
  try {
    if (c.max_length > 0) {
      configurable.setTruncation(c.max_length, { strategy: strategies[c.strategy] });
      tok = configurable;
    }
    const e = await tok.encode(c.a, c.b);
    out.push({ ids: e.getIds(), tokens: e.getTokens(), type_ids: e.getTypeIds(),
               special_tokens_mask: e.getSpecialTokensMask() });
  } catch (err) {
    out.push({ error: String(err) });
  }
}
writeFileSync(outPath, JSON.stringify(out));
