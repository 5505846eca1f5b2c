// Prints the SARIF 2.1.0 JSON schema embedded in a bundled JavaScript file as
// `var sarif_schema_2_1_0_default = { ... };` (an object literal), as JSON.
// The literal is cut out by matching braces outside string literals and
// evaluated in an empty context.
const fs = require("fs");
const vm = require("vm");
const text = fs.readFileSync(process.argv[2], "utf8");
const marker = "sarif_schema_2_1_0_default = {";
const at = text.indexOf(marker);
if (at < 0) { console.error("schema literal not found"); process.exit(1); }
let i = at + marker.length - 1, depth = 0, quote = null;
for (; i < text.length; i++) {
  const c = text[i];
  if (quote) {
    if (c === "\\") i++;
    else if (c === quote) quote = null;
  } else if (c === '"' || c === "'" || c === "`") quote = c;
  else if (c === "{") depth++;
  else if (c === "}" && --depth === 0) break;
}
const literal = text.slice(at + marker.length - 1, i + 1);
const schema = vm.runInNewContext("(" + literal + ")");
if (!schema.title || !schema.title.includes("2.1.0")) { console.error("not the SARIF 2.1.0 schema"); process.exit(1); }
process.stdout.write(JSON.stringify(schema, null, 1) + "\n");
