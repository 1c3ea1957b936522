// The JSON scalars take inline literals as well as variables, and both give the resolver the
// same plain value.
import { buildSchema, graphql } from 'graphql';
import { scalarResolvers } from '../src/scalars.js';
import { graphqlLiteral } from '../src/testing.js';

const VALUE = { team: 'ops', tags: ['a', { nested: [1, 2.5, null, true] }], empty: {}, none: null };

/** Every object within a value, itself included. */
function objectsOf(value: unknown): object[] {
  if (value === null || typeof value !== 'object') return [];
  const children = Array.isArray(value) ? value : Object.values(value);
  return [value, ...children.flatMap(objectsOf)];
}

describe('JSON scalar literals', () => {
  it.each([
    ['an object with lists and nesting', VALUE],
    ['a list', [1, 'two', { three: 3 }]],
    ['null', null],
    ['a string', 'text'],
  ])('parses %s written inline into plain objects', async (_what, value) => {
    const schema = buildSchema('scalar JSON type Query { echo(value: JSON): JSON }');
    const seen: unknown[] = [];
    const result = await graphql({
      schema: withScalars(schema),
      source: `{ echo(value: ${graphqlLiteral(value)}) }`,
      rootValue: { echo: ({ value }: { value: unknown }) => (seen.push(value), value) },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ echo: value });
    // Every object the resolver gets has Object's prototype, as a variable's would have:
    // code downstream reads `.constructor`.
    for (const object of objectsOf(seen[0])) {
      expect(Object.getPrototypeOf(object)).toBe(
        Array.isArray(object) ? Array.prototype : Object.prototype,
      );
    }
  });

  it('takes variables inside a literal', async () => {
    const schema = buildSchema('scalar JSON type Query { echo(value: JSON): JSON }');
    const result = await graphql({
      schema: withScalars(schema),
      source: 'query($team: String) { echo(value: { team: $team, list: [$team] }) }',
      variableValues: { team: 'ops' },
      rootValue: { echo: ({ value }: { value: unknown }) => value },
    });
    expect(result.data).toEqual({ echo: { team: 'ops', list: ['ops'] } });
  });

  it('keeps JSONObject refusing a literal that is not an object', async () => {
    const schema = buildSchema('scalar JSONObject type Query { echo(value: JSONObject): String }');
    const good = await graphql({
      schema: withScalars(schema),
      source: '{ echo(value: { a: { b: 1 } }) }',
      rootValue: {
        echo: ({ value }: { value: object }) =>
          Object.getPrototypeOf((value as { a: object }).a) === Object.prototype ? 'plain' : 'bare',
      },
    });
    expect(good.data).toEqual({ echo: 'plain' });
    const bad = await graphql({ schema: withScalars(schema), source: '{ echo(value: [1]) }' });
    expect(bad.errors?.[0]?.message).toMatch(/JSONObject|object/i);
  });
});

/** The schema with the kit's scalars in place of the bare ones `buildSchema` made. */
function withScalars(schema: ReturnType<typeof buildSchema>) {
  for (const name of ['JSON', 'JSONObject'] as const) {
    const type = schema.getType(name);
    if (type)
      Object.assign(type, {
        parseLiteral: scalarResolvers[name].parseLiteral,
        parseValue: scalarResolvers[name].parseValue,
        serialize: scalarResolvers[name].serialize,
      });
  }
  return schema;
}
