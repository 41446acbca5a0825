/**
 * Object schemas that remember their rule: the members an object declares, the members
 * Auth0 requires together, and whether it refuses undeclared members. The object tables
 * (`object-fields.ts` for clients, `connections/option-rules.ts` for connection options)
 * are built with {@link closed} and {@link open}; issue messages find the rule of an ajv
 * error's `parentSchema` through {@link objectRuleOf}.
 */
import type { SchemaObject } from 'ajv';

/** How Auth0 treats an object's members, for messages and the SDK comparison. */
export interface ObjectRule {
  /** Members it declares, with the JSON Schema of each. */
  readonly members: Readonly<Record<string, SchemaObject>>;
  /** Members it requires together. */
  readonly required: readonly string[];
  /** Whether it refuses a member it does not declare. */
  readonly extraRefused: boolean;
}

/** The rule behind each object schema built here (ajv's `parentSchema` finds it). */
const RULES = new WeakMap<object, ObjectRule>();

/** The rule an object schema of this table was built from. */
export function objectRuleOf(schema: unknown): ObjectRule | undefined {
  return typeof schema === 'object' && schema !== null ? RULES.get(schema) : undefined;
}

function objectSchema(
  members: Record<string, SchemaObject>,
  required: readonly string[],
  extraRefused: boolean,
): SchemaObject {
  const schema: SchemaObject = {
    type: 'object',
    properties: members,
    ...(required.length > 0 ? { required: [...required] } : {}),
    ...(extraRefused ? { additionalProperties: false } : {}),
  };
  RULES.set(schema, { members, required, extraRefused });
  return schema;
}

/** An object that refuses members it does not declare. */
export const closed = (members: Record<string, SchemaObject>, required: readonly string[] = []) =>
  objectSchema(members, required, true);
/** An object that passes members it does not declare through (type-checking its own). */
export const open = (members: Record<string, SchemaObject>, required: readonly string[] = []) =>
  objectSchema(members, required, false);

export const string = { type: 'string' } as const;
export const boolean = { type: 'boolean' } as const;
export const number = { type: 'number' } as const;
export const integer = { type: 'integer' } as const;
export const listOf = (items: SchemaObject): SchemaObject => ({ type: 'array', items });
/** `schema`, or `null` (an object schema keeps its rule). */
export const nullOr = (schema: SchemaObject): SchemaObject => {
  const nullable: SchemaObject = { ...schema, type: [schema['type'] as string, 'null'] };
  const rule = RULES.get(schema);
  if (rule) RULES.set(nullable, rule);
  return nullable;
};
export const oneOf = (values: readonly string[]): SchemaObject => ({
  type: 'string',
  enum: values,
});
