// Replays recorded evaluations (JSON lines: {code, bindings, result}) on jsonata-js, the engine of AWS
// Step Functions, and prints the ones whose result differs from jsonata-core's.
// usage: node xcheck.js RECORD.jsonl   (JSONATA_JS = path to the jsonata package)
const fs = require('fs');
const jsonata = require(process.env.JSONATA_JS || 'jsonata');
const CONTEXT = [{ ctx: 1 }, { ctx: 2 }];

function same(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && same(a[k], b[k]));
  }
  return a === b;
}

(async () => {
  const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
  let bad = 0;
  for (const line of lines) {
    const { code, bindings, result } = JSON.parse(line);
    let got;
    try {
      const v = await jsonata(code).evaluate(CONTEXT, bindings);
      got = v === undefined ? { undefined: true } : { value: JSON.parse(JSON.stringify(v)) };
    } catch (e) {
      got = { error: String(e.message || e) };
    }
    const ok = result.error !== undefined ? got.error !== undefined
      : result.undefined ? got.undefined === true
      : got.value !== undefined && same(got.value, result.value);
    if (!ok) {
      bad++;
      console.log(JSON.stringify({ engine: 'jsonata-js', code, bindings, core: result, js: got }));
    }
  }
  console.error(`jsonata-js: ${lines.length - bad}/${lines.length} agree`);
  process.exit(bad ? 1 : 0);
})();
