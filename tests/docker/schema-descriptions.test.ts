// Everything a client can see in the composed API schema has a description: what GraphiQL's
// docs and typed clients show. The lint rule checks each subgraph's SDL; this checks what
// composition made of them (a description lost or dropped on the way would show here).
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLSchema,
} from 'graphql';
import { readApiSchema } from '../../schema/compose.js';

/** Schema coordinates (`Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`) without a description. */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (coordinate: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(coordinate);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) {
          check(`${type.name}.${field.name}(${arg.name}:)`, arg.description);
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing;
}

describe('supergraph API schema descriptions', () => {
  const schema = readApiSchema();

  it('describes every type, field, argument, input field and enum value', () => {
    expect(undescribed(schema)).toEqual([]);
  });

  it('would notice a missing one', () => {
    // Guards the check itself: a schema with gaps must be reported, coordinate by coordinate.
    const gaps = buildSchema(`
      "Described." type Query { "Described." a(x: Int): E, b: Int }
      enum E { "Described." ONE TWO }
    `);
    expect(undescribed(gaps)).toEqual(['Query.a(x:)', 'Query.b', 'E', 'E.TWO']);
  });
});
