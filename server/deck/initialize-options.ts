import { parse } from 'acorn';
import type { RevealPluginName } from './types.ts';

/** What an HTML deck's own `Reveal.initialize({...})` asks for. */
export interface InitializeCall {
  /** The properties whose values are JSON literals (no functions, identifiers or expressions). */
  options: Record<string, unknown>;
  /** Plugins it lists that livedeck bundles (RevealZoom → zoom, …). */
  plugins: RevealPluginName[];
}

const PLUGIN_NAMES: Record<string, RevealPluginName> = {
  RevealHighlight: 'highlight',
  RevealMath: 'math',
  KaTeX: 'math',
  MathJax2: 'math',
  MathJax3: 'math',
  MathJax4: 'math',
  RevealZoom: 'zoom',
  RevealSearch: 'search',
};

/** Properties livedeck owns or that only make sense with the deck's own scripts. */
const DROPPED = new Set(['plugins', 'dependencies']);

// acorn's node types are loose; only the few fields read here are described.
interface JsNode {
  type: string;
  [key: string]: unknown;
}

const isNode = (v: unknown): v is JsNode => typeof v === 'object' && v !== null && typeof (v as JsNode).type === 'string';

/** Every node of the tree, depth first. */
function* walk(node: unknown): Generator<JsNode> {
  if (Array.isArray(node)) {
    for (const child of node) yield* walk(child);
    return;
  }
  if (!isNode(node)) return;
  yield node;
  for (const [key, value] of Object.entries(node)) if (key !== 'type' && typeof value === 'object') yield* walk(value);
}

const NOT_LITERAL = Symbol('not a JSON literal');

/** A JSON value from a literal expression, or NOT_LITERAL. */
function literal(node: JsNode): unknown {
  switch (node.type) {
    case 'Literal': {
      const value = node.value;
      return value === null || ['string', 'number', 'boolean'].includes(typeof value) ? value : NOT_LITERAL;
    }
    case 'TemplateLiteral': {
      const quasis = node.quasis as JsNode[];
      return (node.expressions as unknown[]).length === 0 ? ((quasis[0]?.value as { cooked?: string })?.cooked ?? NOT_LITERAL) : NOT_LITERAL;
    }
    case 'UnaryExpression': {
      const value = literal(node.argument as JsNode);
      return node.operator === '-' && typeof value === 'number' ? -value : node.operator === '+' && typeof value === 'number' ? value : NOT_LITERAL;
    }
    case 'ArrayExpression': {
      const items = (node.elements as (JsNode | null)[]).map((e) => (e ? literal(e) : NOT_LITERAL));
      return items.includes(NOT_LITERAL) ? NOT_LITERAL : items;
    }
    case 'ObjectExpression':
      return objectLiteral(node, false);
    default:
      return NOT_LITERAL;
  }
}

function propertyName(prop: JsNode): string | null {
  if (prop.type !== 'Property' || prop.computed || prop.kind !== 'init') return null;
  const key = prop.key as JsNode;
  if (key.type === 'Identifier') return key.name as string;
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value);
  return null;
}

/** The object's literal properties; at the top level the others are skipped, deeper down they make the whole object non-literal. */
function objectLiteral(node: JsNode, lenient: boolean): Record<string, unknown> | typeof NOT_LITERAL {
  const out: Record<string, unknown> = {};
  for (const prop of node.properties as JsNode[]) {
    const name = propertyName(prop);
    const value = name === null ? NOT_LITERAL : literal(prop.value as JsNode);
    if (name === null || value === NOT_LITERAL) {
      if (lenient) continue;
      return NOT_LITERAL;
    }
    if (name === '__proto__') continue;
    out[name] = value;
  }
  return out;
}

function isRevealInitialize(node: JsNode): boolean {
  if (node.type !== 'CallExpression') return false;
  const callee = node.callee as JsNode;
  if (callee.type !== 'MemberExpression' || callee.computed) return false;
  const object = callee.object as JsNode;
  const property = callee.property as JsNode;
  return property.name === 'initialize' && object.type === 'Identifier' && object.name === 'Reveal';
}

/** In a module, `import Zoom from 'reveal.js/plugin/zoom'` names the plugin by where it comes from. */
function importedPlugins(program: unknown): Map<string, RevealPluginName> {
  const found = new Map<string, RevealPluginName>();
  for (const node of walk(program)) {
    if (node.type !== 'ImportDeclaration') continue;
    const from = String((node.source as JsNode).value ?? '');
    const name = /plugin\/(highlight|math|zoom|search)(?:[/.]|$)/.exec(from)?.[1] as RevealPluginName | undefined;
    if (!name) continue;
    for (const spec of node.specifiers as JsNode[]) found.set((spec.local as JsNode).name as string, name);
  }
  return found;
}

function pluginNames(node: JsNode | undefined, imported: Map<string, RevealPluginName>): RevealPluginName[] {
  if (!node || node.type !== 'ArrayExpression') return [];
  const names: RevealPluginName[] = [];
  for (const item of node.elements as (JsNode | null)[]) {
    // `RevealZoom` or `RevealMath.KaTeX`
    const id = item?.type === 'Identifier' ? (item.name as string) : item?.type === 'MemberExpression' ? ((item.property as JsNode).name as string) : '';
    const name = imported.get(id) ?? PLUGIN_NAMES[id];
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/** The script's syntax tree, as a classic script or else as a module; null when it is neither. */
function parseScript(source: string): unknown {
  for (const sourceType of ['script', 'module'] as const) {
    try {
      return parse(source, { ecmaVersion: 'latest', sourceType, allowReturnOutsideFunction: sourceType === 'script', allowAwaitOutsideFunction: true });
    } catch (err) {
      // Not this kind of script (or syntax of the deck's own that holds no options livedeck can read); anything else is a bug.
      if (!(err instanceof SyntaxError)) throw err;
    }
  }
  return null;
}

/**
 * Reads the first `Reveal.initialize({...})` call in the page's scripts with a real JS parser.
 * The script itself never runs: livedeck initialises reveal.js. A script that does not parse
 * is skipped.
 */
export function readInitializeCall(scripts: readonly string[]): InitializeCall | null {
  for (const source of scripts) {
    const program = parseScript(source);
    if (program === null) continue;
    for (const node of walk(program)) {
      if (!isRevealInitialize(node)) continue;
      const arg = (node.arguments as JsNode[])[0];
      if (!arg || arg.type !== 'ObjectExpression') return { options: {}, plugins: [] };
      const options = objectLiteral(arg, true) as Record<string, unknown>;
      for (const key of DROPPED) delete options[key];
      const pluginsProp = (arg.properties as JsNode[]).find((p) => propertyName(p) === 'plugins');
      return { options, plugins: pluginNames(pluginsProp?.value as JsNode | undefined, importedPlugins(program)) };
    }
  }
  return null;
}
