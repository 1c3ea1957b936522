// The custom scalars the subgraphs share, implemented by graphql-scalars.
import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver, JSONObjectResolver, JSONResolver } from 'graphql-scalars';

/**
 * A copy of a value parsed from a GraphQL literal whose objects have Object's prototype.
 * graphql-scalars (like graphql-js) builds the objects of an inline literal with
 * `Object.create(null)`, and code downstream (drizzle's JSON encoding, zod, `instanceof`
 * checks) reads `.constructor` of them: `{ team: "ops" }` written inline failed where the
 * same value sent as a variable worked. Copied here rather than by structuredClone, whose
 * objects belong to Node's main realm and not to a vm context's (jest runs tests in one).
 */
function withPlainObjects(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withPlainObjects);
  if (value === null || typeof value !== 'object') return value;
  const plain: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) plain[key] = withPlainObjects(entry);
  return plain;
}

/** The scalar with literals parsed into plain objects. */
function plainLiterals(scalar: GraphQLScalarType): GraphQLScalarType {
  const config = scalar.toConfig();
  return new GraphQLScalarType({
    ...config,
    parseLiteral: (ast, variables) => withPlainObjects(scalar.parseLiteral(ast, variables)),
  });
}

export const scalarResolvers = {
  DateTime: DateTimeResolver,
  JSON: plainLiterals(JSONResolver),
  JSONObject: plainLiterals(JSONObjectResolver),
};
