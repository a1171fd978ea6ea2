// Typeset TeX formulas with MathJax 3 (the renderer of GitHub and Jupyter), strictly:
// only the base and ams packages, and every TeX error is reported, not drawn in red.
//
//   node typeset.js < formulas.json          one JSON answer per formula, in order
//   node typeset.js --svg out.svg < f.tex     one display formula to SVG (to look at it)
//
// formulas.json is a list of {"tex": "...", "display": true}; the answer is a list of
// {"error": null or the message, "texts": [the text of every <mtext>]}, so that the
// caller can see a literal backslash that MathJax set as text (\text{p\_i}).
const {mathjax} = require('mathjax-full/js/mathjax.js');
const {TeX} = require('mathjax-full/js/input/tex.js');
const {SVG} = require('mathjax-full/js/output/svg.js');
const {liteAdaptor} = require('mathjax-full/js/adaptors/liteAdaptor.js');
const {RegisterHTMLHandler} = require('mathjax-full/js/handlers/html.js');
const {STATE} = require('mathjax-full/js/core/MathItem.js');
require('mathjax-full/js/input/tex/base/BaseConfiguration.js');
require('mathjax-full/js/input/tex/ams/AmsConfiguration.js');
const fs = require('fs');

const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);
const tex = new TeX({packages: ['base', 'ams'], formatError: (jax, err) => { throw err; }});

function texts(node, out) {
  if (node.isKind('mtext')) {
    out.push(node.childNodes.map((c) => (c.isToken ? c.getText() : c.getText ? c.getText() : '')).join(''));
  }
  for (const child of node.childNodes || []) {
    if (child && child.childNodes !== undefined) texts(child, out);
  }
  return out;
}

function main() {
  const input = fs.readFileSync(0, 'utf8');
  if (process.argv[2] === '--svg') {
    const svg = new SVG({fontCache: 'none'});
    const html = mathjax.document('', {InputJax: tex, OutputJax: svg});
    try {
      const node = html.convert(input, {display: true});
      let svg = adaptor.innerHTML(node);
      const width = svg.match(/min-width: ([0-9.]+ex)/);  // a tagged display is 100% wide: give it its own width
      if (width) svg = svg.replace('width="100%"', `width="${width[1]}"`);
      fs.writeFileSync(process.argv[3], svg);
    } catch (err) {
      console.log('MathJax error: ' + err.message);
      process.exit(1);
    }
    return;
  }
  const html = mathjax.document('', {InputJax: tex});
  const answers = JSON.parse(input).map(({tex: formula, display}) => {
    try {
      const mml = html.convert(formula, {display: display !== false, end: STATE.CONVERT});
      return {error: null, texts: texts(mml, [])};
    } catch (err) {
      return {error: err.message || String(err), texts: []};
    }
  });
  process.stdout.write(JSON.stringify(answers));
}

main();
