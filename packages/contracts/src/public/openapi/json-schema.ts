import { z } from 'zod';
import { publicSchemas, QUERY_INTEGER } from '../common';

export type JsonSchema = Record<string, unknown>;

const SURROGATES = '\\uD800-\\uDFFF';

const COMPONENT = (id: string) => `#/components/schemas/${id}`;

/**
 * zod 4's own JSON Schema output (draft 2020-12, which OpenAPI 3.1 uses), from what a
 * request may send (`io: 'input'`: a field with a default is optional). A query
 * parameter that is digits in a string is shown as the integer range it takes.
 */
const OPTIONS = {
  target: 'draft-2020-12',
  io: 'input',
  unrepresentable: 'throw',
  override: ({ jsonSchema }: { jsonSchema: JsonSchema }) => {
    // Lone surrogates are not Unicode text, and validators whose regex engines work on
    // Unicode scalar values (Rust's, used by schemathesis) refuse a pattern that names
    // them. The services still refuse them; the document leaves the range out.
    if (typeof jsonSchema.pattern === 'string')
      jsonSchema.pattern = jsonSchema.pattern.replaceAll(SURROGATES, '');
    const integer = jsonSchema[QUERY_INTEGER] as { minimum: number; maximum: number } | undefined;
    if (!integer) return;
    delete jsonSchema[QUERY_INTEGER];
    delete jsonSchema.pattern;
    Object.assign(jsonSchema, { type: 'integer', ...integer });
  },
} as const;

/** Every named schema, as `components.schemas`, referring to each other by `$ref`. */
export function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(publicSchemas, { ...OPTIONS, uri: COMPONENT });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, clean(schema)]));
}

/** A schema where it is used: a `$ref` when it is named, else inline. */
export function schemaOf(schema: z.ZodType): JsonSchema {
  const id = publicSchemas.get(schema)?.id;
  if (id) return { $ref: COMPONENT(id) };
  return clean(z.toJSONSchema(schema, OPTIONS) as JsonSchema);
}

/** The properties of an object schema (a query string), each with whether it is required. */
export function propertiesOf(
  schema: z.ZodType,
): Array<{ name: string; schema: JsonSchema; required: boolean }> {
  const json = schemaOf(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    schema: property,
    required: required.has(name),
  }));
}

/** Without `$schema` and `$id`: the document says which dialect once, at its top. */
function clean(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, id: _name, ...rest } = schema;
  return rest;
}
