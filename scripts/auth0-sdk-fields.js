// @ts-check
/**
 * Reads the field names and enums of Auth0's Management API objects from the installed
 * `auth0` SDK's type declarations (the SDK is generated from Auth0's API definition), so
 * the library's field tables can be compared with them.
 *
 *   node scripts/auth0-sdk-fields.js          rewrites test/fixtures/auth0-sdk-fields.json
 *   node scripts/auth0-sdk-fields.js --check  exits 1 when the committed list is stale
 *
 * test/client/sdk-fields.test.ts imports `extractSdkFields` to compare the committed list
 * with the installed SDK, and the tables with the committed list.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the committed list lives. */
export const FIXTURE = join(root, 'test/fixtures/auth0-sdk-fields.json');

/** The interfaces whose field names are listed, by the file that declares them. */
const INTERFACES = {
  client: ['Client', 'CreateClientRequestContent', 'UpdateClientRequestContent'],
  api: [
    'ResourceServer',
    'CreateResourceServerRequestContent',
    'UpdateResourceServerRequestContent',
  ],
  grant: [
    'ClientGrantResponseContent',
    'CreateClientGrantRequestContent',
    'UpdateClientGrantRequestContent',
  ],
  connection: ['ConnectionForList', 'CreateConnectionCommon', 'UpdateConnectionRequestContent'],
  addon: ['ClientAddons'],
  clientAuthentication: ['ClientAuthenticationMethod', 'ClientCreateAuthenticationMethod'],
};

/** The enums whose values are listed. */
const ENUMS = [
  'ClientAppTypeEnum',
  'ClientTokenEndpointAuthMethodEnum',
  'ClientComplianceLevelEnum',
  'ClientOrganizationUsageEnum',
  'ClientOrganizationRequireBehaviorEnum',
  'ClientOrganizationDiscoveryEnum',
  'ClientThirdPartySecurityModeEnum',
  'ClientRedirectionPolicyEnum',
  'ClientExternalMetadataTypeEnum',
  'ClientExternalMetadataCreatedByEnum',
  'SigningAlgorithmEnum',
  'ClientGrantDefaultForEnum',
  'ClientGrantSubjectTypeEnum',
  'ClientGrantOrganizationUsageEnum',
  'ResourceServerTokenDialectSchemaEnum',
  'ResourceServerConsentPolicyEnum',
];

/**
 * The directory of the installed SDK's management type declarations, or undefined when
 * the SDK is not installed.
 *
 * @returns {string | undefined}
 */
