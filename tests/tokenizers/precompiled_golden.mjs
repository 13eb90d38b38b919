// Writes golden.json for a tokenizer.json with the official tokenizers npm package (Rust core):
// node precompiled_golden.mjs NPM_DIR tokenizer.json golden.json
import { createRequire } from 'module';
import { writeFileSync } from 'fs';
import path from 'path';

const [npmDir, tokenizerPath, outPath] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(npmDir), 'index.js'));
const { Tokenizer } = require('tokenizers');
const texts = [
  'Hello world', 'ＦＵＬＬ ｗｉｄｔｈ ｌｅｔｔｅｒｓ１２３', 'ﬁne ﬂow ﬀ ﬃ', '①②③ ⑩ ⑳ ⒜', '½ ¼ ²³ ₁₂',
  '™ ℌ ℃ № ㍿ ㈱ ㎏', 'Ⅻ ⅷ', 'Ω Å K', 'ǅ Ǆ ǆ', 'café vs cafe\u0301', 'A\u030A Å',
  'Ａ\u0301 (compat + mark: the mark goes)', 'A\u0302\u0301 (shortest match wins)',
  '①\u0301', 'ｶﾞｷﾞ ﾊﾟﾝ ｱｲｳ', 'カタカナ ひらがな 漢字', '中文字 日本語 한국어',
  '\u1100\u1161\u11A8 (jamo)', 'naïve São Paulo İstanbul', 'ΟΔΟΣ Привет', 'مرحبا नमस्ते ไทย',
  '😀 👍🏽 👨‍👩‍👧 🇯🇵', 'a\u00A0b\u2009c\u3000d', 'x\u200By\u200Dz\uFEFFw', 'tab\tnew\nline\r\nend',
  'soft\u00ADhyphen', 'ctrl\u0007bell\u0085nel', 'left\u200Eright\u200F', 'many     spaces   here',
  '  leading and trailing  ', '…—«»', '\uFF01\uFF1F\uFF08ｘ\uFF09', '\uFFFD replacement',
  'don\'t it\'s 3.14 $1.8', 'https://a.b/c?d=1 mail@x.y', '[CLS] [SEP] [MASK] [UNK]',
  'The quick brown fox jumps over the lazy dog.', 'UNAFFORDABLE CamelCase x_y a1b2',
  '\u2460\u0301\u0302 ligature\uFB01\u0301', '',
];
const tok = Tokenizer.fromFile(tokenizerPath);
tok.disablePadding();
const cases = [];
for (const text of texts) {
  const e = await tok.encode(text);
  cases.push({ text, ids: e.getIds(), tokens: e.getTokens() });
}
writeFileSync(outPath, JSON.stringify({
  source: 'npm tokenizers@0.23.2 (Rust core), tests/tokenizers/precompiled_golden.mjs',
  cases }, null, 1) + '\n');
console.log(cases.length, 'cases');
