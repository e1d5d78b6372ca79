/**
 * Removes the inline source maps jsii writes into the compiled generated bindings (lib/imports/*.js). They are
 * four fifths of each file and make loading it several times slower (monitoring.coreos.com: 10-20 ms with the
 * map, 1.5 ms without, `npx projen bench:bindings`), which every `cdk8s synth` of a user's app pays; nobody
 * debugs generated code. Our own modules keep their maps.
 */
import * as fs from 'fs';
import * as path from 'path';

const dir = path.join(__dirname, '..', 'lib', 'imports');
const MAP = /\n\/\/# sourceMappingURL=data:[^\n]*\n?$/;
let stripped = 0;
for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.js'))) {
  const p = path.join(dir, file);
  const text = fs.readFileSync(p, 'utf8');
  if (!MAP.test(text)) continue;
  fs.writeFileSync(p, text.replace(MAP, '\n'));
  stripped++;
}
console.log(`stripped the inline source maps of ${stripped} generated binding modules in lib/imports`);