export function sdkTypesDirectory() {
  try {
    const require = createRequire(join(root, 'package.json'));
    const pkg = require.resolve('auth0/package.json');
    const dir = join(dirname(pkg), 'dist/cjs/management/api');
    return existsSync(join(dir, 'types/types.d.ts')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Field names per object kind, enum values, and the create-connection strategies, read
 * from the SDK's declarations.
 *
 * @param {string} dir - from {@link sdkTypesDirectory}
 */
export function extractSdkFields(dir) {
  const files = ['types/types.d.ts', 'requests/requests.d.ts'].map((file) =>
    ts.createSourceFile(file, readFileSync(join(dir, file), 'utf8'), ts.ScriptTarget.Latest, true),
  );
  /** @type {Map<string, ts.InterfaceDeclaration>} */
  const interfaces = new Map();
  /** @type {Map<string, string[]>} */
  const consts = new Map();
  for (const file of files) {
    const visit = (/** @type {ts.Node} */ node, /** @type {string} */ prefix) => {
      if (ts.isInterfaceDeclaration(node)) interfaces.set(prefix + node.name.text, node);
      if (ts.isVariableStatement(node)) {
        for (const declaration of node.declarationList.declarations) {
          const values = literalMembers(declaration.type);
          if (ts.isIdentifier(declaration.name) && values) {
            consts.set(prefix + declaration.name.text, values);
          }
        }
      }
      if (ts.isModuleDeclaration(node) && node.body && ts.isModuleBlock(node.body)) {
        for (const statement of node.body.statements) visit(statement, `${node.name.text}.`);
      }
    };
    for (const statement of file.statements) visit(statement, '');
  }

  const membersOf = (/** @type {string} */ name) => {
    const node = interfaces.get(name);
    if (!node) throw new Error(`the SDK declares no interface ${name}`);
    /** @type {Set<string>} */
    const names = new Set();
    for (const clause of node.heritageClauses ?? []) {
      for (const type of clause.types) {
        const base = type.expression.getText(node.getSourceFile()).replace(/^Management\./, '');
        for (const member of membersOf(base)) names.add(member);
      }
    }
    for (const member of node.members) {
      if (
        ts.isPropertySignature(member) &&
        member.name &&
        !ts.isComputedPropertyName(member.name)
      ) {
        names.add(member.name.getText(node.getSourceFile()));
      }
    }
    return [...names];
  };

  /** @type {Record<string, Record<string, string[]>>} */
  const fields = {};
  for (const [kind, names] of Object.entries(INTERFACES)) {
    fields[kind] = Object.fromEntries(names.map((name) => [name, membersOf(name).sort()]));
  }
  // Create-connection variants carry `strategy`, `options` and per-strategy members.
  /** @type {Set<string>} */
  const connectionMembers = new Set();
  /** @type {Set<string>} */
  const strategies = new Set();
  for (const name of interfaces.keys()) {
    if (!/^CreateConnectionRequestContent[A-Z]/.test(name)) continue;
    for (const member of membersOf(name)) connectionMembers.add(member);
    for (const value of consts.get(`${name}.Strategy`) ?? []) strategies.add(value);
  }
  /** @type {Record<string, string[]>} */ (fields['connection'])['CreateConnectionRequestContent'] =
    [...connectionMembers].sort();

  /** @type {Record<string, string[]>} */
  const enums = {};
  for (const name of ENUMS) {
    const values = consts.get(name);
    if (!values) throw new Error(`the SDK declares no enum ${name}`);
    enums[name] = values;
  }
  const version = JSON.parse(readFileSync(join(dir, '../../../../package.json'), 'utf8')).version;
  return {
    sdk: `auth0@${String(version)}`,
    fields,
    enums,
    connectionStrategies: [...strategies].sort(),
    ...extractObjectShapes(dir),
  };
}

/**
 * @typedef {{ type: 'string' | 'number' | 'boolean' | 'unknown' }
 *   | { type: 'enum', values: string[] }
 *   | { type: 'array', items: SdkShape }
 *   | { type: 'object', open: boolean, required: string[], members: Record<string, SdkShape> }} SdkShape
 */

/** Connection strategies whose `options` shape is recorded, by SDK interface. */
const CONNECTION_OPTIONS = { auth0: 'ConnectionOptionsAuth0' };

/**
 * `clientObjects`: the shape of every object-valued client field, merged over `Client`,
 * `CreateClientRequestContent` and `UpdateClientRequestContent`: the members any of them
 * declares, the members all of them require, and whether any of them takes members it does
 * not declare (the SDK's `[key: string]: any`, generated from `additionalProperties`).
 * Merging keeps the most lenient reading, so an export (a response) and a request both fit.
 * `connectionOptions`: the shape of `options` of the strategies of
 * {@link CONNECTION_OPTIONS}.
 *
 * @param {string} dir - from {@link sdkTypesDirectory}
 * @returns {{ clientObjects: Record<string, SdkShape>, connectionOptions: Record<string, SdkShape> }}
 */
export function extractObjectShapes(dir) {
  const program = ts.createProgram(
    ['requests/requests.d.ts', 'types/types.d.ts'].map((file) => join(dir, file)),
    { strict: true, noEmit: true, lib: ['lib.es2022.d.ts'], types: [], skipLibCheck: true },
  );
  const checker = program.getTypeChecker();
  /** @type {(file: string, name: string) => ts.Type} */
  const declared = (file, name) => {
    const source = program.getSourceFile(join(dir, file));
    /** @type {ts.InterfaceDeclaration | undefined} */
    let found;
    source?.forEachChild((node) => {
      if (ts.isInterfaceDeclaration(node) && node.name.text === name) found = node;
    });
    if (!found) throw new Error(`the SDK declares no interface ${name}`);
    return checker.getTypeAtLocation(found.name);
  };
  const roots = [
    declared('types/types.d.ts', 'Client'),
    declared('requests/requests.d.ts', 'CreateClientRequestContent'),
    declared('requests/requests.d.ts', 'UpdateClientRequestContent'),
  ];
  /** @type {(type: ts.Type, depth: number) => SdkShape} */
  const shapeOf = (type, depth) => {
    const parts = (() => {
      const plain = checker.getNonNullableType(type);
      return plain.isUnion() ? plain.types : [plain];
    })();
    if (parts.length > 0 && parts.every((part) => part.isStringLiteral())) {
      return {
        type: 'enum',
        values: parts.map((part) => /** @type {ts.StringLiteralType} */ (part).value).sort(),
      };
    }
    if (parts.length > 0 && parts.every((part) => part.flags & ts.TypeFlags.BooleanLiteral)) {
      return { type: 'boolean' };
    }
    const [first] = parts;
    if (!first || parts.length > 1 || depth > 8) return { type: 'unknown' };
    if (first.flags & ts.TypeFlags.String) return { type: 'string' };
    if (first.flags & ts.TypeFlags.Number) return { type: 'number' };
    if (first.flags & ts.TypeFlags.BooleanLike) return { type: 'boolean' };
    if (checker.isArrayType(first)) {
      const [item] = checker.getTypeArguments(/** @type {ts.TypeReference} */ (first));
      return { type: 'array', items: item ? shapeOf(item, depth + 1) : { type: 'unknown' } };
    }
    if (!(first.flags & ts.TypeFlags.Object)) return { type: 'unknown' };
    /** @type {Record<string, SdkShape>} */
    const members = {};
    /** @type {string[]} */
    const required = [];
    for (const property of checker.getPropertiesOfType(first)) {
      members[property.name] = shapeOf(checker.getTypeOfSymbol(property), depth + 1);
      if (!(property.flags & ts.SymbolFlags.Optional)) required.push(property.name);
    }
    const open = checker.getIndexInfosOfType(first).length > 0;
    return { type: 'object', open, required: required.sort(), members: sortedKeys(members) };
  };
  /** @type {Record<string, SdkShape>} */
  const objects = {};
  for (const root of roots) {
    for (const property of checker.getPropertiesOfType(root)) {
      const shape = shapeOf(checker.getTypeOfSymbol(property), 0);
      if (!holdsObject(shape)) continue;
      const before = objects[property.name];
      objects[property.name] = before ? mergeShapes(before, shape) : shape;
    }
  }
  const connectionOptions = Object.fromEntries(
    Object.entries(CONNECTION_OPTIONS).map(([strategy, name]) => [
      strategy,
      shapeOf(declared('types/types.d.ts', name), 0),
    ]),
  );
  return { clientObjects: sortedKeys(objects), connectionOptions };
}

/** @type {(shape: SdkShape) => boolean} */
function holdsObject(shape) {
  return shape.type === 'object' || (shape.type === 'array' && holdsObject(shape.items));
}

/**
 * The most lenient of two readings of one field: members of either, required by both,
 * open when either is.
 *
 * @type {(a: SdkShape, b: SdkShape) => SdkShape}
 */
function mergeShapes(a, b) {
  if (a.type === 'object' && b.type === 'object') {
    /** @type {Record<string, SdkShape>} */
    const members = { ...a.members };
    for (const [name, shape] of Object.entries(b.members)) {
      const before = members[name];
      members[name] = before ? mergeShapes(before, shape) : shape;
    }
    return {
      type: 'object',
      open: a.open || b.open,
      required: a.required.filter((name) => b.required.includes(name)),
      members: sortedKeys(members),
    };
  }
  if (a.type === 'array' && b.type === 'array') {
    return { type: 'array', items: mergeShapes(a.items, b.items) };
  }
  if (a.type === 'enum' && b.type === 'enum') {
    return { type: 'enum', values: [...new Set([...a.values, ...b.values])].sort() };
  }
  return JSON.stringify(a) === JSON.stringify(b) ? a : { type: 'unknown' };
}

/**
 * @template T
 * @param {Record<string, T>} record
 * @returns {Record<string, T>}
 */
function sortedKeys(record) {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * `{ readonly A: "a"; readonly B: "b" }` → `['a', 'b']`; undefined for other types.
 *
 * @param {ts.TypeNode | undefined} type
 */
function literalMembers(type) {
  if (!type || !ts.isTypeLiteralNode(type)) return undefined;
  /** @type {string[]} */
  const values = [];
  for (const member of type.members) {
    if (!ts.isPropertySignature(member) || !member.type) return undefined;
    if (!ts.isLiteralTypeNode(member.type) || !ts.isStringLiteral(member.type.literal)) {
      return undefined;
    }
    values.push(member.type.literal.text);
  }
  return values;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = sdkTypesDirectory();
  if (!dir) {
    console.error('the auth0 SDK is not installed (npm ci installs it as a devDependency)');
    process.exit(2);
  }
  const text = `${JSON.stringify(extractSdkFields(dir), null, 2)}\n`;
  if (process.argv.includes('--check')) {
    const same = existsSync(FIXTURE) && readFileSync(FIXTURE, 'utf8') === text;
    console.log(same ? 'up to date' : `${FIXTURE} is stale: run node scripts/auth0-sdk-fields.js`);
    process.exit(same ? 0 : 1);
  }
  writeFileSync(FIXTURE, text);
  console.log(`wrote ${FIXTURE}`);
}
